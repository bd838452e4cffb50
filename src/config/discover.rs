//! Finding the configuration that applies to a file: the nearest `womlint.yaml` (or
//! `.womlint.yaml`) in the file's folder or above it, up to the filesystem root. A `.git`
//! folder does not stop the search, so a configuration in a parent folder shared by several
//! repositories applies to all of them (as with Vale and ruff).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::file::{CONFIG_NAMES, ConfigError, ConfigFile};

/// Where configuration comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigSource {
    /// The nearest configuration file of each checked file.
    Discover,
    /// This file, for every checked file (`--config`).
    File(PathBuf),
    /// No configuration (`--no-config`).
    Ignore,
}

/// Finds and loads configuration files, each once, and remembers the answer per folder.
#[derive(Debug)]
pub struct Discovery {
    source: ConfigSource,
    cwd: PathBuf,
    explicit: Option<Arc<ConfigFile>>,
    by_dir: HashMap<PathBuf, Option<Arc<ConfigFile>>>,
    loaded: Vec<Arc<ConfigFile>>,
    errors: Vec<ConfigError>,
    /// Each configuration file that could not be loaded, and its errors' range in `errors`.
    failed: Vec<(PathBuf, std::ops::Range<usize>)>,
}

impl Discovery {
    /// Starts a discovery; `--config FILE` is read right away (relative to `cwd`).
    pub fn new(source: ConfigSource, cwd: &Path) -> Self {
        let mut discovery = Discovery {
            source: source.clone(),
            cwd: cwd.to_path_buf(),
            explicit: None,
            by_dir: HashMap::new(),
            loaded: Vec::new(),
            errors: Vec::new(),
            failed: Vec::new(),
        };
        if let ConfigSource::File(path) = &source {
            let absolute = super::absolute(cwd, path);
            discovery.explicit = discovery.load(&absolute, &crate::input::display_path(path));
        }
        discovery
    }

    /// The configuration for the file at `file` (absolute).
    pub fn for_file(&mut self, file: &Path) -> Option<Arc<ConfigFile>> {
        match file.parent() {
            Some(dir) => self.for_dir(dir),
            None => self.for_dir(&self.cwd.clone()),
        }
    }

    /// The configuration for files in `dir` (absolute).
    pub fn for_dir(&mut self, dir: &Path) -> Option<Arc<ConfigFile>> {
        match self.source {
            ConfigSource::Ignore => return None,
            ConfigSource::File(_) => return self.explicit.clone(),
            ConfigSource::Discover => {}
        }
        let mut visited = Vec::new();
        let mut found = None;
        let mut current = Some(dir.to_path_buf());
        while let Some(folder) = current {
            if let Some(cached) = self.by_dir.get(&folder) {
                found = cached.clone();
                break;
            }
            let candidate = CONFIG_NAMES.iter().map(|name| folder.join(name)).find(|p| p.is_file());
            if let Some(path) = candidate {
                let display = super::display_relative(&self.cwd, &path);
                found = self.load(&path, &display);
                visited.push(folder);
                break;
            }
            current = folder.parent().map(Path::to_path_buf);
            visited.push(folder);
        }
        for folder in visited {
            self.by_dir.insert(folder, found.clone());
        }
        found
    }

    fn load(&mut self, path: &Path, display: &str) -> Option<Arc<ConfigFile>> {
        if let Some(config) = self.loaded.iter().find(|c| c.path == path) {
            return Some(Arc::clone(config));
        }
        match ConfigFile::load(path, display) {
            Ok(config) => {
                let config = Arc::new(config);
                self.loaded.push(Arc::clone(&config));
                Some(config)
            }
            Err(errors) => {
                let start = self.errors.len();
                self.errors.extend(errors);
                self.failed.push((path.to_path_buf(), start..self.errors.len()));
                None
            }
        }
    }

    /// Every configuration file loaded so far.
    pub fn loaded(&self) -> &[Arc<ConfigFile>] {
        &self.loaded
    }

    /// The problems in the configuration files read so far.
    pub fn errors(&self) -> &[ConfigError] {
        &self.errors
    }

    /// The configuration files that could not be loaded (absolute paths), each with its
    /// problems.
    pub fn failures(&self) -> impl Iterator<Item = (&Path, &[ConfigError])> {
        self.failed.iter().map(|(path, range)| (path.as_path(), self.errors.get(range.clone()).unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_config_wins_and_is_loaded_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::create_dir_all(root.join("a/.git")).unwrap();
        std::fs::write(root.join("womlint.yaml"), "fail_on: error\n").unwrap();
        std::fs::write(root.join("a/b/.womlint.yaml"), "fail_on: info\n").unwrap();
        let mut discovery = Discovery::new(ConfigSource::Discover, root);
        let deep = discovery.for_file(&root.join("a/b/c/post.md")).unwrap();
        assert_eq!(deep.display, "a/b/.womlint.yaml");
        // `.git` does not stop the search: a/ finds the root's file.
        let mid = discovery.for_file(&root.join("a/post.md")).unwrap();
        assert_eq!(mid.display, "womlint.yaml");
        let again = discovery.for_file(&root.join("a/b/post.md")).unwrap();
        assert!(Arc::ptr_eq(&deep, &again));
        assert_eq!(discovery.loaded().len(), 2);
        assert!(Discovery::new(ConfigSource::Ignore, root).for_file(&root.join("x.md")).is_none());
    }

    #[test]
    fn explicit_file_applies_everywhere_and_reports_errors() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("ci.yaml"), "fail_on: error\n").unwrap();
        let mut discovery = Discovery::new(ConfigSource::File(PathBuf::from("ci.yaml")), root);
        assert_eq!(discovery.for_file(Path::new("/somewhere/else.md")).unwrap().display, "ci.yaml");
        let missing = Discovery::new(ConfigSource::File(PathBuf::from("nope.yaml")), root);
        assert_eq!(missing.errors().len(), 1);
        let failures: Vec<_> = missing.failures().collect();
        assert_eq!(failures.len(), 1);
        assert_eq!((failures[0].0, failures[0].1.len()), (root.join("nope.yaml").as_path(), 1));
        assert!(missing.errors()[0].message.contains("cannot read"));
    }
}

//! Finding the configuration that applies to a file: the nearest `womlint.yaml` (or
//! `.womlint.yaml`) in the file's folder or above it, up to the filesystem root. A `.git`
//! folder does not stop the search, so a configuration in a parent folder shared by several
//! repositories applies to all of them (as with Vale and ruff).
//!
//! The search never silently takes what someone else put there: a configuration file owned
//! by another user (not by root) is skipped with a warning that names it, as git treats a
//! repository owned by someone else, and so is an entry of that name that is not a file (a
//! folder, a named pipe). `--config` names a file explicitly and is always read.

use std::collections::{HashMap, HashSet};
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
    /// Who runs womlint (its effective user id), when the system has owners.
    user: Option<u32>,
    /// Configuration files passed over, each said once.
    warnings: Vec<String>,
    warned: HashSet<PathBuf>,
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
            user: current_user(),
            warnings: Vec::new(),
            warned: HashSet::new(),
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
            if let Some(path) = self.candidate_in(&folder) {
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

    /// The configuration file of `folder`: the first of [`CONFIG_NAMES`] that is a regular
    /// file owned by the user or by root. Others are passed over with a warning.
    fn candidate_in(&mut self, folder: &Path) -> Option<PathBuf> {
        for name in CONFIG_NAMES {
            let path = folder.join(name);
            let Ok(meta) = std::fs::metadata(&path) else { continue };
            let display = crate::escape::path(&super::display_relative(&self.cwd, &path)).into_owned();
            if !meta.is_file() {
                let kind = crate::input::file_kind(&meta.file_type());
                self.warn(&path, format!("{display} is {kind}, not a configuration file; it is not used"));
                continue;
            }
            if let Some(owner) = self.user.and_then(|user| foreign_owner(&meta, user)) {
                self.warn(
                    &path,
                    format!(
                        "{display} belongs to another user (uid {owner}), so it is not used; name it with --config to \
                         use it"
                    ),
                );
                continue;
            }
            return Some(path);
        }
        None
    }

    fn warn(&mut self, path: &Path, message: String) {
        if self.warned.insert(path.to_path_buf()) {
            self.warnings.push(message);
        }
    }

    /// Discovers as if user `uid` ran womlint.
    #[cfg(test)]
    pub(crate) fn run_by(mut self, uid: u32) -> Self {
        self.user = Some(uid);
        self
    }

    /// Configuration files passed over: not files, or another user's.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
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

/// The effective user id of this process, where files have owners.
fn current_user() -> Option<u32> {
    #[cfg(unix)]
    {
        Some(rustix::process::geteuid().as_raw())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The owner of a file, when it is neither `user` nor root.
fn foreign_owner(meta: &std::fs::Metadata, user: u32) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let owner = meta.uid();
        (owner != user && owner != 0).then_some(owner)
    }
    #[cfg(not(unix))]
    {
        let _ = (meta, user);
        None
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

    #[cfg(unix)]
    #[test]
    fn configs_of_other_users_and_non_files_are_passed_over() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("shared/repo/womlint.yaml")).unwrap();
        std::fs::write(root.join("shared/repo/.womlint.yaml"), "fail_on: info\n").unwrap();
        let shared = root.join("shared/womlint.yaml");
        std::fs::write(&shared, "rules: { relationship: off }\n").unwrap();
        let me = std::fs::metadata(&shared).unwrap().uid();
        // The folder is passed over, the hidden file beside it is used.
        let mut mine = Discovery::new(ConfigSource::Discover, root).run_by(me);
        assert_eq!(mine.for_file(&root.join("shared/repo/post.md")).unwrap().display, "shared/repo/.womlint.yaml");
        assert_eq!(mine.warnings(), ["shared/repo/womlint.yaml is a folder, not a configuration file; it is not used"]);
        // A file another user owns is passed over: root gives the shared file to user 4242,
        // anyone else runs as a user who is not its owner.
        let (owner, user) = if me == 0 {
            std::os::unix::fs::chown(&shared, Some(4242), None).unwrap();
            (4242, 0)
        } else {
            (me, me + 1)
        };
        let mut theirs = Discovery::new(ConfigSource::Discover, root).run_by(user);
        assert!(theirs.for_file(&root.join("shared/post.md")).is_none());
        let warning = format!(
            "shared/womlint.yaml belongs to another user (uid {owner}), so it is not used; name it with --config to use it"
        );
        assert_eq!(theirs.warnings(), [warning]);
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

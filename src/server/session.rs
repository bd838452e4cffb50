//! Configuration, as the command line finds it: the nearest `womlint.yaml` (or
//! `.womlint.yaml`) above each document, its overrides, then the initialization options
//! (`jurisdiction`, `strict`, `extraPacks`), which win like command-line flags.
//!
//! Rule sets are compiled once per distinct settings and kept until a configuration file or
//! a pack changes. A configuration or pack that does not load is reported on that file (and
//! in a message), and the documents it governs keep the last rules that loaded.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::Diagnostic;
use serde::Deserialize;

use super::diagnostics;
use super::position::Encoding;
use crate::config::{
    self, CONFIG_NAMES, CliSettings, Compiled, ConfigError, ConfigFile, ConfigSource, Discovery, LoadError, RuleCache,
    Settings,
};
use crate::document::Defaults;
use crate::rules::{Market, Profile, RuleSetBuilder};

/// `initializationOptions`: what the command line's flags say, for every document.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub(crate) struct InitOptions {
    /// `us`, `uk`, `it` or `eu`.
    jurisdiction: Option<String>,
    strict: bool,
    /// Pack files, relative to the first workspace folder.
    #[serde(alias = "extra_packs")]
    extra_packs: Vec<PathBuf>,
}

/// What applies to one document.
#[derive(Clone)]
pub(crate) struct Resolved {
    /// `None` when no rule set could be compiled at all.
    pub(crate) rules: Option<Arc<Compiled>>,
    pub(crate) defaults: Defaults,
    /// The configuration's `include`/`exclude` leave the file out.
    pub(crate) excluded: bool,
}

pub(crate) struct Session {
    cli: CliSettings,
    /// Workspace folders; an unsaved buffer takes the first one's configuration.
    roots: Vec<PathBuf>,
    /// Where paths are shown relative to.
    cwd: PathBuf,
    encoding: Encoding,
    discovery: Discovery,
    cache: RuleCache,
    /// The last configuration that loaded, per configuration file.
    last_good_config: HashMap<PathBuf, Arc<ConfigFile>>,
    /// The last rule set that compiled, per configuration file (`None`: no configuration).
    last_good_rules: HashMap<Option<PathBuf>, Arc<Compiled>>,
    /// What applies to each document, by its name, until the configuration changes.
    resolved: HashMap<String, Resolved>,
    /// Pack files the settings name (a change to one reloads the configuration).
    packs: HashSet<PathBuf>,
    /// Configuration files whose `rules:` keys were checked against the loaded packs.
    checked_configs: HashSet<PathBuf>,
    /// Problems in configuration and pack files since the last reload.
    problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Files whose problems the client was last sent (to clear them once fixed).
    published: HashSet<PathBuf>,
    problems_changed: bool,
    /// Messages for the user, not yet sent.
    messages: Vec<String>,
}

impl Session {
    pub(crate) fn new(options: Option<serde_json::Value>, roots: Vec<PathBuf>, encoding: Encoding) -> Self {
        let cwd = roots.first().cloned().or_else(|| std::env::current_dir().ok()).unwrap_or_else(|| PathBuf::from("/"));
        let mut messages = Vec::new();
        let options: InitOptions = match options.filter(|o| !o.is_null()).map(serde_json::from_value).transpose() {
            Ok(options) => options.unwrap_or_default(),
            Err(err) => {
                messages.push(format!("womlint: initializationOptions ignored: {err}"));
                InitOptions::default()
            }
        };
        let profile = if options.strict {
            Some(Profile::Strict)
        } else {
            options.jurisdiction.as_deref().and_then(|j| match j.parse::<Market>() {
                Ok(market) => Some(Profile::Market(market)),
                Err(err) => {
                    messages.push(format!("womlint: initializationOptions: jurisdiction: {err}"));
                    None
                }
            })
        };
        let extra_packs = options.extra_packs.iter().map(|p| config::absolute(&cwd, p)).collect();
        let cli = CliSettings { profile, extra_packs, fail_on: None };
        Session {
            cli,
            roots,
            discovery: Discovery::new(ConfigSource::Discover, &cwd),
            cache: RuleCache::for_checks(&cwd),
            cwd,
            encoding,
            last_good_config: HashMap::new(),
            last_good_rules: HashMap::new(),
            resolved: HashMap::new(),
            packs: HashSet::new(),
            checked_configs: HashSet::new(),
            problems: BTreeMap::new(),
            published: HashSet::new(),
            problems_changed: false,
            messages,
        }
    }

    /// Forgets every configuration and compiled rule set: they are read again, from disk, for
    /// the next document checked. The last good ones stay as fallbacks.
    pub(crate) fn reload(&mut self) {
        self.discovery = Discovery::new(ConfigSource::Discover, &self.cwd);
        self.cache = RuleCache::for_checks(&self.cwd);
        self.resolved.clear();
        self.checked_configs.clear();
        self.problems.clear();
        self.problems_changed = true;
    }

    /// Whether a change to the file at `path` changes the configuration: a configuration file,
    /// or a pack some settings name.
    pub(crate) fn is_watched(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        CONFIG_NAMES.contains(&name) || self.packs.contains(path)
    }

    /// What applies to the document called `name`, at `path` (`None`: an unsaved buffer).
    pub(crate) fn resolve(&mut self, name: &str, path: Option<&Path>) -> Resolved {
        if let Some(resolved) = self.resolved.get(name) {
            return resolved.clone();
        }
        let resolved = self.resolve_anew(path);
        self.resolved.insert(name.to_owned(), resolved.clone());
        resolved
    }

    fn resolve_anew(&mut self, path: Option<&Path>) -> Resolved {
        let dir = match path.and_then(Path::parent) {
            Some(dir) => dir.to_path_buf(),
            None => self.roots.first().cloned().unwrap_or_else(|| self.cwd.clone()),
        };
        let failures_before = self.discovery.failures().count();
        let mut found = self.discovery.for_dir(&dir);
        let failed: Vec<(PathBuf, Vec<ConfigError>)> =
            self.discovery.failures().skip(failures_before).map(|(p, e)| (p.to_path_buf(), e.to_vec())).collect();
        for (file, errors) in failed {
            self.config_problems(&file, &errors);
        }
        if found.is_none() {
            // The nearest configuration that did not load: its last good version stays.
            let broken = self
                .discovery
                .failures()
                .map(|(p, _)| p)
                .filter(|p| p.parent().is_some_and(|parent| dir.starts_with(parent)))
                .max_by_key(|p| p.as_os_str().len())
                .map(Path::to_path_buf);
            found = broken.and_then(|p| self.last_good_config.get(&p).cloned());
        }
        if let Some(config) = &found {
            self.last_good_config.insert(config.path.clone(), Arc::clone(config));
        }
        let excluded = path.is_some_and(|p| found.as_deref().is_some_and(|c| config::excluded_by(c, p)));
        let resolved = config::resolve(found.as_deref(), path, &self.cli);
        self.packs.extend(resolved.settings.extra_packs.iter().cloned());
        let key = found.as_ref().map(|c| c.path.clone());
        let rules = match self.cache.get(&resolved.settings) {
            Ok(index) => self.cache.set(index).cloned(),
            Err((errors, builder)) => {
                self.pack_problems(&errors, &builder, &resolved.settings);
                None
            }
        };
        if let (Some(config), Some(_)) = (&found, &rules)
            && self.checked_configs.insert(config.path.clone())
        {
            let unknown = config.unknown_rules(|key| self.cache.knows(key), |key| self.cache.closest(key));
            self.config_problems(&config.path, &unknown);
        }
        let rules = match rules {
            Some(rules) => {
                self.last_good_rules.insert(key, Arc::clone(&rules));
                Some(rules)
            }
            None => self.last_good_rules.get(&key).cloned().or_else(|| self.fallback()),
        };
        Resolved { rules, defaults: resolved.defaults, excluded }
    }

    /// The rules with no configuration at all, when those a configuration names cannot load.
    fn fallback(&mut self) -> Option<Arc<Compiled>> {
        let settings = Settings { profile: self.cli.profile.unwrap_or_default(), ..Settings::default() };
        let index = self.cache.get(&settings).ok()?;
        self.cache.set(index).cloned()
    }

    fn config_problems(&mut self, file: &Path, errors: &[ConfigError]) {
        for error in errors {
            let message = format!("{}: {}", error.path, error.message);
            let diagnostic =
                diagnostics::on_file(&error.text, error.span, &message, error.help.as_deref(), self.encoding);
            self.add_problem(file, diagnostic, &error.path);
        }
    }

    fn pack_problems(&mut self, errors: &[LoadError], builder: &RuleSetBuilder, settings: &Settings) {
        for error in errors {
            match error {
                LoadError::Read { path, message } => {
                    let diagnostic = diagnostics::on_file("", None, message, None, self.encoding);
                    let shown = config::display_relative(&self.cwd, path);
                    self.add_problem(path, diagnostic, &shown);
                }
                LoadError::Pack(error) => {
                    let source = builder.sources().iter().find(|s| s.name == error.pack);
                    let text = source.map_or("", |s| s.text.as_str());
                    let message = format!("{}: {}", error.pack, error.message);
                    let diagnostic =
                        diagnostics::on_file(text, error.span, &message, error.help.as_deref(), self.encoding);
                    let path =
                        settings.extra_packs.iter().find(|p| config::display_relative(&self.cwd, p) == error.pack);
                    match path {
                        Some(path) => self.add_problem(&path.clone(), diagnostic, &error.pack),
                        None => self.messages.push(format!("womlint: {message}")),
                    }
                }
            }
        }
    }

    fn add_problem(&mut self, file: &Path, diagnostic: Diagnostic, shown: &str) {
        let list = self.problems.entry(file.to_path_buf()).or_default();
        if list.contains(&diagnostic) {
            return;
        }
        if list.is_empty() {
            self.messages.push(format!(
                "womlint: {shown} has problems; the documents it governs keep the last rules that loaded until it \
                 is fixed"
            ));
        }
        list.push(diagnostic);
        self.problems_changed = true;
    }

    /// The diagnostics to publish on configuration and pack files since the last call (an
    /// empty list clears a file that had some), and the messages for the user.
    pub(crate) fn take_problems(&mut self) -> (Vec<(PathBuf, Vec<Diagnostic>)>, Vec<String>) {
        let messages = std::mem::take(&mut self.messages);
        if !self.problems_changed {
            return (Vec::new(), messages);
        }
        self.problems_changed = false;
        let mut out: Vec<(PathBuf, Vec<Diagnostic>)> =
            self.problems.iter().map(|(path, list)| (path.clone(), list.clone())).collect();
        for path in &self.published {
            if !self.problems.contains_key(path) {
                out.push((path.clone(), Vec::new()));
            }
        }
        self.published = self.problems.keys().cloned().collect();
        (out, messages)
    }
}

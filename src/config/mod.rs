//! Settings for a run: which packs and rules, which market profile, what fails the run.
//!
//! Settings come from `womlint.yaml` (see [`file`]), found from each checked file's folder
//! upward ([`Discovery`]), and from the command line, which wins. Files in different folders
//! may find different configurations, and `overrides:` adjust them per glob, so settings are
//! resolved per file ([`resolve`]); the command line turns equal settings into one compiled
//! rule set by their [`SettingsKey`].

mod compiled;
mod discover;
mod file;
mod starter;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

pub use compiled::{Compiled, LoadError, LoadFailure, RuleCache};
pub use discover::{ConfigSource, Discovery};
pub use file::{BUILTIN_PACK_IDS, CONFIG_NAMES, ConfigError, ConfigFile, Globs, Override, RuleEntry};
pub use starter::STARTER;

use crate::document::Defaults;
use crate::rules::{Profile, RuleSet, Severity};

/// What a rule is set to by configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleSetting {
    Off,
    Severity(Severity),
}

/// Settings that decide which rules run and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub profile: Profile,
    /// Built-in packs switched off (by pack id).
    pub disabled_packs: Vec<String>,
    /// Pack files to load besides the built-in ones.
    pub extra_packs: Vec<PathBuf>,
    /// Per rule id (or principle, or pack id): off or another severity.
    pub rules: BTreeMap<String, RuleSetting>,
    /// The lowest severity that fails the run.
    pub fail_on: Severity,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            profile: Profile::Union,
            disabled_packs: Vec::new(),
            extra_packs: Vec::new(),
            rules: BTreeMap::new(),
            fail_on: Severity::Warning,
        }
    }
}

/// Everything that changes a compiled rule set: equal keys share one compilation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SettingsKey {
    profile: Profile,
    disabled_packs: BTreeSet<String>,
    extra_packs: Vec<PathBuf>,
    rules: BTreeMap<String, RuleSetting>,
}

impl Settings {
    /// Applies pack switches and rule settings to a compiled rule set.
    pub fn apply(&self, rules: &mut RuleSet) {
        rules.rules.retain(|r| !self.disabled_packs.contains(&r.pack));
        for rule in &mut rules.rules {
            if let Some(setting) = self.setting_for(&rule.id, &rule.pack)
                && let RuleSetting::Severity(severity) = setting
            {
                rule.severity = severity;
            }
        }
        rules.rules.retain(|r| self.setting_for(&r.id, &r.pack) != Some(RuleSetting::Off));
        for meta in crate::lint::META_RULES {
            if self.setting_for(meta.id, "womlint") == Some(RuleSetting::Off) {
                rules.disabled_meta.push(meta.id.to_owned());
            }
        }
    }

    /// The setting for a rule: by id first, then by principle, then by pack.
    pub fn setting_for(&self, id: &str, pack: &str) -> Option<RuleSetting> {
        let principle = id.split('/').next().unwrap_or(id);
        self.rules.get(id).or_else(|| self.rules.get(principle)).or_else(|| self.rules.get(pack)).copied()
    }

    /// The severity configuration gives one of womlint's own rules, if it changes it.
    pub fn meta_severity(&self, id: &str) -> Option<Severity> {
        match self.setting_for(id, "womlint") {
            Some(RuleSetting::Severity(severity)) => Some(severity),
            _ => None,
        }
    }

    /// What identifies the compiled rule set these settings need.
    pub fn key(&self) -> SettingsKey {
        SettingsKey {
            profile: self.profile,
            disabled_packs: self.disabled_packs.iter().cloned().collect(),
            extra_packs: self.extra_packs.clone(),
            rules: self.rules.clone(),
        }
    }
}

/// What the command line says; it wins over every configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CliSettings {
    pub profile: Option<Profile>,
    /// Absolute paths of `--pack` files.
    pub extra_packs: Vec<PathBuf>,
    pub fail_on: Option<Severity>,
}

/// The settings for one file and the front-matter defaults its overrides give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSettings {
    pub settings: Settings,
    pub defaults: Defaults,
    /// Where each setting comes from.
    pub origins: Origins,
}

/// Where a setting comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    /// Nothing sets it.
    #[default]
    Default,
    /// The configuration file's top level.
    Config,
    /// The configuration file's `overrides:` entry of this index.
    Override(usize),
    /// This command-line flag.
    CommandLine(&'static str),
}

/// Where each setting of a [`FileSettings`] comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origins {
    pub profile: Origin,
    pub packs: Origin,
    /// One per extra pack, in order.
    pub extra_packs: Vec<Origin>,
    /// Per `rules:` key (rule id, principle or pack id).
    pub rules: BTreeMap<String, Origin>,
    pub fail_on: Origin,
    pub lang: Origin,
    pub platform: Origin,
}

/// The settings for a file (absolute path `file`; `None` for run-wide settings) under
/// `config`, with the command line applied last.
pub fn resolve(config: Option<&ConfigFile>, file: Option<&Path>, cli: &CliSettings) -> FileSettings {
    let mut settings = Settings::default();
    let mut defaults = Defaults::default();
    let mut origins = Origins::default();
    if let Some(config) = config {
        settings.disabled_packs = config.packs.iter().filter(|(_, on)| !on).map(|(id, _)| id.clone()).collect();
        if !config.packs.is_empty() {
            origins.packs = Origin::Config;
        }
        if let Some(profile) = config.profile {
            settings.profile = profile;
            origins.profile = Origin::Config;
        }
        settings.extra_packs.extend(config.extra_packs.iter().cloned());
        origins.extra_packs.extend(config.extra_packs.iter().map(|_| Origin::Config));
        for entry in &config.rules {
            settings.rules.insert(entry.key.clone(), entry.setting);
            origins.rules.insert(entry.key.clone(), Origin::Config);
        }
        if let Some(fail_on) = config.fail_on {
            settings.fail_on = fail_on;
            origins.fail_on = Origin::Config;
        }
        let relative = file.and_then(|f| config.relative(f));
        for (index, o) in config.overrides.iter().enumerate() {
            if !relative.as_deref().is_some_and(|r| o.files.is_match(r)) {
                continue;
            }
            for entry in &o.rules {
                settings.rules.insert(entry.key.clone(), entry.setting);
                origins.rules.insert(entry.key.clone(), Origin::Override(index));
            }
            if o.lang.is_some() {
                defaults.lang = o.lang;
                origins.lang = Origin::Override(index);
            }
            if o.platform.is_some() {
                defaults.platform.clone_from(&o.platform);
                origins.platform = Origin::Override(index);
            }
        }
    }
    if let Some(profile) = cli.profile {
        settings.profile = profile;
        origins.profile = Origin::CommandLine(if profile == Profile::Strict { "--strict" } else { "--jurisdiction" });
    }
    for pack in &cli.extra_packs {
        if !settings.extra_packs.contains(pack) {
            settings.extra_packs.push(pack.clone());
            origins.extra_packs.push(Origin::CommandLine("--pack"));
        }
    }
    if let Some(fail_on) = cli.fail_on {
        settings.fail_on = fail_on;
        origins.fail_on = Origin::CommandLine("--fail-on");
    }
    FileSettings { settings, defaults, origins }
}

/// Whether `config`'s `include`/`exclude` leave out the file at `file` (absolute). Files
/// outside the configuration's folder are never left out by it.
pub fn excluded_by(config: &ConfigFile, file: &Path) -> bool {
    let Some(relative) = config.relative(file) else { return false };
    if config.exclude.as_ref().is_some_and(|g| g.is_match(&relative)) {
        return true;
    }
    config.include.as_ref().is_some_and(|g| !g.is_match(&relative))
}

/// `path` made absolute (against `cwd`) and without `.` and `..` components, lexically: no
/// symbolic link is followed, so the result names the path the user gave.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    normalize(&cwd.join(path))
}

pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A path as shown to the user: relative to `cwd` (with `..` when outside it, as long as they
/// share a root), `/`-separated.
pub fn display_relative(cwd: &Path, path: &Path) -> String {
    if let Ok(inside) = path.strip_prefix(cwd) {
        return crate::input::display_path(inside);
    }
    let (ours, theirs): (Vec<Component<'_>>, Vec<Component<'_>>) =
        (cwd.components().collect(), path.components().collect());
    let common = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    let shares_root = common > 0 && !matches!(ours.get(common.saturating_sub(1)), Some(Component::Prefix(_)));
    if !shares_root || !path.is_absolute() {
        return crate::input::display_path(path);
    }
    let mut relative = PathBuf::new();
    for _ in common..ours.len() {
        relative.push("..");
    }
    for component in theirs.iter().skip(common) {
        relative.push(component);
    }
    crate::input::display_path(&relative)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Lang;
    use crate::rules::Market;

    fn config(text: &str) -> ConfigFile {
        ConfigFile::parse(Path::new("/repo/womlint.yaml"), "womlint.yaml", text.to_owned()).unwrap()
    }

    #[test]
    fn overrides_apply_in_order_and_cli_wins() {
        let config = config(
            "jurisdiction: it\nfail_on: error\nrules: { opinion: info }\noverrides:\n  - files: ['it/**']\n    lang: it\n    \
             rules: { opinion: off }\n  - files: ['it/ig/**']\n    platform: instagram\n    rules: { opinion: warning }\n",
        );
        let none = CliSettings::default();
        let top = resolve(Some(&config), Some(Path::new("/repo/a.md")), &none);
        assert_eq!(top.settings.profile, Profile::Market(Market::It));
        assert_eq!(top.settings.fail_on, Severity::Error);
        assert_eq!(top.settings.rules.get("opinion"), Some(&RuleSetting::Severity(Severity::Info)));
        assert_eq!(top.defaults, Defaults::default());
        let it = resolve(Some(&config), Some(Path::new("/repo/it/a.md")), &none);
        assert_eq!(it.settings.rules.get("opinion"), Some(&RuleSetting::Off));
        assert_eq!(it.defaults.lang, Some(Lang::It));
        let ig = resolve(Some(&config), Some(Path::new("/repo/it/ig/a.md")), &none);
        assert_eq!(ig.settings.rules.get("opinion"), Some(&RuleSetting::Severity(Severity::Warning)));
        assert_eq!((ig.defaults.lang, ig.defaults.platform.as_deref()), (Some(Lang::It), Some("instagram")));
        assert_ne!(top.settings.key(), it.settings.key());
        let cli = CliSettings { profile: Some(Profile::Strict), extra_packs: vec![], fail_on: Some(Severity::Info) };
        let wins = resolve(Some(&config), Some(Path::new("/repo/a.md")), &cli);
        assert_eq!((wins.settings.profile, wins.settings.fail_on), (Profile::Strict, Severity::Info));
        // Where each value comes from.
        assert_eq!((top.origins.profile, top.origins.fail_on), (Origin::Config, Origin::Config));
        assert_eq!(ig.origins.rules.get("opinion"), Some(&Origin::Override(1)));
        assert_eq!((ig.origins.lang, ig.origins.platform), (Origin::Override(0), Origin::Override(1)));
        assert_eq!(
            (wins.origins.profile, wins.origins.fail_on),
            (Origin::CommandLine("--strict"), Origin::CommandLine("--fail-on"))
        );
        assert_eq!(resolve(None, None, &none).origins, Origins::default());
    }

    #[test]
    fn include_and_exclude_are_relative_to_the_config() {
        let config = config("include: ['campaigns/**']\nexclude: [drafts]\n");
        assert!(!excluded_by(&config, Path::new("/repo/campaigns/a.md")));
        assert!(excluded_by(&config, Path::new("/repo/campaigns/drafts/a.md")));
        assert!(excluded_by(&config, Path::new("/repo/notes.md")));
        assert!(!excluded_by(&config, Path::new("/elsewhere/notes.md")));
    }

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(absolute(Path::new("/a/b"), Path::new("../c/./d.md")), PathBuf::from("/a/c/d.md"));
        assert_eq!(absolute(Path::new("/a"), Path::new("/x/y")), PathBuf::from("/x/y"));
        assert_eq!(display_relative(Path::new("/a"), Path::new("/a/b/c.md")), "b/c.md");
    }

    #[cfg(unix)]
    #[test]
    fn paths_outside_the_current_folder_are_shown_with_dots() {
        assert_eq!(display_relative(Path::new("/a/b"), Path::new("/a/c/d.yaml")), "../c/d.yaml");
        assert_eq!(display_relative(Path::new("/a/b"), Path::new("/x.yaml")), "../../x.yaml");
    }
}

//! Compiled rule sets, one per distinct [`Settings`], shared by the command line and the
//! language server.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Settings, SettingsKey};
use crate::lint::META_RULES;
use crate::rules::{
    PackError, PackSource, Profile, RuleSet, RuleSetBuilder, builtin_sources, builtin_sources_converted,
};

/// A compiled rule set and the settings it was compiled for.
#[derive(Debug)]
pub struct Compiled {
    pub rules: RuleSet,
    /// Rule ids the settings switched off (their waivers are not "unused").
    pub inactive: HashSet<String>,
    pub settings: Settings,
    pub builder: RuleSetBuilder,
}

/// Compiled rule sets, one per distinct [`SettingsKey`]: packs compile once per distinct
/// configuration, not once per file.
pub struct RuleCache {
    cwd: PathBuf,
    sets: Vec<Arc<Compiled>>,
    by_key: HashMap<SettingsKey, usize>,
    /// Every rule id and pack id seen in any compiled set, before settings switched any off.
    known: HashSet<String>,
    /// Whether the built-in packs are read from their JSON form (see
    /// [`builtin_sources_converted`]).
    converted: bool,
    /// Whether an extra pack with the `pack:` id of a built-in one takes its place, instead of
    /// being an error (`test-rules` on an edited copy of a built-in pack).
    replaces_builtin: bool,
}

/// The principles a `rules:` key or a waiver may name instead of a rule id.
const PRINCIPLES: [&str; 4] = ["relationship", "opinion", "identity", "womlint"];

/// A problem loading packs: a pack file that cannot be read, or errors in the YAML.
#[derive(Clone, Debug)]
pub enum LoadError {
    /// The pack file at this path cannot be read; the message names it.
    Read {
        path: PathBuf,
        message: String,
    },
    Pack(PackError),
}

/// Why packs could not be compiled, with the sources read so far (for the YAML excerpts).
pub type LoadFailure = (Vec<LoadError>, RuleSetBuilder);

impl RuleCache {
    /// A cache that reads the built-in packs from their YAML (line numbers for every rule and
    /// example). Extra pack paths are shown relative to `cwd`.
    pub fn new(cwd: &Path) -> Self {
        RuleCache {
            cwd: cwd.to_path_buf(),
            sets: Vec::new(),
            by_key: HashMap::new(),
            known: HashSet::new(),
            converted: false,
            replaces_builtin: false,
        }
    }

    /// A cache for checking copy: the built-in packs are read from the JSON they were converted
    /// to at build time, which is faster; nothing in a check report needs their YAML lines.
    pub fn for_checks(cwd: &Path) -> Self {
        RuleCache { converted: true, ..RuleCache::new(cwd) }
    }

    /// A cache in which an extra pack with the id of a built-in one takes its place.
    pub fn replacing_builtin(cwd: &Path) -> Self {
        RuleCache { replaces_builtin: true, ..RuleCache::new(cwd) }
    }

    /// The index of the rule set for `settings`, compiling it the first time.
    pub fn get(&mut self, settings: &Settings) -> Result<usize, LoadFailure> {
        let key = settings.key();
        if let Some(index) = self.by_key.get(&key) {
            return Ok(*index);
        }
        let compiled = compile(settings, &self.cwd, &mut self.known, (self.converted, self.replaces_builtin))?;
        let index = self.sets.len();
        self.sets.push(Arc::new(compiled));
        self.by_key.insert(key, index);
        Ok(index)
    }

    /// A rule set with every rule of the packs `settings` and the other compiled sets load,
    /// none switched off: what a report about all of them describes. Falls back to the first
    /// set when the packs cannot be loaded together.
    pub fn union(&mut self, profile: Profile) -> Option<Arc<Compiled>> {
        if self.sets.len() <= 1 {
            return self.sets.first().cloned();
        }
        let mut settings = Settings { profile, ..Settings::default() };
        for set in &self.sets {
            for pack in &set.settings.extra_packs {
                if !settings.extra_packs.contains(pack) {
                    settings.extra_packs.push(pack.clone());
                }
            }
        }
        match self.get(&settings) {
            Ok(index) => self.sets.get(index).cloned(),
            Err(_) => self.sets.first().cloned(),
        }
    }

    pub fn set(&self, index: usize) -> Option<&Arc<Compiled>> {
        self.sets.get(index)
    }

    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Whether a `rules:` key names something: a rule id or pack id of a loaded pack, a
    /// principle, or one of womlint's own rules.
    pub fn knows(&self, key: &str) -> bool {
        PRINCIPLES.contains(&key) || META_RULES.iter().any(|m| m.id == key) || self.known.contains(key)
    }

    /// The known rule id, principle or pack id closest to a misspelt one, if one is close.
    pub fn closest(&self, key: &str) -> Option<String> {
        let meta = META_RULES.iter().map(|m| m.id);
        let known = self.known.iter().map(String::as_str).chain(PRINCIPLES).chain(meta);
        crate::suggest::closest(key, known).map(str::to_owned)
    }
}

/// Compiles the built-in packs (from their JSON form with `converted`) and the settings' extra
/// packs (in the place of a built-in pack of the same id with `replaces_builtin`), and applies
/// the settings.
fn compile(
    settings: &Settings,
    cwd: &Path,
    known: &mut HashSet<String>,
    (converted, replaces_builtin): (bool, bool),
) -> Result<Compiled, LoadFailure> {
    let builtin = if converted { builtin_sources_converted() } else { builtin_sources() };
    let mut builder = RuleSetBuilder::with_sources(settings.profile, builtin);
    let mut failed = Vec::new();
    for path in &settings.extra_packs {
        let name = super::display_relative(cwd, path);
        match crate::input::read_text_file(path, crate::input::MAX_SETTINGS_FILE) {
            Ok(text) => {
                let source = PackSource { name, text, builtin: false, converted: None };
                if replaces_builtin {
                    builder.add_replacing_builtin(source);
                } else {
                    builder.add(source);
                }
            }
            Err(reason) => {
                let message = format!("rule pack {}: {reason}", crate::escape::path(&name));
                failed.push(LoadError::Read { path: path.clone(), message });
            }
        }
    }
    if !failed.is_empty() {
        return Err((failed, builder));
    }
    match builder.build() {
        Ok(mut rules) => {
            known.extend(rules.rules.iter().map(|r| r.id.to_string()));
            known.extend(rules.packs.iter().map(|p| p.id.clone()));
            let mut inactive: HashSet<String> = rules.rules.iter().map(|r| r.id.to_string()).collect();
            settings.apply(&mut rules);
            for rule in &rules.rules {
                inactive.remove(&*rule.id);
            }
            inactive.extend(rules.disabled_meta.iter().cloned());
            Ok(Compiled { rules, inactive, settings: settings.clone(), builder })
        }
        Err(errors) => Err((errors.into_iter().map(LoadError::Pack).collect(), builder)),
    }
}

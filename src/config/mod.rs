//! Settings for a run: which packs and rules, which market profile, what fails the run.
//!
//! Settings come from the command line and from `womlint.yaml` (see [`file`]); this module
//! turns them into a compiled [`RuleSet`] and per-file adjustments.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::rules::{Profile, RuleSet, Severity};

/// What a rule is set to by configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    Severity(Severity),
}

/// Settings that apply to a whole run.
#[derive(Clone, Debug)]
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
}

//! Counts of findings per principle, severity, market, rule, language and folder: the header of
//! the HTML report and the Markdown summary.

use std::collections::BTreeMap;

use super::Report;
use crate::rules::{Principle, RuleSet, Severity};

/// The bucket of findings whose rule is not limited to any market.
pub const ALL_MARKETS: &str = "all markets";

/// Findings counted several ways. Every list is in a fixed order, so a report is the same
/// bytes for the same findings.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub findings: usize,
    /// Files with findings.
    pub files: usize,
    /// Errors, warnings, then info, each present.
    pub severities: Vec<(Severity, usize)>,
    /// The three principles, then womlint's own rules when any fired.
    pub principles: Vec<(Principle, usize)>,
    /// Per market a rule is limited to (`markets:` in its pack), or [`ALL_MARKETS`]; a rule
    /// limited to two markets counts in both. Most first.
    pub markets: Vec<(String, usize)>,
    /// Rule id, its severity (the highest among its findings) and count; most first.
    pub rules: Vec<(String, Severity, usize)>,
    /// Language code and count, by code.
    pub langs: Vec<(&'static str, usize)>,
    /// Folder (`.` for the top) and count, most first.
    pub folders: Vec<(String, usize)>,
}

/// The folder part of a report path (`.` for a file at the top).
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(".", |(folder, _)| if folder.is_empty() { "/" } else { folder })
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Sorts counts most first, then by name.
fn most_first<K: Ord>(counts: BTreeMap<K, usize>) -> Vec<(K, usize)> {
    let mut list: Vec<(K, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

impl Totals {
    pub fn new(report: &Report, rules: &RuleSet) -> Self {
        let mut severities: BTreeMap<Severity, usize> = BTreeMap::new();
        let mut principles: BTreeMap<Principle, usize> = BTreeMap::new();
        let mut markets: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_rule: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
        let mut langs: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut folders: BTreeMap<String, usize> = BTreeMap::new();
        let mut findings = 0;
        for (path, located) in report.findings() {
            let f = &located.finding;
            findings += 1;
            *severities.entry(f.severity).or_default() += 1;
            *principles.entry(f.principle).or_default() += 1;
            match rules.rule(&f.rule).map(|r| r.markets.as_slice()).filter(|m| !m.is_empty()) {
                Some(list) => list.iter().for_each(|m| *markets.entry(m.as_str().to_owned()).or_default() += 1),
                None => *markets.entry(ALL_MARKETS.to_owned()).or_default() += 1,
            }
            let entry = by_rule.entry(&f.rule).or_insert((f.severity, 0));
            entry.0 = entry.0.max(f.severity);
            entry.1 += 1;
            *langs.entry(f.lang.code()).or_default() += 1;
            *folders.entry(folder_of(path).to_owned()).or_default() += 1;
        }
        let mut principle_list: Vec<(Principle, usize)> =
            [Principle::Relationship, Principle::Opinion, Principle::Identity]
                .into_iter()
                .map(|p| (p, principles.get(&p).copied().unwrap_or(0)))
                .collect();
        if let Some(n) = principles.get(&Principle::Womlint) {
            principle_list.push((Principle::Womlint, *n));
        }
        let mut rule_list: Vec<(String, Severity, usize)> =
            by_rule.into_iter().map(|(id, (severity, n))| (id.to_owned(), severity, n)).collect();
        rule_list.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Totals {
            findings,
            files: report.files.iter().filter(|f| !f.findings.is_empty()).count(),
            severities: severities.into_iter().rev().collect(),
            principles: principle_list,
            markets: most_first(markets),
            rules: rule_list,
            langs: langs.into_iter().collect(),
            folders: most_first(folders),
        }
    }

    /// The count of `severity` (0 when none).
    pub fn of(&self, severity: Severity) -> usize {
        self.severities.iter().find(|(s, _)| *s == severity).map_or(0, |(_, n)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::folder_of;

    #[test]
    fn folders_of_paths() {
        assert_eq!(folder_of("a/b/c.md"), "a/b");
        assert_eq!(folder_of("c.md"), ".");
        assert_eq!(folder_of("/c.md"), "/");
        assert_eq!(folder_of("<stdin>"), ".");
    }
}

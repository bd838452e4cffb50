//! The packs embedded at build time from `rules/`, and the gate clauses and prefilter
//! fragments of their patterns, computed at build time (see `build.rs`).

use super::PackSource;
use super::fragments::Edge;
#[cfg(test)]
use super::fragments::Fragment;

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// Every built-in pack as a source to compile, read from its YAML: errors and examples point at
/// YAML lines.
pub fn builtin_sources() -> Vec<PackSource> {
    sources(false)
}

/// Every built-in pack as a source to compile, read from the JSON it was converted to at build
/// time: about ten times faster than the YAML, for the runs that check copy. Rules and
/// examples then have no YAML line (0).
pub fn builtin_sources_converted() -> Vec<PackSource> {
    sources(true)
}

/// The SHA-256 of a built-in pack's text (`builtin:womma.yaml`), in hexadecimal: computed at
/// build time.
pub fn builtin_digest(source_name: &str) -> Option<&'static str> {
    let name = source_name.strip_prefix("builtin:")?;
    BUILTIN_DIGESTS.iter().find(|(file, _)| *file == name).map(|(_, digest)| *digest)
}

fn sources(converted: bool) -> Vec<PackSource> {
    BUILTIN_PACKS
        .iter()
        .map(|(name, text, json)| PackSource {
            name: format!("builtin:{name}"),
            text: (*text).to_owned(),
            builtin: true,
            converted: json.filter(|_| converted),
        })
        .collect()
}

/// A [`Fragment`] as `build.rs` writes it: its text and what stands before and after it.
pub(crate) type StaticFragment = (&'static str, Edge, Edge);

/// What `build.rs` found out about one built-in pattern.
struct PatternFacts {
    pattern: &'static str,
    /// [`super::fragments::pattern_clauses`].
    clauses: Option<&'static [&'static [StaticFragment]]>,
    /// [`super::fragments::raw_fragments`].
    raw: Option<&'static [&'static str]>,
}

/// The facts of a built-in pattern, or `None` when `pattern` is not one.
fn facts(pattern: &str) -> Option<&'static PatternFacts> {
    let at = BUILTIN_PATTERNS.binary_search_by(|facts| facts.pattern.cmp(pattern)).ok()?;
    BUILTIN_PATTERNS.get(at)
}

/// The gate clauses of a built-in pattern ([`super::fragments::pattern_clauses`], computed by
/// `build.rs`), or `None` when `pattern` is not one of the built-in patterns. The inner
/// `None` is a pattern without a usable clause.
#[cfg(test)]
pub(crate) fn builtin_clauses(pattern: &str) -> Option<Option<Vec<Vec<Fragment>>>> {
    let fragment = |&(text, before, after): &StaticFragment| Fragment { text: text.to_owned(), before, after };
    Some(
        facts(pattern)?
            .clauses
            .map(|clauses| clauses.iter().map(|clause| clause.iter().map(fragment).collect()).collect()),
    )
}

/// The gate clauses of a built-in pattern as `build.rs` wrote them, borrowed: no allocation.
/// `None` when `pattern` is not one of the built-in patterns; the inner `None` is a pattern
/// without a usable clause.
pub(crate) fn builtin_static_clauses(pattern: &str) -> Option<Option<&'static [&'static [StaticFragment]]>> {
    Some(facts(pattern)?.clauses)
}

/// The raw-text prefilter fragments of a built-in pattern ([`super::fragments::raw_fragments`],
/// computed by `build.rs`), or `None` when `pattern` is not one of the built-in patterns.
pub fn builtin_raw_fragments(pattern: &str) -> Option<Option<Vec<String>>> {
    Some(facts(pattern)?.raw.map(|raw| raw.iter().map(|f| (*f).to_owned()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Profile, RuleSet, RuleSetBuilder};

    fn build(sources: Vec<PackSource>) -> RuleSet {
        RuleSetBuilder::with_sources(Profile::Union, sources).build().unwrap()
    }

    /// The rule set as text, without the YAML lines that only the YAML has.
    /// The JSON form leaves the examples out (only the YAML is read where they are used).
    fn described(mut rules: RuleSet) -> String {
        for rule in &mut rules.rules {
            rule.line = 0;
            rule.examples.clear();
        }
        format!("{:?} {:?} {:?} {:?} {:?}", rules.packs, rules.rules, rules.traits, rules.matchers, rules.platforms)
    }

    #[test]
    fn the_converted_packs_build_the_same_rules_as_the_yaml() {
        // That each JSON form reads as a pack is `pack::tests::every_converted_builtin_pack_reads_as_json`.
        let converted = builtin_sources_converted();
        let from_yaml = build(builtin_sources());
        assert!(from_yaml.rules.iter().all(|r| r.line > 0), "the YAML gives every rule its line");
        assert!(from_yaml.rules.iter().all(|r| !r.examples.is_empty()), "the YAML gives every rule its examples");
        let from_json = build(converted);
        assert!(from_json.rules.iter().all(|r| r.examples.is_empty()), "checking copy reads no examples");
        assert_eq!(described(from_json), described(from_yaml));
    }
}

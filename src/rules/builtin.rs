//! The packs embedded at build time from `rules/`, and the gate clauses of their patterns,
//! computed at build time (see `build.rs`).

use super::PackSource;

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// Every built-in pack as a source to compile.
pub fn builtin_sources() -> Vec<PackSource> {
    BUILTIN_PACKS
        .iter()
        .map(|(name, text)| PackSource { name: format!("builtin:{name}"), text: (*text).to_owned(), builtin: true })
        .collect()
}

/// The gate clauses of a built-in pattern ([`super::fragments::pattern_clauses`], computed by
/// `build.rs`), or `None` when `pattern` is not one of the built-in patterns. The inner
/// `None` is a pattern without a usable clause.
pub fn builtin_clauses(pattern: &str) -> Option<Option<Vec<Vec<String>>>> {
    let at = BUILTIN_CLAUSES.binary_search_by(|(p, _)| (*p).cmp(pattern)).ok()?;
    let (_, clauses) = BUILTIN_CLAUSES.get(at)?;
    Some(clauses.map(|clauses| clauses.iter().map(|clause| clause.iter().map(|f| (*f).to_owned()).collect()).collect()))
}

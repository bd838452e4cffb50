//! The packs embedded at build time from `rules/` (see `build.rs`).

use super::PackSource;

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// Every built-in pack as a source to compile.
pub fn builtin_sources() -> Vec<PackSource> {
    BUILTIN_PACKS
        .iter()
        .map(|(name, text)| PackSource { name: format!("builtin:{name}"), text: (*text).to_owned(), builtin: true })
        .collect()
}

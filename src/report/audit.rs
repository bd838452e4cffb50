//! The audit trail of a run: what a reviewer needs to trust a report. womlint's version, the
//! packs that ran (with a digest of each), the jurisdictions, the configuration files used and
//! every waiver that waived something, with its reason.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Waiver;
use crate::rules::Profile;

/// The audit trail of a run (`audit` in the JSON report).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// The version of womlint that made the report.
    pub womlint_version: String,
    /// The market profiles the checked files ran under (`any`, `us`, `uk`, `it`, `eu`,
    /// `strict`), sorted: folders may have configurations of their own.
    pub jurisdictions: Vec<String>,
    /// The configuration files that applied to some checked file, sorted.
    pub config_files: Vec<String>,
    /// The packs loaded, by id.
    pub packs: Vec<PackRecord>,
    /// The waivers that waived something, by path and position.
    pub waivers: Vec<Waiver>,
}

/// A pack a run loaded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PackRecord {
    pub id: String,
    pub title: String,
    /// `built-in`, or the pack file as the run found it.
    pub source: String,
    /// A built-in pack ships inside womlint and carries its version; a pack file has no version
    /// of its own, and its `sha256` tells which text ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// SHA-256 of the pack's text (for a built-in pack, of its file in `crates/womlint_core/rules/`).
    pub sha256: String,
    /// False when configuration switched the pack off for every checked file (its vocabulary
    /// still serves the other packs).
    pub enabled: bool,
}

/// The name of a market profile, as `--jurisdiction` and the configuration spell it (`any`:
/// a label counts if any market accepts it, the default).
pub fn jurisdiction_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Union => "any",
        Profile::Market(market) => market.as_str(),
        Profile::Strict => "strict",
    }
}

/// SHA-256 of `bytes`, in lowercase hexadecimal (what `sha256sum` prints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_digests_are_those_of_the_embedded_texts() {
        for source in crate::rules::builtin_sources() {
            let digest = crate::rules::builtin_digest(&source.name).expect("every built-in pack has a digest");
            assert_eq!(digest, sha256_hex(source.text.as_bytes()), "{}", source.name);
        }
        assert_eq!(crate::rules::builtin_digest("womma.yaml"), None, "only built-in names");
    }

    #[test]
    fn sha256_of_known_texts() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

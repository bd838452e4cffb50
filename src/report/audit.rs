//! The audit trail of a run: what a reviewer needs to trust a report. womlint's version, the
//! packs that ran (with a digest of each), the jurisdictions, the configuration files used and
//! every waiver that waived something, with its reason.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::finding::Finding;
use crate::lint::{Directive, DirectiveKind, UNUSED_WAIVER};
use crate::rules::Profile;
use crate::span::LineIndex;

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
    /// SHA-256 of the pack's text (for a built-in pack, of its file in `rules/`).
    pub sha256: String,
    /// False when configuration switched the pack off for every checked file (its vocabulary
    /// still serves the other packs).
    pub enabled: bool,
}

/// A waiver that waived at least one finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Waiver {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// `disable-next-line`, `disable-line`, `disable` or `disable-file`.
    pub directive: &'static str,
    /// The rule ids or principles it names; empty: every rule.
    pub rules: Vec<String>,
    /// What it says after ` -- `; `null` when it says nothing (a finding of its own).
    pub reason: Option<String>,
}

/// The waivers among `directives` that waived something, given `kept`: the findings
/// [`crate::lint::apply_waivers`] returned for them. A waiver waived something exactly when it is
/// not reported unused: it is no `enable`, it names a rule that is on, and no
/// `womlint/unused-waiver` finding points at it.
pub fn applied_waivers(
    path: &str,
    text: &str,
    lines: &LineIndex,
    directives: &[Directive],
    kept: &[Finding],
    inactive: &dyn Fn(&str) -> bool,
) -> Vec<Waiver> {
    directives
        .iter()
        .filter(|d| {
            let switched_off = !d.rules.is_empty() && d.rules.iter().all(|r| inactive(r));
            let unused = kept.iter().any(|f| *f.rule == *UNUSED_WAIVER.id && f.primary.span == d.span);
            !matches!(d.kind, DirectiveKind::Enable | DirectiveKind::Unreadable) && !switched_off && !unused
        })
        .map(|d| {
            let at = lines.line_column(text, d.span.start);
            Waiver {
                path: path.to_owned(),
                line: at.line,
                column: at.column,
                directive: match d.kind {
                    DirectiveKind::DisableNextLine => "disable-next-line",
                    DirectiveKind::DisableLine => "disable-line",
                    DirectiveKind::DisableFile => "disable-file",
                    DirectiveKind::Disable | DirectiveKind::Enable | DirectiveKind::Unreadable => "disable",
                },
                rules: d.rules.clone(),
                reason: d.reason.clone(),
            }
        })
        .collect()
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
    fn sha256_of_known_texts() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

//! The waivers of a file that waived something: the audit trail lists them with their reasons.

use serde::Serialize;

use crate::finding::Finding;
use crate::lint::{Directive, DirectiveKind, UNUSED_WAIVER};
use crate::span::LineIndex;

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

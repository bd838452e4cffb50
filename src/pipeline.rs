//! One text through the whole pipeline, as `womlint check` runs it on each file: the
//! document, the rules, womlint's own rules about front matter, comments and waivers, the
//! waivers themselves, and the findings located in lines and columns.
//!
//! The command line adds what is about a run (reading files, choosing the settings of each,
//! rendering); the fuzz targets and the fuzz replay test call this directly.

use std::sync::Arc;

use crate::config::Settings;
use crate::document::{Defaults, Document};
use crate::finding::Finding;
use crate::lint::{INVALID_FRONT_MATTER, apply_waivers, lint, parse_directives, unclosed_comments};
use crate::report::FileReport;
use crate::rules::{Principle, RuleSet};

/// What a file's checks need besides its text and the rules.
pub struct CheckOptions<'a> {
    /// Front-matter values the file's overrides give it.
    pub defaults: &'a Defaults,
    /// Severities of womlint's own rules.
    pub settings: &'a Settings,
    /// Whether a rule id is switched off by the settings (its waivers are not "unused").
    pub inactive: &'a dyn Fn(&str) -> bool,
}

/// Checks `text`, named `path`, with `rules`; the gate must be prepared
/// ([`RuleSet::prepare_gate_for`]).
pub fn check_text(path: &str, text: Arc<str>, rules: &RuleSet, options: &CheckOptions<'_>) -> FileReport {
    let doc = Document::parse_with(path, text, options.defaults);
    let findings = findings_of(&doc, rules, options);
    FileReport::new(path, &doc.text, &doc.lines, findings)
}

/// The findings of a parsed document, waived and with womlint's own rules set.
pub fn findings_of(doc: &Document, rules: &RuleSet, options: &CheckOptions<'_>) -> Vec<Finding> {
    let mut findings = lint(doc, rules);
    let front_matter_error = doc.front_matter.as_ref().and_then(|fm| fm.error.clone().map(|e| (fm, e)));
    if let Some((span, error)) = front_matter_error.map(|(fm, e)| (fm.error_span.unwrap_or(fm.span), e)) {
        findings.push(INVALID_FRONT_MATTER.finding(span, doc.lang, Some(error)));
    }
    findings.extend(unclosed_comments(doc));
    let directives = parse_directives(doc);
    apply_waivers(doc, findings, &directives, options.inactive)
        .into_iter()
        .filter(|f| !rules.disabled_meta.iter().any(|id| **id == *f.rule))
        .map(|mut f| {
            if f.principle == Principle::Womlint
                && let Some(severity) = options.settings.meta_severity(&f.rule)
            {
                f.severity = severity;
            }
            f
        })
        .collect()
}

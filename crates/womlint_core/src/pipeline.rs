//! One text through the whole pipeline, as `womlint check` runs it on each file: the
//! document, the rules, womlint's own rules about front matter, comments and waivers, the
//! waivers themselves, and the findings located in lines and columns.
//!
//! The command line adds what is about a run (reading files, choosing the settings of each,
//! rendering); the fuzz targets and the fuzz replay test call this directly.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::Settings;
use crate::document::{Defaults, Document};
use crate::finding::Finding;
use crate::lint::{INVALID_FRONT_MATTER, WaiverRules, apply_waivers, lint, parse_directives, unclosed_comments};
use crate::report::{FileReport, Waiver, applied_waivers};
use crate::rules::{Principle, RuleSet};

/// What a file's checks need besides its text and the rules.
pub struct CheckOptions<'a> {
    /// Front-matter values the file's overrides give it.
    pub defaults: &'a Defaults,
    /// Severities of womlint's own rules.
    pub settings: &'a Settings,
    /// The rule ids the settings switched off (their waivers are not "unused").
    pub inactive: &'a HashSet<String>,
    /// Keep the source lines around each finding (the HTML report).
    pub context: bool,
}

/// Checks `text`, named `path`, with `rules`; the gate must be prepared
/// ([`RuleSet::prepare_gate_for`]).
pub fn check_text(path: &str, text: Arc<str>, rules: &RuleSet, options: &CheckOptions<'_>) -> FileReport {
    let doc = Document::parse_with(path, text, options.defaults);
    let (findings, waivers) = findings_of(&doc, rules, options);
    let mut file = FileReport::new(path, &doc, findings);
    file.waivers = waivers;
    if options.context {
        file.keep_context(&doc.text, doc.lines());
    }
    file
}

/// The findings of a parsed document, waived and with womlint's own rules set, and the
/// waivers that waived something (for the audit trail).
pub fn findings_of(doc: &Document, rules: &RuleSet, options: &CheckOptions<'_>) -> (Vec<Finding>, Vec<Waiver>) {
    let mut findings = lint(doc, rules);
    let front_matter_error = doc.front_matter.as_ref().and_then(|fm| fm.error.clone().map(|e| (fm, e)));
    if let Some((span, error)) = front_matter_error.map(|(fm, e)| (fm.error_span.unwrap_or(fm.span), e)) {
        findings.push(INVALID_FRONT_MATTER.finding(span, doc.lang, Some(error)));
    }
    findings.extend(unclosed_comments(doc));
    let directives = parse_directives(doc);
    let inactive = |rule: &str| options.inactive.contains(rule);
    let ids = if directives.is_empty() {
        Vec::new()
    } else {
        rules.rules.iter().map(|r| &*r.id).chain(options.inactive.iter().map(String::as_str)).collect()
    };
    let kept = apply_waivers(doc, findings, &directives, &WaiverRules { ids, inactive: &inactive });
    let waivers = if directives.is_empty() {
        Vec::new()
    } else {
        applied_waivers(&doc.path, &doc.text, doc.lines(), &directives, &kept, &inactive)
    };
    let findings = kept
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
        .collect();
    (findings, waivers)
}

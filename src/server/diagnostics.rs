//! Findings as LSP diagnostics: the primary span as the range, the other spans as related
//! information, the rule id as the code with a link to its explanation, the severity mapped.
//! Problems in configuration files and packs become diagnostics on those files.

use std::str::FromStr;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Uri,
};

use super::documents::OpenDocument;
use super::position::{Encoding, Lines};
use crate::config::Compiled;
use crate::finding::Finding;
use crate::lint::UNUSED_WAIVER;
use crate::rules::Severity;
use crate::span::{LineIndex, Span};

/// The `source` of every diagnostic womlint publishes.
pub(crate) const SOURCE: &str = "womlint";

pub(crate) fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Where a rule is explained: the first of its references that has a link, as in the SARIF
/// output's `helpUri`. womlint's own rules have none.
pub(crate) fn explanation_url(rule: &str, rules: Option<&Compiled>) -> Option<Uri> {
    let rule = rules?.rules.rule(rule)?;
    let url = rule.references.iter().find_map(|r| r.url.as_deref())?;
    Uri::from_str(url).ok()
}

/// The diagnostic for `finding` in `document`.
pub(crate) fn from_finding(finding: &Finding, document: &OpenDocument, encoding: Encoding) -> Diagnostic {
    let lines = document.lines(encoding);
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location { uri: document.uri.clone(), range: lines.range(label.span) },
            message: if label.text.is_empty() { finding.message.to_string() } else { label.text.to_string() },
        })
        .collect();
    let mut message = finding.message.to_string();
    if !finding.primary.text.is_empty() {
        message = format!("{message}: {}", finding.primary.text);
    }
    if !finding.help.is_empty() {
        message = format!("{message}\n{}", finding.help);
    }
    let rules = document.checked.rules.as_deref();
    Diagnostic {
        range: lines.range(finding.span()),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.to_string())),
        code_description: explanation_url(&finding.rule, rules).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        // A waiver that waives nothing can go: editors fade it out.
        tags: (*finding.rule == *UNUSED_WAIVER.id).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// A problem in a configuration file or a pack, as a diagnostic on that file (`text` is the
/// file's text, `span` where in it the problem is).
pub(crate) fn on_file(
    text: &str,
    span: Option<Span>,
    message: &str,
    help: Option<&str>,
    encoding: Encoding,
) -> Diagnostic {
    let index = LineIndex::counting_bom(text);
    let lines = Lines { text, index: &index, encoding };
    let message = match help {
        Some(help) => format!("{message}\n{help}"),
        None => message.to_owned(),
    };
    Diagnostic {
        range: lines.range(span.unwrap_or_default()),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_owned()),
        message,
        ..Diagnostic::default()
    }
}

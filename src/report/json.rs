//! `--format json`: the stable contract (`version: 1`).

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::{Audit, Located, Report};
use crate::finding::{Fix, Label};
use crate::rules::{Applicability, Principle, Severity};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files_checked: usize,
    diagnostics: Diagnostics<'a>,
    errors: Vec<ErrorEntry>,
    /// An addition to version 1 (readers that do not know it ignore it).
    #[serde(skip_serializing_if = "Option::is_none")]
    audit: Option<&'a Audit>,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    principle: Principle,
    severity: Severity,
    message: &'a str,
    help: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    related: &'a [Label],
    /// An addition to version 1: the repair, when the rule offers one here.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

/// A fix: what it does, whether `--fix` applies it (`safe`) or only `--unsafe-fixes`, and its
/// edits as byte ranges of the file and the text that replaces them.
#[derive(Serialize)]
struct JsonFix<'a> {
    description: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    byte_start: usize,
    byte_end: usize,
    replacement: &'a str,
}

impl<'a> JsonFix<'a> {
    fn new(fix: &'a Fix) -> Self {
        JsonFix {
            description: &fix.description,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit { byte_start: e.span.start, byte_end: e.span.end, replacement: &e.replacement })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ErrorEntry {
    path: String,
    message: String,
}

/// The diagnostics, serialized straight from the report: a run over a large archive never
/// holds a second copy of its findings.
struct Diagnostics<'a>(&'a Report);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.findings().map(|(path, located)| Diagnostic::new(path, located)))
    }
}

impl<'a> Diagnostic<'a> {
    fn new(path: &'a str, l: &'a Located) -> Self {
        Diagnostic {
            path,
            rule: &l.finding.rule,
            principle: l.finding.principle,
            severity: l.finding.severity,
            message: &l.finding.message,
            help: &l.finding.help,
            line: l.start.line,
            column: l.start.column,
            end_line: l.end.line,
            end_column: l.end.column,
            byte_start: l.finding.span().start,
            byte_end: l.finding.span().end,
            suggestion: l.finding.suggestion.as_deref(),
            related: &l.finding.related,
            fix: l.finding.fix.as_ref().map(JsonFix::new),
        }
    }
}

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let errors =
        report.errors.iter().map(|e| ErrorEntry { path: e.path().to_owned(), message: e.to_string() }).collect();
    let output = Output {
        version: 1,
        files_checked: report.files_checked,
        diagnostics: Diagnostics(report),
        errors,
        audit: report.audit.as_ref(),
    };
    super::write_json(out, &output)
}

//! `--format json`: the stable contract (`version: 1`).

use std::io::{self, Write};

use serde::Serialize;

use super::Report;
use crate::finding::Label;
use crate::rules::{Principle, Severity};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files_checked: usize,
    diagnostics: Vec<Diagnostic<'a>>,
    errors: Vec<ErrorEntry>,
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
}

#[derive(Serialize)]
struct ErrorEntry {
    path: String,
    message: String,
}

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = report
        .findings()
        .map(|(path, l)| Diagnostic {
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
        })
        .collect();
    let errors =
        report.errors.iter().map(|e| ErrorEntry { path: e.path().to_owned(), message: e.to_string() }).collect();
    let output = Output { version: 1, files_checked: report.files_checked, diagnostics, errors };
    serde_json::to_writer_pretty(&mut *out, &output).map_err(io::Error::other)?;
    writeln!(out)
}

//! Rendering the findings of a run: human (miette), JSON, compact, GitHub annotations, SARIF,
//! HTML and Markdown.
//!
//! Findings are located (line and column) in the worker that checked the file, so the file's
//! text need not be kept until the end of the run; the human format is rendered there too, and
//! the source lines the HTML report shows are cut out there ([`Context`]).

mod audit;
mod compact;
mod context;
mod excerpt;
mod github;
mod html;
mod human;
mod json;
mod markdown;
mod sarif;
mod totals;

use std::io::{self, Write};

use serde::Serialize;

pub use audit::{Audit, PackRecord, Waiver, applied_waivers, jurisdiction_name, sha256_hex};
pub use context::{Context, ContextLine, Mark, MarkKind};
pub use excerpt::Excerpt;
pub use human::{HumanStyle, render_error, render_findings, yaml_excerpt};

use crate::finding::Finding;
use crate::input::InputError;
use crate::rules::{RuleSet, Severity};
use crate::span::{LineColumn, LineIndex};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report: source excerpt, underlined words, help and references.
    Human,
    /// One JSON object (the stable contract).
    Json,
    /// One line per finding: `path:line:col: severity rule message`.
    Compact,
    /// GitHub Actions workflow commands, shown as annotations on the changed lines.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// One self-contained HTML page with totals, charts, filters and every finding in context.
    Html,
    /// A compact Markdown summary, for pull-request comments and GitHub's job summary.
    Markdown,
}

impl Format {
    /// Whether the report shows the source lines around each finding ([`Context`]).
    pub fn shows_context(self) -> bool {
        self == Format::Html
    }
}

/// A finding with its position as lines and columns.
#[derive(Clone, Debug)]
pub struct Located {
    pub finding: Finding,
    pub start: LineColumn,
    pub end: LineColumn,
    /// The text the primary span covers (for fingerprints).
    pub excerpt: String,
    /// The source lines around the finding, for the formats that show them.
    pub context: Option<Box<Context>>,
}

/// Everything reported about one file.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub path: String,
    pub findings: Vec<Located>,
    /// The human rendering, made while the text was at hand.
    pub rendered: Option<String>,
    /// The waivers of the file that waived something, for the audit trail.
    pub waivers: Vec<Waiver>,
}

impl FileReport {
    /// Locates `findings` in `text`.
    pub fn new(path: &str, text: &str, lines: &LineIndex, findings: Vec<Finding>) -> Self {
        let offsets: Vec<usize> = findings.iter().flat_map(|f| [f.span().start, f.span().end]).collect();
        let mut positions = lines.line_columns(text, &offsets).into_iter();
        let findings = findings
            .into_iter()
            .map(|finding| {
                let span = finding.span();
                let start = positions.next().unwrap_or(LineColumn { line: 1, column: 1 });
                let end = positions.next().unwrap_or(start);
                Located {
                    start,
                    end,
                    excerpt: text.get(span.range()).unwrap_or_default().to_owned(),
                    context: None,
                    finding,
                }
            })
            .collect();
        FileReport { path: path.to_owned(), findings, rendered: None, waivers: Vec::new() }
    }

    /// Keeps the source lines around each finding (see [`Context`]).
    pub fn keep_context(&mut self, text: &str, lines: &LineIndex) {
        for located in &mut self.findings {
            located.context = Some(Box::new(Context::new(&located.finding, text, lines)));
        }
    }
}

/// The whole run.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by path.
    pub files: Vec<FileReport>,
    pub errors: Vec<InputError>,
    pub files_checked: usize,
    /// What a reviewer needs to trust the run; `None` for a report not made by a run.
    pub audit: Option<Audit>,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = (&str, &Located)> {
        self.files.iter().flat_map(|f| f.findings.iter().map(move |l| (f.path.as_str(), l)))
    }

    pub fn count_at_least(&self, severity: Severity) -> usize {
        self.findings().filter(|(_, l)| l.finding.severity >= severity).count()
    }
}

/// Writes `report` in `format`.
pub fn render(format: Format, report: &Report, rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => {
            for file in &report.files {
                if let Some(text) = &file.rendered {
                    out.write_all(text.as_bytes())?;
                }
            }
            Ok(())
        }
        Format::Json => json::render(report, out),
        Format::Compact => compact::render(report, out),
        Format::Github => github::render(report, out),
        Format::Sarif => sarif::render(report, rules, out),
        Format::Html => html::render(report, rules, out),
        Format::Markdown => markdown::render(report, rules, out),
    }
}

/// Writes `value` as pretty JSON and a line break. A failure to write keeps its kind (a
/// closed pipe stays a closed pipe), which the caller tells apart.
pub fn write_json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|err| match err.io_error_kind() {
        Some(kind) => io::Error::new(kind, err),
        None => io::Error::other(err),
    })?;
    writeln!(out)
}

/// Counts per rule, for `--statistics`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub severity: Severity,
    pub count: usize,
}

/// Findings per rule, most frequent first.
pub fn statistics(report: &Report) -> Vec<RuleCount> {
    let mut counts: Vec<RuleCount> = Vec::new();
    for (_, located) in report.findings() {
        match counts.iter_mut().find(|c| *c.rule == *located.finding.rule) {
            Some(count) => count.count += 1,
            None => counts.push(RuleCount {
                rule: located.finding.rule.to_string(),
                severity: located.finding.severity,
                count: 1,
            }),
        }
    }
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    counts
}

//! What the check of one file reports, before any rendering: the findings located in lines
//! and columns ([`FileReport`]), the source lines around each ([`Context`]) and the waivers
//! that waived something ([`Waiver`]). The command line's renderers write these; the check
//! ([`crate::pipeline`]) makes them in the worker that read the file, while its text is at
//! hand.

mod context;
mod waiver;

pub use context::{Context, ContextLine, Mark, MarkKind};
pub use waiver::{Waiver, applied_waivers};

use crate::document::Document;
use crate::finding::Finding;
use crate::span::{LineColumn, LineIndex};

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
    /// Locates `findings` in `doc`'s text (its lines are indexed only if there are some).
    pub fn new(path: &str, doc: &Document, findings: Vec<Finding>) -> Self {
        let text = &*doc.text;
        let offsets: Vec<usize> = findings.iter().flat_map(|f| [f.span().start, f.span().end]).collect();
        let positions = if offsets.is_empty() { Vec::new() } else { doc.lines().line_columns(text, &offsets) };
        let mut positions = positions.into_iter();
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

//! The human format: miette's graphical report, adapted from plain [`Finding`]s at the edge.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};

use super::Located;
use super::excerpt::{Excerpt, ExcerptStyle};
use crate::document::Lang;
use crate::escape;
use crate::finding::{Finding, Label};
use crate::rules::{Applicability, RuleSet, Severity};
use crate::span::{LineIndex, Span};

/// Related labels drawn under a finding, at most; the others are counted in its help (the
/// JSON and SARIF reports list them all). A post with thousands of "also here" places would
/// otherwise draw thousands of excerpts for one finding.
const MAX_RELATED: usize = 8;

/// How the human format looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HumanStyle {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl HumanStyle {
    /// No colour, Unicode box drawing, 80 columns: what tests and snapshots use.
    pub const PLAIN: HumanStyle = HumanStyle { color: false, unicode: true, width: 80 };

    fn handler(self) -> GraphicalReportHandler {
        let theme = match (self.color, self.unicode) {
            (true, true) => GraphicalTheme::unicode(),
            (true, false) => GraphicalTheme::ascii(),
            (false, true) => GraphicalTheme::unicode_nocolor(),
            (false, false) => GraphicalTheme::none(),
        };
        GraphicalReportHandler::new_themed(theme).with_width(self.width).with_links(false)
    }

    /// miette counts the header's column in bytes, and reads it from the excerpt rather than
    /// the file: findings print their own `path:line:col` (in characters) above the report,
    /// and errors name it in the excerpt's name.
    fn excerpt_handler(self) -> GraphicalReportHandler {
        self.handler().without_primary_span_start()
    }
}

/// A finding, with what miette needs to draw it: its labels moved into its excerpt.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    message: String,
    help: String,
    source: Excerpt,
    labels: Vec<(&'a Label, Span)>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic").field("rule", &self.finding.rule).finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.labels.iter().enumerate().map(|(i, (label, span))| {
            let text = label_text(&label.text);
            if i == 0 {
                LabeledSpan::new_primary_with_span(text, source_span(*span))
            } else {
                LabeledSpan::new_with_span(text, source_span(*span))
            }
        });
        Some(Box::new(labels))
    }
}

impl<'a> FindingDiagnostic<'a> {
    /// The finding drawn from an excerpt of `text` (named `name`, escaped already): its primary
    /// label, its notes and up to [`MAX_RELATED`] other places.
    fn new(finding: &'a Finding, name: &str, text: &str, lines: &LineIndex, rules: &RuleSet) -> Self {
        let mut labels = vec![&finding.primary];
        let mut places = 0;
        let mut hidden = 0;
        for label in &finding.related {
            if label.span.is_empty() || places < MAX_RELATED {
                places += usize::from(!label.span.is_empty());
                labels.push(label);
            } else {
                hidden += 1;
            }
        }
        let spans: Vec<Span> = labels.iter().map(|l| l.span).collect();
        let (source, moved) = Excerpt::new(name.to_owned(), text, lines, &spans, ExcerptStyle::FINDING);
        let mut help = help_text(finding, rules);
        if hidden > 0 {
            let line = match finding.lang {
                Lang::En => format!("{hidden} more places are not shown here (--format json lists them)"),
                Lang::It => format!("altri {hidden} punti non sono mostrati qui (--format json li elenca)"),
            };
            push_line(&mut help, &line);
        }
        FindingDiagnostic {
            finding,
            message: escape::text_keeping(&finding.message, &['\n']).into_owned(),
            help: escape::text_keeping(&help, &['\n']).into_owned(),
            source,
            labels: labels.into_iter().zip(moved).collect(),
        }
    }
}

fn label_text(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| escape::text(text).into_owned())
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::from(span.start..span.end)
}

/// The help shown under a finding: the fix, the suggestion and the references.
fn help_text(finding: &Finding, rules: &RuleSet) -> String {
    let mut help = finding.help.to_string();
    if let Some(suggestion) = &finding.suggestion {
        let line = match finding.lang {
            Lang::En => format!("suggested label: {suggestion}"),
            Lang::It => format!("dicitura suggerita: {suggestion}"),
        };
        push_line(&mut help, &line);
    }
    if let Some(fix) = &finding.fix {
        let line = match (finding.lang, fix.applicability) {
            (Lang::En, Applicability::Safe) => format!("fix: {} (`womlint check --fix`)", fix.description),
            (Lang::En, Applicability::Unsafe) => {
                format!("fix, to review: {} (`womlint check --unsafe-fixes`)", fix.description)
            }
            (Lang::It, Applicability::Safe) => "correzione automatica: `womlint check --fix`".to_owned(),
            (Lang::It, Applicability::Unsafe) => "correzione da verificare: `womlint check --unsafe-fixes`".to_owned(),
        };
        push_line(&mut help, &line);
    }
    if let Some(rule) = rules.rule(&finding.rule)
        && !rule.references.is_empty()
    {
        let cites = rule.references.iter().map(|r| r.cite.as_str()).collect::<Vec<_>>().join("; ");
        let head = if finding.lang == Lang::It { "riferimenti" } else { "references" };
        push_line(&mut help, &format!("{head}: {cites}"));
    }
    help
}

fn push_line(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// Renders the findings of one file. Each finding is drawn from an excerpt of the lines it
/// points at, found through a line index of the text: the time is linear in the findings and
/// the size of the file, whatever its line lengths.
pub fn render_findings(
    path: &str,
    text: &Arc<str>,
    findings: &[Located],
    rules: &RuleSet,
    style: HumanStyle,
) -> String {
    let handler = style.excerpt_handler();
    let lines = LineIndex::new(text);
    let name = escape::path(path);
    let mut out = String::new();
    for located in findings {
        let diagnostic = FindingDiagnostic::new(&located.finding, &name, text, &lines, rules);
        let header = format!(
            "{name}:{}:{}: {} {}",
            located.start.line,
            located.start.column,
            located.finding.severity,
            escape::text(&located.finding.rule)
        );
        if style.color {
            out.push_str(&format!("\u{1b}[1m{header}\u{1b}[0m\n"));
        } else {
            out.push_str(&header);
            out.push('\n');
        }
        if handler.render_report(&mut out, &diagnostic).is_err() {
            out.push_str(&format!("  {}\n", diagnostic.message));
        }
        out.push('\n');
    }
    out
}

/// Renders any diagnostic (a pack or configuration error) in the same style. Its source is
/// expected to be an excerpt (see [`yaml_excerpt`]), whose name carries the location.
pub fn render_error(diagnostic: &dyn Diagnostic, style: HumanStyle) -> String {
    let mut out = String::new();
    if style.excerpt_handler().render_report(&mut out, diagnostic).is_err() {
        out = diagnostic.to_string();
    }
    out
}

/// The excerpt an error in a YAML file shows: one short line around `span` (see
/// [`ExcerptStyle::YAML`]), named `path:line:column`, and `span` moved into it.
pub fn yaml_excerpt(path: &str, text: &str, span: Span) -> (Excerpt, SourceSpan) {
    let lines = LineIndex::new(text);
    let at = lines.line_column(text, span.start);
    let name = format!("{}:{}:{}", escape::path(path), at.line, at.column);
    let (excerpt, moved) = Excerpt::new(name, text, &lines, &[span], ExcerptStyle::YAML);
    let moved = moved.first().copied().unwrap_or_default();
    (excerpt, source_span(moved))
}

//! The human format: miette's graphical report, adapted from plain [`Finding`]s at the edge.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan};

use super::Located;
use crate::document::Lang;
use crate::finding::Finding;
use crate::rules::{Applicability, RuleSet, Severity};
use crate::span::Span;

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

    /// miette counts the header's column in bytes; findings print their own `path:line:col`
    /// (in characters) above the report instead.
    fn finding_handler(self) -> GraphicalReportHandler {
        self.handler().without_primary_span_start()
    }
}

/// A finding, with what miette needs to draw it.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    help: String,
    source: NamedSource<Arc<str>>,
    location: String,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic").field("rule", &self.finding.rule).finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
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
        let primary = &self.finding.primary;
        let first = LabeledSpan::new_primary_with_span(label_text(&primary.text), source_span(primary.span));
        let rest =
            self.finding.related.iter().map(|l| LabeledSpan::new_with_span(label_text(&l.text), source_span(l.span)));
        Some(Box::new(std::iter::once(first).chain(rest)))
    }
}

fn label_text(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
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

/// Renders the findings of one file.
pub fn render_findings(
    path: &str,
    text: &Arc<str>,
    findings: &[Located],
    rules: &RuleSet,
    style: HumanStyle,
) -> String {
    let handler = style.finding_handler();
    let mut out = String::new();
    for located in findings {
        let diagnostic = FindingDiagnostic {
            finding: &located.finding,
            help: help_text(&located.finding, rules),
            source: NamedSource::new(path, Arc::clone(text)),
            location: format!("{path}:{}:{}", located.start.line, located.start.column),
        };
        let header = format!("{}: {} {}", diagnostic.location, located.finding.severity, located.finding.rule);
        if style.color {
            out.push_str(&format!("\u{1b}[1m{header}\u{1b}[0m\n"));
        } else {
            out.push_str(&header);
            out.push('\n');
        }
        if handler.render_report(&mut out, &diagnostic).is_err() {
            out.push_str(&format!("  {}\n", located.finding.message));
        }
        out.push('\n');
    }
    out
}

/// Renders any diagnostic (a pack or configuration error) in the same style.
pub fn render_error(diagnostic: &dyn Diagnostic, style: HumanStyle) -> String {
    let mut out = String::new();
    if style.handler().render_report(&mut out, diagnostic).is_err() {
        out = diagnostic.to_string();
    }
    out
}

//! The source lines around a finding, with its places marked: what the HTML report shows under
//! each finding. They are cut out in the worker that checked the file, while its text is at
//! hand, so a run over an archive keeps a few lines per finding, not the files.

use std::collections::BTreeSet;

use crate::finding::Finding;
use crate::span::{LineIndex, Span};

/// A line longer than this many characters is cut to windows around its marks.
const LONG_LINE: usize = 200;
/// Characters kept on each side of a mark in a long line.
const AROUND: usize = 60;
/// Characters of one mark kept in a long line, at most.
const LONGEST_MARK: usize = 400;
/// Lines of one span shown, at most: the first and last lines of a longer one.
const SPAN_LINES: usize = 6;
/// Lines of one finding shown, at most; places beyond are left out.
const MAX_LINES: usize = 40;

/// The lines around a finding, in order. Line numbers that do not follow each other mark a
/// gap; a long line may appear as several windows, each cut before or after.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub lines: Vec<ContextLine>,
}

/// One line, or one window of a long line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextLine {
    /// 1-based.
    pub number: usize,
    /// The text, without its line break.
    pub text: String,
    /// Whether the line goes on before `text`.
    pub cut_before: bool,
    /// Whether the line goes on after `text`.
    pub cut_after: bool,
    /// Byte ranges of `text`, sorted by start; an empty one is a point (where a label belongs).
    pub marks: Vec<Mark>,
}

/// A marked range of a [`ContextLine`]'s text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub kind: MarkKind,
}

/// What a mark points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// The words the finding is about.
    Primary,
    /// The finding's related label with this index.
    Related(usize),
    /// Where the suggested label belongs.
    Fix,
}

impl Context {
    /// The lines of `text` that hold the places of `finding`.
    pub fn new(finding: &Finding, text: &str, lines: &LineIndex) -> Self {
        let mut places = vec![(finding.primary.span, MarkKind::Primary)];
        places.extend(finding.related.iter().enumerate().map(|(i, l)| (l.span, MarkKind::Related(i))));
        if finding.suggestion.is_some()
            && let Some(at) = finding.fix_at
        {
            places.push((at, MarkKind::Fix));
        }
        let places: Vec<(Span, MarkKind)> = places.into_iter().map(|(span, kind)| (span.snap_to(text), kind)).collect();

        let mut numbers = BTreeSet::new();
        for (span, _) in &places {
            let first = lines.line_of(span.start);
            let last = if span.is_empty() { first } else { lines.line_of(span.end - 1).max(first) };
            let mut wanted: Vec<usize> = if last - first < SPAN_LINES {
                (first..=last).collect()
            } else {
                (first..first + SPAN_LINES / 2).chain(last + 1 - SPAN_LINES / 2..=last).collect()
            };
            wanted.retain(|n| !numbers.contains(n));
            if numbers.len() + wanted.len() > MAX_LINES {
                break;
            }
            numbers.extend(wanted);
        }

        let mut out = Vec::new();
        for number in numbers {
            let Some(start) = lines.line_start(number) else { continue };
            let end = lines.line_start(number + 1).unwrap_or(text.len()).max(start);
            let Some(line) = text.get(start..end) else { continue };
            let line = line.trim_end_matches(['\n', '\r']);
            let line_span = Span::new(start, start + line.len());
            let marks: Vec<Mark> = places
                .iter()
                .filter_map(|(span, kind)| {
                    let point = span.is_empty() && line_span.start <= span.start && span.start <= line_span.end;
                    let overlaps = span.start < line_span.end && line_span.start < span.end;
                    (point || overlaps).then(|| Mark {
                        start: span.start.max(line_span.start) - start,
                        end: span.end.min(line_span.end).max(span.start.max(line_span.start)) - start,
                        kind: *kind,
                    })
                })
                .collect();
            out.extend(windows(number, line, marks));
        }
        Context { lines: out }
    }
}

/// `line` whole, or cut to windows around its marks when it is long.
fn windows(number: usize, line: &str, mut marks: Vec<Mark>) -> Vec<ContextLine> {
    marks.sort_by_key(|m| (m.start, m.end, m.kind));
    if line.chars().count() <= LONG_LINE || marks.is_empty() {
        let text = if marks.is_empty() { cut_at(line, LONG_LINE) } else { line };
        let cut_after = text.len() < line.len();
        return vec![ContextLine { number, text: text.to_owned(), cut_before: false, cut_after, marks }];
    }
    // Windows in byte offsets of `line`, merged when they touch.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for mark in &marks {
        let end = mark.start + cut_at(line.get(mark.start..).unwrap_or_default(), LONGEST_MARK).len();
        let from = back(line, mark.start, AROUND);
        let to = forward(line, mark.end.min(end), AROUND);
        match ranges.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => ranges.push((from, to)),
        }
    }
    ranges
        .into_iter()
        .map(|(from, to)| ContextLine {
            number,
            text: line.get(from..to).unwrap_or_default().to_owned(),
            cut_before: from > 0,
            cut_after: to < line.len(),
            marks: marks
                .iter()
                .filter(|m| from <= m.start && m.start <= to && (m.start < to || m.start == m.end))
                .map(|m| Mark { start: m.start - from, end: m.end.min(to) - from, kind: m.kind })
                .collect(),
        })
        .collect()
}

/// The first `chars` characters of `text`.
fn cut_at(text: &str, chars: usize) -> &str {
    text.char_indices().nth(chars).map_or(text, |(at, _)| text.get(..at).unwrap_or(text))
}

/// The byte offset `chars` characters before `at`, or 0.
fn back(text: &str, at: usize, chars: usize) -> usize {
    text.get(..at).and_then(|before| before.char_indices().rev().nth(chars.saturating_sub(1))).map_or(0, |(i, _)| i)
}

/// The byte offset `chars` characters after `at`, or the end.
fn forward(text: &str, at: usize, chars: usize) -> usize {
    text.get(at..).map_or(text.len(), |after| at + cut_at(after, chars).len())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::sync::Arc;

    use super::*;
    use crate::document::Lang;
    use crate::finding::Label;
    use crate::rules::{Principle, Severity};

    fn finding(primary: Span, related: Vec<Span>, fix_at: Option<Span>) -> Finding {
        Finding {
            rule: Arc::from("relationship/x"),
            principle: Principle::Relationship,
            severity: Severity::Error,
            message: Arc::from("m"),
            help: Arc::from("h"),
            primary: Label { span: primary, text: Cow::Borrowed("here") },
            related: related.into_iter().map(|span| Label { span, text: Cow::Borrowed("also") }).collect(),
            suggestion: Some(Arc::from("#ad")),
            fix_at,
            fix: None,
            lang: Lang::En,
        }
    }

    fn context(text: &str, f: &Finding) -> Context {
        Context::new(f, text, &LineIndex::new(text))
    }

    #[test]
    fn lines_of_every_place_with_their_marks() {
        let text = "Title\r\n\r\nGlowco sent me this.\r\nMore.\r\nEnd #ad\r\n";
        let sent = text.find("sent").unwrap();
        let ad = text.find("#ad").unwrap();
        let start = text.find("Glowco").unwrap();
        let c = context(
            text,
            &finding(Span::new(sent, sent + 4), vec![Span::new(ad, ad + 3)], Some(Span::new(start, start))),
        );
        let numbers: Vec<usize> = c.lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [3, 5]);
        assert_eq!(c.lines[0].text, "Glowco sent me this.");
        assert_eq!(
            c.lines[0].marks,
            [Mark { start: 0, end: 0, kind: MarkKind::Fix }, Mark { start: 7, end: 11, kind: MarkKind::Primary }]
        );
        assert_eq!(c.lines[1].text, "End #ad");
        assert_eq!(c.lines[1].marks, [Mark { start: 4, end: 7, kind: MarkKind::Related(0) }]);
    }

    #[test]
    fn long_lines_are_cut_around_their_marks_on_char_boundaries() {
        let text = format!("{}gifted{}è#ad{}", "è".repeat(300), "à".repeat(300), "ò".repeat(300));
        let gifted = text.find("gifted").unwrap();
        let ad = text.find("#ad").unwrap();
        let c = context(&text, &finding(Span::new(gifted, gifted + 6), vec![Span::new(ad, ad + 3)], None));
        assert_eq!(c.lines.len(), 2, "{c:?}");
        for line in &c.lines {
            assert!(line.cut_before && line.cut_after);
            assert_eq!(
                line.text.chars().count(),
                60 + 60 + if line.marks[0].kind == MarkKind::Primary { 6 } else { 3 }
            );
            let mark = line.marks[0];
            let marked = &line.text[mark.start..mark.end];
            assert!(marked == "gifted" || marked == "#ad", "{marked}");
        }
    }

    #[test]
    fn a_span_over_many_lines_shows_its_ends() {
        let text: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let c = context(&text, &finding(Span::new(0, text.len() - 1), vec![], None));
        let numbers: Vec<usize> = c.lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 2, 3, 18, 19, 20]);
        assert!(c.lines.iter().all(|l| l.marks.len() == 1 && l.marks[0].end == l.text.len()));
    }
}

//! What miette draws of a source: the few lines around some spans, never the whole file.
//!
//! Given the whole text, miette scans it from the first byte to find the lines of every label
//! (quadratic in the findings of a file), draws a long line whole (an 8 MB one-line export,
//! once per finding) and panics when a label sits past column 65,535. An [`Excerpt`] holds
//! only the lines each span needs, found through the file's [`LineIndex`]; a line longer than
//! [`ExcerptStyle::long_line`] bytes keeps only a window around each span edge, the cuts shown
//! as `…`; control characters and bidirectional controls are shown escaped
//! ([`crate::escape`]). The spans are moved into the excerpt, and miette reads it through
//! [`SourceCode`], which gives every line its number in the file.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::span::{LineIndex, Span};

/// How much of the source an excerpt keeps.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExcerptStyle {
    /// Lines shown before and after each span (miette's context lines).
    pub context: usize,
    /// A line longer than this many bytes is cut to windows around the span edges on it.
    pub long_line: usize,
    /// Characters kept on each side of a span edge on a long line.
    pub window: usize,
    /// A span over more lines than this is cut to its first lines.
    pub max_span_lines: usize,
    /// A span longer than this many characters is cut (`usize::MAX`: no cut).
    pub max_span_chars: usize,
}

impl ExcerptStyle {
    /// For findings: one line of context, long lines cut to 60 characters around each edge.
    pub const FINDING: ExcerptStyle =
        ExcerptStyle { context: 1, long_line: 1000, window: 60, max_span_lines: 12, max_span_chars: usize::MAX };

    /// For errors in a YAML file: one short line, never more (the file may not be what it was
    /// said to be).
    pub const YAML: ExcerptStyle =
        ExcerptStyle { context: 0, long_line: 100, window: 30, max_span_lines: 1, max_span_chars: 30 };
}

/// A run of whole lines of the source, as they appear in the excerpt.
#[derive(Clone, Copy, Debug)]
struct Chunk {
    /// Byte range in [`Excerpt::text`].
    start: usize,
    end: usize,
    /// The 0-based line number in the source of its first line.
    first_line: usize,
}

/// The lines around some spans of a source, for miette.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    chunks: Vec<Chunk>,
}

impl Excerpt {
    /// The excerpt of `text` (whose line index is `lines`) around `spans`, named `name` (shown
    /// as it is: escape it first), and `spans` moved into it, in the same order.
    pub(crate) fn new(
        name: String,
        text: &str,
        lines: &LineIndex,
        spans: &[Span],
        style: ExcerptStyle,
    ) -> (Self, Vec<Span>) {
        let spans: Vec<Span> = spans.iter().map(|s| cut_span(s.snap_to(text), text, lines, style)).collect();
        // The empty line after a final line break is shown only when a span is on it.
        let count = lines.line_count();
        let last_line = if count > 1 && lines.line_start(count) == Some(text.len()) { count - 1 } else { count };
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let (first, last) = (lines.line_of(s.start), lines.line_of(s.end.saturating_sub(1).max(s.start)));
                (first.saturating_sub(style.context).max(1), (last + style.context).min(last_line.max(last)))
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (first, last) in ranges {
            match merged.last_mut() {
                Some(previous) if first <= previous.1 + 1 => previous.1 = previous.1.max(last),
                _ => merged.push((first, last)),
            }
        }
        let mut points: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
        points.sort_unstable();
        points.dedup();
        let mut builder = Builder { text, lines, style, out: String::new(), points: &points, next: 0, map: Vec::new() };
        let mut chunks = Vec::with_capacity(merged.len());
        for (first, last) in merged {
            let start = builder.out.len();
            for line in first..=last {
                builder.line(line, line == last);
            }
            chunks.push(Chunk { start, end: builder.out.len(), first_line: first - 1 });
        }
        let Builder { out, map, .. } = builder;
        let place = |point: usize| {
            let i = map.partition_point(|&(source, _)| source < point);
            map.get(i).map_or(out.len(), |&(_, at)| at)
        };
        let moved = spans.iter().map(|s| Span::new(place(s.start), place(s.end))).collect();
        (Excerpt { name, text: out, chunks }, moved)
    }
}

/// A span cut to the lines and characters `style` allows.
fn cut_span(span: Span, text: &str, lines: &LineIndex, style: ExcerptStyle) -> Span {
    let first = lines.line_of(span.start);
    let last = lines.line_of(span.end.saturating_sub(1).max(span.start));
    let mut end = span.end;
    if last - first >= style.max_span_lines {
        end = end.min(content_end(text, lines, first + style.max_span_lines - 1));
    }
    if style.max_span_chars != usize::MAX {
        let rest = text.get(span.start..end).unwrap_or_default();
        if let Some((at, _)) = rest.char_indices().nth(style.max_span_chars) {
            end = span.start + at;
        }
    }
    Span::new(span.start, end)
}

/// The byte where the text of 1-based `line` ends (before its line break).
fn content_end(text: &str, lines: &LineIndex, line: usize) -> usize {
    let next = lines.line_start(line + 1).unwrap_or(text.len());
    let start = lines.line_start(line).unwrap_or(0).min(next);
    let line_text = text.get(start..next).unwrap_or_default();
    start + line_text.trim_end_matches('\n').trim_end_matches('\r').len()
}

/// Writes the excerpt line by line and records where each span edge lands.
struct Builder<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    style: ExcerptStyle,
    out: String,
    /// Span edges, sorted: source offsets.
    points: &'a [usize],
    /// The first point not placed yet.
    next: usize,
    /// Source offset to excerpt offset, for every point, in order.
    map: Vec<(usize, usize)>,
}

impl Builder<'_> {
    /// Writes 1-based `line`, ending it with `\n`; `last` when it ends its chunk.
    fn line(&mut self, line: usize, last: bool) {
        let start = self.lines.line_start(line).unwrap_or(self.text.len());
        let next = self.lines.line_start(line + 1).unwrap_or(self.text.len());
        let end = content_end(self.text, self.lines, line).max(start);
        // Points before this line were placed with an earlier one (or belong to no line).
        self.place_before(start, self.out.len());
        if end - start <= self.style.long_line {
            self.segment(start, end);
        } else {
            let windows = self.windows(start, end);
            let mut at = start;
            for (from, to) in windows {
                if from > at {
                    self.out.push('…');
                }
                self.segment(from, to);
                at = to;
            }
            if at < end {
                self.out.push('…');
            }
        }
        // Points inside the line break: at the end of the line's text.
        self.place_before(next, self.out.len());
        self.out.push('\n');
        if last {
            // A span ending at the next line's start, which the excerpt does not show.
            self.place_before(next + 1, self.out.len());
        }
    }

    /// Places every point before `offset` at `at`.
    fn place_before(&mut self, offset: usize, at: usize) {
        while let Some(&point) = self.points.get(self.next).filter(|&&p| p < offset) {
            self.map.push((point, at));
            self.next += 1;
        }
    }

    /// The windows kept of a long line (`start..end`, its text): around each span edge on it,
    /// merged where they meet; the line's start when no edge is on it.
    fn windows(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let line = self.text.get(start..end).unwrap_or_default();
        let reach = self.style.window;
        let from = self.points.partition_point(|&p| p < start);
        let upto = self.points.partition_point(|&p| p <= end);
        let mut windows: Vec<(usize, usize)> = Vec::new();
        for &point in self.points.get(from..upto).unwrap_or_default() {
            let local = point - start;
            let before = line.get(..local).unwrap_or_default();
            let left = before.char_indices().rev().nth(reach.saturating_sub(1)).map_or(0, |(i, _)| i);
            let after = line.get(local..).unwrap_or_default();
            let right = after.char_indices().nth(reach).map_or(line.len(), |(i, _)| local + i);
            match windows.last_mut() {
                Some(previous) if start + left <= previous.1 => previous.1 = previous.1.max(start + right),
                _ => windows.push((start + left, start + right)),
            }
        }
        if windows.is_empty() {
            let right = line.char_indices().nth(2 * reach).map_or(line.len(), |(i, _)| i);
            windows.push((start, start + right));
        }
        windows
    }

    /// Writes `from..to` of the source, escaped, placing the points in it.
    fn segment(&mut self, from: usize, to: usize) {
        let piece = self.text.get(from..to).unwrap_or_default();
        for (i, c) in piece.char_indices() {
            let at = self.out.len();
            self.place_before(from + i + 1, at);
            if crate::escape::needs_escape(c) && c != '\t' {
                crate::escape::push_escaped(&mut self.out, c);
            } else {
                self.out.push(c);
            }
        }
        let at = self.out.len();
        self.place_before(to + 1, at);
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let index = self.chunks.partition_point(|c| c.start <= span.offset()).checked_sub(1);
        let chunk = index.and_then(|i| self.chunks.get(i)).ok_or(MietteError::OutOfBounds)?;
        if span.offset() + span.len() > chunk.end {
            return Err(MietteError::OutOfBounds);
        }
        let text = self.text.get(chunk.start..chunk.end).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((span.offset() - chunk.start).into(), span.len());
        let contents = text.read_span(&local, context_lines_before, context_lines_after)?;
        let data: &'a [u8] = contents.data();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new((contents.span().offset() + chunk.start).into(), contents.span().len()),
            contents.line() + chunk.first_line,
            contents.column(),
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(text: &str, spans: &[Span], style: ExcerptStyle) -> (Excerpt, Vec<Span>) {
        Excerpt::new("t.md".to_owned(), text, &LineIndex::new(text), spans, style)
    }

    #[test]
    fn keeps_the_lines_around_each_span_and_their_numbers() {
        let text = "one\ntwo\nthree #ad\nfour\nfive\nsix\nseven\neight @brand\nnine\n";
        let ad = text.find("#ad").unwrap();
        let brand = text.find("@brand").unwrap();
        let (ex, moved) = excerpt(text, &[Span::new(ad, ad + 3), Span::new(brand, brand + 6)], ExcerptStyle::FINDING);
        assert_eq!(ex.text, "two\nthree #ad\nfour\nseven\neight @brand\nnine\n");
        assert_eq!(&ex.text[moved[0].range()], "#ad");
        assert_eq!(&ex.text[moved[1].range()], "@brand");
        let contents = ex.read_span(&SourceSpan::new(moved[1].start.into(), 6), 1, 1).unwrap();
        assert_eq!(contents.line(), 6, "0-based line of `seven` in the file");
        assert_eq!(std::str::from_utf8(contents.data()).unwrap(), "seven\neight @brand\nnine\n");
    }

    #[test]
    fn long_lines_keep_windows_and_escape_controls() {
        let text = format!("{}\u{1b}[2J @glowco sent me this{}\n", "a".repeat(70_000), "b".repeat(5_000));
        let at = text.find("@glowco").unwrap();
        let (ex, moved) = excerpt(&text, &[Span::new(at, at + 15)], ExcerptStyle::FINDING);
        assert!(ex.text.len() < 300, "{}", ex.text.len());
        assert_eq!(&ex.text[moved[0].range()], "@glowco sent me");
        let first = ex.text.lines().next().unwrap_or_default();
        assert!(first.starts_with('…') && first.ends_with('…'), "{}", ex.text);
        assert!(ex.text.contains("\\u{1b}[2J") && !ex.text.contains('\u{1b}'));
    }

    #[test]
    fn yaml_errors_show_one_short_line() {
        let text = format!("rules: {{{}x: loud}}\nsecret: value\n", " ".repeat(70_000));
        let at = text.find("x: loud").unwrap();
        let (ex, moved) = excerpt(&text, &[Span::new(at, text.len())], ExcerptStyle::YAML);
        assert_eq!(ex.text.lines().count(), 1, "{}", ex.text);
        assert!(ex.text.chars().count() < 100, "{}", ex.text);
        assert!(!ex.text.contains("secret"));
        assert_eq!(&ex.text[moved[0].range()], "x: loud}");
    }

    #[test]
    fn spans_at_line_ends_and_crlf() {
        let text = "a\r\nbb\r\n";
        let (ex, moved) = excerpt(text, &[Span::new(3, 7), Span::new(8, 8)], ExcerptStyle::FINDING);
        assert_eq!(ex.text, "a\nbb\n\n", "the empty last line holds a span");
        assert_eq!(moved[0], Span::new(2, 5));
        assert_eq!(moved[1].start, ex.text.len() - 1);
    }
}

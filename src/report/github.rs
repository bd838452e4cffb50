//! `--format github`: workflow commands that GitHub shows as annotations on the changed lines.

use std::io::{self, Write};

use super::Report;
use crate::rules::Severity;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (path, l) in report.findings() {
        let f = &l.finding;
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!("file={},line={}", property(path), l.start.line);
        // Columns only make sense on a single line; GitHub misplaces multi-line ranges.
        if l.start.line == l.end.line {
            properties.push_str(&format!(",col={},endColumn={}", l.start.column, l.end.column));
        } else {
            properties.push_str(&format!(",endLine={}", l.end.line));
        }
        properties.push_str(&format!(",title={}", property(&format!("womlint {}", f.rule))));
        let mut message = f.message.to_string();
        if !f.help.is_empty() {
            message.push('\n');
            message.push_str(&f.help);
        }
        writeln!(out, "::{level} {properties}::{}", data(&message))?;
    }
    Ok(())
}

/// Escapes a message (the part after `::`): GitHub's own escapes for `%`, CR and LF, and the
/// other control and bidirectional characters as [`crate::escape`] shows them.
fn data(text: &str) -> String {
    let text = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    crate::escape::text(&text).into_owned()
}

/// Escapes a property value, which also may not hold `:` or `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(data("50% off\nnow"), "50%25 off%0Anow");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(property("x\n::add-mask::y\u{1b}.md"), "x%0A%3A%3Aadd-mask%3A%3Ay\\u{1b}.md");
    }
}

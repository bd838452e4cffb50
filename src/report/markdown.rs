//! `--format markdown`: a compact summary for a pull-request comment or GitHub's job summary.
//!
//! GitHub Flavored Markdown renders HTML and turns `@name` into a notification, so every text
//! from a draft, a path or a pack is escaped: words and paths go in code spans, prose has its
//! markup characters escaped and its `@` and `#123` broken with a zero-width space.

use std::io::{self, Write};

use super::totals::{Totals, plural};
use super::{Audit, Report};
use crate::rules::RuleSet;

/// Findings listed one by one, at most; a pull-request comment holds 65,536 characters.
const LISTED: usize = 50;
/// Waivers listed one by one, at most.
const WAIVERS_LISTED: usize = 50;
/// Characters of the flagged words shown.
const WORDS: usize = 60;

/// Prose for a table cell or a list item: markup characters escaped, no mention or issue link.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            '@' => out.push_str("@&#8203;"),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
        if c == '#' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push_str("&#8203;");
        }
    }
    out
}

/// Words in a code span: shown as they are, whatever they hold (a table cell's `|` is escaped,
/// which GitHub removes again inside code spans).
fn code(s: &str) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') || flat.starts_with(' ') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", flat.replace('|', "\\|"))
}

fn cut(s: &str, chars: usize) -> String {
    match s.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", s.get(..at).unwrap_or(s)),
        None => s.to_owned(),
    }
}

pub(super) fn render(report: &Report, rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    let totals = Totals::new(report, rules);
    if totals.findings == 0 {
        writeln!(out, "## womlint: no findings in {}\n", plural(report.files_checked, "file", "files"))?;
    } else {
        writeln!(
            out,
            "## womlint: {} in {} of {} checked\n",
            plural(totals.findings, "finding", "findings"),
            totals.files,
            plural(report.files_checked, "file", "files")
        )?;
        let principles = &totals.principles;
        let header: Vec<&str> =
            ["errors", "warnings", "info"].into_iter().chain(principles.iter().map(|(p, _)| p.as_str())).collect();
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "|{}", "---:|".repeat(header.len()))?;
        let counts: Vec<String> = [
            totals.of(crate::rules::Severity::Error),
            totals.of(crate::rules::Severity::Warning),
            totals.of(crate::rules::Severity::Info),
        ]
        .into_iter()
        .chain(principles.iter().map(|(_, n)| *n))
        .map(|n| n.to_string())
        .collect();
        writeln!(out, "| {} |\n", counts.join(" | "))?;
        writeln!(out, "| severity | where | rule | message | words |\n|---|---|---|---|---|")?;
        for (path, l) in report.findings().take(LISTED) {
            let f = &l.finding;
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                f.severity.as_str(),
                code(&format!("{path}:{}:{}", l.start.line, l.start.column)),
                code(&f.rule),
                text(&f.message),
                if l.excerpt.trim().is_empty() { String::new() } else { code(&cut(l.excerpt.trim(), WORDS)) }
            )?;
        }
        if totals.findings > LISTED {
            writeln!(
                out,
                "\n…and {} more. `womlint check --format html --output report.html` makes a page with every finding and filters.",
                plural(totals.findings - LISTED, "finding", "findings")
            )?;
        }
        writeln!(out, "\n<details><summary>Per rule and market</summary>\n")?;
        writeln!(out, "| rule | severity | findings |\n|---|---|---:|")?;
        for (rule, severity, n) in &totals.rules {
            writeln!(out, "| {} | {} | {n} |", code(rule), severity.as_str())?;
        }
        writeln!(out, "\n| market | findings |\n|---|---:|")?;
        for (market, n) in &totals.markets {
            writeln!(out, "| {} | {n} |", text(market))?;
        }
        writeln!(out, "\n</details>")?;
    }
    if !report.errors.is_empty() {
        writeln!(out, "\n**{} could not be checked:**\n", plural(report.errors.len(), "file", "files"))?;
        for error in &report.errors {
            writeln!(out, "- {}", text(&error.to_string()))?;
        }
    }
    if let Some(audit) = &report.audit {
        run(out, audit)?;
    }
    Ok(())
}

fn run(out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
    writeln!(out, "\n<details><summary>About this run</summary>\n")?;
    writeln!(
        out,
        "- womlint {}, jurisdiction {}",
        text(&audit.womlint_version),
        text(&audit.jurisdictions.join(", "))
    )?;
    let configs: Vec<String> = audit.config_files.iter().map(|c| code(c)).collect();
    writeln!(out, "- configuration: {}", if configs.is_empty() { "none".to_owned() } else { configs.join(", ") })?;
    let packs: Vec<String> = audit
        .packs
        .iter()
        .map(|p| {
            let version = p.version.as_deref().map(|v| format!(" {}", text(v))).unwrap_or_default();
            let off = if p.enabled { "" } else { ", off" };
            format!("{}{version} ({}, sha256 {}{off})", code(&p.id), text(&p.source), code(&cut(&p.sha256, 12)))
        })
        .collect();
    writeln!(out, "- packs: {}", packs.join(", "))?;
    writeln!(out, "- waivers applied: {}", audit.waivers.len())?;
    for waiver in audit.waivers.iter().take(WAIVERS_LISTED) {
        let rules = if waiver.rules.is_empty() { "all rules".to_owned() } else { waiver.rules.join(", ") };
        let reason = waiver.reason.as_deref().map_or_else(|| "**no reason given**".to_owned(), text);
        writeln!(
            out,
            "  - {} {} {}: {reason}",
            code(&format!("{}:{}", waiver.path, waiver.line)),
            waiver.directive,
            code(&rules)
        )?;
    }
    if audit.waivers.len() > WAIVERS_LISTED {
        writeln!(
            out,
            "  - …and {} more (the JSON and HTML reports list them all)",
            audit.waivers.len() - WAIVERS_LISTED
        )?;
    }
    writeln!(out, "\n</details>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_cannot_make_markup_mentions_or_links() {
        assert_eq!(
            text("<script>x</script> | *a* [b](c) @glowco #12 #ad\nnext"),
            "&lt;script&gt;x&lt;/script&gt; \\| \\*a\\* \\[b\\](c) @&#8203;glowco \\#&#8203;12 \\#ad next"
        );
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("use `x` here"), "``use `x` here``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("line\nbreak"), "`line break`");
    }
}

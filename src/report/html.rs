//! `--format html`: one self-contained page for the people who decide whether a campaign ships.
//!
//! The page has no external resource (a Content-Security-Policy allows only its own inline style
//! and script, by hash), every text from a draft, a path, a pack or a configuration is escaped,
//! and it is the same bytes for the same findings. Every finding is in the page as HTML, so it
//! reads and prints without its script; the script only filters (by principle, severity, rule,
//! language, folder and text) and keeps the filters in the address's `#…` part, so a filtered
//! view can be linked to.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::io::{self, Write};

use sha2::{Digest, Sha256};

use super::context::{Context, ContextLine, MarkKind};
use super::totals::{ALL_MARKETS, Totals, folder_of, plural};
use super::{Audit, Located, Report};
use crate::document::Lang;
use crate::lint::META_RULES;
use crate::rules::{Principle, RuleSet};

const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");

/// Bars in the chart of findings per folder; the rest are summed in one more bar.
const FOLDER_BARS: usize = 10;

/// Text escaped for HTML, in element content and in quoted attribute values alike.
pub(super) struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'', '\0']) {
            f.write_str(rest.get(..at).unwrap_or_default())?;
            f.write_str(match rest.as_bytes().get(at) {
                Some(b'&') => "&amp;",
                Some(b'<') => "&lt;",
                Some(b'>') => "&gt;",
                Some(b'"') => "&quot;",
                Some(b'\'') => "&#39;",
                _ => "\u{fffd}",
            })?;
            rest = rest.get(at + 1..).unwrap_or_default();
        }
        f.write_str(rest)
    }
}

/// A `#key=value` link to a filtered view of the page (the value percent-encoded as
/// `URLSearchParams` reads it).
fn filter_href(key: &str, value: &str) -> String {
    let mut href = format!("#{key}=");
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            href.push(char::from(byte));
        } else {
            let _ = write!(href, "%{byte:02X}");
        }
    }
    href
}

/// The CSP source of an inline element's text.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(super) fn render(report: &Report, rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    let totals = Totals::new(report, rules);
    let version = report.audit.as_ref().map(|a| a.womlint_version.as_str());
    head(out, &totals, version)?;
    top(out, report, &totals)?;
    writeln!(out, "<main id=\"main\" class=\"wrap\">")?;
    summary(out, &totals)?;
    findings(out, report, rules, &totals)?;
    run_section(out, report)?;
    writeln!(out, "</main>")?;
    let made_by = version.map_or_else(|| "womlint".to_owned(), |v| format!("womlint {v}"));
    writeln!(
        out,
        "<footer class=\"wrap\"><p>Made by {}. The page is self-contained: it loads nothing from the \
         network, and its filters work offline.</p></footer>",
        Esc(&made_by)
    )?;
    writeln!(out, "<script>{JS}</script>\n</body>\n</html>")
}

fn head(out: &mut dyn Write, totals: &Totals, version: Option<&str>) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; base-uri 'none'; \
         form-action 'none'\">",
        csp_hash(CSS),
        csp_hash(JS)
    )?;
    writeln!(out, "<meta name=\"referrer\" content=\"no-referrer\">")?;
    if let Some(version) = version {
        writeln!(out, "<meta name=\"generator\" content=\"womlint {}\">", Esc(version))?;
    }
    writeln!(
        out,
        "<title>womlint report: {} in {}</title>",
        plural(totals.findings, "finding", "findings"),
        plural(totals.files, "file", "files")
    )?;
    writeln!(out, "<style>{CSS}</style>\n</head>\n<body>")?;
    writeln!(out, "<a class=\"skip\" href=\"#findings\">Skip to the findings</a>")
}

fn top(out: &mut dyn Write, report: &Report, totals: &Totals) -> io::Result<()> {
    writeln!(out, "<header class=\"top\"><div class=\"wrap\">\n<h1>womlint report</h1>")?;
    writeln!(
        out,
        "<p class=\"lead\">Marketing copy checked against the WOMMA principles of honest relationship, \
         opinion and identity, and the disclosure laws that enforce them. <a href=\"#run\">About this run</a></p>"
    )?;
    writeln!(out, "<ul class=\"cards\">")?;
    writeln!(
        out,
        "<li><strong>{}</strong> {}</li>",
        totals.findings,
        if totals.findings == 1 { "finding" } else { "findings" }
    )?;
    writeln!(
        out,
        "<li><strong>{}</strong> of {} files checked have findings</li>",
        totals.files, report.files_checked
    )?;
    for (severity, n) in &totals.severities {
        writeln!(out, "<li><span class=\"sev {0}\">{0}</span> <strong>{n}</strong></li>", severity.as_str())?;
    }
    if !report.errors.is_empty() {
        writeln!(out, "<li><strong>{}</strong> <a href=\"#unread\">not read</a></li>", report.errors.len())?;
    }
    if let Some(audit) = &report.audit {
        writeln!(out, "<li><strong>{}</strong> <a href=\"#waivers\">waivers applied</a></li>", audit.waivers.len())?;
    }
    writeln!(out, "</ul>\n</div></header>")
}

/// A horizontal bar chart; each bar links to the filtered list.
struct Bar {
    label: String,
    count: usize,
    href: Option<String>,
    color: &'static str,
}

fn chart(out: &mut dyn Write, id: &str, caption: &str, bars: &[Bar]) -> io::Result<()> {
    const ROW: usize = 26;
    const LABEL: usize = 150;
    const WIDTH: usize = 440;
    const BAR: usize = 240;
    let most = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let description: Vec<String> = bars.iter().map(|b| format!("{} {}", b.label, b.count)).collect();
    writeln!(out, "<figure><figcaption id=\"{id}-c\">{}</figcaption>", Esc(caption))?;
    writeln!(
        out,
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-c {id}-d\" viewBox=\"0 0 {WIDTH} {}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><desc id=\"{id}-d\">{}</desc>",
        bars.len() * ROW + 4,
        Esc(&description.join(", "))
    )?;
    for (i, bar) in bars.iter().enumerate() {
        let y = i * ROW + 2;
        let width = if bar.count == 0 { 0 } else { (bar.count * BAR).div_ceil(most).max(2) };
        let label: String = if bar.label.chars().count() > 20 {
            format!("…{}", bar.label.chars().rev().take(19).collect::<Vec<_>>().into_iter().rev().collect::<String>())
        } else {
            bar.label.clone()
        };
        let body = format!(
            "<title>{0}: {1}</title><text x=\"0\" y=\"{2}\">{3}</text><rect x=\"{LABEL}\" y=\"{4}\" width=\"{width}\" \
             height=\"{5}\" rx=\"3\" fill=\"{6}\"/><text x=\"{7}\" y=\"{2}\">{1}</text>",
            Esc(&bar.label),
            bar.count,
            y + 17,
            Esc(&label),
            y + 4,
            ROW - 8,
            bar.color,
            LABEL + width + 6,
        );
        match &bar.href {
            Some(href) => writeln!(out, "<a href=\"{}\">{body}</a>", Esc(href))?,
            None => writeln!(out, "<g>{body}</g>")?,
        }
    }
    writeln!(out, "</svg></figure>")
}

fn principle_color(principle: Principle) -> &'static str {
    match principle {
        Principle::Relationship => "#1d4f91",
        Principle::Opinion => "#7a3e9d",
        Principle::Identity => "#0b6b2f",
        Principle::Womlint => "#5a5a5a",
    }
}

/// A table of counts; `key` makes each name a link to the list filtered by it.
fn count_table(
    out: &mut dyn Write,
    caption: &str,
    what: &str,
    key: Option<&str>,
    rows: &[(String, usize)],
) -> io::Result<()> {
    writeln!(out, "<div class=\"scroll\"><table><caption class=\"meta\">{}</caption>", Esc(caption))?;
    writeln!(
        out,
        "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">findings</th></tr></thead><tbody>",
        Esc(what)
    )?;
    for (name, n) in rows {
        match key {
            Some(key) => writeln!(
                out,
                "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td class=\"n\">{n}</td></tr>",
                Esc(&filter_href(key, name)),
                Esc(name)
            )?,
            None => writeln!(out, "<tr><th scope=\"row\">{}</th><td class=\"n\">{n}</td></tr>", Esc(name))?,
        }
    }
    writeln!(out, "</tbody></table></div>")
}

fn summary(out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
    writeln!(out, "<section aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>")?;
    if totals.findings == 0 {
        writeln!(out, "<p class=\"empty\">No findings: every checked file passed.</p>")?;
    }
    writeln!(out, "<div class=\"charts\">")?;
    let bars: Vec<Bar> = totals
        .principles
        .iter()
        .map(|(p, n)| Bar {
            label: p.as_str().to_owned(),
            count: *n,
            href: (*n > 0).then(|| filter_href("principle", p.as_str())),
            color: principle_color(*p),
        })
        .collect();
    chart(out, "chart-principle", "Findings per principle", &bars)?;
    let mut bars: Vec<Bar> = totals
        .folders
        .iter()
        .take(FOLDER_BARS)
        .map(|(folder, n)| Bar {
            label: folder.clone(),
            count: *n,
            href: Some(filter_href("folder", folder)),
            color: "#1d4f91",
        })
        .collect();
    if totals.folders.len() > FOLDER_BARS {
        let rest = totals.folders.get(FOLDER_BARS..).unwrap_or_default();
        bars.push(Bar {
            label: format!("{} other folders", rest.len()),
            count: rest.iter().map(|(_, n)| n).sum(),
            href: None,
            color: "#5a5a5a",
        });
    }
    if !bars.is_empty() {
        chart(out, "chart-folder", "Findings per folder", &bars)?;
    }
    writeln!(out, "</div>\n<div class=\"grid\">")?;
    count_table(
        out,
        "Per principle",
        "principle",
        Some("principle"),
        &totals.principles.iter().map(|(p, n)| (p.as_str().to_owned(), *n)).collect::<Vec<_>>(),
    )?;
    count_table(
        out,
        "Per severity",
        "severity",
        Some("severity"),
        &totals.severities.iter().map(|(s, n)| (s.as_str().to_owned(), *n)).collect::<Vec<_>>(),
    )?;
    count_table(out, "Per market (a rule limited to several markets counts in each)", "market", None, &totals.markets)?;
    count_table(
        out,
        "Per language of the post",
        "language",
        Some("lang"),
        &totals.langs.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect::<Vec<_>>(),
    )?;
    writeln!(out, "</div>")?;
    if !totals.rules.is_empty() {
        writeln!(out, "<h3>Per rule</h3>\n<div class=\"scroll\"><table>")?;
        writeln!(
            out,
            "<thead><tr><th scope=\"col\">rule</th><th scope=\"col\">severity</th><th scope=\"col\" class=\"n\">findings</th></tr></thead><tbody>"
        )?;
        for (rule, severity, n) in &totals.rules {
            writeln!(
                out,
                "<tr><th scope=\"row\"><a href=\"{}\"><code>{}</code></a></th><td><span class=\"sev {2}\">{2}</span></td><td class=\"n\">{n}</td></tr>",
                Esc(&filter_href("rule", rule)),
                Esc(rule),
                severity.as_str()
            )?;
        }
        writeln!(out, "</tbody></table></div>")?;
    }
    writeln!(out, "</section>")
}

fn options(out: &mut dyn Write, name: &str, label: &str, all: &str, values: &[(String, usize)]) -> io::Result<()> {
    writeln!(out, "<label>{label}<select name=\"{name}\"><option value=\"\">{all}</option>")?;
    for (value, n) in values {
        writeln!(out, "<option value=\"{0}\">{0} ({n})</option>", Esc(value))?;
    }
    writeln!(out, "</select></label>")
}

fn filters(out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
    // The form is shown by the script: without it, it would do nothing.
    writeln!(out, "<form id=\"filters\" class=\"filters\" role=\"search\" aria-label=\"Filter the findings\" hidden>")?;
    let principles: Vec<(String, usize)> =
        totals.principles.iter().filter(|(_, n)| *n > 0).map(|(p, n)| (p.as_str().to_owned(), *n)).collect();
    options(out, "principle", "Principle", "All principles", &principles)?;
    let severities: Vec<(String, usize)> = totals.severities.iter().map(|(s, n)| (s.as_str().to_owned(), *n)).collect();
    options(out, "severity", "Severity", "All severities", &severities)?;
    let mut rules: Vec<(String, usize)> = totals.rules.iter().map(|(r, _, n)| (r.clone(), *n)).collect();
    rules.sort();
    options(out, "rule", "Rule", "All rules", &rules)?;
    let langs: Vec<(String, usize)> = totals.langs.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect();
    options(out, "lang", "Language", "All languages", &langs)?;
    // Every folder with findings and the folders above it, each with the findings under it.
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    for (folder, n) in &totals.folders {
        let mut at = folder.as_str();
        loop {
            *folders.entry(at.to_owned()).or_default() += n;
            match at.rsplit_once('/') {
                Some((parent, _)) if !parent.is_empty() => at = parent,
                _ => break,
            }
        }
    }
    options(out, "folder", "Folder", "All folders", &folders.into_iter().collect::<Vec<_>>())?;
    writeln!(
        out,
        "<label class=\"q\">Search<input type=\"search\" name=\"q\" placeholder=\"words, file, rule…\" autocomplete=\"off\"></label>"
    )?;
    writeln!(out, "<button type=\"reset\">Clear filters</button>\n</form>")
}

fn findings(out: &mut dyn Write, report: &Report, rules: &RuleSet, totals: &Totals) -> io::Result<()> {
    writeln!(out, "<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">Findings</h2>")?;
    if totals.findings > 0 {
        filters(out, totals)?;
    }
    writeln!(
        out,
        "<p id=\"shown\" class=\"shown\" role=\"status\" aria-live=\"polite\">{}</p>",
        plural(totals.findings, "finding", "findings")
    )?;
    writeln!(out, "<div id=\"list\">")?;
    let mut text = String::new();
    for (index, (path, located)) in report.findings().enumerate() {
        text.clear();
        finding(&mut text, index + 1, path, located, rules);
        out.write_all(text.as_bytes())?;
    }
    writeln!(out, "</div>")?;
    // The script shows findings a page at a time; these show more.
    writeln!(
        out,
        "<p id=\"more\" hidden><button type=\"button\" data-more=\"page\">Show more</button> \
         <button type=\"button\" data-more=\"all\">Show all</button></p>\n</section>"
    )?;
    rule_entries(out, rules, totals)
}

/// An entry per rule with findings: what it checks, how to fix it, its sources, linked.
fn rule_entries(out: &mut dyn Write, rules: &RuleSet, totals: &Totals) -> io::Result<()> {
    if totals.rules.is_empty() {
        return Ok(());
    }
    writeln!(out, "<section aria-labelledby=\"rules\">\n<h2 id=\"rules\">The rules</h2>")?;
    let mut ids: Vec<&str> = totals.rules.iter().map(|(id, _, _)| id.as_str()).collect();
    ids.sort_unstable();
    for id in ids {
        writeln!(out, "<h3 id=\"rule-{0}\"><code>{0}</code></h3>", Esc(id))?;
        let Some(rule) = rules.rule(id) else {
            if let Some(meta) = META_RULES.iter().find(|m| m.id == id) {
                writeln!(out, "<p>{}</p>", Esc(meta.message.0))?;
                writeln!(out, "<p><strong>How to fix it:</strong> {}</p>", Esc(meta.help.0))?;
            }
            continue;
        };
        writeln!(out, "<p>{}</p>", Esc(rule.message.get(Lang::En)))?;
        writeln!(out, "<p><strong>How to fix it:</strong> {}</p>", Esc(rule.help.get(Lang::En)))?;
        if !rule.references.is_empty() {
            writeln!(out, "<ul>")?;
            for reference in &rule.references {
                let title = reference.title.as_deref().map(|t| format!(" ({})", Esc(t))).unwrap_or_default();
                match reference.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
                    Some(url) => writeln!(
                        out,
                        "<li><a href=\"{}\" rel=\"noopener noreferrer\">{}</a>{title}</li>",
                        Esc(url),
                        Esc(&reference.cite)
                    )?,
                    None => writeln!(out, "<li>{}{title}</li>", Esc(&reference.cite))?,
                }
            }
            writeln!(out, "</ul>")?;
        }
    }
    writeln!(out, "</section>")
}

fn lang_attr(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "",
        Lang::It => " lang=\"it\"",
    }
}

/// One finding, as an `<article>` carrying what the filters read.
fn finding(out: &mut String, index: usize, path: &str, l: &Located, rules: &RuleSet) {
    let f = &l.finding;
    let severity = f.severity.as_str();
    let rule = rules.rule(&f.rule);
    let lang = lang_attr(f.lang);
    let _ = writeln!(
        out,
        "<article id=\"f{index}\" class=\"f {severity}\" data-p=\"{}\" data-s=\"{severity}\" data-r=\"{}\" data-l=\"{}\" data-d=\"{}\">",
        f.principle.as_str(),
        Esc(&f.rule),
        f.lang.code(),
        Esc(folder_of(path))
    );
    let _ = writeln!(
        out,
        "<h3><span class=\"sev {severity}\">{severity}</span> <a href=\"#f{index}\">{}:{}:{}</a></h3>",
        Esc(path),
        l.start.line,
        l.start.column
    );
    let _ = writeln!(out, "<p class=\"msg\"{lang}>{}</p>", Esc(&f.message));
    let markets = match rule.map(|r| r.markets.as_slice()).filter(|m| !m.is_empty()) {
        Some(markets) => markets.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "),
        None => ALL_MARKETS.to_owned(),
    };
    let _ = writeln!(
        out,
        "<p class=\"meta\"><a href=\"#rule-{0}\"><code>{0}</code></a> · {1} · {2} · {3}</p>",
        Esc(&f.rule),
        f.principle.as_str(),
        Esc(&markets),
        f.lang.code()
    );
    // Notes are numbered in order, those with a text only.
    let mut notes: Vec<(MarkKind, &str)> = vec![(MarkKind::Primary, &f.primary.text)];
    notes.extend(f.related.iter().enumerate().map(|(i, label)| (MarkKind::Related(i), &*label.text)));
    notes.retain(|(_, text)| !text.is_empty());
    let number = |kind: MarkKind| notes.iter().position(|(k, _)| *k == kind).map(|i| i + 1);
    match &l.context {
        Some(context) => excerpt(out, context, &number, f.suggestion.as_deref()),
        None if !l.excerpt.is_empty() => {
            let _ = writeln!(out, "<pre class=\"src\"><mark>{}</mark></pre>", Esc(&l.excerpt));
        }
        None => {}
    }
    if !notes.is_empty() {
        let _ = write!(out, "<ol class=\"notes\"{lang}>");
        for (i, (_, text)) in notes.iter().enumerate() {
            let _ = write!(out, "<li value=\"{}\">{}</li>", i + 1, Esc(text));
        }
        let _ = writeln!(out, "</ol>");
    }
    if !f.help.is_empty() {
        let _ = writeln!(out, "<p><strong>How to fix it:</strong> <span{lang}>{}</span></p>", Esc(&f.help));
    }
    if let Some(suggestion) = &f.suggestion {
        let _ = writeln!(out, "<p><strong>Suggested label:</strong> <code>{}</code></p>", Esc(suggestion));
    }
    // The citations; the rule's entry links them (a page of thousands of findings would
    // carry every link and title thousands of times).
    if let Some(rule) = rule
        && !rule.references.is_empty()
    {
        let cites: Vec<&str> = rule.references.iter().map(|r| r.cite.as_str()).collect();
        let _ = writeln!(
            out,
            "<p><strong>References:</strong> {} (<a href=\"#rule-{}\">sources</a>)</p>",
            Esc(&cites.join("; ")),
            Esc(&f.rule)
        );
    }
    if f.principle != Principle::Womlint {
        let markdown = [".md", ".markdown"].iter().any(|ext| path.to_ascii_lowercase().ends_with(ext));
        let directive = format!("womlint-disable-next-line {} -- reason", f.rule);
        let line = if markdown { format!("<!-- {directive} -->") } else { directive };
        let _ =
            writeln!(out, "<p class=\"waive meta\">To waive it, on the line before: <code>{}</code></p>", Esc(&line));
    }
    out.push_str("</article>\n");
}

/// The source lines, with the words underlined, numbered notes and where the label belongs.
fn excerpt(out: &mut String, context: &Context, number: &dyn Fn(MarkKind) -> Option<usize>, suggestion: Option<&str>) {
    out.push_str("<pre class=\"src\">");
    let mut previous: Option<usize> = None;
    for line in &context.lines {
        if previous.is_some_and(|p| line.number > p + 1) {
            out.push_str("<span class=\"gap\">   ⋮</span>\n");
        }
        previous = Some(line.number);
        let _ = write!(out, "<span class=\"ln\">{}</span>", line.number);
        if line.cut_before {
            out.push_str("<span class=\"cut\">…</span>");
        }
        marked_line(out, line, number, suggestion);
        if line.cut_after {
            out.push_str("<span class=\"cut\">…</span>");
        }
        out.push('\n');
    }
    out.push_str("</pre>\n");
}

fn marked_line(
    out: &mut String,
    line: &ContextLine,
    number: &dyn Fn(MarkKind) -> Option<usize>,
    suggestion: Option<&str>,
) {
    let text = line.text.as_str();
    let mut cuts: BTreeSet<usize> = [0, text.len()].into_iter().collect();
    for mark in &line.marks {
        cuts.insert(mark.start.min(text.len()));
        cuts.insert(mark.end.min(text.len()));
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    for (i, &at) in cuts.iter().enumerate() {
        for mark in line.marks.iter().filter(|m| m.start < m.end && m.end == at) {
            if let Some(n) = number(mark.kind) {
                let _ = write!(out, "<sup class=\"n\">{n}</sup>");
            }
        }
        for mark in line.marks.iter().filter(|m| m.start == m.end && m.start == at) {
            match mark.kind {
                MarkKind::Fix => {
                    let _ = write!(
                        out,
                        "<ins class=\"fix\" title=\"the suggested label goes here\">{}</ins>",
                        Esc(suggestion.unwrap_or("label"))
                    );
                }
                kind => {
                    out.push_str("<span class=\"pt\">▲");
                    if let Some(n) = number(kind) {
                        let _ = write!(out, "<sup class=\"n\">{n}</sup>");
                    }
                    out.push_str("</span>");
                }
            }
        }
        let Some(&next) = cuts.get(i + 1) else { break };
        let piece = text.get(at..next).unwrap_or_default();
        let active: Vec<MarkKind> =
            line.marks.iter().filter(|m| m.start <= at && next <= m.end && m.start < m.end).map(|m| m.kind).collect();
        if active.is_empty() {
            let _ = write!(out, "{}", Esc(piece));
        } else if active.contains(&MarkKind::Primary) {
            let _ = write!(out, "<mark>{}</mark>", Esc(piece));
        } else {
            let _ = write!(out, "<mark class=\"rel\">{}</mark>", Esc(piece));
        }
    }
}

fn run_section(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(out, "<section aria-labelledby=\"run\">\n<h2 id=\"run\">About this run</h2>")?;
    if let Some(audit) = &report.audit {
        audit_tables(out, audit, report.files_checked)?;
    } else {
        writeln!(out, "<p>{} checked.</p>", plural(report.files_checked, "file", "files"))?;
    }
    if !report.errors.is_empty() {
        writeln!(out, "<h3 id=\"unread\">Files that could not be checked ({})</h3>\n<ul>", report.errors.len())?;
        for error in &report.errors {
            writeln!(out, "<li>{}</li>", Esc(&error.to_string()))?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")
}

fn audit_tables(out: &mut dyn Write, audit: &Audit, files_checked: usize) -> io::Result<()> {
    let configs = if audit.config_files.is_empty() {
        "none".to_owned()
    } else {
        audit.config_files.iter().map(|c| format!("<code>{}</code>", Esc(c))).collect::<Vec<_>>().join(", ")
    };
    writeln!(
        out,
        "<table><tbody>\n<tr><th scope=\"row\">womlint</th><td>{}</td></tr>\n\
         <tr><th scope=\"row\">jurisdiction</th><td>{}</td></tr>\n\
         <tr><th scope=\"row\">configuration files</th><td>{configs}</td></tr>\n\
         <tr><th scope=\"row\">files checked</th><td>{files_checked}</td></tr>\n</tbody></table>",
        Esc(&audit.womlint_version),
        Esc(&audit.jurisdictions.join(", "))
    )?;
    writeln!(out, "<h3>Rule packs ({})</h3>\n<div class=\"scroll\"><table>", audit.packs.len())?;
    writeln!(
        out,
        "<thead><tr><th scope=\"col\">pack</th><th scope=\"col\">title</th><th scope=\"col\">source</th>\
         <th scope=\"col\">version</th><th scope=\"col\">SHA-256</th></tr></thead><tbody>"
    )?;
    for pack in &audit.packs {
        writeln!(
            out,
            "<tr><th scope=\"row\"><code>{}</code>{}</th><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            Esc(&pack.id),
            if pack.enabled { "" } else { " (off)" },
            Esc(&pack.title),
            Esc(&pack.source),
            Esc(pack.version.as_deref().unwrap_or("—")),
            Esc(&pack.sha256)
        )?;
    }
    writeln!(out, "</tbody></table></div>")?;
    writeln!(out, "<h3 id=\"waivers\">Waivers applied ({})</h3>", audit.waivers.len())?;
    if audit.waivers.is_empty() {
        return writeln!(out, "<p>No waiver waived a finding.</p>");
    }
    writeln!(
        out,
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">where</th><th scope=\"col\">waiver</th>\
         <th scope=\"col\">rules</th><th scope=\"col\">reason</th></tr></thead><tbody>"
    )?;
    for waiver in &audit.waivers {
        let rules = if waiver.rules.is_empty() { "all rules".to_owned() } else { waiver.rules.join(", ") };
        let reason = match &waiver.reason {
            Some(reason) => Esc(reason).to_string(),
            None => "<strong>none given</strong>".to_owned(),
        };
        writeln!(
            out,
            "<tr><td><code>{}:{}:{}</code></td><td>{}</td><td><code>{}</code></td><td>{reason}</td></tr>",
            Esc(&waiver.path),
            waiver.line,
            waiver.column,
            waiver.directive,
            Esc(&rules)
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        let hostile = "\"><img src=x onerror=alert(1)> <script>alert('x')</script> & \0";
        assert_eq!(
            Esc(hostile).to_string(),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; \u{fffd}"
        );
        assert_eq!(Esc("caffè ☕").to_string(), "caffè ☕");
    }

    #[test]
    fn filter_links_encode_what_urlsearchparams_decodes() {
        assert_eq!(filter_href("folder", "a b/c&d=e+f#g"), "#folder=a%20b/c%26d%3De%2Bf%23g");
        assert_eq!(filter_href("folder", "città"), "#folder=citt%C3%A0");
    }

    #[test]
    fn base64_of_known_bytes() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}

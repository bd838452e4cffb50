//! Waivers: `<!-- womlint-disable RULE -- reason -->` and friends.
//!
//! A compliance waiver has to say why, so an audit can follow it: a waiver without a reason is
//! reported, and so is one that waives nothing (the copy changed, the waiver stayed), and one
//! that womlint cannot read (a misspelt directive or rule id, a comment left open), which
//! would otherwise waive nothing without a word.

use std::borrow::Cow;
use std::sync::Arc;

use crate::document::{Comment, Document, Lang};
use crate::finding::{Finding, Label};
use crate::rules::{ExplainFormat, Principle, Severity};
use crate::span::Span;

/// What a directive does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// From here to a matching `womlint-enable` or the end of the file.
    Disable,
    Enable,
    /// The next line with text on it.
    DisableNextLine,
    /// The line the directive is on (at the end of a line of copy).
    DisableLine,
    /// The whole file.
    DisableFile,
    /// A comment meant as a directive that womlint cannot read; it waives nothing.
    Unreadable,
}

/// The directives, as written, and what each does.
const KEYWORDS: [(&str, DirectiveKind); 5] = [
    ("womlint-disable-next-line", DirectiveKind::DisableNextLine),
    ("womlint-disable-line", DirectiveKind::DisableLine),
    ("womlint-disable-file", DirectiveKind::DisableFile),
    ("womlint-disable", DirectiveKind::Disable),
    ("womlint-enable", DirectiveKind::Enable),
];

/// What a waiver may name besides rule ids: the principles, and `all`.
const PRINCIPLES: [&str; 5] = ["relationship", "opinion", "identity", "womlint", "all"];

/// A parsed waiver comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Rule ids or principles it names; empty means every rule.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub span: Span,
    /// Why womlint cannot read it ([`DirectiveKind::Unreadable`]).
    pub problem: Option<String>,
}

impl Directive {
    fn covers(&self, rule: &str) -> bool {
        self.rules.is_empty()
            || self.rules.iter().any(|r| r == rule || r == "all" || rule.split('/').next() == Some(r.as_str()))
    }
}

/// A rule of womlint itself, about waivers.
pub struct MetaRule {
    pub id: &'static str,
    pub severity: Severity,
    pub message: (&'static str, &'static str),
    pub help: (&'static str, &'static str),
}

pub const WAIVER_WITHOUT_REASON: MetaRule = MetaRule {
    id: "womlint/waiver-without-reason",
    severity: Severity::Warning,
    message: ("Waiver without a reason", "Deroga senza motivazione"),
    help: (
        "Say why after ` -- `, e.g. `<!-- womlint-disable-next-line relationship/undisclosed-code -- brand's own newsletter -->`, so an audit can follow the decision.",
        "Scrivi il motivo dopo ` -- `, ad es. `<!-- womlint-disable-next-line relationship/undisclosed-code -- newsletter del marchio -->`, così chi controlla può seguire la decisione.",
    ),
};

pub const UNUSED_WAIVER: MetaRule = MetaRule {
    id: "womlint/unused-waiver",
    severity: Severity::Warning,
    message: ("Waiver that waives nothing", "Deroga che non copre nulla"),
    help: (
        "No finding of the named rules is here any more: remove the waiver, or fix the rule id it names.",
        "Qui non c'è più alcuna segnalazione delle regole indicate: togli la deroga o correggi l'id della regola.",
    ),
};

pub const INVALID_FRONT_MATTER: MetaRule = MetaRule {
    id: "womlint/invalid-front-matter",
    severity: Severity::Warning,
    message: ("Front matter cannot be read", "Il front matter non si può leggere"),
    help: (
        "Write it as YAML between two `---` lines: rules that read `sponsored`, `platform` or `lang` cannot see them now.",
        "Scrivilo in YAML tra due righe `---`: le regole che leggono `sponsored`, `platform` o `lang` ora non li vedono.",
    ),
};

pub const UNCLOSED_COMMENT: MetaRule = MetaRule {
    id: "womlint/unclosed-comment",
    severity: Severity::Warning,
    message: ("HTML comment that is never closed", "Commento HTML mai chiuso"),
    help: (
        "Close it with `-->`: until then everything after it is a comment, hidden from readers of the page and not checked.",
        "Chiudilo con `-->`: fino ad allora tutto ciò che lo segue è un commento, nascosto a chi legge la pagina e non controllato.",
    ),
};

pub const INVALID_WAIVER: MetaRule = MetaRule {
    id: "womlint/invalid-waiver",
    severity: Severity::Warning,
    message: ("Waiver that womlint cannot read", "Deroga che womlint non riesce a leggere"),
    help: (
        "Write it as `<!-- womlint-disable-next-line RULE -- reason -->` (or `womlint-disable-line` at the end of a line, `womlint-disable` … `womlint-enable`, `womlint-disable-file`); `womlint rules` lists the rule ids.",
        "Scrivila come `<!-- womlint-disable-next-line REGOLA -- motivo -->` (oppure `womlint-disable-line` in fondo a una riga, `womlint-disable` … `womlint-enable`, `womlint-disable-file`); `womlint rules` elenca gli id delle regole.",
    ),
};

/// Every rule womlint has of its own.
pub const META_RULES: [&MetaRule; 5] =
    [&WAIVER_WITHOUT_REASON, &UNUSED_WAIVER, &INVALID_WAIVER, &INVALID_FRONT_MATTER, &UNCLOSED_COMMENT];

/// The rule ids a file's waivers may name, and which of them are switched off.
pub struct WaiverRules<'a> {
    /// Every rule id of the file's packs, those switched off included.
    pub ids: Vec<&'a str>,
    /// Whether a rule id is switched off for this file (its waivers are not "unused").
    pub inactive: &'a dyn Fn(&str) -> bool,
}

impl WaiverRules<'_> {
    fn knows(&self, name: &str) -> bool {
        PRINCIPLES.contains(&name) || META_RULES.iter().any(|m| m.id == name) || self.ids.contains(&name)
    }

    /// Why `name` is no rule id a waiver can name, with the one meant if it is close.
    fn unknown(&self, name: &str) -> String {
        let known = self.ids.iter().copied().chain(META_RULES.iter().map(|m| m.id)).chain(PRINCIPLES);
        match crate::suggest::closest(name, known) {
            Some(meant) => format!("`{name}` is not a rule id; did you mean `{meant}`?"),
            None => format!("`{name}` is not a rule id or principle"),
        }
    }
}

impl MetaRule {
    /// What `womlint explain` says about this rule, in `lang`.
    pub fn explain(&self, lang: Lang, format: ExplainFormat) -> String {
        let pick = |(en, it): (&'static str, &'static str)| if lang == Lang::It { it } else { en };
        let (message, help) = (pick(self.message), pick(self.help));
        match format {
            ExplainFormat::Text => format!("{}\n\n{message}\n\nseverity: {}\n\n{help}\n", self.id, self.severity),
            ExplainFormat::Markdown => {
                format!("**`{}`**\n\n{message}\n\n- severity: {}\n\n{help}\n", self.id, self.severity)
            }
        }
    }

    pub(crate) fn finding(&self, span: Span, lang: Lang, detail: Option<String>) -> Finding {
        let pick = |(en, it): (&'static str, &'static str)| if lang == Lang::It { it } else { en };
        let message = match detail {
            Some(detail) => format!("{}: {detail}", pick(self.message)),
            None => pick(self.message).to_owned(),
        };
        Finding {
            rule: Arc::from(self.id),
            principle: Principle::Womlint,
            severity: self.severity,
            message: message.into(),
            help: Arc::from(pick(self.help)),
            primary: Label { span, text: Cow::Borrowed("") },
            related: Vec::new(),
            suggestion: None,
            fix_at: None,
            fix: None,
            lang,
        }
    }
}

/// The directives in a document's comments (Markdown) or directive lines (text), and the
/// comments meant as directives that cannot be read (see [`DirectiveKind::Unreadable`]).
pub fn parse_directives(doc: &Document) -> Vec<Directive> {
    let mut directives: Vec<Directive> = doc.comments.iter().filter_map(parse_comment).collect();
    directives.extend(unclosed_in_prose(doc));
    directives.sort_by_key(|d| d.span.start);
    directives
}

fn parse_comment(comment: &Comment) -> Option<Directive> {
    let directive = parse_directive(&comment.body, comment.span).or_else(|| misspelt(&comment.body, comment.span))?;
    if comment.closed || directive.kind == DirectiveKind::Unreadable {
        return Some(directive);
    }
    Some(unreadable(
        comment.span,
        "the comment is not closed with `-->`, so the rest of the file is read as HTML and not checked".to_owned(),
    ))
}

fn unreadable(span: Span, problem: String) -> Directive {
    Directive { kind: DirectiveKind::Unreadable, rules: Vec::new(), reason: None, span, problem: Some(problem) }
}

/// A finding for each HTML comment that is never closed and is not meant as a waiver (an
/// unclosed waiver is a `womlint/invalid-waiver`), on its first line: everything after it is
/// hidden from readers and not checked.
pub fn unclosed_comments(doc: &Document) -> Vec<Finding> {
    doc.comments
        .iter()
        .filter(|c| !c.closed && parse_comment(c).is_none())
        .map(|comment| UNCLOSED_COMMENT.finding(comment.span.snap_to(&doc.text), doc.lang, None))
        .collect()
}

fn parse_directive(body: &str, span: Span) -> Option<Directive> {
    let body = body.trim();
    let (kind, rest) = KEYWORDS.into_iter().find_map(|(word, kind)| {
        let rest = body.strip_prefix(word)?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some((kind, rest))
    })?;
    let (names, reason) = match rest.split_once("--") {
        Some((names, reason)) => (names, Some(reason.trim()).filter(|r| !r.is_empty()).map(str::to_owned)),
        None => (rest, None),
    };
    let rules = names.split([',', ' ', '\t']).map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned).collect();
    Some(Directive { kind, rules, reason, span, problem: None })
}

/// A comment that starts like a directive but is none (`womlint-disable-nextline`,
/// `womlint: disable`, `Womlint-Disable`): an unreadable directive, with the one meant.
/// `womlint` followed by other words (`womlint is a linter`) is no directive.
fn misspelt(body: &str, span: Span) -> Option<Directive> {
    let body = body.trim();
    let rest = body.get(..7).filter(|head| head.eq_ignore_ascii_case("womlint")).and(body.get(7..))?;
    let is_word = |c: char| c.is_ascii_alphabetic() || c == '-' || c == '_';
    let (separator, word) = match rest.chars().next()? {
        sep @ ('-' | '_') => (sep, rest.get(1..)?),
        ':' => (':', rest.get(1..)?.trim_start()),
        c if c.is_whitespace() => (' ', rest.trim_start()),
        _ => return None,
    };
    let word = word.get(..word.find(|c: char| !is_word(c)).unwrap_or(word.len()))?;
    let lowered = word.to_ascii_lowercase();
    let directive_like = ["disable", "enable", "ignore"].iter().any(|w| lowered.starts_with(w));
    if word.is_empty() || (matches!(separator, ':' | ' ') && !directive_like) {
        return None;
    }
    let typed = body.get(..body.len() - rest.len() + rest.find(word)? + word.len()).unwrap_or(body);
    let meant = format!("womlint-{}", lowered.replace('_', "-"));
    let keywords = KEYWORDS.map(|(word, _)| word);
    let suggestion =
        keywords.iter().find(|k| **k == meant).copied().or_else(|| crate::suggest::closest(&meant, keywords));
    let problem = match suggestion {
        Some(keyword) => format!("`{typed}` is not a directive; did you mean `{keyword}`?"),
        None => format!("`{typed}` is not a directive (expected {})", keywords.join(", ")),
    };
    Some(unreadable(span, problem))
}

/// `<!-- womlint-…` in a paragraph with no `-->` after it: the parser keeps it as text.
fn unclosed_in_prose(doc: &Document) -> Vec<Directive> {
    let mut found = Vec::new();
    for block in &doc.blocks {
        // Found by its first byte: most blocks have no `<`, and a substring search would be
        // set up again for every block.
        let openings = memchr::memchr_iter(b'<', block.text.as_bytes())
            .filter(|&at| block.text.get(at..).is_some_and(|rest| rest.starts_with("<!--")));
        for at in openings {
            let from = at + 4;
            let after = block.text.get(from..).unwrap_or_default().trim_start();
            if !after.get(..7).is_some_and(|head| head.eq_ignore_ascii_case("womlint")) {
                continue;
            }
            let end = block
                .text
                .get(from..)
                .and_then(|rest| rest.find(char::is_whitespace))
                .map_or(block.text.len(), |e| from + e);
            let span = block.source_span(at, end, &doc.text);
            found.push(unreadable(span, "the comment is not closed with `-->`, so it is read as copy".to_owned()));
        }
    }
    found
}

/// Removes the findings waived by `directives` and adds findings about the waivers.
///
/// A finding can point at several places of the same rule (its primary span and "also here"
/// labels: one finding per post). A waiver covers places, not findings: a finding disappears
/// only when every place it points at is waived; otherwise it moves to the first place that
/// is not. A waiver is used when it covers any such place.
///
/// `rules` says which rule ids exist and which are switched off for this file; a waiver that
/// names only switched-off rules is not reported as unused (switching a rule off must not flag
/// its waivers), and one that names no rule is reported as unreadable.
pub fn apply_waivers(
    doc: &Document,
    findings: Vec<Finding>,
    directives: &[Directive],
    rules: &WaiverRules<'_>,
) -> Vec<Finding> {
    if directives.is_empty() {
        return findings;
    }
    let ranges: Vec<(usize, Span)> =
        directives.iter().enumerate().filter_map(|(i, _)| waived_range(doc, directives, i).map(|r| (i, r))).collect();
    let front_matter = doc.front_matter.as_ref().map(|fm| fm.span).filter(|s| !s.is_empty());
    let mut used = vec![false; directives.len()];
    let mut waiver_of = |rule: &str, span: Span| -> bool {
        let hit = ranges.iter().find(|(i, range)| {
            directives.get(*i).is_some_and(|d| d.covers(rule))
                && range.start <= span.start
                && span.start < range.end.max(range.start + 1)
        });
        if let Some((i, _)) = hit
            && let Some(u) = used.get_mut(*i)
        {
            *u = true;
        }
        hit.is_some()
    };
    let mut kept = Vec::with_capacity(findings.len());
    for mut finding in findings {
        if !waiver_of(&finding.rule, finding.primary.span) {
            // Places of a kept finding that a waiver covers are not shown either.
            let rule = finding.rule.clone();
            finding.related.retain(|l| !is_place(l, front_matter) || !waiver_of(&rule, l.span));
            kept.push(finding);
            continue;
        }
        let rule = finding.rule.clone();
        let mut related = Vec::with_capacity(finding.related.len());
        let mut moved = false;
        for label in std::mem::take(&mut finding.related) {
            if !is_place(&label, front_matter) {
                related.push(label);
            } else if waiver_of(&rule, label.span) {
                continue;
            } else if !moved {
                finding.primary.span = label.span;
                moved = true;
            } else {
                related.push(label);
            }
        }
        if moved {
            finding.related = related;
            // The repair was made for the place that is waived.
            finding.fix = None;
            kept.push(finding);
        }
    }
    for (i, directive) in directives.iter().enumerate() {
        if let Some(problem) = &directive.problem {
            kept.push(INVALID_WAIVER.finding(directive.span, doc.lang, Some(problem.clone())));
            continue;
        }
        let unknown: Vec<&String> = directive.rules.iter().filter(|r| !rules.knows(r)).collect();
        for name in &unknown {
            let mut problem = rules.unknown(name);
            if directive.reason.is_none() && unknown.len() > 1 {
                problem.push_str(" (the reason goes after ` -- `)");
            }
            kept.push(INVALID_WAIVER.finding(directive.span, doc.lang, Some(problem)));
        }
        if directive.kind == DirectiveKind::Enable {
            continue;
        }
        if directive.reason.is_none() {
            kept.push(WAIVER_WITHOUT_REASON.finding(directive.span, doc.lang, None));
        }
        let switched_off = !directive.rules.is_empty() && directive.rules.iter().all(|r| (rules.inactive)(r));
        let names_nothing = !directive.rules.is_empty() && unknown.len() == directive.rules.len();
        if !used.get(i).copied().unwrap_or(true) && !switched_off && !names_nothing {
            let names = if directive.rules.is_empty() { "all rules".to_owned() } else { directive.rules.join(", ") };
            kept.push(UNUSED_WAIVER.finding(directive.span, doc.lang, Some(names)));
        }
    }
    kept.sort_by(|a, b| a.span().cmp(&b.span()).then_with(|| a.rule.cmp(&b.rule)));
    kept
}

/// Whether a related label is another place the rule matched (not a note such as "the post
/// starts here", an empty span, or "the front matter says so").
fn is_place(label: &Label, front_matter: Option<Span>) -> bool {
    !label.span.is_empty() && !front_matter.is_some_and(|fm| fm.contains(label.span))
}

/// The source bytes a directive waives.
fn waived_range(doc: &Document, directives: &[Directive], index: usize) -> Option<Span> {
    let directive = directives.get(index)?;
    match directive.kind {
        DirectiveKind::Enable | DirectiveKind::Unreadable => None,
        DirectiveKind::DisableFile => Some(Span::new(0, doc.text.len())),
        DirectiveKind::DisableLine => {
            let line = doc.lines().line_of(directive.span.start);
            let start = doc.lines().line_start(line)?;
            Some(Span::new(start, doc.lines().line_start(line + 1).unwrap_or(doc.text.len())))
        }
        DirectiveKind::Disable => {
            let end = directives
                .iter()
                .skip(index + 1)
                .find(|d| {
                    d.kind == DirectiveKind::Enable
                        && (d.rules.is_empty() || d.rules.iter().any(|r| directive.rules.contains(r)))
                })
                .map_or(doc.text.len(), |d| d.span.start);
            Some(Span::new(directive.span.end, end))
        }
        DirectiveKind::DisableNextLine => {
            let mut line = doc.lines().line_of(directive.span.end) + 1;
            while let Some(start) = doc.lines().line_start(line) {
                let end = doc.lines().line_start(line + 1).unwrap_or(doc.text.len());
                if doc.text.get(start..end).is_some_and(|t| !t.trim().is_empty()) {
                    return Some(Span::new(start, end));
                }
                line += 1;
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives() {
        let d = parse_directive(
            " womlint-disable-next-line relationship/undisclosed-code, opinion -- own code ",
            Span::new(0, 1),
        )
        .unwrap();
        assert_eq!(d.kind, DirectiveKind::DisableNextLine);
        assert_eq!(d.rules, vec!["relationship/undisclosed-code", "opinion"]);
        assert_eq!(d.reason.as_deref(), Some("own code"));
        assert!(d.covers("opinion/false-independence"));
        assert!(!d.covers("identity/x"));
        let d = parse_directive("womlint-disable", Span::new(0, 1)).unwrap();
        assert!(d.rules.is_empty() && d.reason.is_none());
        assert!(parse_directive("womlint-disabled x", Span::new(0, 1)).is_none());
        assert!(parse_directive("a normal comment", Span::new(0, 1)).is_none());
        let d = parse_directive("womlint-disable-line opinion -- quoted", Span::new(0, 1)).unwrap();
        assert_eq!(d.kind, DirectiveKind::DisableLine);
    }

    fn problem(body: &str) -> Option<String> {
        let comment = Comment { body: body.to_owned(), span: Span::new(0, 1), closed: true };
        parse_comment(&comment).and_then(|d| d.problem)
    }

    #[test]
    fn misspelt_directives_are_unreadable_with_the_one_meant() {
        let cases = [
            (
                "womlint-disable-nextline opinion -- x",
                "`womlint-disable-nextline` is not a directive; did you mean `womlint-disable-next-line`?",
            ),
            ("womlint: disable opinion -- x", "`womlint: disable` is not a directive; did you mean `womlint-disable`?"),
            ("Womlint-Disable-File", "`Womlint-Disable-File` is not a directive; did you mean `womlint-disable-file`?"),
            ("womlint_enable", "`womlint_enable` is not a directive; did you mean `womlint-enable`?"),
            (
                "womlint ignore-next-line x",
                "`womlint ignore-next-line` is not a directive; did you mean `womlint-disable-next-line`?",
            ),
            (
                "womlint-frobnicate",
                "`womlint-frobnicate` is not a directive (expected womlint-disable-next-line, womlint-disable-line, \
                 womlint-disable-file, womlint-disable, womlint-enable)",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(problem(body).as_deref(), Some(expected), "{body}");
        }
        for fine in ["womlint is a linter", "womlint-disable opinion -- x", "a comment", "womlintish"] {
            assert_eq!(problem(fine), None, "{fine}");
        }
        let open = Comment { body: "womlint-disable x -- y".to_owned(), span: Span::new(0, 1), closed: false };
        assert!(parse_comment(&open).and_then(|d| d.problem).is_some_and(|p| p.contains("not closed")));
    }
}

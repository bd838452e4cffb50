//! Waivers: `<!-- womlint-disable RULE -- reason -->` and friends.
//!
//! A compliance waiver has to say why, so an audit can follow it: a waiver without a reason is
//! reported, and so is one that waives nothing (the copy changed, the waiver stayed).

use std::borrow::Cow;
use std::sync::Arc;

use crate::document::{Document, Lang};
use crate::finding::{Finding, Label};
use crate::rules::{Principle, Severity};
use crate::span::Span;

/// What a directive does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// From here to a matching `womlint-enable` or the end of the file.
    Disable,
    Enable,
    /// The next line with text on it.
    DisableNextLine,
    /// The whole file.
    DisableFile,
}

/// A parsed waiver comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Rule ids or principles it names; empty means every rule.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub span: Span,
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

/// Every rule womlint has of its own.
pub const META_RULES: [&MetaRule; 4] =
    [&WAIVER_WITHOUT_REASON, &UNUSED_WAIVER, &INVALID_FRONT_MATTER, &UNCLOSED_COMMENT];

impl MetaRule {
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
            lang,
        }
    }
}

/// The directives in a document's comments (Markdown) or directive lines (text). A comment
/// that is never closed is no directive (see [`unclosed_comments`]).
pub fn parse_directives(doc: &Document) -> Vec<Directive> {
    doc.comments.iter().filter(|c| c.closed).filter_map(|c| parse_directive(&c.body, c.span)).collect()
}

/// A finding for each HTML comment that is never closed, on its first line; a waiver that
/// lacks its `-->` says so.
pub fn unclosed_comments(doc: &Document) -> Vec<Finding> {
    let unclosed = doc.comments.iter().filter(|c| !c.closed);
    unclosed
        .map(|comment| {
            let end = doc.lines.line_start(doc.lines.line_of(comment.span.start) + 1).unwrap_or(doc.text.len());
            let line = Span::new(comment.span.start, end.min(comment.span.end)).snap_to(&doc.text);
            let waiver = parse_directive(&comment.body, comment.span).is_some();
            let detail = match (waiver, doc.lang) {
                (true, Lang::It) => Some("è una deroga, e nulla di ciò che segue viene controllato".to_owned()),
                (true, Lang::En) => Some("it is a waiver, and nothing after it is checked".to_owned()),
                (false, _) => None,
            };
            UNCLOSED_COMMENT.finding(line, doc.lang, detail)
        })
        .collect()
}

fn parse_directive(body: &str, span: Span) -> Option<Directive> {
    let body = body.trim();
    let (kind, rest) = [
        ("womlint-disable-next-line", DirectiveKind::DisableNextLine),
        ("womlint-disable-file", DirectiveKind::DisableFile),
        ("womlint-disable", DirectiveKind::Disable),
        ("womlint-enable", DirectiveKind::Enable),
    ]
    .into_iter()
    .find_map(|(word, kind)| {
        let rest = body.strip_prefix(word)?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some((kind, rest))
    })?;
    let (names, reason) = match rest.split_once("--") {
        Some((names, reason)) => (names, Some(reason.trim()).filter(|r| !r.is_empty()).map(str::to_owned)),
        None => (rest, None),
    };
    let rules = names.split([',', ' ', '\t']).map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned).collect();
    Some(Directive { kind, rules, reason, span })
}

/// Removes the findings waived by `directives` and adds findings about the waivers.
///
/// A finding can point at several places of the same rule (its primary span and "also here"
/// labels: one finding per post). A waiver covers places, not findings: a finding disappears
/// only when every place it points at is waived; otherwise it moves to the first place that
/// is not. A waiver is used when it covers any such place.
///
/// `inactive` says whether a rule id is switched off for this file; a waiver that names only
/// such rules is not reported as unused (switching a rule off must not flag its waivers).
pub fn apply_waivers(
    doc: &Document,
    findings: Vec<Finding>,
    directives: &[Directive],
    inactive: &dyn Fn(&str) -> bool,
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
            kept.push(finding);
        }
    }
    for (i, directive) in directives.iter().enumerate() {
        if directive.kind == DirectiveKind::Enable {
            continue;
        }
        if directive.reason.is_none() {
            kept.push(WAIVER_WITHOUT_REASON.finding(directive.span, doc.lang, None));
        }
        let switched_off = !directive.rules.is_empty() && directive.rules.iter().all(|r| inactive(r));
        if !used.get(i).copied().unwrap_or(true) && !switched_off {
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
        DirectiveKind::Enable => None,
        DirectiveKind::DisableFile => Some(Span::new(0, doc.text.len())),
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
            let mut line = doc.lines.line_of(directive.span.end) + 1;
            while let Some(start) = doc.lines.line_start(line) {
                let end = doc.lines.line_start(line + 1).unwrap_or(doc.text.len());
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
    }
}

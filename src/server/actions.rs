//! Code actions: the fix a finding offers (its suggested label, where it belongs), a waiver
//! for the finding's line with a reason to fill in, and `source.fixAll.womlint` for every
//! fix at once.
//!
//! A fix is made from the finding's `suggestion` and `fix_at` (see [`fixes_of`]): the one
//! place that knows what a finding's edits are, so that when findings carry edits of their
//! own, only it changes.

use std::collections::{BTreeMap, HashMap};

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Range, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics;
use super::documents::OpenDocument;
use super::position::Encoding;
use crate::finding::Finding;
use crate::rules::Principle;
use crate::span::Span;

/// The kind of the action that applies every fix of a document.
pub(crate) const FIX_ALL: &str = "source.fixAll.womlint";

/// What a waiver says until its author writes the reason.
pub(crate) const REASON_PLACEHOLDER: &str = "REASON";

/// One edit a fix makes: `text` in place of the bytes of `span`.
struct Edit {
    span: Span,
    text: String,
}

/// A finding's fix: a title and its edits.
struct Fix {
    title: String,
    edits: Vec<Edit>,
}

/// The fixes a finding offers: its suggested label inserted where it belongs (the start of
/// the post).
fn fixes_of(finding: &Finding) -> Vec<Fix> {
    let (Some(label), Some(at)) = (&finding.suggestion, finding.fix_at) else { return Vec::new() };
    vec![Fix {
        title: format!("Add \"{label}\" at the start of the post"),
        edits: vec![Edit { span: Span::new(at.start, at.start), text: format!("{label} ") }],
    }]
}

/// The code actions for `range` of `document`: those of the findings it touches, and the
/// fix-all action when `only` asks for it (or for `source`).
pub(crate) fn code_actions(
    document: &OpenDocument,
    range: Range,
    only: Option<&[CodeActionKind]>,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    let lines = document.lines(encoding);
    let wanted = |kind: &str| {
        only.is_none_or(|kinds| {
            kinds.iter().any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
        })
    };
    let asked = lines.span(range);
    let mut actions = Vec::new();
    for finding in &document.checked.findings {
        let span = finding.span();
        let touches = span.start <= asked.end && asked.start <= span.end;
        if !touches {
            continue;
        }
        let diagnostic = diagnostics::from_finding(finding, document, encoding);
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            for fix in fixes_of(finding) {
                let edits = fix.edits.iter().map(|e| (e.span, e.text.clone())).collect();
                actions.push(action(
                    fix.title,
                    CodeActionKind::QUICKFIX,
                    document,
                    edits,
                    Some(&diagnostic),
                    encoding,
                    true,
                ));
            }
            if let Some(edit) = waiver(document, finding) {
                let title = format!("Waive {} on this line (say why)", finding.rule);
                actions.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    document,
                    vec![edit],
                    Some(&diagnostic),
                    encoding,
                    false,
                ));
            }
        }
    }
    let asks_fix_all = only.is_some_and(|kinds| {
        kinds.iter().any(|k| FIX_ALL == k.as_str() || FIX_ALL.starts_with(&format!("{}.", k.as_str())))
    });
    if asks_fix_all && let Some(fix_all) = fix_all(document, encoding) {
        actions.push(fix_all);
    }
    actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()
}

/// Every fix of the document in one edit: one insertion per place (several findings of a
/// post suggest their label at the same place).
fn fix_all(document: &OpenDocument, encoding: Encoding) -> Option<CodeAction> {
    let mut edits: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for finding in &document.checked.findings {
        for fix in fixes_of(finding) {
            for edit in fix.edits {
                edits.entry((edit.span.start, edit.span.end)).or_insert(edit.text);
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    let edits = edits.into_iter().map(|((start, end), text)| (Span::new(start, end), text)).collect();
    Some(action(
        "Apply every womlint fix".to_owned(),
        CodeActionKind::new(FIX_ALL),
        document,
        edits,
        None,
        encoding,
        false,
    ))
}

/// A same-line waiver for `finding`, at the end of the line it starts on:
/// `<!-- womlint-disable-line RULE -- REASON -->`. None for womlint's own rules (fix the
/// waiver instead) and inside the front matter (a comment would break the YAML).
fn waiver(document: &OpenDocument, finding: &Finding) -> Option<(Span, String)> {
    if finding.principle == Principle::Womlint {
        return None;
    }
    let start = finding.span().start;
    if document.checked.front_matter.is_some_and(|fm| fm.start <= start && start < fm.end) {
        return None;
    }
    let line = document.lines.line_of(start);
    let next = document.lines.line_start(line + 1).unwrap_or(document.text.len());
    let line_text = document.text.get(..next)?;
    let end = line_text.trim_end_matches(['\n', '\r']).len();
    let comment = format!(" <!-- womlint-disable-line {} -- {REASON_PLACEHOLDER} -->", finding.rule);
    Some((Span::new(end, end), comment))
}

fn action(
    title: String,
    kind: CodeActionKind,
    document: &OpenDocument,
    edits: Vec<(Span, String)>,
    diagnostic: Option<&Diagnostic>,
    encoding: Encoding,
    preferred: bool,
) -> CodeAction {
    let lines = document.lines(encoding);
    let edits: Vec<TextEdit> =
        edits.into_iter().map(|(span, new_text)| TextEdit { range: lines.range(span), new_text }).collect();
    // lsp-types' `Uri` caches its parse in a cell; its hash and equality are those of its text.
    #[allow(clippy::mutable_key_type)]
    let changes: HashMap<Uri, Vec<TextEdit>> = HashMap::from([(document.uri.clone(), edits)]);
    CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d.clone()]),
        edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}

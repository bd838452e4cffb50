//! Code actions: the fix a finding carries (the one `womlint check --fix` applies, or with
//! `--unsafe-fixes` for an unsafe one), a waiver for the finding's line with a reason to fill
//! in, and `source.fixAll.womlint`, which applies every safe fix as `--fix` does: to a
//! fixpoint, checked again, never a fix that brings a finding.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Range, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics;
use super::documents::{OpenDocument, check_text};
use super::position::Encoding;
use womlint_core::finding::Finding;
use womlint_core::fix::{FixMode, fix_text};
use womlint_core::rules::{Applicability, Principle};
use womlint_core::span::Span;

/// The kind of the action that applies every fix of a document.
pub(crate) const FIX_ALL: &str = "source.fixAll.womlint";

/// What a waiver says until its author writes the reason.
pub(crate) const REASON_PLACEHOLDER: &str = "REASON";

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
            if let Some(fix) = &finding.fix {
                let safe = fix.applicability == Applicability::Safe;
                let title = if safe { fix.description.clone() } else { format!("{} (unsafe fix)", fix.description) };
                let edits = fix.edits.iter().map(|e| (e.span, e.replacement.clone())).collect();
                actions.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    document,
                    edits,
                    Some(&diagnostic),
                    encoding,
                    safe,
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

/// Every safe fix of the document, as `womlint check --fix` applies them, in one edit of the
/// whole text; none when no safe fix changes it.
fn fix_all(document: &OpenDocument, encoding: Encoding) -> Option<CodeAction> {
    let safe = |f: &Finding| f.fix.as_ref().is_some_and(|fix| fix.applicability == Applicability::Safe);
    if !document.checked.findings.iter().any(safe) {
        return None;
    }
    let rules = document.checked.rules.as_ref()?;
    let name = document.name();
    let check = |text: &str| check_text(name.clone(), text, document.kind, rules, &document.checked.defaults).0;
    let fixed = fix_text(&document.text, FixMode { up_to: Applicability::Safe }, &check);
    if fixed.applied == 0 || fixed.text == document.text {
        return None;
    }
    Some(action(
        "Apply every safe womlint fix".to_owned(),
        CodeActionKind::new(FIX_ALL),
        document,
        vec![(Span::new(0, document.text.len()), fixed.text)],
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

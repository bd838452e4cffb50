//! What the fuzz targets run, shared with the fuzz replay test of the normal test suite
//! (`tests/fuzz_replay.rs`, which includes this file). Only womlint's public API is used.
//! Every function must return, without a panic, on any input; the invariants they assert
//! are womlint's promises about every text.
//!
//! Short inputs hide what long ones show, so [`expand`] turns a few bytes into a long text:
//! a unit repeated into one long line, many lines, or many posts.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use womlint::cli::YamlDiagnostic;
use womlint::config::{self, CliSettings, ConfigFile, Settings};
use womlint::document::{Defaults, Document};
use womlint::pipeline::{CheckOptions, check_text};
use womlint::report::{Format, HumanStyle, Report, render, render_error, render_findings};
use womlint::rules::{PackSource, Profile, RuleSet, RuleSetBuilder, builtin_sources};
use womlint::span::LineIndex;

fn built_in() -> RuleSet {
    RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().expect("the built-in packs compile")
}

/// The built-in packs as a run over a few files has them: lists narrowed per document.
static FEW: LazyLock<RuleSet> = LazyLock::new(|| {
    let rules = built_in();
    rules.prepare_gate_for(false);
    rules
});

/// The built-in packs as a run over a tree has them: whole lists, the raw-text prefilter.
static TREE: LazyLock<RuleSet> = LazyLock::new(|| {
    let rules = built_in();
    rules.prepare_gate_for(true);
    rules
});

/// The most bytes [`expand`] makes.
const LONGEST: usize = 1 << 20;

/// A text from fuzz bytes. The first byte picks a shape: the rest as it is; or the rest after
/// two count bytes repeated that many times, joined by nothing (one long line, many matches in
/// one block), by a line break, or by a thematic break (many posts, many findings).
pub fn expand(data: &[u8]) -> Vec<u8> {
    let Some((&shape, rest)) = data.split_first() else { return Vec::new() };
    let join: &[u8] = match shape % 4 {
        0 => return rest.to_vec(),
        1 => b"",
        2 => b"\n",
        _ => b"\n\n---\n\n",
    };
    let [high, low, unit @ ..] = rest else { return rest.to_vec() };
    if unit.is_empty() {
        return Vec::new();
    }
    let times = usize::from(u16::from_be_bytes([*high, *low])).min(LONGEST / (unit.len() + join.len()));
    let mut out = Vec::with_capacity(times * (unit.len() + join.len()));
    for _ in 0..times {
        out.extend_from_slice(unit);
        out.extend_from_slice(join);
    }
    out
}

/// The document model, as Markdown and as plain text: every span it keeps lies inside the
/// text, on character boundaries, and every block maps back to the source.
pub fn document(data: &[u8]) {
    let expanded = expand(data);
    let Ok(text) = std::str::from_utf8(&expanded) else { return };
    for name in ["fuzz.md", "fuzz.txt"] {
        let doc = Document::parse(name, text);
        let on_boundaries = |start: usize, end: usize| {
            start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
        };
        for block in &doc.blocks {
            let span = block.span();
            assert!(on_boundaries(span.start, span.end), "{name}: block {span:?}");
            let whole = block.source_span(0, block.text.len(), text);
            assert!(on_boundaries(whole.start, whole.end), "{name}: block text maps to {whole:?}");
        }
        for post in &doc.posts {
            assert!(on_boundaries(post.span.start, post.span.end), "{name}: post {:?}", post.span);
        }
        for comment in &doc.comments {
            assert!(on_boundaries(comment.span.start, comment.span.end), "{name}: comment {:?}", comment.span);
        }
        if let Some(front_matter) = &doc.front_matter {
            assert!(on_boundaries(front_matter.span.start, front_matter.span.end), "{name}: front matter");
        }
        let lines = LineIndex::new(text);
        let offsets: Vec<usize> = doc.blocks.iter().flat_map(|b| [b.span().start, b.span().end]).collect();
        let together = lines.line_columns(text, &offsets);
        for (offset, at) in offsets.iter().zip(together) {
            assert_eq!(lines.line_column(text, *offset), at, "{name}: offset {offset}");
        }
    }
}

/// A rule pack and a configuration file: loading gives a rule set or errors, never a panic,
/// and every error renders (one short line of the file at most).
pub fn settings(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut builder = RuleSetBuilder::new(Profile::Union);
    builder.add(PackSource { name: "fuzz.yaml".to_owned(), text: text.to_owned(), builtin: false, converted: None });
    match builder.build() {
        Ok(rules) => {
            for matcher in &rules.matchers {
                let _ = matcher.compile();
                let _ = matcher.find_iter(text).count();
            }
        }
        Err(errors) => {
            for error in errors {
                let shown = render_error(&YamlDiagnostic::pack(&error, builder.sources().first()), HumanStyle::PLAIN);
                assert!(shown.lines().count() < 40, "{shown}");
            }
        }
    }
    match ConfigFile::parse(Path::new("/repo/womlint.yaml"), "womlint.yaml", text.to_owned()) {
        Ok(found) => {
            let resolved = config::resolve(Some(&found), Some(Path::new("/repo/a/post.md")), &CliSettings::default());
            let _ = resolved.settings.key();
        }
        Err(errors) => {
            for error in errors {
                let shown = render_error(&YamlDiagnostic::config(&error), HumanStyle::PLAIN);
                assert!(shown.lines().count() < 40, "{shown}");
            }
        }
    }
}

/// The whole check path of one file, every renderer included. The first byte picks
/// Markdown or text and the few-files or the tree rule set; the rest is [`expand`]ed.
pub fn check(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let expanded = expand(rest);
    let Ok(text) = std::str::from_utf8(&expanded) else { return };
    let path = if pick & 1 == 0 { "fuzz.md" } else { "fuzz.txt" };
    let rules: &RuleSet = if pick & 2 == 0 { &FEW } else { &TREE };
    check_with(path, text, rules);
}

/// [`check`] of `text` named `path`, with the built-in packs as a few-files run has them.
pub fn check_text_as(path: &str, text: &str) {
    check_with(path, text, &FEW);
}

fn check_with(path: &str, text: &str, rules: &RuleSet) {
    let text: Arc<str> = Arc::from(text);
    let inactive = std::collections::HashSet::new();
    let options = CheckOptions {
        defaults: &Defaults::default(),
        settings: &Settings::default(),
        inactive: &inactive,
        context: true,
    };
    let file = check_text(path, Arc::clone(&text), rules, &options);
    for located in &file.findings {
        let span = located.finding.span();
        assert!(span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(located.start.line >= 1 && located.start.column >= 1 && located.start <= located.end);
    }
    let human = render_findings(path, &text, &file.findings, rules, HumanStyle::PLAIN);
    assert!(!human.chars().any(|c| c.is_control() && c != '\n'), "a raw control character in the human report");
    let report = Report { files: vec![file], files_checked: 1, ..Report::default() };
    for format in [Format::Json, Format::Compact, Format::Github, Format::Sarif, Format::Html, Format::Markdown] {
        let mut out = Vec::new();
        render(format, &report, rules, &mut out).expect("a report renders into memory");
        let out = String::from_utf8(out).expect("a report is UTF-8");
        if matches!(format, Format::Compact | Format::Github) {
            assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{format:?}: a raw control character");
        }
    }
}

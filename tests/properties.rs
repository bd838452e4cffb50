//! Property tests for span arithmetic: whatever the input, every span the document model or
//! the engine reports lies inside the file, on char boundaries, and maps to sane lines.

use std::sync::LazyLock;

use proptest::prelude::*;
use womlint::document::{Document, DocumentKind};
use womlint::lint::lint;
use womlint::rules::{PackSource, Profile, RuleSet, RuleSetBuilder, builtin_sources};
use womlint::span::{LineIndex, Span};

static RULES: LazyLock<RuleSet> = LazyLock::new(build_rules);

fn build_rules() -> RuleSet {
    let mut builder = RuleSetBuilder::with_sources(Profile::Union, builtin_sources());
    let mini = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/packs/mini.yaml"))
        .expect("the mini pack fixture");
    builder.add(PackSource { name: "mini.yaml".into(), text: mini, builtin: false, converted: None });
    builder.build().expect("the packs compile")
}

/// Text built from pieces that stress the parsers: markup, multi-byte characters, line ends,
/// triggers and labels of the packs.
fn draft() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "---\n",
        "platform: instagram\n",
        "sponsored: true\n",
        "# ",
        "## Post 2 — TikTok\n",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "\u{feff}",
        "> ",
        "- ",
        "| a | b |\n|---|---|\n",
        "```\n",
        "`",
        "*",
        "_",
        "**",
        "[",
        "](https://amzn.to/x?tag=me-21)",
        "<!-- womlint-disable -->",
        "<!-- ",
        " -->",
        "&amp;",
        "\\#",
        "#ad",
        "#adv",
        "#sp",
        "#collab",
        "gifted",
        "sent me",
        "code GIULIA10",
        "codice SCONTO15",
        "Pubblicità",
        "città",
        "perché",
        "è",
        "👩‍💻",
        "🇮🇹",
        "ẞ",
        "e\u{301}",
        "not sponsored",
        "\"#sp\"",
        "like ",
        " word ",
        ".",
        "!",
        "?",
        "  ",
        "@brand",
        "#tag",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|parts| parts.concat())
}

fn assert_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what}: start after end: {span:?}");
    assert!(span.end <= text.len(), "{what}: {span:?} past the end ({})", text.len());
    assert!(text.is_char_boundary(span.start), "{what}: start {span:?} not on a char boundary");
    assert!(text.is_char_boundary(span.end), "{what}: end {span:?} not on a char boundary");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn document_spans_are_on_char_boundaries(text in draft(), markdown in any::<bool>()) {
        let kind = if markdown { DocumentKind::Markdown } else { DocumentKind::PlainText };
        let doc = Document::parse_as("p", text.as_str(), kind);
        for block in &doc.blocks {
            assert_span(&text, block.span(), "block");
            for piece in &block.pieces {
                assert_span(&text, piece.source, "piece");
            }
            // Every char-boundary range of the block text maps back into the file.
            let bounds: Vec<usize> = block.text.char_indices().map(|(i, _)| i).chain([block.text.len()]).collect();
            for (i, &start) in bounds.iter().enumerate().step_by(3) {
                for &end in bounds.iter().skip(i).step_by(5) {
                    assert_span(&text, block.source_span(start, end, &text), "mapped range");
                }
            }
        }
        for link in &doc.links {
            assert_span(&text, link.span, "link");
        }
        for comment in &doc.comments {
            assert_span(&text, comment.span, "comment");
        }
        for post in &doc.posts {
            assert_span(&text, post.span, "post");
        }
    }

    #[test]
    fn finding_spans_are_inside_the_file(text in draft(), markdown in any::<bool>()) {
        let rules = &*RULES;
        let kind = if markdown { DocumentKind::Markdown } else { DocumentKind::PlainText };
        let doc = Document::parse_as("p", text.as_str(), kind);
        let lines = LineIndex::new(&text);
        for finding in lint(&doc, rules) {
            assert_span(&text, finding.span(), &finding.rule);
            for label in &finding.related {
                assert_span(&text, label.span, "related");
            }
            let start = lines.line_column(&text, finding.span().start);
            let end = lines.line_column(&text, finding.span().end);
            prop_assert!(start <= end);
            prop_assert!(start.line >= 1 && start.column >= 1);
            prop_assert!(end.line <= lines.line_count());
        }
    }

    #[test]
    fn line_columns_count_characters(text in "[a-zè👩\\r\\n\\t ]{0,80}") {
        let lines = LineIndex::new(&text);
        for (offset, _) in text.char_indices() {
            let at = lines.line_column(&text, offset);
            let line_start = lines.line_start(at.line).unwrap();
            prop_assert_eq!(text[line_start..offset].chars().count() + 1, at.column);
        }
    }
}

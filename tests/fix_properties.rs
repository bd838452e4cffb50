//! Property tests for fixes: whatever the draft, a fix's edits lie in the file, on char
//! boundaries, apart from each other and out of code, comments and the front matter; and
//! fixing a file keeps its line ends, its byte order mark, its front matter, its code and the
//! posts that had nothing to fix.

use std::sync::LazyLock;

use proptest::prelude::*;
use womlint::document::{Document, DocumentKind};
use womlint::finding::Finding;
use womlint::fix::{FixMode, fix_text};
use womlint::lint::lint;
use womlint::rules::{Applicability, Profile, RuleSet, RuleSetBuilder, builtin_sources};
use womlint::span::Span;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().expect("the built-in packs compile")
});

const EVERY_FIX: FixMode = FixMode { up_to: Applicability::Unsafe };

/// Pieces of drafts, with the labels, triggers and markup fixes meet.
fn draft() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "---\n",
        "platform: instagram\n",
        "sponsored: true\n",
        "lang: it\n",
        "## Post 2 — TikTok\n",
        "\n",
        "\r\n",
        "\u{feff}",
        "> ",
        "- ",
        "```\n",
        "`",
        "*",
        "[",
        "](https://amzn.to/x?tag=me-21)",
        "<!-- ",
        " -->",
        "#ad",
        "#adv",
        "#sp",
        "#collab",
        "#a_d",
        "#gelato #estate #milano #foodie ",
        "gifted by @glowco",
        "@glowco sent me",
        "use my code GIULIA10",
        "Thanks @glowco!",
        "Pubblicità",
        "città è",
        "👩‍💻",
        "e\u{301}",
        " word ",
        ".",
        "  ",
    ]);
    prop::collection::vec(pieces, 0..50).prop_map(|parts| parts.concat())
}

fn check_with(kind: DocumentKind) -> impl Fn(&str) -> Vec<Finding> {
    move |text: &str| lint(&Document::parse_as("p", text, kind), &RULES)
}

/// Whether `edit` lies strictly inside `area` (touching its ends is outside).
fn inside(edit: Span, area: Span) -> bool {
    area.start < edit.end.max(edit.start + 1) && edit.start < area.end && !(edit.is_empty() && edit.start == area.end)
}

/// A caption of the pool: (text, whether a fix changes it).
const CAPTIONS: [(&str, bool); 8] = [
    ("Overnight mask that actually works 🌙 #sp #skincare", true),
    ("La nuova palette di @colorlab è stupenda #sp #makeup", true),
    (
        "Sunday reset with @verdeluce candles 🕯️ the fig one is my favourite for rainy evenings. #selfcare #candles #homedecor #cozy #sundayvibes #ad",
        true,
    ),
    ("@glowco sent me their new serum and I've used it every night since", true),
    ("#ad Gifted by @glowco: the serum is lovely", false),
    ("Pubblicità | Il gelato di @gelateriasole è la scoperta dell'estate", false),
    ("A walk by the sea this morning, nothing else to say 🌊", false),
    ("Una passeggiata al mare stamattina, città deserta", false),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn fix_edits_lie_in_prose_on_char_boundaries_and_apart(text in draft(), markdown in any::<bool>()) {
        let kind = if markdown { DocumentKind::Markdown } else { DocumentKind::PlainText };
        let doc = Document::parse_as("p", text.as_str(), kind);
        let front_matter = doc.front_matter.as_ref().map(|fm| fm.span);
        for finding in lint(&doc, &RULES) {
            let Some(fix) = &finding.fix else { continue };
            let mut previous: Option<Span> = None;
            for edit in &fix.edits {
                let span = edit.span;
                prop_assert!(span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                if let Some(before) = previous {
                    prop_assert!(before.end <= span.start, "edits overlap: {:?}", fix.edits);
                }
                previous = Some(span);
                for area in front_matter.iter().chain(doc.comments.iter().map(|c| &c.span)) {
                    prop_assert!(!inside(span, *area), "{} edits {:?} inside {:?}: {:?}", finding.rule, span, area, text);
                }
            }
        }
        // Fixing never panics, and what it gives is checked again without a new rule.
        let fixed = fix_text(&text, EVERY_FIX, &check_with(kind));
        prop_assert!(fixed.text.len() >= text.len().saturating_sub(64));
    }

    #[test]
    fn fixing_keeps_line_ends_bom_front_matter_code_and_untouched_posts(
        posts in prop::collection::vec(0..CAPTIONS.len(), 1..5),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        front_matter in any::<bool>(),
        code_after in prop::collection::vec(any::<bool>(), 5),
    ) {
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        if front_matter {
            text.push_str("---\nplatform: instagram\n---\n");
        }
        for (n, &caption) in posts.iter().enumerate() {
            text.push_str(&format!("## Post {} — Instagram\n\n{}\n\n", n + 1, CAPTIONS[caption].0));
            if code_after[n] {
                text.push_str("```text\n#sp in code, @glowco sent me, never copy\n```\n\n");
            }
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let fixed = fix_text(&text, EVERY_FIX, &check_with(DocumentKind::Markdown));
        let out = &fixed.text;
        if posts.iter().any(|&c| CAPTIONS[c].1) {
            prop_assert!(fixed.applied > 0, "nothing was fixed in {:?}", text);
        }
        prop_assert_eq!(out.starts_with('\u{feff}'), bom);
        let head = if front_matter { text.find("---\r\n#").or_else(|| text.find("---\n#")).unwrap_or(0) } else { 0 };
        prop_assert_eq!(&out[..head], &text[..head], "the front matter is kept");
        if crlf {
            prop_assert!(!out.replace("\r\n", "").contains('\n'), "a bare LF in a CRLF file: {:?}", out);
        } else {
            prop_assert!(!out.contains('\r'));
        }
        prop_assert_eq!(out.matches("#sp in code, @glowco sent me, never copy").count(), code_after[..posts.len()].iter().filter(|c| **c).count());
        let doc = Document::parse("p.md", out.as_str());
        prop_assert_eq!(doc.posts.len(), Document::parse("p.md", text.as_str()).posts.len());
        for &caption in &posts {
            let (words, fixable) = CAPTIONS[caption];
            if !fixable {
                prop_assert!(out.contains(&format!("\n{words}")), "an untouched post changed: {:?}", out);
            }
        }
        // Every post that had a fix to make is clear of the findings its fix repairs.
        for finding in &fixed.checked {
            prop_assert!(finding.fix.is_none() || !finding.rule.starts_with("relationship/"), "{} left in {:?}", finding.rule, out);
        }
    }
}

//! The fuzz targets' smoke run on the stable toolchain (`cargo fuzz` needs a nightly one):
//! every seed the fuzzers start from (the repository's drafts, packs and configurations) goes
//! through each target, and a property test feeds the whole check path long inputs built
//! from short units, the shape that hid every quadratic and every panic so far. The targets
//! themselves live in fuzz/ (see its README.md); this file runs their code.

#[path = "../fuzz/src/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};

use proptest::prelude::*;

fn files_under(folder: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(folder)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a fixture folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_seed_goes_through_every_target() {
    let drafts: Vec<PathBuf> =
        ["examples", "tests/fixtures"].iter().flat_map(|f| files_under(f, &["md", "txt"])).collect();
    assert!(drafts.len() > 20, "{drafts:?}");
    for draft in &drafts {
        let bytes = std::fs::read(draft).expect("a draft");
        // As it is, and repeated into one long line, many lines and many posts; as Markdown
        // and as text, with the rule sets of a few files and of a tree.
        for shape in 0..4u8 {
            let head: &[u8] = if shape == 0 { &[0] } else { &[shape, 0, 8] };
            let data = [head, &bytes].concat();
            harness::document(&data);
            harness::check(&[&[shape][..], &data].concat());
        }
    }
    let yaml: Vec<PathBuf> = ["rules", "tests/fixtures"].iter().flat_map(|f| files_under(f, &["yaml"])).collect();
    assert!(yaml.len() > 10, "{yaml:?}");
    for file in &yaml {
        harness::settings(&std::fs::read(file).expect("a YAML file"));
    }
}

/// Units that make the long shapes: labels, triggers, quotes, cues, markup, controls.
fn unit() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "#ad ",
        "#sp ",
        "@glowco sent me this. ",
        "gifted ",
        "Use my code GLOW20 ",
        "like \"#sp\" ",
        "e.g. ",
        "“#spon” ",
        "non sponsorizzato ",
        "[x](https://amzn.to/x?tag=a-21) ",
        "`#ad` ",
        "**bold** ",
        "è ",
        "👩‍💻 ",
        "\u{202e}#ad\u{202c} ",
        "\u{1b}[2J ",
        "\t",
        "\r\n",
        "<!-- womlint-disable relationship -- r -->\n",
        "<!-- ",
        "> ",
        "- ",
        "## Post 2 — TikTok\n",
        "---\n",
        "+++\n",
        "sponsored: true\n",
        "\n\n",
    ]);
    prop::collection::vec(pieces, 1..8).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn long_inputs_go_through_the_whole_check(
        unit in unit(),
        times in 1usize..1500,
        join in prop::sample::select(vec!["", " ", "\n", "\n\n---\n\n"]),
        markdown in any::<bool>(),
    ) {
        let text: String = std::iter::repeat_n(format!("{unit}{join}"), times).collect();
        harness::check_text_as(if markdown { "long.md" } else { "long.txt" }, &text);
        harness::document(&[[0u8].as_slice(), text.as_bytes()].concat());
    }
}

//! A run over one or two files narrows each pattern list to the patterns the gate finds in the
//! document before compiling it; a run over a tree compiles whole lists. Both must report the
//! same findings: the held-out and real-world cases, the bundled examples and every example of every built-in
//! rule are linted both ways; so is the development corpus beside the checkout, in a test that
//! a plain `cargo test` ignores and `.ci/run` runs.

use std::path::{Path, PathBuf};

use womlint::document::Document;
use womlint::lint::lint;
use womlint::rules::{Profile, RuleSet, RuleSetBuilder, builtin_sources};

fn rules(many_files: bool) -> RuleSet {
    let rules =
        RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().expect("the built-in packs build");
    rules.prepare_gate_for(many_files);
    rules
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "md" || e == "txt") {
            out.push(path);
        }
    }
}

/// Every finding of `text`, rendered so that two runs compare as strings.
fn findings(rules: &RuleSet, name: &str, text: &str) -> Vec<String> {
    let doc = Document::parse(name.to_owned(), text.to_owned());
    lint(&doc, rules).iter().map(|f| format!("{f:?}")).collect()
}

#[test]
fn narrowed_lists_find_what_whole_lists_find() {
    let (tree, one) = (rules(true), rules(false));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("tests/fixtures/heldout"), &mut files);
    files_under(&root.join("tests/fixtures/realworld"), &mut files);
    files_under(&root.join("examples"), &mut files);
    files.sort();
    assert!(files.len() >= 60, "expected the held-out cases and the examples, found {} files", files.len());

    let mut texts: Vec<(String, String)> = files
        .iter()
        .map(|path| (path.display().to_string(), std::fs::read_to_string(path).expect("a UTF-8 fixture")))
        .collect();
    for rule in &tree.rules {
        for (index, example) in rule.examples.iter().enumerate() {
            texts.push((format!("{}#{index}.md", rule.id), example.text.clone()));
        }
    }

    // The long s and the Kelvin sign match `s` and `k` in a case-insensitive regex but are
    // not seen by the gate's ASCII search: a document that holds one is not narrowed.
    let hidden = [
        ("long-s.md", "Glowco kindly \u{17F}ent me this serum, I love it."),
        ("kelvin.md", "Glowco kindly sent me this serum (300 \u{212A} of glow)."),
    ];
    for (name, text) in hidden {
        assert!(!findings(&tree, name, text).is_empty(), "{name}: the trigger is found");
        texts.push((name.to_owned(), text.to_owned()));
    }

    let mut flagged = 0;
    for (name, text) in &texts {
        let expected = findings(&tree, name, text);
        flagged += usize::from(!expected.is_empty());
        assert_eq!(findings(&one, name, text), expected, "{name}");
    }
    assert!(flagged >= 40, "only {flagged} documents had findings: the comparison proves little");
}

#[test]
#[ignore = "needs the development corpus in ../shared/corpus; .ci/run runs it"]
fn narrowed_lists_find_what_whole_lists_find_on_the_development_corpus() {
    let (tree, one) = (rules(true), rules(false));
    let mut files = Vec::new();
    files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev"), &mut files);
    files.sort();
    assert!(files.len() >= 80, "expected the development corpus beside the checkout, found {} files", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a UTF-8 case");
        let name = path.display().to_string();
        assert_eq!(findings(&one, &name, &text), findings(&tree, &name, &text), "{name}");
    }
}

//! The labelled evaluation sets as floors, scored the way the corpus scorer does it: a file is
//! flagged by any diagnostic at `warning` or above; a line hit is a diagnostic of the expected
//! principle within ±1 line. Each set lives in the repository with its labels
//! (`labels.yaml`, and `labels.json` generated from it with the corpus scorer's
//! `--write-json`):
//!
//! - `tests/fixtures/heldout`: short EN and IT drafts in the style of copy quoted in
//!   enforcement decisions, written as paraphrases;
//! - `tests/fixtures/realworld/dev`: drafts quoted or reconstructed from ASA, CMA, FTC, AGCM,
//!   AGCOM and IAP decisions, news reports and real posts, the split the packs are tuned on;
//! - `tests/fixtures/realworld/validation`: a fifth of the same set, kept aside from tuning;
//! - `tests/fixtures/realworld/dev2` and `validation2`: later blind batches of the same kind,
//!   split the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn set(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn labels(set_dir: &Path) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(set_dir.join("labels.json")).expect("labels.json");
    let value: Value = serde_json::from_str(&text).expect("labels are JSON");
    value.as_object().expect("labels by file").iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Findings at `warning` or above, by file name: (line, principle, rule).
fn findings(set_dir: &Path, extra: &[&str]) -> BTreeMap<String, Vec<(u64, String, String)>> {
    let output = Command::new(env!("CARGO_BIN_EXE_womlint"))
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(set_dir.join("cases"))
        .output()
        .expect("womlint runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let mut by_file: BTreeMap<String, Vec<(u64, String, String)>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        if d["severity"] == "info" {
            continue;
        }
        let name = d["path"].as_str().and_then(|p| p.rsplit(['/', '\\']).next()).expect("path").to_owned();
        let rule = d["rule"].as_str().unwrap_or_default().to_owned();
        let principle = d["principle"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| rule.split('/').next().unwrap_or_default().to_owned());
        by_file.entry(name).or_default().push((d["line"].as_u64().unwrap_or(0), principle, rule));
    }
    by_file
}

struct Score {
    f1: f64,
    precision: f64,
    line_hits: f64,
    false_positives: Vec<String>,
    misses: Vec<String>,
}

fn score(name: &str, extra: &[&str]) -> Score {
    let set_dir = set(name);
    let labels = labels(&set_dir);
    let found = findings(&set_dir, extra);
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    let (mut hits, mut expected) = (0.0, 0.0);
    let (mut false_positives, mut misses) = (Vec::new(), Vec::new());
    for (name, label) in &labels {
        let violation = label["violation"].as_bool().expect("violation");
        let got = found.get(name).map(Vec::as_slice).unwrap_or_default();
        match (violation, !got.is_empty()) {
            (true, true) => tp += 1.0,
            (true, false) => {
                fn_ += 1.0;
                misses.push(name.clone());
            }
            (false, true) => {
                fp += 1.0;
                false_positives.push(format!("{name}: {got:?}"));
            }
            (false, false) => {}
        }
        for e in label["expect"].as_array().expect("expect") {
            expected += 1.0;
            let line = e["line"].as_u64().expect("line");
            let principle = e["principle"].as_str().expect("principle");
            if got.iter().any(|(l, p, _)| p == principle && l.abs_diff(line) <= 1) {
                hits += 1.0;
            } else if !got.is_empty() {
                misses.push(format!("{name}: line {line} {principle}, got {got:?}"));
            }
        }
    }
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let recall = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    Score { f1, precision, line_hits: if expected > 0.0 { hits / expected } else { 0.0 }, false_positives, misses }
}

#[test]
fn heldout_labels_cover_every_case() {
    labels_cover_every_case("heldout", 10);
}

/// Every case file has one label, and each language has at least `each` violations and `each`
/// clean cases.
fn labels_cover_every_case(name: &str, each: usize) {
    let labels = labels(&set(name));
    let files: BTreeSet<String> = std::fs::read_dir(set(name).join("cases"))
        .expect("cases folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let labelled: BTreeSet<String> = labels.keys().cloned().collect();
    assert_eq!(files, labelled, "every case file has exactly one label");
    let count = |lang: &str, violation: bool| {
        labels.values().filter(|l| l["lang"] == lang && l["violation"].as_bool() == Some(violation)).count()
    };
    for lang in ["en", "it"] {
        assert!(count(lang, true) >= each && count(lang, false) >= each, "{lang}: both violations and clean cases");
    }
}

#[test]
fn heldout_score_meets_the_floor() {
    let s = score("heldout", &[]);
    assert!(s.f1 >= 0.95, "F1 {:.3}; misses: {:#?}; false positives: {:#?}", s.f1, s.misses, s.false_positives);
    assert!(s.line_hits >= 0.93, "line hits {:.3}; misses: {:#?}", s.line_hits, s.misses);
}

#[test]
fn heldout_no_false_positive_on_clean_copy() {
    let s = score("heldout", &[]);
    assert!(s.false_positives.is_empty(), "false positives: {:#?}", s.false_positives);
}

#[test]
fn heldout_strict_profile_keeps_recall() {
    // The strict profile accepts fewer labels, so it may add findings, but never lose one.
    let s = score("heldout", &["--strict"]);
    assert!(s.line_hits >= 0.93, "line hits {:.3}; misses: {:#?}", s.line_hits, s.misses);
}

#[test]
fn realworld_labels_cover_every_case() {
    labels_cover_every_case("realworld/dev", 10);
    labels_cover_every_case("realworld/validation", 10);
    labels_cover_every_case("realworld/dev2", 10);
    labels_cover_every_case("realworld/validation2", 2);
}

/// Asserts a split's F1, precision and line hits against their floors.
fn assert_floors(split: &str, f1: f64, precision: f64, line_hits: f64) {
    let s = score(split, &[]);
    assert!(
        s.f1 >= f1 && s.precision >= precision,
        "{split}: F1 {:.3}, precision {:.3}; misses: {:#?}; false positives: {:#?}",
        s.f1,
        s.precision,
        s.misses,
        s.false_positives
    );
    assert!(s.line_hits >= line_hits, "{split}: line hits {:.3}; misses: {:#?}", s.line_hits, s.misses);
}

#[test]
fn realworld_dev_score_meets_the_floor() {
    // The floors follow the set as it grows: each round of blind cases is scored first, then
    // tuned on, and what it still misses stays in (837 cases: F1 0.960, precision 0.990, line
    // hits 0.80).
    assert_floors("realworld/dev", 0.95, 0.98, 0.78);
}

#[test]
fn realworld_dev2_score_meets_the_floor() {
    // Eight blind batches, each scored before any change was made for it: the tenth scored F1
    // 0.73 here (0.90 after), the eleventh brought the split to F1 0.73 (precision 0.88, line
    // hits 0.37; after: F1 0.89, precision 1.00, line hits 0.50), the twelfth to F1 0.85
    // (precision 0.88, line hits 0.47); after: F1 0.92, precision 0.99, line hits 0.51. The
    // thirteenth brought it to F1 0.90 (precision 0.95, line hits 0.54); after: F1 0.93,
    // precision 1.00, line hits 0.55. The fourteenth (48 cases) brought it to F1 0.91
    // (precision 0.99, line hits 0.54); after: F1 0.93, precision 1.00, line hits 0.57. The
    // fifteenth (48) brought it to F1 0.91 (precision 0.99, line hits 0.55); after: F1 0.94,
    // precision 1.00, line hits 0.57. The sixteenth (48) brought it to F1 0.92 (precision 0.97,
    // line hits 0.56); after: F1 0.95, precision 0.99, line hits 0.57. The seventeenth (36)
    // brought it to F1 0.94 (precision 0.98, line hits 0.56); after: F1 0.95, precision 0.99,
    // line hits 0.57.
    assert_floors("realworld/dev2", 0.94, 0.98, 0.55);
}

#[test]
fn realworld_minimal_pairs_are_told_apart() {
    // Cases of a minimal pair share a `pair-NN` kind: a draft and one controlled change that
    // flips the verdict. A group is right when every case of it gets its verdict.
    let mut groups: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    for split in ["realworld/dev", "realworld/dev2"] {
        let set_dir = set(split);
        let labels = labels(&set_dir);
        let found = findings(&set_dir, &[]);
        for (name, label) in &labels {
            let Some(group) = label["kinds"]
                .as_array()
                .and_then(|kinds| kinds.iter().filter_map(Value::as_str).find(|k| k.starts_with("pair-")))
            else {
                continue;
            };
            let violation = label["violation"].as_bool().expect("violation");
            groups.entry(group.to_owned()).or_default().push(violation == found.contains_key(name));
        }
    }
    assert!(groups.len() >= 175, "expected the minimal pairs, found {} groups", groups.len());
    let wrong: Vec<&String> = groups.iter().filter(|(_, right)| right.contains(&false)).map(|(g, _)| g).collect();
    let share = 1.0 - wrong.len() as f64 / groups.len() as f64;
    assert!(share >= 0.93, "{share:.2} of the groups right; wrong: {wrong:?}");
}

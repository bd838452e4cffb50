//! The development corpus score as a floor: labelled EN and IT drafts scored by the shared
//! scorer (`../shared/corpus/score.py`). A rule change that loses precision, recall or line
//! hits, or flags any false-positive trap, fails here.
//!
//! The corpus lives beside the checkout, not in it: these tests are ignored by a plain
//! `cargo test` on a fresh clone and run by `.ci/run` (`cargo test -- --include-ignored`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn corpus() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        path.join("score.py").is_file(),
        "the development corpus is expected at {} (the shared folder beside the repository)",
        path.display()
    );
    path
}

/// The scorer's last line as numbers: F1, precision, recall, line hits.
fn score(extra: &str) -> Vec<(String, f64)> {
    let corpus = corpus();
    let cmd = format!("{} check --format json {extra} {{path}}", env!("CARGO_BIN_EXE_womlint"));
    let output = Command::new("python3")
        .arg(corpus.join("score.py"))
        .args(["--cmd", &cmd])
        .arg(corpus.join("dev"))
        .output()
        .expect("python3 runs the scorer");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "scorer failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let last = stdout.lines().last().unwrap_or_default();
    last.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.parse().unwrap_or(0.0)))
        .collect()
}

fn get(scores: &[(String, f64)], key: &str) -> f64 {
    scores.iter().find(|(k, _)| k == key).map(|(_, v)| *v).unwrap_or_else(|| panic!("no {key} in {scores:?}"))
}

#[test]
#[ignore = "needs the development corpus in ../shared/corpus; .ci/run runs it"]
fn corpus_score_meets_the_floor() {
    let scores = score("");
    assert!(get(&scores, "F1") >= 0.97, "{scores:?}");
    assert!(get(&scores, "line_hits") >= 0.90, "{scores:?}");
}

#[test]
#[ignore = "needs the development corpus in ../shared/corpus; .ci/run runs it"]
fn corpus_score_no_false_positive_on_any_trap() {
    let corpus = corpus();
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("dev/labels.json")).expect("labels.json"))
            .expect("labels are JSON");
    let output = Command::new(env!("CARGO_BIN_EXE_womlint"))
        .args(["check", "--format", "json"])
        .arg(corpus.join("dev/cases"))
        .output()
        .expect("womlint runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let labels = labels.as_object().expect("labels by file");
    let traps: Vec<&String> = labels
        .iter()
        .filter(|(_, l)| l["kinds"].as_array().is_some_and(|k| k.iter().any(|k| k == "fp-trap")))
        .map(|(name, _)| name)
        .collect();
    assert!(traps.len() >= 20, "expected the corpus's fp-trap cases, found {}", traps.len());
    let flagged: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] != "info")
        .filter_map(|d| {
            let path = d["path"].as_str()?;
            let name = path.rsplit('/').next()?;
            traps.iter().any(|t| t.as_str() == name).then(|| format!("{name}:{} {}", d["line"], d["rule"]))
        })
        .collect();
    assert!(flagged.is_empty(), "false positives on traps: {flagged:#?}");
}

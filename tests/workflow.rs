//! The workflow around the engine, through the command line: configuration discovery and
//! overrides, waivers, output formats, thresholds, `init`, completions, schemas, and the
//! pre-commit and GitHub Action definitions.

// Helpers outside `#[test]` functions unwrap too: a panic is a failed test here.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/workflow")
}

fn womlint(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_womlint"));
    cmd.current_dir(dir).env("NO_COLOR", "1").env_remove("CI");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output = womlint(dir).args(args).output().expect("womlint runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr))
}

/// `(path, rule, severity, line)` of every diagnostic of a JSON report.
fn findings(report: &Value) -> Vec<(String, String, String, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn has(list: &[(String, String, String, u64)], path: &str, rule: &str) -> bool {
    list.iter().any(|(p, r, _, _)| p == path && r == rule)
}

fn repo() -> PathBuf {
    fixtures().join("repo")
}

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

#[test]
fn sample_repository_uses_discovered_configs_and_overrides() {
    let out = run(&repo(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = json(&out);
    let list = findings(&report);
    // extra_packs is relative to the configuration file: the mini pack's rules run.
    assert!(has(&list, "gifted.md", "relationship/undisclosed"), "{list:?}");
    // rules: sets a severity.
    assert!(list.contains(&("ambiguous.md".into(), "relationship/ambiguous".into(), "info".into(), 1)), "{list:?}");
    // exclude: drafts is left out of the walk.
    assert!(!list.iter().any(|(p, ..)| p.starts_with("drafts/")), "{list:?}");
    // overrides: rules off for archive/, and its waiver of a switched-off rule is not "unused".
    assert!(!list.iter().any(|(p, ..)| p.starts_with("archive/")), "{list:?}");
    // overrides: platform: instagram puts the fold at 40 characters for social/ only.
    assert!(has(&list, "social/late.md", "relationship/late"), "{list:?}");
    assert!(!has(&list, "late.md", "relationship/late"), "{list:?}");
    // overrides: lang: it unless the front matter says otherwise.
    let message = |path: &str| {
        report["diagnostics"].as_array().unwrap().iter().find(|d| d["path"] == path).unwrap()["message"].clone()
    };
    assert_eq!(message("it/regalo.md"), "Rapporto non dichiarato");
    assert_eq!(message("it/english.md"), "Connection not disclosed");
    // The nearest configuration wins (sub/ switches womlint's own rules off).
    assert!(has(&list, "sub/post.md", "relationship/ambiguous"), "{list:?}");
    assert!(!list.iter().any(|(p, r, ..)| p == "sub/post.md" && r.starts_with("womlint/")), "{list:?}");
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[test]
fn show_files_lists_what_a_run_would_check() {
    let out = run(&repo(), &["check", "--show-files", "--output", "waivers.txt"]);
    assert_eq!(out.code, 0, "nothing is checked: {}", out.stderr);
    let files: Vec<&str> = out.stdout.lines().collect();
    assert!(files.contains(&"gifted.md") && files.contains(&"archive/old.md"), "{files:?}");
    assert!(!files.iter().any(|f| f.starts_with("drafts/")), "the configuration excludes drafts: {files:?}");
    assert!(!files.contains(&"waivers.txt"), "the report file is never checked: {files:?}");
    let mut sorted = files.clone();
    sorted.sort_unstable();
    assert_eq!(files, sorted);
    assert!(out.stderr.contains(&format!("{} file(s) would be checked", files.len())), "{}", out.stderr);
    // The same list a run checks.
    let checked = json(&run(&repo(), &["check", "--format", "json", "--output", "/dev/stdout"]));
    assert_eq!(
        checked["files_checked"].as_u64(),
        Some(files.len() as u64 + 1),
        "waivers.txt is checked in a normal run"
    );
}

#[test]
fn show_settings_says_where_each_value_comes_from() {
    let out = run(&repo(), &["check", "--show-settings", "it/regalo.md", "--fail-on", "error"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let row = |name: &str| row_of(&out.stdout, name);
    assert!(row("configuration").contains("womlint.yaml (the nearest to the file)"), "{}", out.stdout);
    assert!(row("lang").contains("it") && row("lang").contains("overrides[0] (files: it/**)"), "{}", out.stdout);
    assert!(row("fail_on").contains("error") && row("fail_on").ends_with("--fail-on"), "{}", out.stdout);
    assert!(
        row("relationship/ambiguous").contains("info     rules: relationship/ambiguous, womlint.yaml"),
        "{}",
        out.stdout
    );
    assert!(row("womlint/unused-waiver").contains("warning  default"), "{}", out.stdout);
    // An override that switches a principle off, and a file the configuration leaves out.
    let out = run(&repo(), &["check", "--show-settings", "archive/old.md"]);
    assert!(
        row_of(&out.stdout, "relationship/undisclosed")
            .contains("off      rules: relationship, womlint.yaml, overrides[2]"),
        "{}",
        out.stdout
    );
    let out = run(&repo(), &["check", "--show-settings", "drafts/wip.md"]);
    assert!(
        row_of(&out.stdout, "checked").contains("only when named: womlint.yaml's include/exclude leaves it out"),
        "{}",
        out.stdout
    );
    let out = run(&repo(), &["check", "--show-settings", "gifted.md", "--no-config", "--jurisdiction", "uk"]);
    assert!(row_of(&out.stdout, "configuration").contains("none (--no-config)"), "{}", out.stdout);
    assert!(
        row_of(&out.stdout, "jurisdiction").contains("uk")
            && row_of(&out.stdout, "jurisdiction").ends_with("--jurisdiction"),
        "{}",
        out.stdout
    );
}

fn row_of(text: &str, name: &str) -> String {
    text.lines().find(|l| l.split_whitespace().next() == Some(name)).unwrap_or_default().to_owned()
}

#[test]
fn nested_config_threshold_applies_to_its_files() {
    // sub/ says fail_on: error and has only a warning.
    let out = run(&repo(), &["check", "sub"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("relationship/ambiguous"), "{}", out.stdout);
    // The command line wins over the configuration.
    assert_eq!(run(&repo(), &["check", "sub", "--fail-on", "warning"]).code, 1);
}

#[test]
fn no_config_and_explicit_config() {
    let out = run(&repo(), &["check", "--no-config", "--pack", "../../packs/mini.yaml", "--format", "json"]);
    let list = findings(&json(&out));
    assert!(list.iter().any(|(p, ..)| p.starts_with("drafts/")), "{list:?}");
    assert!(list.iter().any(|(p, ..)| p.starts_with("archive/")), "{list:?}");
    assert!(!has(&list, "social/late.md", "relationship/late"));

    // --config applies one file to every checked file, wherever it is.
    let out = run(&repo(), &["check", "--config", "../thresholds/levels.yaml", "--format", "json", "gifted.md"]);
    let list = findings(&json(&out));
    assert_eq!(list, vec![("gifted.md".into(), "relationship/undisclosed".into(), "info".into(), 3)]);
    assert_eq!(out.code, 0, "an info finding does not fail the default threshold");
}

#[test]
fn explicit_files_are_checked_unless_force_exclude() {
    let out = run(&repo(), &["check", "--format", "json", "drafts/wip.md"]);
    assert!(has(&findings(&json(&out)), "drafts/wip.md", "relationship/undisclosed"));
    let out = run(&repo(), &["check", "--format", "json", "--force-exclude", "drafts/wip.md"]);
    assert_eq!(json(&out)["files_checked"], 0);
    assert_eq!(out.code, 0);
}

#[test]
fn stdin_filename_picks_the_config_and_overrides_of_its_folder() {
    let out = womlint(&repo())
        .args(["check", "-", "--stdin-filename", "it/new.md", "--format", "json"])
        .write_stdin("Glowco sent me this serum.\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["path"], "it/new.md");
    assert_eq!(report["diagnostics"][0]["message"], "Rapporto non dichiarato");
    let out = womlint(&repo())
        .args(["check", "-", "--stdin-filename", "drafts/new.md", "--force-exclude", "--format", "json"])
        .write_stdin("Glowco sent me this serum.\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files_checked"], 0);
}

fn temp_project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("womlint.yaml"), config).unwrap();
    std::fs::write(dir.path().join("post.md"), "Glowco sent me this serum.\n").unwrap();
    std::fs::copy(root().join("tests/fixtures/packs/mini.yaml"), dir.path().join("mini.yaml")).unwrap();
    dir
}

#[test]
fn unknown_config_key_is_an_error_at_its_line() {
    let dir = temp_project("extra_packs: [mini.yaml]\nfial_on: warning\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "nothing is checked: {}", out.stdout);
    assert!(out.stderr.contains("fial_on"), "{}", out.stderr);
    assert!(out.stderr.contains("womlint.yaml:2:1"), "{}", out.stderr);
    assert!(out.stderr.contains("invalid_config"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `fail_on`?"), "{}", out.stderr);
}

#[test]
fn a_value_of_the_wrong_type_names_its_key_with_an_example() {
    let dir = temp_project("extra_packs: [mini.yaml]\nexclude: drafts\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`exclude` is a list of globs"), "{}", out.stderr);
    assert!(out.stderr.contains(r#"e.g. `exclude: ["drafts"]`"#), "{}", out.stderr);
    assert!(out.stderr.contains("womlint.yaml:2:10"), "{}", out.stderr);
    assert!(!out.stderr.contains("expected sequence start"), "{}", out.stderr);
}

#[test]
fn wrong_config_values_are_all_reported() {
    let dir = temp_project("extra_packs: [mini.yaml]\nfail_on: sometimes\nrules:\n  relationship: loud\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("womlint.yaml:2:10"), "{}", out.stderr);
    assert!(out.stderr.contains("womlint.yaml:4:17"), "{}", out.stderr);
    assert!(out.stderr.contains("2 problem(s)"), "{}", out.stderr);
}

/// A tree large enough to be checked while it is walked: a broken configuration or pack met
/// deep in it still stops the run before any report, and every broken configuration is named.
#[test]
fn broken_configs_deep_in_a_large_tree_stop_the_run() {
    let dir = temp_project("extra_packs: [mini.yaml]\n");
    for i in 0..150 {
        let folder = dir.path().join(format!("f{:03}", i / 10));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("post-{i}.md")), "Glowco sent me this serum.\n").unwrap();
    }
    std::fs::write(dir.path().join("f009/womlint.yaml"), "fial_on: warning\n").unwrap();
    std::fs::write(dir.path().join("f013/womlint.yaml"), "fail_on: sometimes\n").unwrap();
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "nothing is reported: {}", out.stdout);
    assert!(out.stderr.contains("fial_on"), "{}", out.stderr);
    assert!(out.stderr.contains("sometimes"), "{}", out.stderr);

    std::fs::write(dir.path().join("f009/womlint.yaml"), "extra_packs: [missing.yaml]\n").unwrap();
    std::fs::remove_file(dir.path().join("f013/womlint.yaml")).unwrap();
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "nothing is reported: {}", out.stdout);
    assert!(out.stderr.contains("missing.yaml"), "{}", out.stderr);

    std::fs::remove_file(dir.path().join("f009/womlint.yaml")).unwrap();
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["files_checked"], 151);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 151);
}

#[test]
fn unknown_rule_in_config_is_an_error() {
    let dir = temp_project("extra_packs: [mini.yaml]\nrules:\n  relationship/undisclosd: off\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("relationship/undisclosd"), "{}", out.stderr);
    assert!(out.stderr.contains("womlint.yaml:3:3"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `relationship/undisclosed`"), "{}", out.stderr);
    // `rules` and `explain` read the same configuration.
    assert_eq!(run(dir.path(), &["rules"]).code, 2);
}

#[test]
fn a_misspelt_built_in_rule_id_gets_the_id_meant() {
    let dir = temp_project("rules:\n  relationship/ambiguous-label: error\n  opinion/flase-independence: off\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `relationship/ambiguous-label-only`?"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `opinion/false-independence`?"), "{}", out.stderr);
    let out = run(dir.path(), &["explain", "--no-config", "relationship/ambiguous-label"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `relationship/ambiguous-label-only`?"), "{}", out.stderr);
    let out = run(dir.path(), &["explain", "--no-config", "womlint/unused-waivers"]);
    assert!(out.stderr.contains("did you mean `womlint/unused-waiver`?"), "{}", out.stderr);
}

#[test]
fn missing_config_or_pack_is_an_error() {
    let dir = temp_project("extra_packs: [missing.yaml]\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("missing.yaml"), "{}", out.stderr);
    let out = run(dir.path(), &["check", "--config", "nope.yaml"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nope.yaml"), "{}", out.stderr);
}

#[test]
fn config_switches_packs_and_profile() {
    let dir = temp_project("extra_packs: [mini.yaml]\nrules:\n  mini: off\n");
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json(&out)["diagnostics"], serde_json::json!([]));
    // `#sponsored` is not accepted in the UK: jurisdiction from the config, then from the flag.
    let dir = temp_project("extra_packs: [mini.yaml]\njurisdiction: uk\n");
    std::fs::write(dir.path().join("post.md"), "#sponsored Glowco sent me this\n").unwrap();
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert!(has(&findings(&json(&out)), "post.md", "relationship/ambiguous"), "{}", out.stdout);
    let out = run(dir.path(), &["check", "--format", "json", "--jurisdiction", "us"]);
    assert_eq!(json(&out)["diagnostics"], serde_json::json!([]));
    // Built-in packs are switched by id; an unknown id is an error.
    let dir = temp_project("extra_packs: [mini.yaml]\npacks: { womma: false, acme: true }\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no built-in pack `acme`"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------
// Waivers
// ---------------------------------------------------------------------------------------

#[test]
fn waivers_in_markdown_and_text() {
    let out = run(&repo(), &["check", "--format", "json", "waivers.md", "waivers.txt"]);
    let list = findings(&json(&out));
    assert_eq!(
        list,
        vec![
            ("waivers.md".into(), "womlint/waiver-without-reason".into(), "warning".into(), 6),
            ("waivers.md".into(), "womlint/unused-waiver".into(), "warning".into(), 9),
        ],
        "the serum (line 4) and the cream (line 7) are waived; waivers.txt is clean"
    );
    assert_eq!(out.code, 1);
}

#[test]
fn waiver_rules_can_be_switched_off_or_raised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("waivers.md"), dir.path().join("waivers.md")).unwrap();
    std::fs::copy(root().join("tests/fixtures/packs/mini.yaml"), dir.path().join("mini.yaml")).unwrap();
    let config = |text: &str| std::fs::write(dir.path().join("womlint.yaml"), text).unwrap();
    config("extra_packs: [mini.yaml]\nrules:\n  womlint/waiver-without-reason: off\n  womlint/unused-waiver: error\n");
    let list = findings(&json(&run(dir.path(), &["check", "--format", "json"])));
    assert_eq!(list, vec![("waivers.md".into(), "womlint/unused-waiver".into(), "error".into(), 9)]);
    config("extra_packs: [mini.yaml]\nrules:\n  womlint: off\n");
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(json(&out)["diagnostics"], serde_json::json!([]));
    assert_eq!(out.code, 0);
}

#[test]
fn a_waiver_covers_places_not_whole_findings() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# Serum\n\n<!-- womlint-disable-next-line relationship/undisclosed -- sample from a friend -->\n\
                Glowco sent me this serum.\n\nGlowco sent me a cream too.\n\n\
                <!-- womlint-disable relationship -- the shop's own section -->\nUse code GLOW20 today.\n\
                <!-- womlint-enable relationship -->\n";
    std::fs::write(dir.path().join("post.md"), text).unwrap();
    let mini = root().join("tests/fixtures/packs/mini.yaml");
    let out = run(dir.path(), &["check", "--no-config", "--pack", mini.to_str().unwrap(), "--format", "json"]);
    let report = json(&out);
    // One finding per post: the waived first place moves it to the cream, and both waivers
    // are used (the code on line 9 is one of its places).
    assert_eq!(findings(&report), vec![("post.md".into(), "relationship/undisclosed".into(), "error".into(), 6)]);
    assert_eq!(
        report["diagnostics"][0]["related"].as_array().map(|r| r.iter().all(|l| l["text"] != "also here")),
        Some(true)
    );
    // The whole file.
    let text = "<!-- womlint-disable-file -- archived campaign, kept for the record -->\nGlowco sent me this.\n";
    std::fs::write(dir.path().join("post.md"), text).unwrap();
    let out = run(dir.path(), &["check", "--no-config", "--pack", mini.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn waivers_womlint_cannot_read_are_reported_with_the_one_meant() {
    let dir = tempfile::tempdir().unwrap();
    let markdown = "# Serum\n\n<!-- womlint-disable-nextline relationship/undisclosed -- own shop -->\n\
                    Glowco sent me this serum.\n\n<!-- womlint: disable relationship -- own shop -->\n\n\
                    <!-- womlint-disable-next-line relationship/undisclosd -- own shop -->\nGlowco sent me a cream.\n\n\
                    <!-- womlint-disable-next-line relationship/undisclosed -- own shop ->\nGlowco sent me a mask.\n";
    std::fs::write(dir.path().join("post.md"), markdown).unwrap();
    let text =
        "Shop notes.\n# womlint-disable-nextline relationship/undisclosed -- own shop\nGlowco sent me this serum.\n";
    std::fs::write(dir.path().join("notes.txt"), text).unwrap();
    let mini = root().join("tests/fixtures/packs/mini.yaml");
    let out = run(dir.path(), &["check", "--no-config", "--pack", mini.to_str().unwrap(), "--format", "json"]);
    let report = json(&out);
    let invalid: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "womlint/invalid-waiver")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let said = |path: &str, line: u64, words: &str| {
        invalid.iter().any(|(p, l, m)| p == path && *l == line && m.contains(words))
    };
    assert!(said("notes.txt", 2, "did you mean `womlint-disable-next-line`?"), "{invalid:#?}");
    assert!(said("post.md", 3, "did you mean `womlint-disable-next-line`?"), "{invalid:#?}");
    assert!(
        said("post.md", 6, "`womlint: disable` is not a directive; did you mean `womlint-disable`?"),
        "{invalid:#?}"
    );
    assert!(said("post.md", 8, "did you mean `relationship/undisclosed`?"), "{invalid:#?}");
    assert!(said("post.md", 11, "not closed with `-->`"), "{invalid:#?}");
    assert_eq!(invalid.len(), 5, "{invalid:#?}");
    // None of them waived anything: the serum is still reported in both files.
    let list = findings(&report);
    assert!(has(&list, "notes.txt", "relationship/undisclosed") && has(&list, "post.md", "relationship/undisclosed"));
    // A misspelt rule id is not also reported as an unused waiver.
    assert!(!has(&list, "post.md", "womlint/unused-waiver"), "{list:?}");
    // Like the other rules of womlint's own, it can be switched off.
    std::fs::write(
        dir.path().join("womlint.yaml"),
        "extra_packs: [mini.yaml]\nrules: { womlint/invalid-waiver: off }\n",
    )
    .unwrap();
    std::fs::copy(&mini, dir.path().join("mini.yaml")).unwrap();
    let list = findings(&json(&run(dir.path(), &["check", "--format", "json"])));
    assert!(!list.iter().any(|(_, rule, _, _)| rule == "womlint/invalid-waiver"), "{list:?}");
}

#[test]
fn a_same_line_waiver_covers_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let markdown =
        "# Shop\n\nUse code GLOW20 today. <!-- womlint-disable-line relationship -- the shop's own newsletter -->\n";
    std::fs::write(dir.path().join("shop.md"), markdown).unwrap();
    let text = "Use code GLOW20 today. # womlint-disable-line relationship -- the shop's own newsletter\n";
    std::fs::write(dir.path().join("shop.txt"), text).unwrap();
    let mini = root().join("tests/fixtures/packs/mini.yaml");
    let out = run(dir.path(), &["check", "--no-config", "--pack", mini.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    // Only its own line: the same code on the next line is still reported.
    std::fs::write(dir.path().join("shop.md"), format!("{markdown}Use code GLOW20 tomorrow.\n")).unwrap();
    let out = run(dir.path(), &["check", "--no-config", "--pack", mini.to_str().unwrap(), "--format", "json"]);
    let list = findings(&json(&out));
    assert!(list.iter().all(|(path, _, _, line)| path == "shop.md" && *line == 4), "{list:?}");
    assert!(has(&list, "shop.md", "relationship/undisclosed"), "{list:?}");
}

// ---------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------

#[test]
fn json_keeps_the_contract_fields() {
    let out = run(&repo(), &["check", "--format", "json", "gifted.md"]);
    let report = json(&out);
    let keys: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    // Version 1 only gains fields: the contract's, and the audit trail added to it.
    assert_eq!(keys, ["audit", "diagnostics", "errors", "files_checked", "version"]);
    assert_eq!(report["version"], 1);
    let d = &report["diagnostics"][0];
    for key in common::DIAGNOSTIC_FIELDS {
        assert!(d.get(key).is_some(), "missing {key}: {d}");
    }
    assert_eq!((d["line"].as_u64(), d["column"].as_u64(), d["end_column"].as_u64()), (Some(3), Some(8), Some(15)));
    assert_eq!((d["byte_start"].as_u64(), d["byte_end"].as_u64()), (Some(16), Some(23)));
    assert_eq!(d["suggestion"], "#ad");
}

#[test]
fn compact_format() {
    let out = run(&repo(), &["check", "--format", "compact", "gifted.md", "it/regalo.md"]);
    assert_eq!(
        out.stdout,
        "gifted.md:3:8: error relationship/undisclosed Connection not disclosed\n\
         it/regalo.md:1:8: error relationship/undisclosed Rapporto non dichiarato\n"
    );
}

#[test]
fn github_annotations_escape_data_and_properties() {
    let dir = fixtures();
    let out = run(&dir, &["check", "--no-config", "--pack", "packs/escape.yaml", "--format", "github", "formats"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "::warning file=formats/sale%2C50.md,line=1,col=5,endColumn=12,title=womlint opinion/promo::\
         Promo: 50%25 off, today%0ALine one, with: colon%0Aline two 100%25\n"
    );
    // Severities map to error, warning and notice.
    let out = run(&fixtures().join("thresholds"), &["check", "--config", "levels.yaml", "--format", "github"]);
    assert!(out.stdout.contains("::notice file=info.md,line=1,col=8,endColumn=15,"), "{}", out.stdout);
    assert!(out.stdout.contains("::warning file=warning.md,"), "{}", out.stdout);
}

/// The official SARIF 2.1.0 schema, which CI keeps beside the checkout (the tests that read
/// it are ignored on a plain `cargo test` and run by `.ci/run`).
fn sarif_schema() -> Value {
    let path = root().join("../shared/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "the official SARIF schema is needed at {} ({err}); it lives in shared/schemas beside the checkout",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("the SARIF schema is JSON")
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not validate:\n{}", errors.join("\n"));
}

#[test]
#[ignore = "needs the SARIF schema in ../shared/schemas; .ci/run runs it"]
fn sarif_validates_against_the_official_schema() {
    let schema = sarif_schema();
    let out = run(&repo(), &["check", "--format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_valid(&schema, &sarif, "womlint's SARIF");
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        // Every result names a described rule, by id and index.
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["partialFingerprints"]["womlint/v1"].as_str().is_some_and(|f| f.len() == 16));
        assert!(result["locations"][0]["physicalLocation"]["region"]["startColumn"].as_u64() >= Some(1));
    }
    let undisclosed = rules.iter().find(|r| r["id"] == "relationship/undisclosed").unwrap();
    assert_eq!(undisclosed["helpUri"], "https://www.ecfr.gov/current/title-16/part-255");
    assert!(undisclosed["help"]["markdown"].as_str().unwrap().contains("16 CFR 255.5"));
    // The sample repository has several configurations: rules of every one are described.
    assert!(rules.iter().any(|r| r["id"] == "relationship/late"));

    // An unreadable file is a notification, and still valid.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.md"), b"caf\xe9\n").unwrap();
    let out = run(dir.path(), &["check", "--no-config", "--format", "sarif"]);
    assert_eq!(out.code, 2);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_valid(&schema, &sarif, "SARIF with an error");
    assert_eq!(sarif["runs"][0]["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn sarif_fingerprints_survive_edits_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let mini = root().join("tests/fixtures/packs/mini.yaml");
    let fingerprint = |text: &str| {
        std::fs::write(dir.path().join("post.md"), text).unwrap();
        let out = run(dir.path(), &["check", "--no-config", "--pack", mini.to_str().unwrap(), "--format", "sarif"]);
        let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
        sarif["runs"][0]["results"][0]["partialFingerprints"]["womlint/v1"].as_str().unwrap().to_owned()
    };
    let before = fingerprint("Glowco sent me this serum.\n");
    let after = fingerprint("# A new title\n\nSome new words first.\n\nGlowco sent me this serum.\n");
    assert_eq!(before, after);
    assert_ne!(before, fingerprint("Use code GLOW20.\n"));
}

#[test]
fn statistics_and_output_file() {
    let out = run(&repo(), &["check", "--statistics"]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines.first().map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["3", "error", "relationship/undisclosed"])
    );
    assert!(lines.iter().any(|l| l.ends_with("womlint/unused-waiver")), "{}", out.stdout);
    let out = run(&repo(), &["check", "--statistics", "--format", "json"]);
    let counts: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(counts[0], serde_json::json!({ "rule": "relationship/undisclosed", "severity": "error", "count": 3 }));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    let out = run(&repo(), &["check", "--format", "sarif", "--output", file.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
}

// ---------------------------------------------------------------------------------------
// Thresholds
// ---------------------------------------------------------------------------------------

#[test]
fn exit_code_under_each_threshold() {
    let dir = fixtures().join("thresholds");
    let code = |args: &[&str]| {
        let mut all = vec!["check", "--config", "levels.yaml"];
        all.extend_from_slice(args);
        run(&dir, &all).code
    };
    // info.md has an info finding, warning.md a warning.
    assert_eq!(code(&["info.md"]), 0, "default threshold: warning");
    assert_eq!(code(&["info.md", "--fail-on", "info"]), 1);
    assert_eq!(code(&["info.md", "--fail-on", "warning"]), 0);
    assert_eq!(code(&["warning.md"]), 1);
    assert_eq!(code(&["warning.md", "--fail-on", "error"]), 0);
    assert_eq!(code(&["warning.md", "--fail-on", "info"]), 1);
    assert_eq!(code(&["warning.md", "--exit-zero"]), 0);
    assert_eq!(code(&["warning.md", "--exit-zero", "--fail-on", "info"]), 0);
    // --exit-zero never hides an error reading a file.
    assert_eq!(code(&["missing.md", "--exit-zero"]), 2);
}

// ---------------------------------------------------------------------------------------
// init, completions, schemas
// ---------------------------------------------------------------------------------------

#[test]
fn init_writes_a_starter_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = dir.path().join("womlint.yaml");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("# womlint configuration"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing else is written");
    // The starter is a working configuration.
    std::fs::write(dir.path().join("post.md"), "Hello.\n").unwrap();
    assert_eq!(run(dir.path(), &["check"]).code, 0);

    std::fs::write(&path, "fail_on: error\n").unwrap();
    let out = run(dir.path(), &["init"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "fail_on: error\n");
    assert_eq!(run(dir.path(), &["init", "--force"]).code, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}

/// Every rule id of the built-in packs and womlint's own, as `womlint rules` lists them.
fn builtin_rule_ids() -> Vec<String> {
    let out = run(&root(), &["rules", "--no-config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ids: Vec<String> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert!(ids.contains(&"womlint/unused-waiver".to_owned()), "{ids:?}");
    ids
}

/// The rule ids a text names (`principle/slug`, not a path such as `womlint/brand.yaml`).
fn named_rule_ids(text: &str) -> Vec<String> {
    let id = regex::Regex::new(r"\b(?:relationship|opinion|identity|womlint)/[a-z0-9-]*[a-z0-9]").unwrap();
    id.find_iter(text).filter(|m| !text[m.end()..].starts_with(['.', '/'])).map(|m| m.as_str().to_owned()).collect()
}

#[test]
fn the_starter_names_only_real_rules_even_in_comments() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["init"]).code, 0);
    let starter = std::fs::read_to_string(dir.path().join("womlint.yaml")).unwrap();
    let ids = builtin_rule_ids();
    let named = named_rule_ids(&starter);
    assert!(named.len() >= 3, "{named:?}");
    for id in named {
        assert!(ids.contains(&id), "the starter names `{id}`, which is no rule");
    }
    // Uncommented, every commented example still loads.
    let uncommented: String = starter
        .lines()
        .map(|l| match l.trim_start().strip_prefix("# ") {
            Some(rest) if l.starts_with("  # ") && rest.contains(": ") => format!("  {rest}"),
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("womlint.yaml"), uncommented).unwrap();
    std::fs::write(dir.path().join("post.md"), "Hello.\n").unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&root(), &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("womlint") && out.stdout.contains("fail-on"), "{shell}");
    }
    assert_eq!(run(&root(), &["completions", "tcsh"]).code, 2);
}

fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).expect("YAML")
}

fn printed_schema(kind: &str) -> Value {
    let out = run(&root(), &["schema", kind]);
    assert_eq!(out.code, 0);
    serde_json::from_str(&out.stdout).expect("the schema is JSON")
}

#[test]
fn schemas_accept_every_pack_and_the_starter_config() {
    let pack = printed_schema("pack");
    let mut packs: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    packs.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
    packs.push(root().join("tests/fixtures/packs/mini.yaml"));
    packs.push(fixtures().join("packs/escape.yaml"));
    for path in &packs {
        let text = std::fs::read_to_string(path).unwrap();
        assert_valid(&pack, &yaml_to_json(&text), &path.display().to_string());
    }
    let bad =
        yaml_to_json("pack: x\ntitle: X\nrules:\n  - id: opinion/x\n    principle: opinion\n    severity: loud\n");
    assert!(!jsonschema::is_valid(&pack, &bad));

    let config = printed_schema("config");
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["init"]).code, 0);
    let starter = std::fs::read_to_string(dir.path().join("womlint.yaml")).unwrap();
    assert_valid(&config, &yaml_to_json(&starter), "the starter womlint.yaml");
    for path in
        [repo().join("womlint.yaml"), repo().join("sub/womlint.yaml"), fixtures().join("thresholds/levels.yaml")]
    {
        assert_valid(&config, &yaml_to_json(&std::fs::read_to_string(&path).unwrap()), &path.display().to_string());
    }
    for bad in ["fial_on: error\n", "fail_on: loud\n", "jurisdiction: uk\nstrict: true\n", "overrides:\n  - lang: it\n"]
    {
        assert!(!jsonschema::is_valid(&config, &yaml_to_json(bad)), "{bad}");
    }
    let out = run(&root(), &["schema"]);
    assert!(out.stdout.contains("pack") && out.stdout.contains("config"));
}

/// `schemas/config.schema.json` is what `womlint schema config` prints, which is generated from
/// the packs: after a rule is added, `WOMLINT_UPDATE_SCHEMAS=1 cargo test` (or
/// `cargo run -- schema config > schemas/config.schema.json`) brings the file up to date.
#[test]
fn the_config_schema_in_the_repository_is_the_one_womlint_prints() {
    let printed = run(&root(), &["schema", "config"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let path = root().join("schemas/config.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap().replace("\r\n", "\n");
    if committed != printed.stdout && std::env::var_os("WOMLINT_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &printed.stdout).unwrap();
        return;
    }
    assert!(
        committed == printed.stdout,
        "schemas/config.schema.json is not what `womlint schema config` prints (a rule was added or changed?): \
         run `WOMLINT_UPDATE_SCHEMAS=1 cargo test --test workflow config_schema` to update it"
    );
}

#[test]
fn the_config_schema_knows_every_rule_of_the_packs() {
    let schema = printed_schema("config");
    let known: Vec<&str> =
        schema["definitions"]["known_rule"]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let mut expected = builtin_rule_ids();
    expected.extend(["relationship", "opinion", "identity", "womlint"].map(str::to_owned));
    let listed = run(&root(), &["rules", "--no-config"]).stdout;
    let packs = listed.lines().filter(|l| !l.starts_with(' ')).filter_map(|l| l.split_whitespace().next());
    expected.extend(packs.filter(|p| *p != "womlint").map(str::to_owned));
    expected.sort();
    assert_eq!(known, expected, "every rule id, principle and built-in pack id, and nothing else");
    // Editors complete the keys of `rules:` and `packs:`, with a description.
    for id in &expected {
        assert!(schema["definitions"]["rules"]["properties"][id]["description"].is_string(), "{id}");
    }
    // A misspelt id is invalid with the built-in packs alone, in overrides too; with packs of
    // one's own, their rule ids are allowed.
    let valid = |yaml: &str| jsonschema::is_valid(&schema, &yaml_to_json(yaml));
    assert!(valid("rules: { relationship/ambiguous-label-only: off, opinion: error, us-ftc: info }\n"));
    assert!(!valid("rules: { relationship/ambiguous-label: off }\n"));
    assert!(!valid("overrides:\n  - files: [a]\n    rules: { opinon: off }\n"));
    assert!(valid("extra_packs: [brand.yaml]\nrules: { relationship/brand-gifts: off, brand: warning }\n"));
    assert!(!valid("extra_packs: [brand.yaml]\nrules: { Relationship/Brand: off }\n"));
    assert!(!valid("packs: { us-ftc: false, acme: true }\n"));
}

// ---------------------------------------------------------------------------------------
// pre-commit and the GitHub Action
// ---------------------------------------------------------------------------------------

#[test]
fn pre_commit_hook_definition() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks = yaml_to_json(&text);
    // The binary hook runs the same command through its script, which exists in the repository.
    let binary = hooks.as_array().unwrap().iter().find(|h| h["id"] == "womlint-binary").unwrap();
    assert_eq!(binary["language"], "script");
    let entry = binary["entry"].as_str().unwrap();
    let script = entry.split_whitespace().next().unwrap();
    assert!(std::fs::read_to_string(root().join(script)).unwrap().starts_with("#!/usr/bin/env bash"), "{script}");
    assert!(entry.ends_with("check --force-exclude"), "{entry}");
    assert_eq!(binary["files"], hooks[0]["files"]);
    let hook = &hooks[0];
    assert_eq!(hook["id"], "womlint");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "womlint check --force-exclude");
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for name in ["a.md", "b/c.markdown", "d.txt", "e.text"] {
        assert!(files.is_match(name), "{name}");
    }
    assert!(!files.is_match("main.rs"));
    // The entry is a valid command line, with file names appended by pre-commit.
    let mut args: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    args.extend(["a.md", "b.txt"]);
    assert!(<womlint::cli::Cli as clap::Parser>::try_parse_from(args).is_ok());
}

#[test]
fn github_action_definition() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action = yaml_to_json(&text);
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().unwrap();
    let steps = action["runs"]["steps"].as_array().unwrap();
    let reference = regex::Regex::new(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}").unwrap();
    for step in steps {
        if let Some(script) = step["run"].as_str() {
            assert_eq!(step["shell"], "bash", "composite run steps need a shell");
            // Inputs reach scripts through the environment, never pasted into the script.
            assert!(!reference.is_match(script), "{script}");
        }
    }
    for m in reference.captures_iter(&text) {
        assert!(inputs.contains_key(&m[1]), "undeclared input {}", &m[1]);
    }
    assert!(text.contains("--format github") && text.contains("--format sarif"));
    // A release version installs the release binary through the script the release makes for.
    assert!(text.contains("dist/install.sh") && root().join("dist/install.sh").is_file());
}

#[test]
fn release_workflow_builds_every_platform_with_checksums() {
    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let workflow = yaml_to_json(&text);
    assert!(workflow["on"]["push"]["tags"][0].as_str().unwrap().starts_with('v'));
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    for os in ["linux", "apple-darwin", "windows"] {
        assert!(targets.iter().any(|t| t.contains(os)), "no {os} binary: {targets:?}");
    }
    // dist/install.sh finds each of them for the machine it runs on.
    let install = std::fs::read_to_string(root().join("dist/install.sh")).unwrap();
    for target in &targets {
        assert!(install.contains(&format!("target={target}")), "dist/install.sh never picks {target}");
    }
    // Built with the dist profile, packed with dist/package.sh, checksums in SHA256SUMS.
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(text.contains("--profile dist") && manifest.contains("[profile.dist]"));
    assert!(text.contains("dist/package.sh") && text.contains("SHA256SUMS"));
    assert!(text.contains("gh release create"));
}

#[test]
fn command_line_definition() {
    <womlint::cli::Cli as clap::CommandFactory>::command().debug_assert();
}

// ---------------------------------------------------------------------------------------
// HTML and Markdown reports, the audit trail
// ---------------------------------------------------------------------------------------

/// A copy of tests/fixtures/report/hostile (a draft, a pack and a waiver reason that carry
/// markup), with a folder and a file whose names carry markup too.
fn hostile_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = root().join("tests/fixtures/report/hostile");
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let folder = dir.path().join("<svg onload=alert(4)>");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(source.join("post.md"), folder.join("x\"><img src=x onerror=alert(3)>.md")).unwrap();
    dir
}

#[test]
fn html_report_shows_hostile_markup_as_text() {
    let dir = hostile_tree();
    let out = run(dir.path(), &["check", "--pack", "pack.yaml", "--format", "html", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let html = &out.stdout;
    // The page's own script is its only one; no text from a draft, a path, a pack or a waiver
    // makes an element or a link.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    for made in ["<img", "<svg onload", "<b>", "<i>", "href=\"javascript:", "onerror=\""] {
        assert!(!html.contains(made), "{made} in the page");
    }
    for shown in [
        // a draft, in the excerpt
        "&lt;script&gt;window.__pwned = &#39;draft&#39;; alert(&#39;draft&#39;)&lt;/script&gt;",
        "&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=&#39;img&#39;; alert(&#39;img&#39;)&quot;&gt;",
        // a folder and a file name, in a heading and in the filters' data
        "&lt;svg onload=alert(4)&gt;/x&quot;&gt;&lt;img src=x onerror=alert(3)&gt;.md:6:1",
        "data-d=\"&lt;svg onload=alert(4)&gt;\"",
        // a pack's message, help, title and references (a javascript: link is no link)
        "&lt;script&gt;window.__pwned = &#39;message&#39;&lt;/script&gt; not disclosed",
        "Add #ad &quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=&#39;help&#39;&quot;&gt; &amp; more",
        "Hostile &lt;b&gt;pack&lt;/b&gt; &quot;&gt;&lt;svg onload=alert(1)&gt;",
        "<strong>References:</strong> &lt;b&gt;Ref&lt;/b&gt;; Real ref (",
        "<li>&lt;b&gt;Ref&lt;/b&gt;</li>",
        "<a href=\"https://example.com/?a=1&amp;b=&lt;2&gt;\" rel=\"noopener noreferrer\">Real ref</a> \
         (&quot;&gt;&lt;img src=x onerror=alert(1)&gt;)</li>",
        // a waiver's reason, in the audit trail
        "&lt;img src=x onerror=&quot;window.__pwned=&#39;reason&#39;&quot;&gt; approved by &lt;b&gt;legal&lt;/b&gt;",
    ] {
        assert!(html.contains(shown), "not shown as text: {shown}");
    }
    // And if something slipped through, the page's policy would not run it: only the page's
    // own style and script, by hash, and nothing from the network.
    let csp = regex::Regex::new(r#"<meta http-equiv="Content-Security-Policy" content="([^"]*)">"#).unwrap();
    let policy = &csp.captures(html).expect("a Content-Security-Policy")[1];
    assert!(policy.starts_with("default-src 'none'; "), "{policy}");
    let script_src = policy.split("; ").find(|d| d.starts_with("script-src ")).expect("script-src");
    assert!(regex::Regex::new(r"^script-src 'sha256-[A-Za-z0-9+/]{43}='$").unwrap().is_match(script_src), "{policy}");
    assert!(!policy.contains("unsafe"), "{policy}");
}

#[test]
fn markdown_summary_shows_hostile_markup_as_text() {
    let dir = hostile_tree();
    let out = run(dir.path(), &["check", "--pack", "pack.yaml", "--format", "markdown", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let md = &out.stdout;
    // Outside code spans, which show their text as it is.
    let prose = regex::Regex::new("`[^`]*`").unwrap().replace_all(md, "");
    for made in ["<script", "<img", "<svg", "<b>", "](javascript"] {
        assert!(!prose.contains(made), "{made} in the summary:\n{md}");
    }
    assert!(md.starts_with("## womlint: 5 findings in 3 of 3 files checked\n"), "{md}");
    // Paths and rule ids in code spans (a `|` escaped for the table), prose escaped.
    assert!(md.contains("| `<svg onload=alert(4)>/x\"><img src=x onerror=alert(3)>.md:6:1` |"), "{md}");
    assert!(md.contains("| &lt;script&gt;window.\\_\\_pwned = 'message'&lt;/script&gt; not disclosed |"), "{md}");
    assert!(
        md.contains(
            ": &lt;img src=x onerror=\"window.\\_\\_pwned='reason'\"&gt; approved by &lt;b&gt;legal&lt;/b&gt;\n"
        ),
        "{md}"
    );
}

#[test]
fn json_audit_lists_packs_jurisdictions_configs_and_waivers() {
    let out = run(&repo(), &["check", "--format", "json"]);
    let audit = &json(&out)["audit"];
    assert_eq!(audit["womlint_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(audit["jurisdictions"], serde_json::json!(["any"]));
    // drafts/ is excluded and no file above uses another configuration.
    assert_eq!(audit["config_files"], serde_json::json!(["sub/womlint.yaml", "womlint.yaml"]));
    let packs = audit["packs"].as_array().unwrap();
    let ids: Vec<&str> = packs.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["eu-ucpd", "it-iap", "mini", "uk-cma-asa", "us-ftc", "womma"]);
    for pack in packs {
        let (file, version) = match pack["source"].as_str().unwrap() {
            "built-in" => (
                root().join("rules").join(format!("{}.yaml", pack["id"].as_str().unwrap())),
                Some(env!("CARGO_PKG_VERSION")),
            ),
            source => (repo().join(source), None),
        };
        let text = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(pack["sha256"], womlint::report::sha256_hex(&text), "{pack}");
        assert_eq!(pack["version"].as_str(), version, "{pack}");
        assert_eq!(pack["enabled"], true);
    }
    // The two waivers that waived something, the one without a reason too; not the one that
    // waived nothing (waivers.md:9).
    let waiver = |path: &str, line: u64, reason: Value| {
        serde_json::json!({ "path": path, "line": line, "column": 1, "directive": "disable-next-line",
                            "rules": ["relationship/undisclosed"], "reason": reason })
    };
    assert_eq!(
        audit["waivers"],
        serde_json::json!([
            waiver("waivers.md", 3, "the brand's own newsletter".into()),
            waiver("waivers.md", 6, Value::Null),
            waiver("waivers.txt", 2, "our own shop".into()),
        ])
    );

    // The command line's profile and packs, no configuration file.
    let out = run(
        &repo(),
        &[
            "check",
            "--format",
            "json",
            "--no-config",
            "--jurisdiction",
            "it",
            "--pack",
            "../../packs/mini.yaml",
            "waivers.md",
        ],
    );
    let audit = &json(&out)["audit"];
    assert_eq!(audit["jurisdictions"], serde_json::json!(["it"]));
    assert_eq!(audit["config_files"], serde_json::json!([]));
    assert_eq!(audit["waivers"].as_array().map(Vec::len), Some(2));

    // A pack switched off, and waivers of a rule switched off: they waive nothing.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("waivers.md"), dir.path().join("waivers.md")).unwrap();
    std::fs::copy(root().join("tests/fixtures/packs/mini.yaml"), dir.path().join("mini.yaml")).unwrap();
    let config =
        "extra_packs: [mini.yaml]\npacks:\n  us-ftc: false\nstrict: true\nrules:\n  relationship/undisclosed: off\n";
    std::fs::write(dir.path().join("womlint.yaml"), config).unwrap();
    let audit = json(&run(dir.path(), &["check", "--format", "json"]))["audit"].clone();
    assert_eq!(audit["jurisdictions"], serde_json::json!(["strict"]));
    assert_eq!(audit["config_files"], serde_json::json!(["womlint.yaml"]));
    let enabled: Vec<(&str, bool)> = audit["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["enabled"].as_bool().unwrap()))
        .collect();
    assert!(enabled.contains(&("us-ftc", false)) && enabled.contains(&("womma", true)), "{enabled:?}");
    assert_eq!(audit["waivers"], serde_json::json!([]));
}

#[test]
fn json_report_matches_its_schema() {
    let schema = printed_schema("report");
    for (dir, args) in [
        (repo(), vec!["check", "--format", "json"]),
        (repo(), vec!["check", "--format", "json", "gifted.md", "missing.md"]),
        (root(), vec!["check", "--format", "json", "examples"]),
    ] {
        let out = run(&dir, &args);
        assert_valid(&schema, &json(&out), &args.join(" "));
    }
    let dir = hostile_tree();
    let out = run(dir.path(), &["check", "--pack", "pack.yaml", "--format", "json", "."]);
    let mut report = json(&out);
    assert_valid(&schema, &report, "the hostile tree");
    report["version"] = 2.into();
    assert!(!jsonschema::is_valid(&schema, &report));
}

#[test]
fn action_writes_the_markdown_summary_to_the_job_summary() {
    let action = yaml_to_json(&std::fs::read_to_string(root().join("action.yml")).unwrap());
    assert_eq!(action["inputs"]["job-summary"]["default"], "true");
    let step =
        action["runs"]["steps"].as_array().unwrap().iter().find(|s| s["id"] == "summary").expect("a summary step");
    assert_eq!(step["if"], "inputs.job-summary == 'true'");
    // The step's script, run as the runner runs it: its environment with the inputs given.
    let inputs = |name: &str| match name {
        "paths" => "examples",
        "args" => "--jurisdiction it",
        other => panic!("the summary step reads no input {other}"),
    };
    let reference = regex::Regex::new(r"^\$\{\{\s*inputs\.([a-z-]+)\s*\}\}$").unwrap();
    let summary = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(summary.path(), "## Earlier step\n\n").unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_womlint"));
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let mut bash = std::process::Command::new("bash");
    bash.current_dir(root()).env("PATH", path).env("GITHUB_STEP_SUMMARY", summary.path());
    for (key, value) in step["env"].as_object().unwrap() {
        let value = value.as_str().unwrap();
        let name = reference.captures(value).map(|c| c[1].to_owned()).expect("an input");
        bash.env(key, inputs(&name));
    }
    let status = bash.arg("-c").arg(step["run"].as_str().unwrap()).status().unwrap();
    assert!(status.success(), "the step fails on findings");
    // Appended to what earlier steps wrote: the same summary as a run by hand.
    let written = std::fs::read_to_string(summary.path()).unwrap();
    let by_hand = run(&root(), &["check", "--format", "markdown", "--jurisdiction", "it", "examples"]);
    assert!(by_hand.stdout.starts_with("## womlint: ") && by_hand.stdout.contains(", jurisdiction it\n"));
    assert_eq!(written, format!("## Earlier step\n\n{}", by_hand.stdout));
}

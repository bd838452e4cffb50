//! The command line as users and CI see it: exit codes, the JSON contract, file selection,
//! standard input, bad input and broken packs.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli")
}

fn womlint() -> Command {
    let mut cmd = Command::cargo_bin("womlint").expect("the binary is built");
    cmd.current_dir(fixtures()).env("NO_COLOR", "1").env("COLUMNS", "80");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("womlint runs");
    Run {
        code: output.status.code().expect("an exit code"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

fn diagnostics(value: &Value) -> &Vec<Value> {
    value["diagnostics"].as_array().expect("a diagnostics array")
}

#[test]
fn a_clean_file_exits_0() {
    let r = run(womlint().args(["check", "--format", "json", "disclosed.md"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["version"], 1);
    assert_eq!(v["files_checked"], 1);
    assert!(diagnostics(&v).is_empty(), "{v}");
}

#[test]
fn a_violation_exits_1_with_the_contract_fields() {
    let r = run(womlint().args(["check", "--format", "json", "gifted.md"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    let d = &diagnostics(&v)[0];
    for key in common::DIAGNOSTIC_FIELDS {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert_eq!(d["path"], "gifted.md");
    assert_eq!(d["principle"], "relationship");
    assert!(d["rule"].as_str().unwrap().starts_with("relationship/"));
    assert_eq!(d["severity"], "error");
    let text = std::fs::read_to_string(fixtures().join("gifted.md")).unwrap();
    let (start, end) = (d["byte_start"].as_u64().unwrap() as usize, d["byte_end"].as_u64().unwrap() as usize);
    assert!(text[start..end].contains("sent me"), "span {:?}", &text[start..end]);
    assert_eq!(d["line"], 6);
}

#[test]
fn lines_and_columns_count_characters_with_crlf_and_bom() {
    let r = run(womlint().args(["check", "--format", "json", "crlf-bom.md"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    let d = &diagnostics(&v)[0];
    let text = std::fs::read_to_string(fixtures().join("crlf-bom.md")).unwrap();
    let start = d["byte_start"].as_u64().unwrap() as usize;
    assert!(text.is_char_boundary(start));
    // The trigger is on line 6 ("@glowco sent me…"); columns are characters.
    assert_eq!(d["line"], 6);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    assert_eq!(d["column"].as_u64().unwrap() as usize, text[line_start..start].chars().count() + 1);
}

#[test]
fn compact_and_human_formats() {
    let r = run(womlint().args(["check", "--format", "compact", "gifted.md"]));
    assert_eq!(r.code, 1);
    let line = r.stdout.lines().next().expect("one line");
    assert!(line.starts_with("gifted.md:6:"), "{line}");
    assert!(line.contains(" error relationship/"), "{line}");

    let r = run(womlint().args(["check", "gifted.md"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("relationship/"), "{}", r.stdout);
    assert!(r.stdout.contains("gifted.md:6:"), "{}", r.stdout);
    assert!(r.stdout.contains("sent me"), "the excerpt is shown: {}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn standard_input_with_a_file_name() {
    let mut cmd = womlint();
    cmd.args(["check", "--format", "json", "--stdin-filename", "caption.txt", "-"])
        .write_stdin("Loving it. @glowco sent me this serum.\n");
    let r = run(&mut cmd);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(diagnostics(&v)[0]["path"], "caption.txt");

    let mut cmd = womlint();
    cmd.args(["check", "--format", "json", "-"]).write_stdin("#ad @glowco sent me this serum.\n");
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn folders_are_walked_with_ignore_rules() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("tree"), dir.path());
    std::fs::write(dir.path().join(".gitignore"), "sub/gifted.markdown\n").unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["check", "--format", "json", "."]));
    let v = json(&r);
    let paths: Vec<&str> = diagnostics(&v).iter().map(|d| d["path"].as_str().unwrap()).collect();
    // clean.md and sub/caption.txt are checked; hidden, .ignore'd, .gitignore'd and .rst files are not.
    assert_eq!(v["files_checked"], 2, "{v}");
    assert_eq!(paths, vec!["sub/caption.txt"], "{v}");
    assert_eq!(r.code, 1);

    // A file named explicitly is checked even when ignored.
    let r = run(womlint().current_dir(dir.path()).args(["check", "--format", "json", "ignored.md"]));
    assert_eq!(r.code, 1);
    assert_eq!(json(&r)["files_checked"], 1);
}

#[test]
fn a_file_named_and_inside_a_named_folder_is_checked_once() {
    let r = run(womlint().args(["check", "--format", "json", "tree/sub/caption.txt", "tree", "tree/sub"]));
    let v = json(&r);
    let paths: Vec<&str> = diagnostics(&v).iter().map(|d| d["path"].as_str().unwrap()).collect();
    // clean.md, sub/caption.txt and sub/gifted.markdown, each once.
    assert_eq!(v["files_checked"], 3, "{v}");
    assert_eq!(paths, vec!["tree/sub/caption.txt", "tree/sub/gifted.markdown"], "{v}");
}

#[test]
fn output_is_sorted_and_identical_for_any_thread_count() {
    let one = run(womlint().args(["check", "--format", "json", "--threads", "1", "tree", "gifted.md", "crlf-bom.md"]));
    let four = run(womlint().args(["check", "--format", "json", "--threads", "4", "tree", "gifted.md", "crlf-bom.md"]));
    assert_eq!(one.stdout, four.stdout);
    let v = json(&one);
    let keys: Vec<(String, u64)> = diagnostics(&v)
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_owned(), d["byte_start"].as_u64().unwrap()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("latin1.md"), b"Caff\xe8 gifted\n").unwrap();
    std::fs::write(p.join("image.md"), b"\x89PNG\r\n\x1a\n\0\0\0IHDR").unwrap();
    std::fs::write(p.join("empty.md"), b"").unwrap();
    std::fs::copy(fixtures().join("gifted.md"), p.join("gifted.md")).unwrap();
    let mut cmd = womlint();
    cmd.current_dir(p).args([
        "check",
        "--format",
        "json",
        "latin1.md",
        "image.md",
        "empty.md",
        "missing.md",
        "gifted.md",
    ]);
    #[cfg(target_os = "linux")]
    cmd.arg("/proc/self/mem");
    let r = run(&mut cmd);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("latin1.md: not valid UTF-8 (first bad byte at line 1"), "{}", r.stderr);
    assert!(r.stderr.contains("image.md: looks like a binary file"), "{}", r.stderr);
    assert!(r.stderr.contains("empty.md: empty file"), "{}", r.stderr);
    assert!(r.stderr.contains("missing.md: no such file or folder"), "{}", r.stderr);
    #[cfg(target_os = "linux")]
    assert!(r.stderr.contains("/proc/self/mem: cannot be read"), "{}", r.stderr);
    // The good file is still checked and reported.
    let v = json(&r);
    assert_eq!(diagnostics(&v)[0]["path"], "gifted.md");
    let errors: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert!(errors.contains(&"latin1.md") && errors.contains(&"missing.md"), "{errors:?}");
}

#[test]
fn an_empty_file_alone_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.md"), b"").unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["check", "empty.md"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("empty.md: empty file"));
}

/// Each broken pack exits 2 and points at the line of the YAML.
#[test]
fn broken_packs_point_at_the_yaml_line() {
    for (file, line, words) in [
        ("syntax.yaml", 6, "packs/syntax.yaml"),
        ("unknown-key.yaml", 9, "mesage"),
        ("bad-regex.yaml", 5, "invalid regex"),
        ("unknown-vocab.yaml", 8, "unknown vocab `no_such_words`"),
        ("duplicate-id.yaml", 13, "used twice"),
        ("no-examples.yaml", 4, "needs examples"),
        ("bad-negation-reach.yaml", 6, "negation_reach must be between 1 and 8"),
        ("bad-giver-reach.yaml", 6, "giver_reach must be between 1 and 8"),
        ("unknown-values.yaml", 11, "unknown list of values `$staf_roles`"),
    ] {
        let r = run(womlint().args(["check", "--pack", &format!("packs/{file}"), "disclosed.md"]));
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert!(r.stderr.contains(words), "{file}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("[packs/{file}:{line}:")),
            "{file} should point at line {line}:\n{}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "nothing is checked with a broken pack");
    }
}

#[test]
fn a_bad_regex_is_shown_as_written() {
    let r = run(womlint().args(["check", "--pack", "packs/bad-regex.yaml", "disclosed.md"]));
    assert_eq!(r.code, 2);
    // The fixture's vocabulary holds `unclosed (group`.
    let pattern = "unclosed (group";
    let help = r.stderr.split("help:").nth(1).unwrap_or_default();
    assert!(help.contains(pattern), "the help shows `{pattern}`: {}", r.stderr);
    assert!(!help.contains("(?:"), "not the rewritten form: {}", r.stderr);
}

#[test]
fn a_file_over_the_size_limit_shows_its_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.md"), "a".repeat(1_142_947)).unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["check", "--max-file-size", "1", "big.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("big.md: 1.09 MiB is larger than the 1 MiB limit"), "{}", r.stderr);
}

#[test]
fn nothing_to_check_is_a_warning_naming_what_was_searched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    std::fs::write(dir.path().join("drafts/notes.rst"), "Glowco sent me this.\n").unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["check", "drafts"]));
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("warning: no files to check in drafts:"), "{}", r.stderr);
    assert!(r.stderr.contains(".md, .markdown, .txt and .text"), "{}", r.stderr);
    let r = run(womlint().current_dir(dir.path()).args(["check"]));
    assert!(r.stderr.contains("warning: no files to check in .:"), "{}", r.stderr);
}

#[test]
fn the_report_file_is_never_checked_by_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("gifted.md"), dir.path().join("gifted.md")).unwrap();
    for _ in 0..2 {
        let r = run(womlint().current_dir(dir.path()).args(["check", "--format", "compact", "--output", "report.txt"]));
        assert_eq!(r.code, 1, "{}", r.stderr);
        let report = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
        assert!(report.lines().all(|l| l.starts_with("gifted.md:")), "{report}");
    }
    // Reached by another path to the same file, too.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let r = run(womlint().current_dir(dir.path().join("sub")).args([
        "check",
        "--format",
        "json",
        "--output",
        "../report.txt",
        "..",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.txt")).unwrap()).unwrap();
    assert_eq!(report["files_checked"], 1, "{report}");
}

#[test]
fn output_errors_name_the_path_before_anything_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("gifted.md"), dir.path().join("gifted.md")).unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["check", "--output", "reports/out.txt", "gifted.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--output reports/out.txt: the folder reports does not exist"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["check", "--output", "reports", "gifted.md"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--output reports: it is a folder"), "{}", r.stderr);
}

#[test]
fn statistics_in_every_format_or_a_clear_refusal() {
    for format in ["human", "compact"] {
        let r = run(womlint().args(["check", "--statistics", "--format", format, "gifted.md"]));
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.contains("error    relationship/"), "{format}: {}", r.stdout);
    }
    let r = run(womlint().args(["check", "--statistics", "--format", "json", "gifted.md"]));
    assert!(json(&r).as_array().is_some_and(|counts| !counts.is_empty()), "{}", r.stdout);
    for format in ["sarif", "github"] {
        let r = run(womlint().args(["check", "--statistics", "--format", format, "gifted.md"]));
        assert_eq!(r.code, 2, "{format}");
        assert!(r.stdout.is_empty(), "{format}: {}", r.stdout);
        assert!(r.stderr.contains(&format!("not as --format {format}")), "{format}: {}", r.stderr);
    }
}

#[test]
fn test_rules_checks_an_edited_copy_of_a_built_in_pack() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pack = std::fs::read_to_string(root.join("crates/womlint_core/rules/womma.yaml")).unwrap();
    std::fs::write(dir.path().join("womma.yaml"), &pack).unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["test-rules", "womma.yaml"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("already loaded"), "{}", r.stderr);
    assert!(r.stderr.contains("in the place of the built-in pack `womma`"), "{}", r.stderr);
    // An edit that breaks an example is what it reports.
    let first_flag = pack.find("- flag:").expect("an example that must flag");
    let edited = format!("{}- pass:{}", &pack[..first_flag], &pack[first_flag + "- flag:".len()..]);
    std::fs::write(dir.path().join("womma.yaml"), edited).unwrap();
    let r = run(womlint().current_dir(dir.path()).args(["test-rules", "womma.yaml"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(", 1 failed"), "{}", r.stdout);
}

#[test]
fn rules_explain_and_test_rules() {
    let r = run(womlint().args(["rules"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("relationship/undisclosed-connection"), "{}", r.stdout);

    let r = run(womlint().args(["explain", "relationship/undisclosed-connection"]));
    assert_eq!(r.code, 0);
    for part in ["principle: relationship", "References:", "CFR", "Examples:", "✗ flagged:", "✓ passes:"] {
        assert!(r.stdout.contains(part), "missing {part}: {}", r.stdout);
    }
    let r = run(womlint().args(["explain", "relationship/undisclosed-connection", "--lang", "it"]));
    assert!(r.stdout.contains("Riferimenti:"), "{}", r.stdout);

    let r = run(womlint().args(["explain", "relationship/no-such-rule"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no rule"));

    let r = run(womlint().args(["test-rules"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains(" passed, 0 failed"), "{}", r.stdout);

    // The small fixture pack exercises every check kind and search target.
    let r = run(womlint().args(["test-rules", "../packs/mini.yaml"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains(" passed, 0 failed"), "{}", r.stdout);

    // Named lists of front-matter values: the pack's own and a built-in pack's.
    let r = run(womlint().args(["test-rules", "packs/value-lists.yaml"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("3 passed, 0 failed"), "{}", r.stdout);

    let r = run(womlint().args(["test-rules", "packs/failing-example.yaml"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("FAIL relationship/x"), "{}", r.stdout);
    assert!(r.stdout.contains("1 passed, 1 failed"), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let r = run(womlint().args(["check", "--format", "xml"]));
    assert_eq!(r.code, 2);
    let r = run(womlint().args(["frobnicate"]));
    assert_eq!(r.code, 2);
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("a fixture folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            std::fs::create_dir_all(&target).expect("a new folder");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

//! Hostile and unlucky input, as a CI job or a pre-commit hook meets it: long lines, files
//! that are not what their names say, special files, file names chosen to inject into logs,
//! broken front matter, interrupted writes. Each case asserts the exact behaviour: the exit
//! code, the message, and that the other files are still checked.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;

/// A scratch folder with a clean post and a post with a finding beside the hostile files, so
/// every case can check that one bad file does not stop the others.
struct Scratch {
    dir: tempfile::TempDir,
}

const CLEAN: &str = "#ad Thanks @glowco for the serum: I love it.\n";
const GIFTED: &str = "@glowco sent me this serum and I love it.\n";

impl Scratch {
    fn new() -> Self {
        let scratch = Scratch { dir: tempfile::tempdir().expect("a temporary folder") };
        scratch.write("clean.md", CLEAN);
        scratch.write("gifted.md", GIFTED);
        scratch
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a folder");
        }
        std::fs::write(&path, text).expect("a file");
        path
    }

    /// womlint in this folder; a run that blocks fails after a minute instead of hanging.
    fn womlint(&self) -> Command {
        let mut cmd = Command::cargo_bin("womlint").expect("the binary is built");
        cmd.current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .timeout(std::time::Duration::from_secs(60));
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::of(self.womlint().args(args).output().expect("womlint runs"))
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(output: Output) -> Self {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts the exit code, showing both streams when it is not the one expected.
    fn exits(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    /// Asserts that the other files were checked: the gifted post's finding is reported.
    fn still_checks_the_others(&self) -> &Self {
        assert!(
            self.stdout.contains("gifted.md:1:1: error relationship/undisclosed-connection"),
            "the other files are checked:\n{}\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that the report holds `line`.
    fn reports(&self, line: &str) -> &Self {
        assert!(self.stdout.contains(line), "no {line:?} in:\n{}", self.stdout);
        self
    }

    fn longest_line(&self) -> usize {
        self.stdout.lines().chain(self.stderr.lines()).map(|l| l.chars().count()).max().unwrap_or(0)
    }
}

fn compact(scratch: &Scratch, paths: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "compact"];
    args.extend_from_slice(paths);
    scratch.run(&args)
}

// ---------------------------------------------------------------------------------------
// Long lines: the human format and YAML errors draw a window, never panic
// ---------------------------------------------------------------------------------------

#[test]
fn a_finding_past_column_65536_is_drawn_in_a_window() {
    let scratch = Scratch::new();
    scratch.write("long.md", format!("{} @glowco sent me this serum.\n", "a".repeat(65_536)));
    let run = scratch.run(&["check", "long.md", "gifted.md", "clean.md"]);
    run.exits(1);
    assert!(run.stdout.contains("long.md:1:65538: error relationship/undisclosed-connection"), "{}", run.stdout);
    assert!(run.stdout.contains("…aaaa"), "the line is cut around the finding: {}", run.stdout);
    assert!(run.stdout.contains("gifted.md:1:1: error relationship/undisclosed-connection"));
    assert!(run.longest_line() < 400, "{}", run.longest_line());
    let run = compact(&scratch, &["long.md", "gifted.md"]);
    run.exits(1).still_checks_the_others();
    assert!(run.stdout.contains("long.md:1:65538: error relationship/undisclosed-connection"), "{}", run.stdout);
}

#[test]
fn a_config_error_past_column_70000_shows_one_short_line() {
    let scratch = Scratch::new();
    scratch.write("womlint.yaml", format!("rules: {{{}opinion: loud}}\nfail_on: error\n", " ".repeat(70_000)));
    let run = scratch.run(&["check", "gifted.md"]);
    run.exits(2);
    assert!(run.stderr.contains("womlint.yaml: `loud` is not a rule setting"), "{}", run.stderr);
    assert!(run.stderr.contains("[womlint.yaml:1:70018]"), "{}", run.stderr);
    assert!(!run.stderr.contains("fail_on"), "one line only: {}", run.stderr);
    assert!(run.longest_line() < 120, "{}", run.stderr);
}

#[test]
fn a_pack_error_past_column_70000_shows_one_short_line() {
    let scratch = Scratch::new();
    let pack = format!(
        "pack: acme\ntitle: Acme\nvocab:\n  brand:\n    en: [{}'(unclosed']\nrules: []\n",
        "'x', ".repeat(14_000)
    );
    scratch.write("acme.yaml", pack);
    let run = scratch.run(&["check", "--pack", "acme.yaml", "gifted.md"]);
    run.exits(2);
    assert!(run.stderr.contains("acme.yaml: invalid regex in vocab `brand`"), "{}", run.stderr);
    assert!(run.longest_line() < 120, "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// Secrets: a pack or configuration path may name any file
// ---------------------------------------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn extra_packs_naming_the_environment_print_none_of_it() {
    let scratch = Scratch::new();
    scratch.write("womlint.yaml", "extra_packs: [/proc/self/environ]\n");
    let run = Run::of(
        scratch
            .womlint()
            .env("WOMLINT_TEST_TOKEN", "ghp_doNotLeakThis123")
            .args(["check", "gifted.md"])
            .output()
            .expect("womlint runs"),
    );
    run.exits(2);
    assert!(!run.stderr.contains("doNotLeakThis"), "{}", run.stderr);
    assert!(!run.stderr.contains("WOMLINT_TEST_TOKEN"), "{}", run.stderr);
    assert!(run.stderr.contains("environ: not YAML text: it holds a NUL byte"), "{}", run.stderr);
}

#[test]
fn a_config_that_is_not_yaml_shows_nothing_of_it() {
    let scratch = Scratch::new();
    scratch.write("ci.env", "GITHUB_TOKEN=ghp_doNotLeakThis123\nOTHER=x\n");
    let run = scratch.run(&["check", "--config", "ci.env", "gifted.md"]);
    run.exits(2);
    assert!(!run.stderr.contains("doNotLeakThis"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ci.env: a configuration is a mapping of keys to values (line 1, column 1;"),
        "{}",
        run.stderr
    );
    // The message may wrap: read it as one line.
    let flat: Vec<&str> = run.stderr.split_whitespace().filter(|w| *w != "│").collect();
    assert!(flat.join(" ").contains("the file does not look like YAML text"), "{}", run.stderr);
}

#[test]
fn a_pack_that_is_yaml_shows_at_most_one_short_line() {
    let scratch = Scratch::new();
    let secret = "s3cr3t-".repeat(40);
    scratch.write("acme.yaml", format!("pack: acme\ntitle: Acme\ntoken: {secret}\nrules: []\n"));
    let run = scratch.run(&["check", "--pack", "acme.yaml", "gifted.md"]);
    run.exits(2);
    assert!(run.stderr.contains("acme.yaml: unknown field `token`"), "{}", run.stderr);
    assert!(!run.stderr.contains(&secret), "{}", run.stderr);
    assert!(!run.stderr.contains("pack: acme"), "only the line of the error: {}", run.stderr);
    assert!(run.longest_line() < 120, "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// Special files: only regular files are read, and nothing blocks
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
fn mkfifo(scratch: &Scratch, name: &str) -> PathBuf {
    let path = scratch.path(name);
    let status = std::process::Command::new("mkfifo").arg(&path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
    path
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_a_file_argument_is_refused_without_blocking() {
    let scratch = Scratch::new();
    mkfifo(&scratch, "pipe.md");
    let run = scratch.run(&["check", "--format", "compact", "pipe.md", "gifted.md", "clean.md"]);
    run.exits(2).still_checks_the_others();
    assert!(run.stderr.contains("error: pipe.md: not a regular file (a named pipe); not checked"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_config_or_pack_is_refused_without_blocking() {
    let scratch = Scratch::new();
    mkfifo(&scratch, "pipe.yaml");
    for (flag, message) in [
        ("--config", "pipe.yaml: cannot read the configuration file: not a regular file (a named pipe)"),
        ("--pack", "error: rule pack pipe.yaml: not a regular file (a named pipe)"),
    ] {
        let run = scratch.run(&["check", flag, "pipe.yaml", "gifted.md"]);
        run.exits(2);
        assert!(run.stderr.contains(message), "{flag}: {}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn devices_as_packs_are_refused_unread() {
    let scratch = Scratch::new();
    for (device, kind) in [("/dev/zero", "a character device"), ("/dev/null", "a character device")] {
        let run = scratch.run(&["check", "--pack", device, "gifted.md"]);
        run.exits(2);
        assert!(run.stderr.contains(&format!("/dev/{}: not a regular file ({kind})", &device[5..])), "{}", run.stderr);
    }
    // Standard input as a pack, while standard input is a pipe that never ends.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("womlint"))
        .current_dir(scratch.dir.path())
        .args(["check", "--pack", "/dev/stdin", "gifted.md"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("womlint starts");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("womlint runs") {
            break status;
        }
        assert!(started.elapsed().as_secs() < 60, "womlint blocks on /dev/stdin");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let output = child.wait_with_output().expect("womlint's output");
    assert_eq!(status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a regular file (a named pipe)"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_named_as_such() {
    let scratch = Scratch::new();
    std::os::unix::fs::symlink(scratch.path("b.md"), scratch.path("a.md")).expect("a symlink");
    std::os::unix::fs::symlink(scratch.path("a.md"), scratch.path("b.md")).expect("a symlink");
    let run = compact(&scratch, &["a.md", "gifted.md"]);
    run.exits(2).still_checks_the_others();
    assert!(run.stderr.contains("error: a.md: cannot be read: a loop of symbolic links"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// Sizes and encodings
// ---------------------------------------------------------------------------------------

#[test]
fn sizes_over_the_limit_are_shown_as_they_are() {
    let scratch = Scratch::new();
    scratch.write("export.md", "a".repeat(1_142_947));
    let run = compact(&scratch, &["--max-file-size", "1", "export.md", "gifted.md"]);
    run.exits(2).still_checks_the_others();
    assert!(
        run.stderr.contains(
            "error: export.md: 1.09 MiB is larger than the 1 MiB limit; not checked (raise it with --max-file-size)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn standard_input_obeys_max_file_size() {
    let scratch = Scratch::new();
    let run = Run::of(
        scratch
            .womlint()
            .args(["check", "--format", "compact", "--max-file-size", "1", "-", "gifted.md"])
            .write_stdin("@glowco sent me this. ".repeat(60_000))
            .output()
            .expect("womlint runs"),
    );
    run.exits(2).still_checks_the_others();
    assert!(run.stderr.contains("error: <stdin>: more than the 1 MiB limit; not checked"), "{}", run.stderr);
}

#[test]
fn utf16_text_is_reported_as_utf16() {
    let scratch = Scratch::new();
    let text = "#ad @glowco sent me this serum.\n";
    let le: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    scratch.write("le.md", le);
    scratch.write("be.txt", be);
    scratch.write("binary.md", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    let run = compact(&scratch, &["le.md", "be.txt", "binary.md", "gifted.md"]);
    run.exits(2).still_checks_the_others();
    assert!(
        run.stderr.contains("error: le.md: looks like UTF-16 text; save it as UTF-8 to check it"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("error: be.txt: looks like UTF-16 text"), "{}", run.stderr);
    assert!(run.stderr.contains("error: binary.md: looks like a binary file (it has NUL bytes)"), "{}", run.stderr);
}

#[test]
fn packs_and_configs_have_a_size_cap() {
    let scratch = Scratch::new();
    let big =
        format!("pack: big\ntitle: Big\nvocab:\n  brand:\n    en: [{}]\nrules: []\n", "'brandname', ".repeat(200_000));
    scratch.write("big.yaml", &big);
    let run = scratch.run(&["check", "--pack", "big.yaml", "gifted.md"]);
    run.exits(2);
    assert!(
        run.stderr.contains("error: rule pack big.yaml: 2.48 MiB is larger than the 1 MiB limit"),
        "{}",
        run.stderr
    );
    let run = scratch.run(&["check", "--config", "big.yaml", "gifted.md"]);
    run.exits(2);
    assert!(
        run.stderr.contains("big.yaml: cannot read the configuration file: 2.48 MiB is larger than the 1 MiB limit"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Packs
// ---------------------------------------------------------------------------------------

#[test]
fn a_pattern_that_matches_an_empty_text_is_rejected() {
    let scratch = Scratch::new();
    scratch.write(
        "acme.yaml",
        "pack: acme\ntitle: Acme\nvocab:\n  brand:\n    en: ['']\nrules:\n  - id: relationship/acme\n    \
         principle: relationship\n    severity: warning\n    check: forbidden\n    when: ['(?:acme)?']\n    \
         message: m\n    examples:\n      - flag: acme\n      - pass: other\n",
    );
    let run = scratch.run(&["check", "--pack", "acme.yaml", "gifted.md"]);
    run.exits(2);
    assert!(run.stderr.contains("acme.yaml: invalid regex in vocab `brand`"), "{}", run.stderr);
    assert!(run.stderr.contains("acme.yaml: invalid regex"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("the pattern can match an empty text").count(), 2, "{}", run.stderr);
    assert!(run.stderr.contains("error: 2 problem(s) in rule packs; nothing was checked"), "{}", run.stderr);
}

#[test]
fn a_huge_alternation_is_refused_or_bounded() {
    let scratch = Scratch::new();
    let rule = "rules:\n  - id: relationship/acme\n    principle: relationship\n    severity: warning\n    \
                check: forbidden\n    when: [$brand]\n    message: m\n    examples:\n      - flag: brand1name\n      \
                - pass: other\n";
    let patterns = |n: usize| (0..n).map(|i| format!("'brand{i}name'")).collect::<Vec<_>>().join(", ");
    // Over the size cap: refused unread.
    scratch.write(
        "huge.yaml",
        format!("pack: huge\ntitle: Huge\nvocab:\n  brand:\n    en: [{}]\n{rule}", patterns(700_000)),
    );
    let run = scratch.run(&["check", "--pack", "huge.yaml", "gifted.md"]);
    run.exits(2);
    assert!(run.stderr.contains("is larger than the 1 MiB limit"), "{}", run.stderr);
    // Under it: refused by the regex size limit, and the error does not print the pattern.
    scratch
        .write("big.yaml", format!("pack: big\ntitle: Big\nvocab:\n  brand:\n    en: [{}]\n{rule}", patterns(55_000)));
    let run = scratch.run(&["check", "--pack", "big.yaml", "gifted.md"]);
    run.exits(2);
    assert!(run.stderr.contains("big.yaml: vocab `brand` does not compile"), "{}", run.stderr);
    assert!(run.stderr.len() < 2_000, "{} bytes of errors", run.stderr.len());
}

// ---------------------------------------------------------------------------------------
// Logs: file names and excerpts are escaped in every format
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn file_names_never_inject_lines_into_logs() {
    let scratch = Scratch::new();
    scratch.write("x\n::add-mask::secret.md", GIFTED);
    scratch.write("e\n::warning::injected.md", "");
    scratch.write("b\u{1b}[31mred.md", b"\0\0binary");
    scratch.write("::error title=x::y.md", GIFTED);
    let names = ["x\n::add-mask::secret.md", "e\n::warning::injected.md", "b\u{1b}[31mred.md", "::error title=x::y.md"];
    for format in ["human", "compact", "github", "json", "sarif"] {
        let mut args = vec!["check", "--format", format, "gifted.md"];
        args.extend(names);
        let run = scratch.run(&args);
        run.exits(2);
        for line in run.stdout.lines().chain(run.stderr.lines()) {
            let ours = format == "github" && (line.starts_with("::error file=") || line.starts_with("::warning file="));
            assert!(ours || !line.starts_with("::"), "{format}: a line starts a workflow command: {line:?}");
            assert!(!line.contains('\u{1b}'), "{format}: a raw escape: {line:?}");
        }
        assert!(run.stderr.contains("warning: e\\n::warning::injected.md: empty file"), "{format}: {}", run.stderr);
        assert!(run.stderr.contains("error: b\\u{1b}[31mred.md: looks like a binary file"), "{format}: {}", run.stderr);
    }
    let run = compact(&scratch, &names);
    assert!(run.stdout.contains("x\\n::add-mask::secret.md:1:1: error relationship/undisclosed-connection"));
    assert!(run.stdout.contains("./::error title=x::y.md:1:1: error relationship/undisclosed-connection"));
    let run = scratch.run(&["check", "--format", "github", names[0]]);
    assert!(run.stdout.starts_with("::error file=x%0A%3A%3Aadd-mask%3A%3Asecret.md,line=1,"), "{}", run.stdout);
    let run = scratch.run(&["check", "--format", "json", names[0], names[1]]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["diagnostics"][0]["path"], names[0], "JSON keeps the real name");
}

#[test]
fn excerpts_show_control_and_bidi_characters_escaped() {
    let scratch = Scratch::new();
    scratch.write("term.md", "@glowco sent me this \u{1b}]0;pwned\u{7} serum \u{202e}evil\u{202c}.\n");
    let run = scratch.run(&["check", "term.md"]);
    run.exits(1);
    assert!(run.stdout.contains("this \\u{1b}]0;pwned\\u{7} serum \\u{202e}evil\\u{202c}."), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------
// Pipes: a reader that goes away ends the run quietly
// ---------------------------------------------------------------------------------------

/// Runs womlint with standard output closed before it writes (`… | head -0`).
fn with_closed_stdout(scratch: &Scratch, args: &[&str]) -> Run {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("womlint"))
        .current_dir(scratch.dir.path())
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("womlint starts");
    drop(child.stdout.take());
    Run::of(child.wait_with_output().expect("womlint ends"))
}

#[test]
fn commands_on_a_closed_pipe_end_quietly() {
    let scratch = Scratch::new();
    for name in ["a.md", "b.md", "c.md"] {
        scratch.write(name, GIFTED.repeat(50));
    }
    for (args, code) in [
        (&["rules"][..], 0),
        (&["rules", "--json"][..], 0),
        (&["explain", "relationship/undisclosed-connection"][..], 0),
        (&["explain", "womlint/unused-waiver"][..], 0),
        (&["test-rules"][..], 0),
        (&["schema", "pack"][..], 0),
        (&["check", "a.md", "b.md", "c.md"][..], 1),
        (&["check", "--format", "json", "a.md", "b.md", "c.md"][..], 1),
    ] {
        let run = with_closed_stdout(&scratch, args);
        run.exits(code);
        assert!(!run.stderr.contains("Broken pipe") && !run.stderr.contains("error"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn write_errors_name_the_output_path() {
    let scratch = Scratch::new();
    let run = scratch.run(&["check", "--output", "missing/folder/report.txt", "gifted.md"]);
    run.exits(2);
    assert!(
        run.stderr.contains("error: --output missing/folder/report.txt: the folder missing/folder does not exist"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Long blocks and many findings: linear time (bench/hostile.sh measures it)
// ---------------------------------------------------------------------------------------

#[test]
fn a_block_of_35000_labels_is_checked_once_each() {
    // Each label's visible offset and mention cues were searched from the block's start: 34 s
    // for this file in a release build, minutes in a debug one (the minute's timeout).
    let scratch = Scratch::new();
    scratch.write("tags.md", "#sp ".repeat(35_000));
    let run = scratch.run(&["check", "--format", "json", "tags.md"]);
    run.exits(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let ambiguous: Vec<&serde_json::Value> =
        diagnostics.iter().filter(|d| d["rule"] == "relationship/ambiguous-label-only").collect();
    assert_eq!(ambiguous.len(), 1, "{diagnostics:#?}");
    let related = ambiguous[0]["related"].as_array().expect("related places");
    assert_eq!(related.len(), 34_999);
    assert_eq!(related.last().and_then(|l| l["span"]["start"].as_u64()), Some(4 * 34_999));
}

#[test]
fn a_line_of_40000_sentences_is_checked_once_each() {
    // Each match looked for its sentence among all the sentences of its block.
    let scratch = Scratch::new();
    scratch.write("sentences.md", "@glowco sent me this. ".repeat(40_000));
    let run = scratch.run(&["check", "--format", "json", "sentences.md"]);
    run.exits(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["rule"], "relationship/undisclosed-connection");
    let related = finding["related"].as_array().expect("related places");
    assert_eq!(related.len(), 39_999);
    assert_eq!(related.last().and_then(|l| l["span"]["start"].as_u64()), Some(22 * 39_999));
}

#[test]
fn thousands_of_findings_in_one_file_are_each_drawn_from_their_lines() {
    let scratch = Scratch::new();
    let posts: String = (0..3_000).map(|n| format!("@glowco sent me serum number {n}.\n\n---\n\n")).collect();
    scratch.write("posts.md", posts);
    let run = scratch.run(&["check", "posts.md"]);
    run.exits(1);
    assert_eq!(run.stdout.matches(": error relationship/undisclosed-connection").count(), 3_000);
    assert!(run.stdout.contains("posts.md:11997:1: error relationship/undisclosed-connection"));
    assert!(run.stdout.contains("11997 │ @glowco sent me serum number 2999."), "the line numbers are the file's");
    assert!(run.stdout.len() < 3_000 * 1_500, "{} bytes: each finding shows its few lines", run.stdout.len());
}

// ---------------------------------------------------------------------------------------
// Output: whole or not at all, and never onto a file being checked
// ---------------------------------------------------------------------------------------

#[test]
fn output_naming_a_file_being_checked_is_refused() {
    let scratch = Scratch::new();
    let run = scratch.run(&["check", "--output", "gifted.md", "gifted.md", "clean.md"]);
    run.exits(2);
    assert!(
        run.stderr.contains(
            "error: --output gifted.md is one of the files being checked; womlint never writes over a file it \
             checks (nothing was written)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(scratch.path("gifted.md")).expect("the draft"), GIFTED);
    // In a folder being walked, the report of an earlier run is not copy: it is left out of
    // the walk and written over.
    scratch.write("posts/report.md", "old report\n");
    scratch.write("posts/a.md", GIFTED);
    let run = scratch.run(&["check", "--format", "compact", "--output", "posts/report.md", "posts"]);
    run.exits(1);
    let report = std::fs::read_to_string(scratch.path("posts/report.md")).expect("the report");
    assert!(report.contains("posts/a.md:1:1: error"), "{report}");
    assert!(!report.contains("posts/report.md:"), "{report}");
    // Named through a symbolic link.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(scratch.path("gifted.md"), scratch.path("report.txt")).expect("a symlink");
        let run = scratch.run(&["check", "--output", "report.txt", "clean.md", "gifted.md"]);
        run.exits(2);
        assert!(run.stderr.contains("error: --output report.txt (gifted.md) is one of the files"), "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(scratch.path("gifted.md")).expect("the draft"), GIFTED);
    }
}

#[cfg(unix)]
#[test]
fn output_replaces_the_report_whole_and_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = Scratch::new();
    let report = scratch.write("report.txt", "old report\n");
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).expect("a mode");
    let run = scratch.run(&["check", "--format", "compact", "--output", "report.txt", "gifted.md", "clean.md"]);
    run.exits(1);
    let written = std::fs::read_to_string(&report).expect("the report");
    assert!(written.starts_with("gifted.md:1:1: error relationship/undisclosed-connection"), "{written}");
    assert_eq!(std::fs::metadata(&report).expect("the report").permissions().mode() & 0o777, 0o640);
    let names: Vec<String> = std::fs::read_dir(scratch.dir.path())
        .expect("the folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("womlint-tmp")), "{names:?}");
}

/// A run writing a 10 MB SARIF report over an old one, interrupted by `signal` (`KILL` or
/// `INT`) after `delay`: its exit code, and the report as it is found.
#[cfg(unix)]
fn interrupted(scratch: &Scratch, signal: &str, delay: std::time::Duration) -> (Option<i32>, String) {
    let report = scratch.write("report.sarif", "old report\n");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("womlint"))
        .current_dir(scratch.dir.path())
        .args(["check", "--format", "sarif", "--output", "report.sarif", "posts.md"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("womlint starts");
    std::thread::sleep(delay);
    let sent = std::process::Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
    assert!(sent.is_ok(), "kill runs");
    let status = child.wait().expect("womlint ends");
    (status.code(), std::fs::read_to_string(report).expect("a report is there"))
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_the_old_report_or_the_new_one_whole() {
    let scratch = Scratch::new();
    let posts: String = (0..10_000).map(|n| format!("@glowco sent me serum number {n}.\n\n---\n\n")).collect();
    scratch.write("posts.md", posts);
    let run = scratch.run(&["check", "--format", "sarif", "--output", "new.sarif", "posts.md"]);
    run.exits(1);
    let new = std::fs::read_to_string(scratch.path("new.sarif")).expect("a whole report");
    let (mut old_seen, mut new_seen) = (0, 0);
    for step in 0..12u64 {
        let delay = std::time::Duration::from_millis(100 + step * step * 25);
        let signal = if step % 2 == 0 { "INT" } else { "KILL" };
        let (code, report) = interrupted(&scratch, signal, delay);
        if report == "old report\n" {
            old_seen += 1;
        } else {
            assert!(report == new, "{signal} after {delay:?}: a report of {} bytes, neither old nor new", report.len());
            new_seen += 1;
        }
        let temps: Vec<PathBuf> = std::fs::read_dir(scratch.dir.path())
            .expect("the folder")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".womlint-tmp"))
            .collect();
        if signal == "INT" {
            assert!(matches!(code, Some(130) | Some(1)), "Ctrl-C after {delay:?}: {code:?}");
            assert!(temps.is_empty(), "Ctrl-C left {temps:?}");
        }
        // SIGKILL cannot be caught: its temporary file stays (and the old report with it).
        for temp in temps {
            std::fs::remove_file(temp).expect("a temporary file removed");
        }
    }
    assert!(old_seen + new_seen == 12, "{old_seen} old, {new_seen} new");
}

// ---------------------------------------------------------------------------------------
// Front matter: what a reader sees, not what a broken header says
// ---------------------------------------------------------------------------------------

#[test]
fn unclosed_front_matter_is_an_error_and_not_a_label() {
    let scratch = Scratch::new();
    scratch.write("open.md", "---\nsponsored: true\nplatform: instagram\n\n@glowco sent me this serum.\n");
    let run = compact(&scratch, &["open.md", "gifted.md"]);
    run.exits(1).still_checks_the_others();
    run.reports(
        "open.md:1:1: warning womlint/invalid-front-matter Front matter cannot be read: the `---` on line 1 opens \
         front matter that no `---` line closes, so none of its keys are read",
    );
    assert!(run.stdout.contains("open.md:5:1: error relationship/undisclosed-connection"), "{}", run.stdout);
}

#[test]
fn toml_front_matter_is_reported_and_not_prose() {
    let scratch = Scratch::new();
    scratch.write("hugo.md", "+++\ntitle = \"Serum\"\nsponsored = true\n+++\n\n#ad Thanks @glowco for the serum.\n");
    let run = compact(&scratch, &["hugo.md", "gifted.md"]);
    run.exits(1).still_checks_the_others();
    run.reports(
        "hugo.md:1:1: warning womlint/invalid-front-matter Front matter cannot be read: TOML front matter (between \
         `+++` lines) is not read; write it as YAML between `---` lines",
    );
    assert_eq!(run.stdout.matches("hugo.md").count(), 1, "the TOML is not prose: {}", run.stdout);
}

#[test]
fn a_sponsored_value_that_is_not_a_boolean_is_an_error() {
    let scratch = Scratch::new();
    scratch.write("one.md", "---\nplatform: instagram\nsponsored: 1\n---\nMy new serum routine.\n");
    let run = compact(&scratch, &["one.md", "gifted.md"]);
    run.exits(1).still_checks_the_others();
    run.reports(
        "one.md:3:1: warning womlint/invalid-front-matter Front matter cannot be read: `sponsored: 1` is not true \
         or false, so `sponsored` is not read",
    );
}

// ---------------------------------------------------------------------------------------
// Waivers, threads, configuration discovery
// ---------------------------------------------------------------------------------------

#[test]
fn a_waiver_without_its_closing_is_reported() {
    let scratch = Scratch::new();
    scratch.write(
        "waiver.md",
        "Intro\n\n<!-- womlint-disable-next-line relationship -- own post\n@glowco sent me this.\n",
    );
    scratch.write("note.md", "Intro\n\n<!-- a note to the editor\n@glowco sent me this.\n");
    let run = compact(&scratch, &["waiver.md", "note.md", "gifted.md"]);
    run.exits(1).still_checks_the_others();
    run.reports(
        "waiver.md:3:1: warning womlint/invalid-waiver Waiver that womlint cannot read: the comment is not closed \
         with `-->`, so the rest of the file is read as HTML and not checked",
    );
    run.reports("note.md:3:1: warning womlint/unclosed-comment HTML comment that is never closed\n");
}

#[test]
fn a_hundred_thousand_threads_are_capped() {
    // Over 64 files, a run starts every worker asked for: the system refused one and the
    // run aborted (134).
    let scratch = Scratch::new();
    for n in 0..70 {
        scratch.write(&format!("tree/{n}.md"), CLEAN);
    }
    let run = compact(&scratch, &["--threads", "100000", "tree", "gifted.md"]);
    run.exits(1).still_checks_the_others();
}

#[test]
fn a_folder_named_like_a_config_is_warned_about() {
    let scratch = Scratch::new();
    scratch.write("posts/womlint.yaml/readme.txt", "not a configuration");
    scratch.write("posts/a.md", GIFTED);
    let run = compact(&scratch, &["posts", "gifted.md"]);
    run.exits(1).still_checks_the_others();
    assert!(
        run.stderr.contains("warning: posts/womlint.yaml is a folder, not a configuration file; it is not used"),
        "{}",
        run.stderr
    );
}

#[test]
fn verbose_names_the_configuration_of_each_file() {
    let scratch = Scratch::new();
    scratch.write("womlint.yaml", "fail_on: error\n");
    scratch.write("it/.womlint.yaml", "jurisdiction: it\n");
    scratch.write("it/post.md", GIFTED);
    let run = compact(&scratch, &["--verbose", "gifted.md", "it/post.md"]);
    run.exits(1);
    assert!(run.stderr.contains("womlint: gifted.md uses womlint.yaml\n"), "{}", run.stderr);
    assert!(run.stderr.contains("womlint: it/post.md uses it/.womlint.yaml\n"), "{}", run.stderr);
    let run = compact(&scratch, &["-v", "--no-config", "gifted.md"]);
    assert!(run.stderr.contains("womlint: gifted.md uses no configuration file\n"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
#[ignore = "needs root: it gives a configuration file to another user (CI runs it)"]
fn a_configuration_another_user_owns_is_skipped_with_a_warning() {
    let scratch = Scratch::new();
    let config = scratch.write("womlint.yaml", "rules: { relationship: off }\n");
    std::os::unix::fs::chown(&config, Some(4242), Some(4242)).expect("root gives the file to user 4242");
    let run = compact(&scratch, &["gifted.md"]);
    run.exits(1).still_checks_the_others();
    assert!(
        run.stderr.contains(
            "warning: womlint.yaml belongs to another user (uid 4242), so it is not used; name it with --config to \
             use it"
        ),
        "{}",
        run.stderr
    );
    // Named explicitly, it is read.
    let run = compact(&scratch, &["--config", "womlint.yaml", "gifted.md"]);
    run.exits(0);
}

// ---------------------------------------------------------------------------------------
// What was handled before, kept so: encodings, binary, empty, deep nesting, YAML bombs,
// vanishing files, look-alike labels
// ---------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_binary_and_empty_files_are_named_and_the_rest_checked() {
    let scratch = Scratch::new();
    scratch.write("latin1.md", b"ok\nab\xffc\n");
    scratch.write("image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    scratch.write("empty.md", "");
    scratch.write("blank.txt", " \n\t\n");
    let run = compact(&scratch, &["latin1.md", "image.md", "empty.md", "blank.txt", "gifted.md"]);
    run.exits(2).still_checks_the_others();
    for message in [
        "error: latin1.md: not valid UTF-8 (first bad byte at line 2, byte 3 of the line); save it as UTF-8 to check it",
        "error: image.md: looks like a binary file (it has NUL bytes); not checked",
        "warning: empty.md: empty file, nothing to check",
        "warning: blank.txt: empty file, nothing to check",
    ] {
        assert!(run.stderr.contains(message), "no {message:?} in {}", run.stderr);
    }
}

#[test]
fn bom_and_crlf_keep_positions_exact() {
    let scratch = Scratch::new();
    scratch.write("windows.md", "\u{feff}Ciao!\r\n\r\nàè @glowco sent me this serum.\r\n");
    let run = compact(&scratch, &["windows.md"]);
    run.exits(1).reports("windows.md:3:4: error relationship/undisclosed-connection");
}

#[test]
fn deep_nesting_is_checked() {
    let scratch = Scratch::new();
    scratch.write(
        "deep.md",
        format!("{}@glowco sent me this.\n\n{}x\n\n{}\n", "> ".repeat(5_000), "- ".repeat(5_000), "[".repeat(20_000)),
    );
    let run = compact(&scratch, &["deep.md", "gifted.md"]);
    run.exits(1).still_checks_the_others().reports("deep.md:1:10001: error relationship/undisclosed-connection");
}

const LAUGHS: &str = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                      e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                      g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";

#[test]
fn yaml_bombs_are_refused_in_front_matter_configs_and_packs() {
    let scratch = Scratch::new();
    scratch.write("bomb.md", format!("---\n{LAUGHS}---\n@glowco sent me this.\n"));
    let run = compact(&scratch, &["bomb.md", "gifted.md"]);
    run.exits(1).still_checks_the_others();
    run.reports("bomb.md:1:1: warning womlint/invalid-front-matter Front matter cannot be read: ");
    run.reports("bomb.md:11:1: error relationship/undisclosed-connection");
    scratch.write("bomb.yaml", LAUGHS);
    for flag in ["--config", "--pack"] {
        let run = scratch.run(&["check", flag, "bomb.yaml", "gifted.md"]);
        run.exits(2);
        assert!(run.stderr.contains("bomb.yaml: "), "{flag}: {}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_file_that_vanished_is_named_and_the_rest_checked() {
    let scratch = Scratch::new();
    std::os::unix::fs::symlink(scratch.path("gone.md"), scratch.path("vanished.md")).expect("a symlink");
    let run = compact(&scratch, &["vanished.md", "missing.md", "gifted.md"]);
    run.exits(2).still_checks_the_others();
    assert!(run.stderr.contains("error: vanished.md: no such file or folder"), "{}", run.stderr);
    assert!(run.stderr.contains("error: missing.md: no such file or folder"), "{}", run.stderr);
}

#[test]
fn look_alike_labels_are_not_disclosures() {
    let scratch = Scratch::new();
    // A Cyrillic "а", a zero-width space, a fullwidth "＃".
    for (name, label) in [("cyrillic.md", "#\u{430}d"), ("zwsp.md", "#a\u{200b}d"), ("fullwidth.md", "\u{ff03}ad")] {
        scratch.write(name, format!("{label} @glowco sent me this serum.\n"));
        let run = compact(&scratch, &[name]);
        run.exits(1).reports(&format!("{name}:1:"));
        assert!(
            run.stdout.contains("relationship/undisclosed-connection")
                || run.stdout.contains("relationship/disguised-label"),
            "{name}: {}",
            run.stdout
        );
    }
}

#[test]
fn pack_texts_are_escaped_in_listings_and_kept_in_json() {
    let scratch = Scratch::new();
    scratch.write(
        "acme.yaml",
        "pack: acme\ntitle: \"Acme\\e[2J\"\nrules:\n  - id: relationship/acme\n    principle: relationship\n    \
         severity: warning\n    check: forbidden\n    when: ['acme']\n    message: \"Say it\\L::add-mask::x\"\n    \
         examples:\n      - flag: acme\n      - pass: other\n",
    );
    let run = scratch.run(&["rules", "--pack", "acme.yaml"]);
    run.exits(0).reports("acme — Acme\\u{1b}[2J (acme.yaml)").reports("Say it\\u{2028}::add-mask::x");
    let run = scratch.run(&["rules", "--json", "--pack", "acme.yaml"]);
    run.exits(0);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let acme = list.as_array().and_then(|l| l.iter().find(|r| r["id"] == "relationship/acme")).expect("the rule");
    assert_eq!(acme["message"]["en"], "Say it\u{2028}::add-mask::x", "{acme}");
}

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

    fn womlint(&self) -> Command {
        let mut cmd = Command::cargo_bin("womlint").expect("the binary is built");
        cmd.current_dir(self.dir.path()).env("NO_COLOR", "1").env("COLUMNS", "80");
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
    assert!(run.stderr.contains("ci.env: expected mapping start (line 1, column 1;"), "{}", run.stderr);
    assert!(run.stderr.contains("the file does not look like YAML text"), "{}", run.stderr);
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

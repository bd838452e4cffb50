//! `check --fix`, `--unsafe-fixes`, `--diff`, `--add-waiver` and baselines, run as a user
//! runs them, over the fixtures in tests/fixtures/fix (English, Italian, mixed, CRLF, a byte
//! order mark, several posts in one file, code blocks, link destinations).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

#[path = "common/run.rs"]
mod run;

use run::{Run, womlint};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix")
}

/// A temporary folder with a copy of the fixtures in `drafts/`.
fn drafts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::create_dir(dir.path().join("drafts")).expect("made");
    for entry in fs::read_dir(fixtures()).expect("the fixtures exist") {
        let path = entry.expect("an entry").path();
        fs::copy(&path, dir.path().join("drafts").join(path.file_name().expect("a name"))).expect("copied");
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join("drafts").join(name)).expect("readable")
}

fn rules_of(run: &Run) -> Vec<String> {
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    value["diagnostics"]
        .as_array()
        .map(|d| d.iter().map(|d| format!("{}:{}", d["path"].as_str().unwrap_or(""), d["rule"])).collect())
        .unwrap_or_default()
}

#[test]
fn the_diff_of_every_fixture_is_the_golden_one() {
    let safe = womlint(&fixtures(), &["check", "--diff", "."]);
    assert_eq!(safe.code, 1, "{}", safe.stderr);
    insta::assert_snapshot!("diff_safe", safe.stdout);
    let all = womlint(&fixtures(), &["check", "--diff", "--unsafe-fixes", "."]);
    assert_eq!(all.code, 1, "{}", all.stderr);
    insta::assert_snapshot!("diff_unsafe", all.stdout);
    // A clean file: nothing to fix, exit 0, nothing printed.
    let dir = tempfile::tempdir().expect("a folder");
    fs::write(dir.path().join("ok.md"), "#ad Gifted by @glowco, the serum is lovely\n").expect("written");
    let clean = womlint(dir.path(), &["check", "--diff", "."]);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, ""), "{}", clean.stderr);
}

#[test]
fn diff_writes_nothing() {
    let dir = drafts();
    let before: Vec<String> = ["it-buried-label.md", "mixed-posts.md"].iter().map(|n| read(dir.path(), n)).collect();
    let run = womlint(dir.path(), &["check", "--diff", "--unsafe-fixes", "drafts"]);
    assert_eq!(run.code, 1);
    // Nothing but the diff, which --output sends to a file.
    let to_file = womlint(dir.path(), &["check", "--diff", "--unsafe-fixes", "--output", "fixes.diff", "drafts"]);
    assert_eq!((to_file.code, to_file.stdout.as_str()), (1, ""));
    assert_eq!(fs::read_to_string(dir.path().join("fixes.diff")).expect("written"), run.stdout);
    let after: Vec<String> = ["it-buried-label.md", "mixed-posts.md"].iter().map(|n| read(dir.path(), n)).collect();
    assert_eq!(before, after);
}

#[test]
fn fix_applies_safe_fixes_keeps_every_other_byte_and_reports_what_remains() {
    let dir = drafts();
    let run = womlint(dir.path(), &["check", "--fix", "--format", "json", "drafts"]);
    assert_eq!(run.code, 1, "an unsafe finding remains: {}", run.stderr);
    assert!(run.stderr.contains("womlint: fixed 5 finding(s) in 4 file(s)"), "{}", run.stderr);
    // What remains is the post with no label: its fix is unsafe.
    assert_eq!(rules_of(&run), ["drafts/mixed-posts.md:\"relationship/undisclosed-connection\""]);

    // CRLF stays CRLF, the front matter stays as it was.
    let crlf = read(dir.path(), "en-ambiguous-crlf.md");
    assert_eq!(
        crlf,
        "---\r\nplatform: instagram\r\n---\r\n#ad Overnight mask that actually works 🌙 #skincare\r\n\r\nSee you tomorrow!\r\n"
    );
    // Italian: the Italian label, moved out of the hashtag block.
    let italian = read(dir.path(), "it-buried-label.md");
    assert!(italian.ends_with("---\n#adv Gelato della domenica con @gelateriasole 🍦 gusto nocciola e fiordilatte. #gelato #estate #milano #foodie #dolce\n"), "{italian}");
    // The byte order mark stays first; the thanks stays, the label goes before it.
    let bom = read(dir.path(), "en-bom-thanks.txt");
    assert_eq!(bom, "\u{feff}#ad Thanks @glowco! Obsessed with the serum they sent it over last week\n");
    // Several posts: each fixed in its own language; code and link destinations untouched.
    let multi = read(dir.path(), "mixed-posts.md");
    let original = fs::read_to_string(fixtures().join("mixed-posts.md")).expect("readable");
    assert!(multi.contains("\n#ad Sunday reset"), "{multi}");
    assert!(multi.contains("\n#adv La nuova palette di @colorlab è stupenda #makeup\n"), "{multi}");
    assert!(multi.contains("```text\n#sp stays in code: a sample, not copy\n```"), "{multi}");
    assert!(multi.contains("\n@glowco sent me their new serum"), "unsafe fixes wait for --unsafe-fixes");
    assert_eq!(multi.lines().count(), original.lines().count());

    // A second run finds nothing safe to fix.
    let again = womlint(dir.path(), &["check", "--fix", "drafts"]);
    assert!(again.stderr.contains("womlint: fixed 0 finding(s) in 0 file(s)"), "{}", again.stderr);

    let unsafe_run = womlint(dir.path(), &["check", "--unsafe-fixes", "drafts"]);
    assert_eq!(unsafe_run.code, 0, "nothing remains: {}{}", unsafe_run.stdout, unsafe_run.stderr);
    let multi = read(dir.path(), "mixed-posts.md");
    assert!(
        multi.contains("\n#ad @glowco sent me their new serum and I've used it every night since. [Shop it](https://glowco.example/serum?ref=giulia)\n"),
        "{multi}"
    );
}

#[cfg(unix)]
#[test]
fn a_fixed_file_keeps_its_permissions_and_no_temporary_file_is_left() {
    use std::os::unix::fs::PermissionsExt;
    let dir = drafts();
    let path = dir.path().join("drafts/it-buried-label.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("set");
    let run = womlint(dir.path(), &["check", "--fix", "drafts/it-buried-label.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::metadata(&path).expect("there").permissions().mode() & 0o777, 0o600);
    let names: Vec<String> = fs::read_dir(dir.path().join("drafts"))
        .expect("listed")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with("womlint-tmp")), "{names:?}");
}

#[test]
fn standard_input_with_fix_prints_the_fixed_text_and_reports_on_stderr() {
    let text = fs::read(fixtures().join("en-ambiguous-crlf.md")).expect("readable");
    let mut child = run::command(&fixtures())
        .args(["check", "--fix", "-", "--stdin-filename", "post.md"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("womlint runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &text).expect("written");
    let output = child.wait_with_output().expect("it ends");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "---\r\nplatform: instagram\r\n---\r\n#ad Overnight mask that actually works 🌙 #skincare\r\n\r\nSee you tomorrow!\r\n"
    );
    // Nothing to fix: the text comes back as it was.
    let clean = "#ad all good with @glowco\n";
    let mut child = run::command(&fixtures())
        .args(["check", "--fix", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("womlint runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), clean.as_bytes()).expect("written");
    let output = child.wait_with_output().expect("it ends");
    assert_eq!(String::from_utf8_lossy(&output.stdout), clean);
}

#[test]
fn add_waiver_waives_every_finding_once() {
    let dir = drafts();
    let reason = "published before the 2024 policy";
    let first = womlint(dir.path(), &["check", "--add-waiver", reason, "--format", "json", "drafts"]);
    assert_eq!(first.code, 0, "every finding is waived: {}{}", first.stdout, first.stderr);
    assert!(rules_of(&first).is_empty());
    let multi = read(dir.path(), "mixed-posts.md");
    assert!(
        multi.contains(&format!(
            "<!-- womlint-disable-next-line relationship/ambiguous-label-only -- {reason} -->\nLa nuova palette"
        )),
        "{multi}"
    );
    let txt = read(dir.path(), "en-bom-thanks.txt");
    assert!(
        txt.starts_with(&format!("\u{feff}womlint-disable-next-line relationship/thanks-as-label -- {reason}\nThanks")),
        "{txt:?}"
    );
    let crlf = read(dir.path(), "en-ambiguous-crlf.md");
    assert!(crlf.contains(&format!("-- {reason} -->\r\n")), "CRLF stays CRLF: {crlf:?}");
    assert!(!crlf.replace("\r\n", "").contains('\n'), "{crlf:?}");
    let names = ["mixed-posts.md", "en-bom-thanks.txt", "en-ambiguous-crlf.md", "it-buried-label.md"];
    let after_first: Vec<String> = names.iter().map(|n| read(dir.path(), n)).collect();
    let second = womlint(dir.path(), &["check", "--add-waiver", reason, "drafts"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let after_second: Vec<String> = names.iter().map(|n| read(dir.path(), n)).collect();
    assert_eq!(after_first, after_second, "never twice");
}

#[test]
fn add_waiver_for_the_front_matter_waives_the_file_after_it() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("post.md");
    fs::write(&path, "---\nsponsored: true\n---\nA walk by the sea this morning\n").expect("written");
    let run = womlint(dir.path(), &["check", "--add-waiver", "archived", "post.md"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = fs::read_to_string(&path).expect("readable");
    assert_eq!(
        text,
        "---\nsponsored: true\n---\n<!-- womlint-disable-file relationship/frontmatter-sponsored-unlabelled -- archived -->\n\
         A walk by the sea this morning\n"
    );
}

#[test]
fn add_waiver_in_the_middle_of_a_paragraph_waives_at_the_end_of_the_line() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("post.md");
    fs::write(&path, "#ad First line of the caption\nWe love @glowco #sp and this line goes on\n").expect("written");
    let run = womlint(dir.path(), &["check", "--add-waiver", "old post", "post.md"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = fs::read_to_string(&path).expect("readable");
    assert!(!text.contains("disable-next-line"), "the paragraph is not split: {text}");
}

/// A generated archive: `n` posts, each with a finding, some Italian.
fn archive(dir: &Path, n: usize) {
    fs::create_dir_all(dir.join("archive")).expect("made");
    for i in 0..n {
        let text = if i % 3 == 0 {
            format!(
                "---\nplatform: instagram\nlang: it\n---\nGiorno {i} con @gelateriasole 🍦 gusto nocciola. #gelato #estate #milano #foodie #adv\n"
            )
        } else {
            format!("Post {i}: @glowco sent me their serum and I love it #sp\n\nSecond paragraph {i}.\n")
        };
        fs::write(dir.join(format!("archive/post-{i:04}.md")), text).expect("written");
    }
}

#[test]
fn a_baseline_survives_a_line_inserted_at_the_top_of_every_file() {
    let dir = tempfile::tempdir().expect("a folder");
    archive(dir.path(), 30);
    let write = womlint(dir.path(), &["check", "--write-baseline", "baseline.json", "archive"]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    let text = fs::read_to_string(dir.path().join("baseline.json")).expect("written");
    let value: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["version"], 1);
    let entries = value["findings"].as_array().expect("a list");
    assert!(entries.len() >= 30, "{}", entries.len());
    let mut sorted = entries.clone();
    sorted.sort_by_key(|e| (e["path"].to_string(), e["rule"].to_string(), e["fingerprint"].to_string()));
    assert_eq!(&sorted, entries, "sorted");
    // Writing again gives the same bytes.
    womlint(dir.path(), &["check", "--write-baseline", "baseline.json", "archive"]);
    assert_eq!(fs::read_to_string(dir.path().join("baseline.json")).expect("written"), text);

    // A line added at the top of every file (after the front matter, where there is one).
    for entry in fs::read_dir(dir.path().join("archive")).expect("listed") {
        let path = entry.expect("an entry").path();
        let old = fs::read_to_string(&path).expect("readable");
        let new = match old.strip_prefix("---\nplatform: instagram\nlang: it\n---\n") {
            Some(rest) => format!("---\nplatform: instagram\nlang: it\n---\nAggiornato.\n\n{rest}"),
            None => format!("Updated in 2025.\n\n{old}"),
        };
        fs::write(&path, new).expect("written");
    }
    let run = womlint(dir.path(), &["check", "--baseline", "baseline.json", "--format", "json", "archive"]);
    assert_eq!(run.code, 0, "nothing new: {}", run.stdout);
    assert!(rules_of(&run).is_empty());
    assert!(run.stderr.contains(&format!("left out {} known finding(s)", entries.len())), "{}", run.stderr);

    // A new finding in one file is reported, and only it.
    let path = dir.path().join("archive/post-0001.md");
    let text = fs::read_to_string(&path).expect("readable");
    fs::write(&path, format!("{text}\n---\n\nUse my code GLOW20 for 20% off\n")).expect("written");
    let run = womlint(dir.path(), &["check", "--baseline", "baseline.json", "--format", "json", "archive"]);
    assert_eq!(run.code, 1);
    assert_eq!(rules_of(&run), ["archive/post-0001.md:\"relationship/undisclosed-code\""]);
}

#[test]
fn stale_entries_are_counted_and_pruned_by_writing_again() {
    let dir = tempfile::tempdir().expect("a folder");
    archive(dir.path(), 6);
    womlint(dir.path(), &["check", "--write-baseline", "baseline.json", "archive"]);
    let fix = womlint(dir.path(), &["check", "--fix", "--baseline", "baseline.json", "archive"]);
    assert!(fix.stderr.contains("baseline entries match no finding any more"), "{}", fix.stderr);
    let count = |dir: &Path| {
        let value: Value =
            serde_json::from_str(&fs::read_to_string(dir.join("baseline.json")).expect("there")).expect("JSON");
        value["findings"].as_array().map_or(0, Vec::len)
    };
    let before = count(dir.path());
    womlint(dir.path(), &["check", "--write-baseline", "baseline.json", "archive"]);
    assert!(count(dir.path()) < before, "pruned");
    let run = womlint(dir.path(), &["check", "--baseline", "baseline.json", "archive"]);
    assert!(!run.stderr.contains("match no finding"), "{}", run.stderr);
}

#[test]
fn the_configuration_names_the_baseline_and_a_bad_one_stops_the_run() {
    let dir = tempfile::tempdir().expect("a folder");
    archive(dir.path(), 3);
    womlint(dir.path(), &["check", "--write-baseline", "known.json", "archive"]);
    fs::write(dir.path().join("womlint.yaml"), "baseline: known.json\n").expect("written");
    let run = womlint(dir.path(), &["check", "archive"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    fs::write(dir.path().join("known.json"), "{ not json").expect("written");
    let run = womlint(dir.path(), &["check", "archive"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("known.json") && run.stderr.contains("not a womlint baseline"), "{}", run.stderr);
}

#[test]
fn sarif_publishes_the_baseline_fingerprint_and_the_fixes() {
    let dir = tempfile::tempdir().expect("a folder");
    archive(dir.path(), 2);
    womlint(dir.path(), &["check", "--write-baseline", "baseline.json", "archive"]);
    let baseline: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("baseline.json")).expect("there")).expect("JSON");
    let sarif = womlint(dir.path(), &["check", "--format", "sarif", "archive"]);
    let log: Value = serde_json::from_str(&sarif.stdout).expect("JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let published: Vec<&str> = results.iter().filter_map(|r| r["partialFingerprints"]["womlint/v1"].as_str()).collect();
    for entry in baseline["findings"].as_array().expect("a list") {
        assert!(published.contains(&entry["fingerprint"].as_str().unwrap_or("")), "{entry}");
    }
    let fixes: Vec<&Value> = results.iter().filter_map(|r| r.get("fixes")).collect();
    assert!(!fixes.is_empty());
    let replacement = &fixes[0][0]["artifactChanges"][0]["replacements"][0];
    assert!(replacement["deletedRegion"]["byteOffset"].is_u64() && replacement["insertedContent"]["text"].is_string());
}

#[test]
fn a_pack_fix_is_checked_with_the_name_meant() {
    let dir = tempfile::tempdir().expect("a folder");
    let pack = "pack: mine\ntitle: Mine\nrules:\n  - id: relationship/mine\n    principle: relationship\n    severity: warning\n    \
                check: ambiguous-label\n    when: ['#spons']\n    suggest: '#ad'\n    fix: replace-lable\n    \
                message: weak\n    examples:\n      - flag: '#spons hi'\n      - pass: 'hi'\n";
    fs::write(dir.path().join("mine.yaml"), pack).expect("written");
    let run = womlint(dir.path(), &["test-rules", "mine.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown fix `replace-lable`") && run.stderr.contains("did you mean `replace-label`"),
        "{}",
        run.stderr
    );
    let unsafe_safe = pack.replace("fix: replace-lable", "fix: { kind: insert-label, applicability: safe }");
    fs::write(dir.path().join("mine.yaml"), unsafe_safe).expect("written");
    let run = womlint(dir.path(), &["test-rules", "mine.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`insert-label` is always unsafe"), "{}", run.stderr);
    let good = pack.replace("fix: replace-lable", "fix: replace-label");
    fs::write(dir.path().join("mine.yaml"), good).expect("written");
    let run = womlint(dir.path(), &["test-rules", "mine.yaml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// A run killed in the middle of fixing leaves every file whole: the old text or the new.
/// Needs `kill` (procps), as the hostile-input tests do.
#[cfg(unix)]
#[test]
fn a_fix_run_killed_midway_leaves_every_file_old_or_new() {
    let dir = tempfile::tempdir().expect("a folder");
    archive(dir.path(), 400);
    let old: Vec<(PathBuf, String)> = fs::read_dir(dir.path().join("archive"))
        .expect("listed")
        .map(|e| {
            let path = e.expect("an entry").path();
            let text = fs::read_to_string(&path).expect("readable");
            (path, text)
        })
        .collect();
    // The fixed texts, from a run to the end on a copy.
    let copy = tempfile::tempdir().expect("a folder");
    archive(copy.path(), 400);
    let done = womlint(copy.path(), &["check", "--fix", "--threads", "1", "archive"]);
    assert!(done.stderr.contains("womlint: fixed"), "{}", done.stderr);
    let new_of = |path: &Path| {
        let name = path.file_name().expect("a name");
        fs::read_to_string(copy.path().join("archive").join(name)).expect("readable")
    };
    // SIGKILL, which nothing can catch, and SIGTERM, which womlint answers by removing the
    // temporary files it is writing, each as soon as the first files are fixed.
    let temporary_files = || -> Vec<PathBuf> {
        fs::read_dir(dir.path().join("archive"))
            .expect("listed")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.to_string_lossy().ends_with("womlint-tmp"))
            .collect()
    };
    for signal in ["KILL", "TERM"] {
        for (path, before) in &old {
            fs::write(path, before).expect("restored");
        }
        // What SIGKILL left behind.
        for temp in temporary_files() {
            fs::remove_file(temp).expect("removed");
        }
        let mut child = run::command(dir.path())
            .args(["check", "--fix", "--threads", "2", "archive"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("womlint runs");
        let started = std::time::Instant::now();
        while old.iter().all(|(path, before)| fs::read_to_string(path).is_ok_and(|now| now == *before)) {
            assert!(started.elapsed().as_secs() < 60, "the run fixed nothing in a minute");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let sent = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -{signal}");
        let status = child.wait().expect("ended");
        let mut fixed = 0;
        for (path, before) in &old {
            let now = fs::read_to_string(path).expect("readable, whole");
            let after = new_of(path);
            assert!(now == *before || now == after, "{}: neither old nor new: {now:?}", path.display());
            fixed += usize::from(now == after && after != *before);
        }
        assert!(
            fixed > 0 && fixed < old.len(),
            "SIG{signal}: not stopped between the first and the last file ({fixed} fixed)"
        );
        if signal == "TERM" {
            assert_eq!(status.code(), Some(128 + 15), "{status:?}");
            let left = temporary_files();
            assert!(left.is_empty(), "temporary files left after SIGTERM: {left:?}");
        }
    }
}

//! The README is true: every fenced block of README.md is run, or checked against the tool and
//! the files it names, here. A new block without a check fails `every_block_is_checked`; a
//! check whose block is gone fails too. Commands that cannot run inside `cargo test` (`cargo
//! test` itself, `cargo install`, installing system packages) are checked to be what the
//! scripts `.ci/run` runs do.

// Helpers outside `#[test]` functions unwrap too: a panic is a failed test here.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[path = "common/run.rs"]
mod run;

use run::{Run, womlint};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fenced block of the README: the heading it is under, its language and its text.
#[derive(Debug)]
struct Block {
    heading: String,
    lang: String,
    text: String,
    line: usize,
}

fn blocks() -> Vec<Block> {
    let readme = read("README.md");
    let mut blocks = Vec::new();
    let mut heading = String::new();
    let mut open: Option<(String, usize, Vec<&str>)> = None;
    for (index, line) in readme.lines().enumerate() {
        match &mut open {
            Some((lang, start, lines)) => {
                if line.starts_with("```") {
                    blocks.push(Block {
                        heading: heading.clone(),
                        lang: lang.clone(),
                        text: lines.join("\n"),
                        line: *start,
                    });
                    open = None;
                } else {
                    lines.push(line);
                }
            }
            None => {
                if let Some(lang) = line.strip_prefix("```") {
                    open = Some((lang.trim().to_owned(), index + 1, Vec::new()));
                } else if line.starts_with('#') {
                    heading = line.trim_start_matches('#').trim().to_owned();
                }
            }
        }
    }
    assert!(open.is_none(), "README.md has a fence that is never closed");
    blocks
}

/// A block named by its heading, its language and how its first line starts.
type Key = (&'static str, &'static str, &'static str);

const QUICK_START: Key = ("Quick start", "sh", "# lint the bundled example drafts");
const SAMPLE_REPORT: Key = ("Quick start", "text", "examples/en-gifted-serum.md:7:1:");
const INSTALL: Key = ("Install", "sh", "cargo install --locked --path .");
const USAGE: Key = ("Usage", "text", "womlint check [PATHS]...");
const JSON_OUTPUT: Key = ("JSON output", "json", "{");
const HTML_REPORT: Key = ("The HTML report", "sh", "womlint check ");
const AUDIT_SAMPLE: Key = ("JSON output", "json", "\"audit\": {");
const CONFIG_SAMPLE: Key = ("Configuration", "yaml", "packs:");
const CONFIG_TYPO: Key = ("Configuration", "yaml", "rules:");
const CONFIG_ERROR: Key = ("Configuration", "text", "  × womlint.yaml: no rule");
const WAIVERS: Key = ("Suppressing findings", "markdown", "<!-- womlint-disable-next-line");
const FIXING: Key = ("Fixing", "sh", "womlint check --diff campaigns/");
const FIX_DIFF: Key = ("Fixing", "diff", "--- tests/fixtures/fix/");
const BASELINE_COMMANDS: Key = ("Adopting womlint on an archive", "sh", "womlint check --write-baseline");
const BASELINE_SAMPLE: Key = ("Adopting womlint on an archive", "json", "{");
const ACTION: Key = ("CI: GitHub Action and code scanning", "yaml", "name: copy");
const PRE_COMMIT: Key = ("pre-commit", "yaml", "# .pre-commit-config.yaml");
const COMPLETIONS: Key = ("Shell completions and editor schemas", "sh", "womlint completions bash");
const SCHEMA_LINE: Key = ("Shell completions and editor schemas", "yaml", "# yaml-language-server:");
const SCORE_REALWORLD: Key = ("Detection quality: the real-world set", "sh", "cargo build --release");
const BENCH: Key = ("Reproduce", "sh", "apt-get install ripgrep hyperfine");
const DEVELOPMENT: Key = ("Development", "sh", "cargo fmt --all -- --check");
const INCLUDE_IGNORED: Key = ("Development", "sh", "cargo test --workspace -- --include-ignored");
const SCORE_CORPUS: Key = ("Development", "sh", "cargo build --release");
const VSCODE: Key = ("Editors: the language server", "sh", "cd editors/vscode");
const NEOVIM: Key = ("Editors: the language server", "lua", "vim.api.nvim_create_autocmd");
const HELIX: Key = ("Editors: the language server", "toml", "[language-server.womlint]");
const ZED: Key = ("Editors: the language server", "json", "{");
const SERVER_BENCH: Key = ("The language server", "sh", "bench/server.sh");

const ALL: [Key; 29] = [
    QUICK_START,
    SAMPLE_REPORT,
    INSTALL,
    USAGE,
    JSON_OUTPUT,
    AUDIT_SAMPLE,
    HTML_REPORT,
    CONFIG_SAMPLE,
    CONFIG_TYPO,
    CONFIG_ERROR,
    WAIVERS,
    FIXING,
    FIX_DIFF,
    BASELINE_COMMANDS,
    BASELINE_SAMPLE,
    ACTION,
    PRE_COMMIT,
    COMPLETIONS,
    SCHEMA_LINE,
    SCORE_REALWORLD,
    BENCH,
    DEVELOPMENT,
    INCLUDE_IGNORED,
    SCORE_CORPUS,
    VSCODE,
    NEOVIM,
    HELIX,
    ZED,
    SERVER_BENCH,
];

fn matches(block: &Block, (heading, lang, start): Key) -> bool {
    block.heading == heading && block.lang == lang && block.text.starts_with(start)
}

fn block(key: Key) -> String {
    let found: Vec<Block> = blocks().into_iter().filter(|b| matches(b, key)).collect();
    assert_eq!(found.len(), 1, "README.md should have one {key:?} block, found {found:?}");
    found.into_iter().next().map(|b| b.text).unwrap_or_default()
}

/// The command lines of a shell block, without comments.
fn commands(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_block_is_checked() {
    for block in blocks() {
        let keys: Vec<&Key> = ALL.iter().filter(|k| matches(&block, **k)).collect();
        assert_eq!(
            keys.len(),
            1,
            "README.md line {}: a {} block under \"{}\" needs a check in tests/readme.rs (or has several)",
            block.line,
            block.lang,
            block.heading
        );
    }
    for key in ALL {
        block(key);
    }
}

/// `text` with each line's trailing blanks removed.
fn trimmed(text: &str) -> String {
    text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

fn assert_shows(output: &str, sample: &str, what: &str) {
    assert!(
        trimmed(output).contains(&trimmed(sample)),
        "{what}: the README shows\n{sample}\nbut womlint prints\n{output}"
    );
}

/// Whether a script runs a command (`--locked` aside, which CI adds).
fn script_runs(script: &str, command: &str) -> bool {
    let words = |line: &str| line.split_whitespace().filter(|w| *w != "--locked").collect::<Vec<_>>().join(" ");
    let command = words(command);
    read(script).lines().any(|line| words(line).contains(&command))
}

// ---------------------------------------------------------------------------------------
// Quick start and install
// ---------------------------------------------------------------------------------------

#[test]
fn quick_start_commands_run_as_shown() {
    assert_eq!(commands(&block(QUICK_START)), ["cargo run --release -- check examples/", "cargo test"]);
    let run = womlint(&root(), &["check", "examples/"]);
    assert_eq!(run.code, 1, "the examples break rules: {}", run.stderr);
    assert_shows(&run.stdout, &block(SAMPLE_REPORT), "the sample report");
    // `cargo test` on a fresh clone with nothing beside it is what CI proves.
    assert!(script_runs("tests/fresh-clone/run.sh", "cargo test"));
    assert!(script_runs(".ci/run", "bash tests/fresh-clone/run.sh"));
}

#[test]
fn install_commands_are_the_ones_ci_runs() {
    let manifest: toml_like::Manifest = toml_like::read(&read("Cargo.toml"));
    for command in commands(&block(INSTALL)) {
        let local = command.replace(&manifest.repository, "file://");
        let shown = local.split("file://").next().unwrap_or_default().trim();
        assert!(script_runs("tests/install/run.sh", shown), "tests/install/run.sh does not run `{command}`");
        if command.contains("--git") {
            // The repository also holds the fuzz targets' package: cargo must be told which one.
            let wanted = format!("{} womlint", manifest.repository);
            assert!(command.ends_with(&wanted), "`{command}` names the repository of Cargo.toml and the package");
            assert!(read("tests/install/run.sh").contains("/womlint\" --root \"$work/from-git\" womlint"));
        }
    }
    assert!(script_runs(".ci/run", "bash tests/install/run.sh"));
    assert!(script_runs(".ci/run", "bash tests/release/run.sh"));
    for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(root().join(licence).is_file(), "{licence}");
    }
}

/// Just what the tests need from Cargo.toml.
mod toml_like {
    pub struct Manifest {
        pub repository: String,
    }

    pub fn read(text: &str) -> Manifest {
        let value = |key: &str| {
            text.lines()
                .find_map(|l| {
                    l.strip_prefix(key)?.trim_start().strip_prefix('=').map(|v| v.trim().trim_matches('"').to_owned())
                })
                .unwrap_or_default()
        };
        Manifest { repository: value("repository") }
    }
}

// ---------------------------------------------------------------------------------------
// Usage, options, formats
// ---------------------------------------------------------------------------------------

fn cli() -> clap::Command {
    <womlint::cli::Cli as clap::CommandFactory>::command()
}

/// The long flags of a subcommand.
fn flags(sub: &str) -> Vec<String> {
    let cli = cli();
    let command = cli.find_subcommand(sub).unwrap_or_else(|| panic!("no subcommand {sub}"));
    command.get_arguments().filter_map(|a| a.get_long()).map(|l| format!("--{l}")).collect()
}

#[test]
fn usage_lists_every_subcommand_with_real_flags() {
    let listing = block(USAGE);
    let flag = regex::Regex::new(r"--[a-z][a-z-]*").unwrap();
    let mut listed = Vec::new();
    for line in listing.lines() {
        let command = line.split("  ").next().unwrap_or_default();
        let sub = command.split_whitespace().nth(1).unwrap_or_default();
        listed.push(sub.to_owned());
        for found in flag.find_iter(command) {
            assert!(
                flags(sub).contains(&found.as_str().to_owned()),
                "`{command}`: womlint {sub} has no {}",
                found.as_str()
            );
        }
        assert_eq!(womlint(&root(), &[sub, "--help"]).code, 0, "womlint {sub} --help");
    }
    for sub in cli().get_subcommands() {
        assert!(
            listed.iter().any(|l| l == sub.get_name()),
            "the usage listing leaves out `womlint {}`",
            sub.get_name()
        );
    }
}

/// The rows of the Markdown table that follows `after` in the README: the cells of each.
fn table_after(after: &str) -> Vec<Vec<String>> {
    let readme = read("README.md");
    let at = readme.find(after).unwrap_or_else(|| panic!("README.md has no `{after}`"));
    readme[at..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            let l = l.replace("\\|", "\u{1}");
            l.trim_matches('|').split('|').map(|c| c.trim().replace('\u{1}', "|")).collect()
        })
        .collect()
}

#[test]
fn the_options_table_names_real_flags_and_values() {
    let check = cli();
    let check = check.find_subcommand("check").unwrap();
    let flag = regex::Regex::new(r"`(--[a-z][a-z-]*)(?: ([a-z|]+))?").unwrap();
    let rows = table_after("| option | meaning |");
    assert!(rows.len() >= 10, "{rows:?}");
    let mut documented = Vec::new();
    for row in &rows {
        for caps in flag.captures_iter(&row[0]) {
            let name = caps[1].trim_start_matches('-').to_owned();
            let arg = check.get_arguments().find(|a| a.get_long() == Some(name.as_str()));
            let arg = arg.unwrap_or_else(|| panic!("`womlint check` has no --{name}"));
            if let Some(values) = caps.get(2) {
                let shown: Vec<&str> = values.as_str().split('|').collect();
                let real: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect();
                assert_eq!(shown, real, "--{name}'s values");
            }
            documented.push(format!("--{name}"));
        }
    }
    // Every flag of `check` is in the table, or in the usage listing.
    let listing = block(USAGE);
    for name in flags("check") {
        if name != "--help" {
            assert!(documented.contains(&name) || listing.contains(&name), "the README does not document {name}");
        }
    }
    // The output formats table lists every format.
    let formats: Vec<String> =
        table_after("| `--format` | what it prints |").iter().map(|r| r[0].trim_matches('`').to_owned()).collect();
    let real: Vec<String> = check
        .get_arguments()
        .find(|a| a.get_long() == Some("format"))
        .map(|a| a.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect())
        .unwrap_or_default();
    assert_eq!(formats, real);
}

#[test]
fn the_json_sample_has_the_fields_womlint_prints() {
    let sample: Value = serde_json::from_str(&block(JSON_OUTPUT)).expect("the sample is JSON");
    let run = womlint(&root(), &["check", "--format", "json", "examples/en-gifted-serum.md"]);
    let real: Value = serde_json::from_str(&run.stdout).unwrap();
    let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    assert_eq!(keys(&sample), keys(&real));
    let (shown, printed) = (&sample["diagnostics"][0], &real["diagnostics"][0]);
    for (key, value) in shown.as_object().unwrap() {
        let other = &printed[key];
        assert!(!other.is_null(), "womlint prints no `{key}`: {printed}");
        assert_eq!(std::mem::discriminant(value), std::mem::discriminant(other), "`{key}` has another type");
    }
}

// ---------------------------------------------------------------------------------------
// Fixing and baselines
// ---------------------------------------------------------------------------------------

/// Runs a README command line (`womlint …`, with `<` for standard input) in `dir`.
fn run_line(dir: &Path, line: &str) -> Run {
    let (command, stdin) = match line.split_once(" < ") {
        Some((command, file)) => (command, Some(file.trim())),
        None => (line, None),
    };
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"womlint"), "{line}");
    let mut run = run::command(dir);
    run.args(&words[1..]);
    if let Some(file) = stdin {
        run.stdin(std::fs::File::open(dir.join(file)).expect("the input file exists"));
    }
    run.output().expect("womlint runs").into()
}

/// A folder holding the fixing fixtures under `name`.
fn fixtures_in(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let into = dir.path().join(name);
    std::fs::create_dir_all(&into).expect("the folder is made");
    for entry in std::fs::read_dir(root().join("tests/fixtures/fix")).expect("the fixtures exist") {
        let path = entry.expect("an entry").path();
        std::fs::copy(&path, into.join(path.file_name().expect("a name"))).expect("copied");
    }
    dir
}

#[test]
fn the_fixing_commands_do_what_the_readme_says() {
    let dir = fixtures_in("campaigns");
    std::fs::write(dir.path().join("post.md"), "Thanks @glowco! Obsessed with the serum they sent it over last week\n")
        .expect("written");
    let lines = commands(&block(FIXING));
    assert_eq!(lines.len(), 4, "{lines:?}");
    let before = std::fs::read_to_string(dir.path().join("campaigns/it-buried-label.md")).expect("read");
    let diff = run_line(dir.path(), &lines[0]);
    assert_eq!(diff.code, 1, "there is something to fix: {}", diff.stderr);
    assert!(diff.stdout.contains("+#adv Gelato"), "{}", diff.stdout);
    assert_eq!(std::fs::read_to_string(dir.path().join("campaigns/it-buried-label.md")).expect("read"), before);
    let fix = run_line(dir.path(), &lines[1]);
    assert!(fix.stderr.contains("womlint: fixed"), "{}", fix.stderr);
    let after = std::fs::read_to_string(dir.path().join("campaigns/it-buried-label.md")).expect("read");
    assert!(after.contains("---\n#adv Gelato"), "{after}");
    let unsafe_fix = run_line(dir.path(), &lines[2]);
    assert!(unsafe_fix.stderr.contains("womlint: fixed"), "{}", unsafe_fix.stderr);
    let multi = std::fs::read_to_string(dir.path().join("campaigns/mixed-posts.md")).expect("read");
    assert!(multi.contains("#ad @glowco sent me"), "{multi}");
    let stdin = run_line(dir.path(), &lines[3]);
    assert!(stdin.stdout.starts_with("#ad Thanks @glowco!"), "{}", stdin.stdout);
}

#[test]
fn the_sample_diff_is_what_womlint_prints() {
    let run = womlint(&root(), &["check", "--diff", "tests/fixtures/fix/it-buried-label.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{}\n", block(FIX_DIFF)));
}

#[test]
fn the_baseline_commands_and_sample_are_real() {
    let dir = fixtures_in("archive");
    let lines = commands(&block(BASELINE_COMMANDS));
    assert_eq!(lines.len(), 2, "{lines:?}");
    let before = run_line(dir.path(), "womlint check archive/");
    assert_eq!(before.code, 1, "the archive has findings");
    let write = run_line(dir.path(), &lines[0]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    let again = run_line(dir.path(), &lines[1]);
    assert_eq!(again.code, 0, "nothing is new: {}{}", again.stdout, again.stderr);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("womlint-baseline.json")).expect("written"))
            .expect("JSON");
    let sample: Value = serde_json::from_str(&block(BASELINE_SAMPLE)).expect("the sample is JSON");
    let schema: Value = serde_json::from_str(&read("schemas/baseline.schema.json")).expect("the schema is JSON");
    assert!(jsonschema::is_valid(&schema, &written), "{written}");
    assert!(jsonschema::is_valid(&schema, &sample), "{sample}");
    let keys =
        |v: &Value| v["findings"][0].as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    assert_eq!(keys(&sample), keys(&written));
    assert!(written["findings"].as_array().is_some_and(|f| f.len() >= 5), "{written}");
}

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).expect("YAML")
}

#[test]
fn the_sample_configuration_loads_and_does_what_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let sample = block(CONFIG_SAMPLE);
    std::fs::write(dir.path().join("womlint.yaml"), &sample).unwrap();
    // The pack it names, as a pack of one's own.
    let pack = read("tests/fixtures/packs/mini.yaml").replacen("pack: mini", "pack: brand", 1);
    std::fs::create_dir_all(dir.path().join("womlint")).unwrap();
    std::fs::write(dir.path().join("womlint/brand.yaml"), pack).unwrap();
    std::fs::create_dir_all(dir.path().join("campaigns/it/instagram")).unwrap();
    std::fs::write(dir.path().join("campaigns/it/instagram/post.md"), "Ciao a tutti.\n").unwrap();
    let run = womlint(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let run = womlint(dir.path(), &["check", "--show-settings", "campaigns/it/instagram/post.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = |name: &str| run.stdout.lines().find(|l| l.split_whitespace().next() == Some(name)).unwrap_or_default();
    assert!(row("jurisdiction").contains("it"), "{}", run.stdout);
    assert!(row("lang").contains("it") && row("platform").contains("instagram"), "{}", run.stdout);
    assert!(row("relationship/ambiguous-label-only").contains("error"), "{}", run.stdout);
    assert!(row("womlint/unused-waiver").contains("off"), "{}", run.stdout);
    assert!(row("relationship/uk-advertorial-label").contains("off"), "uk-cma-asa is off: {}", run.stdout);
    // Editors that read the schema accept it.
    let schema: Value = serde_json::from_str(&womlint(&root(), &["schema", "config"]).stdout).unwrap();
    assert!(jsonschema::is_valid(&schema, &yaml(&sample)));
}

#[test]
fn the_sample_error_is_what_womlint_prints() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("womlint.yaml"), block(CONFIG_TYPO)).unwrap();
    std::fs::write(dir.path().join("post.md"), "Hello.\n").unwrap();
    let run = womlint(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert_shows(&run.stderr, &block(CONFIG_ERROR), "the configuration error");
}

#[test]
fn the_sample_waivers_are_read_and_waive_what_they_say() {
    let dir = tempfile::tempdir().unwrap();
    let sample = block(WAIVERS);
    std::fs::write(dir.path().join("post.md"), &sample).unwrap();
    let run = womlint(dir.path(), &["check", "--no-config", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let rules: Vec<(&str, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    for (rule, line) in &rules {
        assert!(
            !matches!(*rule, "womlint/invalid-waiver" | "womlint/waiver-without-reason")
                && !rule.starts_with("relationship/"),
            "line {line}: {rule} ({rules:?})"
        );
    }
    // Each directive of the sample is one of the directives the table lists.
    let listed: Vec<String> = table_after("| directive | waives |").iter().map(|r| r[0].clone()).collect();
    for directive in regex::Regex::new(r"womlint-[a-z-]+").unwrap().find_iter(&sample) {
        assert!(listed.iter().any(|l| l.contains(directive.as_str())), "{} is not in the table", directive.as_str());
    }
}

// ---------------------------------------------------------------------------------------
// CI, pre-commit, completions, schemas
// ---------------------------------------------------------------------------------------

#[test]
fn the_action_sample_uses_real_inputs() {
    let workflow = yaml(&block(ACTION));
    let action = yaml(&read("action.yml"));
    let inputs = action["inputs"].as_object().unwrap();
    let steps = workflow["jobs"]["womlint"]["steps"].as_array().unwrap();
    let ours = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("womlint/womlint@"))).unwrap();
    for key in ours["with"].as_object().unwrap().keys() {
        assert!(inputs.contains_key(key), "the action has no input `{key}`");
    }
    let rows = table_after("| input | default | meaning |");
    let names: Vec<&str> = rows.iter().map(|r| r[0].trim_matches('`')).collect();
    let real: Vec<&str> = inputs.keys().map(String::as_str).collect();
    let (mut names_sorted, mut real_sorted) = (names.clone(), real.clone());
    names_sorted.sort_unstable();
    real_sorted.sort_unstable();
    assert_eq!(names_sorted, real_sorted, "the inputs table lists every input");
    for row in &rows {
        let default = inputs[row[0].trim_matches('`')]["default"].as_str().unwrap_or_default();
        assert_eq!(row[1].trim_matches('`'), default, "the default of {}", row[0]);
    }
}

#[test]
fn the_pre_commit_sample_names_real_hooks_and_ci_runs_it() {
    let config = yaml(&block(PRE_COMMIT));
    let hooks = yaml(&read(".pre-commit-hooks.yaml"));
    let ids: Vec<&str> = hooks.as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    let repo = &config["repos"][0];
    assert!(repo["rev"].is_string(), "pre-commit needs a rev");
    for hook in repo["hooks"].as_array().unwrap() {
        assert!(ids.contains(&hook["id"].as_str().unwrap()), "{hook}");
    }
    // tests/pre-commit/run.sh runs this very block through pre-commit autoupdate and run.
    let script = read("tests/pre-commit/run.sh");
    assert!(
        script.contains("README.md") && script.contains(r"\.pre-commit-config\.yaml"),
        "the script reads the block"
    );
    assert!(script_runs(".ci/run", "bash tests/pre-commit/run.sh"));
    // And the hook the README names besides is real.
    assert!(read("README.md").contains("`womlint-binary`") && ids.contains(&"womlint-binary"));
}

#[test]
fn the_completion_commands_print_scripts() {
    for command in commands(&block(COMPLETIONS)) {
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words.get(..2), Some(&["womlint", "completions"][..]), "{command}");
        let run = womlint(&root(), &words[1..3]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        assert!(run.stdout.contains("womlint"), "{command}");
    }
}

#[test]
fn the_schema_line_points_at_the_schema_in_the_repository() {
    let line = block(SCHEMA_LINE);
    let url = line.split("$schema=").nth(1).unwrap().trim();
    let path = url.split("/main/").nth(1).unwrap();
    assert!(root().join(path).is_file(), "{path}");
    assert_eq!(read(path).trim_end(), womlint(&root(), &["schema", "config"]).stdout.trim_end());
}

// ---------------------------------------------------------------------------------------
// Scoring, benchmarks, development
// ---------------------------------------------------------------------------------------

/// The scoring command with the test's binary in the place of `target/release/womlint`.
fn score(command: &str) -> String {
    let command = command.replace("target/release/womlint", env!("CARGO_BIN_EXE_womlint"));
    let output = Command::new("sh").arg("-c").arg(&command).current_dir(root()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{command}\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[test]
fn the_scoring_commands_name_real_things() {
    for key in [SCORE_REALWORLD, SCORE_CORPUS] {
        let lines = commands(&block(key));
        assert_eq!(lines[0], "cargo build --release");
        let python = &lines[1];
        let inner = python.split('\'').nth(1).unwrap();
        let args: Vec<&str> = inner.split_whitespace().skip(1).filter(|a| *a != "{path}").collect();
        let folder = python.rsplit(' ').next().unwrap();
        if !folder.starts_with("../") {
            assert!(root().join(folder).join("labels.yaml").is_file(), "{folder}");
            let run = womlint(&root(), &[&args[..], &[&format!("{folder}/cases")]].concat());
            assert!(serde_json::from_str::<Value>(&run.stdout).is_ok(), "`{inner}` prints JSON: {}", run.stderr);
        }
    }
}

#[test]
#[ignore = "needs the shared scorer in ../shared/corpus; .ci/run runs it"]
fn the_scoring_commands_run() {
    for key in [SCORE_REALWORLD, SCORE_CORPUS] {
        let out = score(&commands(&block(key))[1]);
        assert!(out.lines().last().is_some_and(|l| l.starts_with("F1=") && l.contains("line_hits=")), "{out}");
    }
}

#[test]
fn the_benchmark_commands_name_real_things() {
    let lines = commands(&block(BENCH));
    assert_eq!(lines[0], "apt-get install ripgrep hyperfine", "installing packages is the one command not run");
    let runner = read("bench/run.py");
    assert!(runner.contains("\"rg\"") && runner.contains("hyperfine"));
    for line in &lines[1..] {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words[0] {
            "bench/run.sh" => {
                for flag in words.iter().filter(|w| w.starts_with("--")) {
                    assert!(runner.contains(&format!("\"{flag}\"")), "bench/run.py has no {flag}");
                }
                let help = Command::new("python3").arg(root().join("bench/run.py")).arg("--help").output().unwrap();
                assert!(help.status.success());
            }
            "cargo" => {
                assert_eq!(&words[..3], ["cargo", "bench", "--bench"]);
                assert!(read("Cargo.toml").contains(&format!("name = \"{}\"", words[3])));
                assert!(root().join(format!("benches/{}.rs", words[3])).is_file());
            }
            "bench/hostile.sh" => {
                let syntax = Command::new("bash").arg("-n").arg(root().join("bench/hostile.sh")).status().unwrap();
                assert!(syntax.success(), "bench/hostile.sh does not parse");
                for flag in words.iter().filter(|w| w.starts_with("--")) {
                    assert!(read("bench/hostile.sh").contains(*flag), "bench/hostile.sh has no {flag}");
                }
            }
            other => panic!("no check for `{other}`"),
        }
    }
}

#[test]
fn the_development_commands_are_what_ci_runs() {
    for command in commands(&block(DEVELOPMENT)).iter().chain(&commands(&block(INCLUDE_IGNORED))) {
        assert!(script_runs(".ci/run", command), ".ci/run does not run `{command}`");
    }
}

// ---------------------------------------------------------------------------------------
// Editors and the language server
// ---------------------------------------------------------------------------------------

/// What `womlint server` writes when a client initializes it with `options` and stops it.
fn server_output(options: &Value) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_womlint"))
        .arg("server")
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let messages = [
        serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {}, "initializationOptions": options } }),
        serde_json::json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        serde_json::json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
        serde_json::json!({ "jsonrpc": "2.0", "method": "exit" }),
    ];
    let mut input = String::new();
    for message in messages {
        let body = message.to_string();
        input.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    }
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_editor_setups_start_the_server_with_options_it_takes() {
    let lua = block(NEOVIM);
    let helix = block(HELIX);
    let zed: Value = serde_json::from_str(&block(ZED)).expect("the Zed settings are JSON");
    assert!(lua.contains(r#"cmd = { "womlint", "server" }"#), "{lua}");
    assert!(helix.contains("command = \"womlint\"\nargs = [\"server\"]"), "{helix}");
    assert!(zed["languages"]["Markdown"]["language_servers"][0] == "womlint");
    let extension = read("editors/vscode/extension.js");
    assert!(extension.contains(r#"args: ["server"]"#));
    // Every option a setup passes is one the server takes; a misspelt one gets a message.
    let options = [
        serde_json::json!({ "jurisdiction": "it" }),
        serde_json::json!({ "strict": true }),
        serde_json::json!({ "extraPacks": [] }),
        zed["lsp"]["womlint"]["initialization_options"].clone(),
    ];
    for option in &options {
        let name = option.as_object().unwrap().keys().next().unwrap().clone();
        let written = [&lua, &helix, &extension, &read("README.md")]
            .iter()
            .any(|t| t.contains(&format!("{name} =")) || t.contains(&format!("{name}:")));
        assert!(written, "no setup passes `{name}`");
        assert!(!server_output(option).contains("window/showMessage"), "{option}");
    }
    assert!(server_output(&serde_json::json!({ "jurisdictio": "it" })).contains("initializationOptions ignored"));
}

#[test]
fn the_vscode_extension_has_the_settings_the_readme_names() {
    let manifest: Value = serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert!(root().join("editors/vscode").join(manifest["main"].as_str().unwrap()).is_file());
    let settings = manifest["contributes"]["configuration"]["properties"].as_object().unwrap();
    let readme = read("README.md");
    for name in settings.keys() {
        assert!(readme.contains(&format!("`{name}`")), "the README does not name {name}");
        assert!(
            read("editors/vscode/extension.js").contains(&format!("\"{}\"", name.trim_start_matches("womlint."))),
            "{name} is not used"
        );
    }
    assert_eq!(commands(&block(VSCODE)), ["cd editors/vscode && npm install && npx @vscode/vsce package"]);
}

#[test]
fn the_server_benchmark_command_names_real_things() {
    let runner = read("bench/server.py");
    for line in commands(&block(SERVER_BENCH)) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], "bench/server.sh");
        assert!(root().join(words[0]).is_file());
        for flag in words.iter().filter(|w| w.starts_with("--")) {
            assert!(runner.contains(&format!("\"{flag}\"")), "bench/server.py has no {flag}");
        }
    }
    let help = Command::new("python3").arg(root().join("bench/server.py")).arg("--help").output().unwrap();
    assert!(help.status.success());
}

#[test]
fn the_audit_sample_has_the_fields_womlint_prints() {
    let sample: Value = serde_json::from_str(&format!("{{{}}}", block(AUDIT_SAMPLE))).expect("the sample is JSON");
    let config = tempfile::tempdir().unwrap();
    let draft = config.path().join("june.md");
    let example = std::fs::read_to_string(root().join("examples/en-gifted-serum.md")).unwrap();
    std::fs::write(
        &draft,
        format!("<!-- womlint-disable-file relationship -- the brand's own newsletter -->\n{example}"),
    )
    .unwrap();
    let run = womlint(config.path(), &["check", "--format", "json", "june.md"]);
    let real: Value = serde_json::from_str(&run.stdout).unwrap();
    let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    let (shown, printed) = (&sample["audit"], &real["audit"]);
    assert_eq!(keys(shown), keys(printed));
    assert_eq!(keys(&shown["packs"][0]), keys(&printed["packs"][0]), "a built-in pack's fields");
    assert_eq!(keys(&shown["waivers"][0]), keys(&printed["waivers"][0]), "a waiver's fields");
}

#[test]
fn the_html_report_command_writes_a_page() {
    let text = block(HTML_REPORT);
    let [command] = commands(&text).try_into().expect("one command");
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.html");
    let args: Vec<String> = command
        .split_whitespace()
        .skip(1)
        .map(|arg| match arg {
            "campaigns/" => "examples/".to_owned(),
            "report.html" => report.display().to_string(),
            other => other.to_owned(),
        })
        .collect();
    assert!(args.iter().any(|a| a == "examples/"), "{command}");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    womlint(&root(), &args);
    let page = std::fs::read_to_string(&report).expect("the report is written");
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", page.get(..100).unwrap_or(&page));
}

//! `womlint check`: inputs → per-file settings → documents → findings → report, files in
//! parallel.
//!
//! Settings are resolved per file before anything is checked (the nearest configuration,
//! its overrides, then the command line), so a broken configuration or pack stops the run
//! before any output, and each distinct set of settings compiles its packs once.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::args::{CheckArgs, ColorChoice};
use super::{Compiled, ExitStatus, RuleCache, cli_settings, config_source, current_dir, errors};
use crate::config::{self, Discovery, FileSettings};
use crate::document::{Defaults, Document};
use crate::input::{self, Candidate, Input, InputError, WalkOptions};
use crate::lint::{INVALID_FRONT_MATTER, apply_waivers, lint, may_have_findings, parse_directives};
use crate::report::{self, FileReport, Format, HumanStyle, Report};
use crate::rules::{Principle, Severity};

/// What one file came to.
enum Outcome {
    Checked(FileReport, Severity),
    Failed(InputError),
    Empty(String),
}

/// Where a job's text comes from.
enum Source {
    File(Candidate),
    Stdin(Input),
}

/// One file to check, with everything it needs.
struct Job {
    source: Source,
    rules: Arc<Compiled>,
    defaults: Defaults,
}

pub(super) fn run(args: &CheckArgs) -> ExitStatus {
    let Some(cwd) = current_dir() else { return ExitStatus::Error };
    let mut cli = cli_settings(&args.rules, &cwd);
    cli.fail_on = args.fail_on.map(Into::into);
    let mut discovery = Discovery::new(config_source(&args.rules), &cwd);
    let root_config = discovery.for_dir(&cwd);

    let format = args.format.unwrap_or(Format::Human);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = HumanStyle { color, unicode: true, width: terminal_width() };
    let human = format == Format::Human && !args.statistics;
    let max_size = args.max_file_size.saturating_mul(1024 * 1024);

    let mut report = Report::default();
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect()
    };

    // Every file, with the settings that apply to it.
    let mut planned: Vec<(Source, FileSettings)> = Vec::new();
    let mut early_outcomes = Vec::new();
    if reads_stdin {
        let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".to_owned());
        let absolute = args.stdin_filename.as_ref().map(|n| config::absolute(&cwd, Path::new(n)));
        let found = match &absolute {
            Some(path) => discovery.for_file(path),
            None => root_config.clone(),
        };
        let excluded = args.force_exclude
            && absolute.as_ref().is_some_and(|path| {
                found.as_deref().is_some_and(|c| config::excluded_by(c, path)) || cli_excludes(&args.exclude, path)
            });
        if !excluded {
            let mut bytes = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut bytes) {
                Ok(_) => match input::decode(name.clone(), bytes) {
                    Ok(input) => {
                        let resolved = config::resolve(found.as_deref(), absolute.as_deref(), &cli);
                        planned.push((Source::Stdin(input), resolved));
                    }
                    Err(err) => early_outcomes.push(Outcome::Failed(err)),
                },
                Err(err) => {
                    early_outcomes
                        .push(Outcome::Failed(InputError::Unreadable { path: name, reason: err.to_string() }));
                }
            }
        }
    }
    if !(reads_stdin && args.paths.len() == 1) {
        let options = WalkOptions {
            exclude: args.exclude.clone(),
            include: Vec::new(),
            force_exclude: args.force_exclude,
            no_ignore: args.no_ignore,
        };
        let (candidates, walk_errors) = input::collect(&paths, &options);
        report.errors.extend(walk_errors);
        for candidate in candidates {
            let absolute = config::absolute(&cwd, &candidate.path);
            let found = discovery.for_file(&absolute);
            if let Some(config) = &found
                && (!candidate.explicit || args.force_exclude)
                && config::excluded_by(config, &absolute)
            {
                continue;
            }
            let resolved = config::resolve(found.as_deref(), Some(&absolute), &cli);
            planned.push((Source::File(candidate), resolved));
        }
    }
    if !discovery.errors().is_empty() {
        errors::print_config_errors(discovery.errors());
        return ExitStatus::Error;
    }

    // Compile each distinct set of settings once; the current folder's first, so a broken
    // pack is reported even when there is nothing to check.
    let mut cache = RuleCache::for_checks(&cwd);
    let root = config::resolve(root_config.as_deref(), None, &cli);
    let Some(root_index) = cache.get(&root.settings) else { return ExitStatus::Error };
    let mut jobs = Vec::with_capacity(planned.len());
    for (source, resolved) in planned {
        let Some(index) = cache.get(&resolved.settings) else { return ExitStatus::Error };
        let Some(rules) = cache.set(index).cloned() else { return ExitStatus::Error };
        jobs.push(Job { source, rules, defaults: resolved.defaults });
    }
    let unknown: Vec<_> = discovery
        .loaded()
        .iter()
        .flat_map(|c| c.unknown_rules(|key| cache.knows(key), |key| cache.closest(key)))
        .collect();
    if !unknown.is_empty() {
        errors::print_config_errors(&unknown);
        return ExitStatus::Error;
    }

    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
    let mut outcomes = early_outcomes;
    outcomes.extend(check_all(&jobs, max_size, human.then_some(style), threads));

    let mut failing = 0;
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(file, fail_on) => {
                report.files_checked += 1;
                failing += file.findings.iter().filter(|l| l.finding.severity >= fail_on).count();
                if !file.findings.is_empty() {
                    report.files.push(file);
                }
            }
            Outcome::Failed(err) => report.errors.push(err),
            Outcome::Empty(path) => {
                report.files_checked += 1;
                eprintln!("warning: {path}: empty file, nothing to check");
            }
        }
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors.sort_by(|a, b| a.path().cmp(b.path()));

    for err in &report.errors {
        eprintln!("error: {err}");
    }
    // The report describes the rules of every set used, which may differ per folder.
    let described = if format == Format::Sarif && cache.len() > 1 {
        cache.union(root.settings.profile)
    } else {
        cache.set(root_index).cloned()
    };
    let Some(described) = described else { return ExitStatus::Error };
    if let Err(err) = write_report(args, format, &report, &described) {
        eprintln!("error: cannot write the report: {err}");
        return ExitStatus::Error;
    }
    if format == Format::Human && !args.statistics {
        print_summary(&report);
    }
    if !report.errors.is_empty() {
        ExitStatus::Error
    } else if !args.exit_zero && failing > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}

/// Whether `--exclude` globs leave out `path` (for `--stdin-filename` with `--force-exclude`).
fn cli_excludes(patterns: &[String], path: &Path) -> bool {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = if pattern.contains('/') { pattern.clone() } else { format!("**/{pattern}") };
        if let Ok(glob) = globset::Glob::new(&pattern) {
            builder.add(glob);
        }
    }
    builder.build().is_ok_and(|set| set.is_match(path))
}

fn write_report(args: &CheckArgs, format: Format, report: &Report, rules: &Compiled) -> std::io::Result<()> {
    let mut buffer: Vec<u8> = Vec::new();
    if args.statistics {
        write_statistics(format, report, &mut buffer)?;
    } else {
        report::render(format, report, &rules.rules, &mut buffer)?;
    }
    match &args.output {
        Some(path) => std::fs::write(path, &buffer),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&buffer)?;
            stdout.flush()
        }
    }
}

fn write_statistics(format: Format, report: &Report, out: &mut Vec<u8>) -> std::io::Result<()> {
    let counts = report::statistics(report);
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &counts).map_err(std::io::Error::other)?;
        return writeln!(out);
    }
    for count in counts {
        writeln!(out, "{:>5}  {:<8} {}", count.count, count.severity.as_str(), count.rule)?;
    }
    Ok(())
}

fn print_summary(report: &Report) {
    let findings = report.findings().count();
    let files = report.files.len();
    let checked = report.files_checked;
    let line = match findings {
        0 => format!("womlint: no findings in {checked} file(s)"),
        n => format!("womlint: {n} finding(s) in {files} of {checked} file(s)"),
    };
    eprintln!("{line}");
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100).clamp(40, 200)
}

/// Up to this many files, lists are narrowed per document. Measured on files of the `small`
/// benchmark corpus (mean wall time, narrowed against shared): 10 files 36 against 180 ms,
/// 40 files 83 against 177 ms, 150 files 288 against 257 ms.
const FEW_FILES: usize = 64;

/// Checks every job on `threads` workers; outcomes come back in job order.
fn check_all(jobs: &[Job], max_size: u64, human: Option<HumanStyle>, threads: usize) -> Vec<Outcome> {
    // Building the raw-text prefilter, the faster but slower-to-build gate and whole pattern
    // lists shared by every file pays only over a tree; for a few files, each short document
    // compiles only the patterns found in it (see `Gate::narrowed`).
    let prefilter = jobs.len() > FEW_FILES;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(jobs.len()));
    let work = || {
        let mut local = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else { break };
            let outcome = match &job.source {
                Source::File(candidate) => match input::read(candidate, max_size) {
                    Ok(input) => check_input(&input, job, human, prefilter),
                    Err(err) => Outcome::Failed(err),
                },
                Source::Stdin(input) => check_input(input, job, human, prefilter),
            };
            local.push((index, outcome));
        }
        if let Ok(mut results) = results.lock() {
            results.extend(local);
        }
    };
    if threads <= 1 || jobs.len() <= 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..threads.min(jobs.len()) {
                scope.spawn(work);
            }
        });
    }
    let mut results = results.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, outcome)| outcome).collect()
}

/// Lints one decoded input with its job's rules and defaults.
fn check_input(input: &Input, job: &Job, human: Option<HumanStyle>, prefilter: bool) -> Outcome {
    let rules = &job.rules.rules;
    let fail_on = job.rules.settings.fail_on;
    if input.text.trim().is_empty() {
        return Outcome::Empty(input.path.clone());
    }
    if prefilter && !may_have_findings(&input.text, rules) {
        return Outcome::Checked(FileReport { path: input.path.clone(), ..FileReport::default() }, fail_on);
    }
    // Built once per run, by the first file that gets this far.
    rules.prepare_gate_for(prefilter);
    let doc = Document::parse_with(input.path.clone(), Arc::clone(&input.text), &job.defaults);
    let mut findings = lint(&doc, rules);
    if let Some((span, error)) = doc.front_matter.as_ref().and_then(|fm| fm.error.clone().map(|e| (fm.span, e))) {
        findings.push(INVALID_FRONT_MATTER.finding(span, doc.lang, Some(error)));
    }
    let directives = parse_directives(&doc);
    let inactive = |rule: &str| job.rules.inactive.contains(rule);
    let findings: Vec<_> = apply_waivers(&doc, findings, &directives, &inactive)
        .into_iter()
        .filter(|f| !rules.disabled_meta.contains(&f.rule))
        .map(|mut f| {
            if f.principle == Principle::Womlint
                && let Some(severity) = job.rules.settings.meta_severity(&f.rule)
            {
                f.severity = severity;
            }
            f
        })
        .collect();
    let mut file = FileReport::new(&input.path, &doc.text, &doc.lines, findings);
    if let Some(style) = human
        && !file.findings.is_empty()
    {
        file.rendered = Some(report::render_findings(&input.path, &input.text, &file.findings, rules, style));
    }
    Outcome::Checked(file, fail_on)
}

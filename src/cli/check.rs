//! `womlint check`: inputs → documents → findings → report, files in parallel.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::args::{CheckArgs, ColorChoice};
use super::{ExitStatus, load_rules, settings_from};
use crate::document::Document;
use crate::input::{self, Candidate, Input, InputError, WalkOptions};
use crate::lint::{INVALID_FRONT_MATTER, apply_waivers, lint, may_have_findings, parse_directives};
use crate::report::{self, FileReport, Format, HumanStyle, Report};
use crate::rules::RuleSet;
use crate::span::LineIndex;

/// What one file came to.
enum Outcome {
    Checked(FileReport),
    Failed(InputError),
    Empty(String),
}

pub(super) fn run(args: &CheckArgs) -> ExitStatus {
    let mut settings = settings_from(&args.rules);
    if let Some(fail_on) = args.fail_on {
        settings.fail_on = fail_on.into();
    }
    let Some((_, rules)) = load_rules(&settings) else {
        return ExitStatus::Error;
    };
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
    let mut outcomes = Vec::new();
    if reads_stdin {
        let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".to_owned());
        let mut bytes = Vec::new();
        let outcome = match std::io::stdin().lock().read_to_end(&mut bytes) {
            Ok(_) => match input::decode(name.clone(), bytes) {
                Ok(input) => check_input(&input, &rules, human.then_some(style)),
                Err(err) => Outcome::Failed(err),
            },
            Err(err) => Outcome::Failed(InputError::Unreadable { path: name, reason: err.to_string() }),
        };
        outcomes.push(outcome);
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
        let threads =
            args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
        outcomes.extend(check_all(&candidates, &rules, max_size, human.then_some(style), threads));
    }

    for outcome in outcomes {
        match outcome {
            Outcome::Checked(file) => {
                report.files_checked += 1;
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
    if let Err(err) = write_report(args, format, &report, &rules) {
        eprintln!("error: cannot write the report: {err}");
        return ExitStatus::Error;
    }
    if format == Format::Human && !args.statistics {
        print_summary(&report);
    }
    if !report.errors.is_empty() {
        ExitStatus::Error
    } else if !args.exit_zero && report.count_at_least(settings.fail_on) > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}

fn write_report(args: &CheckArgs, format: Format, report: &Report, rules: &RuleSet) -> std::io::Result<()> {
    let mut buffer: Vec<u8> = Vec::new();
    if args.statistics {
        write_statistics(format, report, &mut buffer)?;
    } else {
        report::render(format, report, rules, &mut buffer)?;
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

/// Checks every candidate on `threads` workers; outcomes come back in candidate order.
fn check_all(
    candidates: &[Candidate],
    rules: &RuleSet,
    max_size: u64,
    human: Option<HumanStyle>,
    threads: usize,
) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(candidates.len()));
    let work = || {
        let mut local = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(candidate) = candidates.get(index) else { break };
            let outcome = match input::read(candidate, max_size) {
                Ok(input) => check_input(&input, rules, human),
                Err(err) => Outcome::Failed(err),
            };
            local.push((index, outcome));
        }
        if let Ok(mut results) = results.lock() {
            results.extend(local);
        }
    };
    if threads <= 1 || candidates.len() <= 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..threads.min(candidates.len()) {
                scope.spawn(work);
            }
        });
    }
    let mut results = results.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, outcome)| outcome).collect()
}

/// Lints one decoded input.
fn check_input(input: &Input, rules: &RuleSet, human: Option<HumanStyle>) -> Outcome {
    if input.text.trim().is_empty() {
        return Outcome::Empty(input.path.clone());
    }
    if !may_have_findings(&input.text, rules) {
        return Outcome::Checked(FileReport { path: input.path.clone(), ..FileReport::default() });
    }
    // Built once per run, by the first file that gets this far.
    rules.prepare_gate();
    let doc = Document::parse(input.path.clone(), Arc::clone(&input.text));
    let mut findings = lint(&doc, rules);
    if let Some(error) = doc.front_matter.as_ref().and_then(|fm| fm.error.clone().map(|e| (fm.span, e)))
        && rules_allow(rules, INVALID_FRONT_MATTER.id)
    {
        findings.push(INVALID_FRONT_MATTER.finding(error.0, doc.lang, Some(error.1)));
    }
    let directives = parse_directives(&doc);
    let findings: Vec<_> = apply_waivers(&doc, findings, &directives)
        .into_iter()
        .filter(|f| !rules.disabled_meta.contains(&f.rule))
        .collect();
    let lines: &LineIndex = &doc.lines;
    let mut file = FileReport::new(&input.path, &doc.text, lines, findings);
    if let Some(style) = human
        && !file.findings.is_empty()
    {
        file.rendered = Some(report::render_findings(&input.path, &input.text, &file.findings, rules, style));
    }
    Outcome::Checked(file)
}

fn rules_allow(rules: &RuleSet, id: &str) -> bool {
    !rules.disabled_meta.iter().any(|d| d == id)
}

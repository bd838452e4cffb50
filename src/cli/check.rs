//! `womlint check`: inputs → per-file settings → documents → findings → report, files in
//! parallel.
//!
//! Settings are resolved per file before anything is checked (the nearest configuration,
//! its overrides, then the command line), so a broken configuration or pack stops the run
//! before any output, and each distinct set of settings compiles its packs once.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use super::args::{CheckArgs, ColorChoice};
use super::edit::{self, Editing, Extras};
use super::output::{Existing, write_file};
use super::{ExitStatus, cli_settings, compiled, config_source, current_dir, errors};
use crate::config::{self, Compiled, Discovery, FileSettings, RuleCache};
use crate::document::{Defaults, Document};
use crate::input::{self, Candidate, Input, InputError};
use crate::lint::may_have_findings;
use crate::pipeline::{CheckOptions, findings_of};
use crate::report::{
    self, Audit, FileReport, Format, HumanStyle, PackRecord, Report, Waiver, jurisdiction_name, sha256_hex,
};
use crate::rules::Severity;

/// What one file came to.
enum Outcome {
    Checked(FileReport, Severity, Extras),
    Failed(InputError),
    Empty(String),
}

/// Where a job's text comes from.
enum Source {
    File(Candidate),
    Stdin(Input),
}

/// What a worker keeps of a checked file besides its findings.
#[derive(Clone, Copy)]
struct Keep {
    /// The human rendering, in this style.
    human: Option<HumanStyle>,
    /// The source lines around each finding (the HTML report).
    context: bool,
}

/// One file to check, with everything it needs.
struct Job {
    source: Source,
    rules: Arc<Compiled>,
    defaults: Defaults,
}

pub(super) fn run(args: &CheckArgs) -> ExitStatus {
    if args.show_files {
        return super::show::files(args);
    }
    if let Some(file) = &args.show_settings {
        return super::show::settings(args, file);
    }
    let Some(cwd) = current_dir() else { return ExitStatus::Error };
    let mut cli = cli_settings(&args.rules, &cwd);
    cli.fail_on = args.fail_on.map(Into::into);
    let mut discovery = Discovery::new(config_source(&args.rules), &cwd);
    let root_config = discovery.for_dir(&cwd);

    let format = args.format.unwrap_or(Format::Human);
    if args.statistics && !matches!(format, Format::Human | Format::Compact | Format::Json) {
        let name = clap::ValueEnum::to_possible_value(&format).map(|v| v.get_name().to_owned()).unwrap_or_default();
        eprintln!(
            "error: --statistics prints counts per rule as a table (--format human or compact) or as a JSON list \
             (--format json), not as --format {name}; nothing was checked"
        );
        return ExitStatus::Error;
    }
    let output = match &args.output {
        Some(path) => match ReportFile::new(&cwd, path) {
            Ok(file) => Some(file),
            Err(message) => {
                eprintln!("error: {message}; nothing was checked");
                return ExitStatus::Error;
            }
        },
        None => None,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = HumanStyle { color, unicode: true, width: terminal_width() };
    let keep = Keep {
        human: (format == Format::Human && !args.statistics && !args.diff && args.write_baseline.is_none())
            .then_some(style),
        context: format.shows_context() && !args.statistics,
    };
    let editing = match Editing::new(args, &cwd, root_config.as_ref()) {
        Ok(editing) => editing,
        Err(message) => {
            stderr_line!("error: {message}; nothing was checked");
            return ExitStatus::Error;
        }
    };
    let max_size = args.max_file_size.saturating_mul(1024 * 1024);

    let mut report = Report::default();
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect()
    };

    // Compile the current folder's settings first, so a broken pack is reported even when
    // there is nothing to check.
    let mut cache = RuleCache::for_checks(&cwd);
    let root = config::resolve(root_config.as_deref(), None, &cli);
    let Some(root_index) = compiled(&mut cache, &root.settings) else { return ExitStatus::Error };

    let mut planner = Planner {
        cwd: &cwd,
        cli: &cli,
        args,
        discovery,
        cache,
        output,
        stopped: false,
        used_configs: BTreeSet::new(),
        used_sets: BTreeSet::new(),
        overwrites: None,
        used: Vec::new(),
    };
    let mut first_jobs = Vec::new();
    if reads_stdin {
        match planner.stdin_job(root_config.as_ref()) {
            Ok(Some(job)) => first_jobs.push(job),
            Ok(None) => {}
            Err(err) => report.errors.push(err),
        }
    }
    let options = super::show::walk_options(args);
    let walked: &[PathBuf] = if reads_stdin && args.paths.len() == 1 { &[] } else { &paths };
    let mut walk = input::Walk::new(walked, &options);

    // Jobs are planned as the walk finds files and checked while it goes on, so neither the
    // list of files nor their settings is ever held whole.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = args.threads.unwrap_or(cores).clamp(1, max_threads(cores));
    let mut jobs = std::iter::from_fn(|| planner.next_job(&mut walk, &mut report.errors));
    // One file more than a few is enough to tell a tree from a few files.
    while first_jobs.len() <= FEW_FILES {
        let Some(job) = jobs.next() else { break };
        first_jobs.push(job);
    }
    let tally = check_all(first_jobs, &mut jobs, max_size, keep, threads, &editing);

    let Planner { discovery, cache, stopped, used_configs, mut used_sets, overwrites, mut used, .. } = planner;
    // The compiled rule sets last until the process exits, which frees their memory at once:
    // freeing every regex and the gate one by one was 5% of a run over one file.
    let mut cache = std::mem::ManuallyDrop::new(cache);
    for warning in discovery.warnings() {
        stderr_line!("warning: {warning}");
    }
    used.sort();
    for (path, config) in &used {
        stderr_line!("womlint: {} uses {config}", crate::escape::path(path));
    }
    if let (Some(checked), Some(output)) = (overwrites, &args.output) {
        let output = input::display_path(output);
        let which = if output == checked { String::new() } else { format!(" ({})", crate::escape::path(&checked)) };
        stderr_line!(
            "error: --output {}{which} is one of the files being checked; womlint never writes over a file it \
             checks (nothing was written)",
            crate::escape::path(&output)
        );
        return ExitStatus::Error;
    }
    if !discovery.errors().is_empty() {
        errors::print_config_errors(discovery.errors());
        return ExitStatus::Error;
    }
    if stopped {
        return ExitStatus::Error;
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

    let Tally { files_checked, failing, mut files, errors, mut empty, mut waivers, edited } = tally;
    report.files_checked = files_checked;
    if used_sets.is_empty() {
        used_sets.insert(root_index);
    }
    waivers.sort();
    report.audit = Some(audit(&cache, &used_sets, used_configs, waivers));
    report.errors.extend(errors);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    report.files = files;
    report.errors.sort_by(|a, b| a.path().cmp(b.path()));
    empty.sort();
    for path in &empty {
        stderr_line!("warning: {}: empty file, nothing to check", crate::escape::path(path));
    }
    if report.files_checked == 0 && report.errors.is_empty() && !walked.is_empty() {
        let searched: Vec<String> = walked.iter().map(|p| input::display_path(p)).collect();
        eprintln!(
            "warning: no files to check in {}: womlint checks .md, .markdown, .txt and .text files, except those \
             that .gitignore, .ignore, --exclude or the configuration's include and exclude leave out",
            searched.join(", ")
        );
    }

    for err in &report.errors {
        stderr_line!("error: {err}");
    }
    if let Some(status) = edit_outcome(args, &edited, &report) {
        return status;
    }
    // The report describes the rules of every set used, which may differ per folder.
    let describes_rules = matches!(format, Format::Sarif | Format::Html | Format::Markdown);
    let described = if describes_rules && cache.len() > 1 {
        cache.union(root.settings.profile)
    } else {
        cache.set(root_index).cloned()
    };
    let Some(described) = described else { return ExitStatus::Error };
    let status = if !report.errors.is_empty() {
        ExitStatus::Error
    } else if !args.exit_zero && failing > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    };
    let to_stderr = edited.stdout_text.is_some();
    match write_report(args, format, &report, &described, to_stderr) {
        Ok(()) => {}
        // The reader has gone (`womlint check | head -1`): it read what it wanted.
        Err(err) if args.output.is_none() && err.kind() == std::io::ErrorKind::BrokenPipe => return status,
        Err(err) => {
            let to = args.output.as_ref().map_or_else(
                || if to_stderr { "standard error" } else { "standard output" }.to_owned(),
                |path| crate::escape::path(&input::display_path(path)).into_owned(),
            );
            stderr_line!("error: cannot write the report to {to}: {}", input::io_reason(&err));
            return ExitStatus::Error;
        }
    }
    if format == Format::Human && !args.statistics {
        print_summary(&report);
    }
    print_edit_summary(&editing, &edited);
    status
}

/// Turns the files a walk finds into jobs: each file's configuration, its settings and the
/// rule set they compile to (once per distinct settings).
struct Planner<'a> {
    cwd: &'a Path,
    cli: &'a config::CliSettings,
    args: &'a CheckArgs,
    discovery: Discovery,
    cache: RuleCache,
    /// The `--output` file, which a walk never picks up (a report of a previous run would be
    /// checked as copy).
    output: Option<ReportFile>,
    /// Set when a configuration or a pack is broken: nothing more is checked, and the walk
    /// only goes on to find every broken configuration.
    stopped: bool,
    /// The configuration files that applied to a file to check, as shown.
    used_configs: BTreeSet<String>,
    /// The rule sets (indices in `cache`) that files to check use.
    used_sets: BTreeSet<usize>,
    /// A file named to check that is `--output`'s: the run stops, and nothing is written.
    overwrites: Option<String>,
    /// With `--verbose`: each file planned and the configuration it uses.
    used: Vec<(String, String)>,
}

/// The `--output` file.
pub(super) struct ReportFile {
    /// As given, made absolute.
    absolute: PathBuf,
    /// Its folder with symbolic links resolved, and its name.
    resolved: Option<PathBuf>,
    /// The file's identity, when it is there already (a link to it is the same file).
    id: Option<input::FileId>,
}

impl ReportFile {
    /// The report file at `path`, or why it cannot be written (its folder is missing, or it is
    /// a folder), checked before anything else.
    pub(super) fn new(cwd: &Path, path: &Path) -> Result<Self, String> {
        let absolute = config::absolute(cwd, path);
        let shown = input::display_path(path);
        let folder = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        if !folder.is_dir() {
            let parent =
                path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| ".".to_owned(), input::display_path);
            return Err(format!("--output {shown}: the folder {parent} does not exist"));
        }
        if absolute.is_dir() {
            return Err(format!("--output {shown}: it is a folder"));
        }
        let resolved = absolute.file_name().and_then(|name| Some(std::fs::canonicalize(&folder).ok()?.join(name)));
        let id = input::file_id(&absolute);
        Ok(ReportFile { absolute, resolved, id })
    }

    /// Whether `file` (absolute) is this file: the same path, the same name in the same
    /// folder once links are resolved, or (when the report is there already) the same file
    /// under another name, a link or a hard link.
    fn is(&self, file: &Path) -> bool {
        if file == self.absolute {
            return true;
        }
        let same_folder = || {
            self.resolved.as_ref().is_some_and(|resolved| {
                file.file_name() == resolved.file_name()
                    && file
                        .parent()
                        .and_then(|folder| std::fs::canonicalize(folder).ok())
                        .is_some_and(|folder| resolved.parent() == Some(folder.as_path()))
            })
        };
        same_folder() || (self.id.is_some() && input::file_id(file) == self.id)
    }
}

impl Planner<'_> {
    /// Reads standard input, unless `--force-exclude` leaves its `--stdin-filename` out.
    fn stdin_job(&mut self, root_config: Option<&Arc<config::ConfigFile>>) -> Result<Option<Job>, InputError> {
        let args = self.args;
        let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".to_owned());
        let absolute = args.stdin_filename.as_ref().map(|n| config::absolute(self.cwd, Path::new(n)));
        let found = match &absolute {
            Some(path) => self.discovery.for_file(path),
            None => root_config.cloned(),
        };
        let excluded = args.force_exclude
            && absolute.as_ref().is_some_and(|path| {
                found.as_deref().is_some_and(|c| config::excluded_by(c, path)) || cli_excludes(&args.exclude, path)
            });
        if excluded {
            return Ok(None);
        }
        let input = input::read_stdin(name, self.args.max_file_size.saturating_mul(1024 * 1024))?;
        self.note_use(&input.path, found.as_deref());
        let resolved = config::resolve(found.as_deref(), absolute.as_deref(), self.cli);
        Ok(self.job(Source::Stdin(input), resolved, found.as_deref()))
    }

    /// The next file of `walk` to check, with its settings; walk errors go to `errors`.
    fn next_job(&mut self, walk: &mut input::Walk<'_>, errors: &mut Vec<InputError>) -> Option<Job> {
        for item in walk.by_ref() {
            let candidate = match item {
                Ok(candidate) => candidate,
                Err(err) => {
                    errors.push(err);
                    continue;
                }
            };
            let absolute = config::absolute(self.cwd, &candidate.path);
            if candidate.explicit && self.output.as_ref().is_some_and(|o| o.is(&absolute)) {
                self.overwrites = Some(candidate.display);
                self.stopped = true;
                continue;
            }
            let selected = select(self.cwd, &mut self.discovery, self.args, self.output.as_ref(), &candidate);
            if !self.discovery.errors().is_empty() {
                self.stopped = true;
            }
            let Some((absolute, found)) = selected.filter(|_| !self.stopped) else { continue };
            self.note_use(&candidate.display, found.as_deref());
            let resolved = config::resolve(found.as_deref(), Some(&absolute), self.cli);
            if let Some(job) = self.job(Source::File(candidate), resolved, found.as_deref()) {
                return Some(job);
            }
        }
        None
    }

    /// With `--verbose`, keeps which configuration file `path` uses, to tell at the end.
    fn note_use(&mut self, path: &str, config: Option<&config::ConfigFile>) {
        if self.args.verbose {
            let config = config
                .map_or_else(|| "no configuration file".to_owned(), |c| crate::escape::path(&c.display).into_owned());
            self.used.push((path.to_owned(), config));
        }
    }

    /// A job with the rule set its settings compile to; `None`, and the run stopped, when
    /// they do not (the errors are printed). `config` is the configuration file it came from.
    fn job(&mut self, source: Source, resolved: FileSettings, config: Option<&config::ConfigFile>) -> Option<Job> {
        let index = compiled(&mut self.cache, &resolved.settings);
        let rules = index.and_then(|index| self.cache.set(index).cloned());
        let (Some(index), Some(rules)) = (index, rules) else {
            self.stopped = true;
            return None;
        };
        self.used_sets.insert(index);
        if let Some(config) = config {
            self.used_configs.insert(config.display.clone());
        }
        Some(Job { source, rules, defaults: resolved.defaults })
    }
}

/// The audit trail of the run: the packs, profiles and configuration files the checked files
/// used, and the waivers that waived something.
fn audit(
    cache: &RuleCache,
    used_sets: &BTreeSet<usize>,
    config_files: BTreeSet<String>,
    waivers: Vec<Waiver>,
) -> Audit {
    let mut jurisdictions = BTreeSet::new();
    // By id, source and digest: whether any set left the pack on.
    let mut packs: BTreeMap<(String, String, String), PackRecord> = BTreeMap::new();
    for set in used_sets.iter().filter_map(|&index| cache.set(index)) {
        jurisdictions.insert(jurisdiction_name(set.settings.profile).to_owned());
        for pack in &set.rules.packs {
            let text = set.builder.sources().iter().find(|s| s.name == pack.path).map_or("", |s| s.text.as_str());
            let record = PackRecord {
                id: pack.id.clone(),
                title: pack.title.clone(),
                source: if pack.builtin { "built-in".to_owned() } else { pack.path.clone() },
                version: pack.builtin.then(|| env!("CARGO_PKG_VERSION").to_owned()),
                sha256: match crate::rules::builtin_digest(&pack.path).filter(|_| pack.builtin) {
                    Some(digest) => digest.to_owned(),
                    None => sha256_hex(text.as_bytes()),
                },
                enabled: !set.settings.disabled_packs.contains(&pack.id),
            };
            let key = (record.id.clone(), record.source.clone(), record.sha256.clone());
            packs.entry(key).and_modify(|r| r.enabled |= record.enabled).or_insert(record);
        }
    }
    Audit {
        womlint_version: env!("CARGO_PKG_VERSION").to_owned(),
        jurisdictions: jurisdictions.into_iter().collect(),
        config_files: config_files.into_iter().collect(),
        packs: packs.into_values().collect(),
        waivers,
    }
}

/// Whether the walk's `candidate` is checked: it is not the report file, and its configuration's
/// `include` and `exclude` keep it (a file named on the command line is kept unless
/// `--force-exclude`). Gives its absolute path and its configuration.
pub(super) fn select(
    cwd: &Path,
    discovery: &mut Discovery,
    args: &CheckArgs,
    output: Option<&ReportFile>,
    candidate: &Candidate,
) -> Option<(PathBuf, Option<Arc<config::ConfigFile>>)> {
    let absolute = config::absolute(cwd, &candidate.path);
    if !candidate.explicit && output.is_some_and(|o| o.is(&absolute)) {
        return None;
    }
    let found = discovery.for_file(&absolute);
    if let Some(config) = &found
        && (!candidate.explicit || args.force_exclude)
        && config::excluded_by(config, &absolute)
    {
        return None;
    }
    Some((absolute, found))
}

/// Whether `--exclude` globs leave out `path` (for `--stdin-filename` with `--force-exclude`).
pub(super) fn cli_excludes(patterns: &[String], path: &Path) -> bool {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = if pattern.contains('/') { pattern.clone() } else { format!("**/{pattern}") };
        if let Ok(glob) = globset::Glob::new(&pattern) {
            builder.add(glob);
        }
    }
    builder.build().is_ok_and(|set| set.is_match(path))
}

/// Writes the report as it is rendered, through a buffer, to standard output (standard error
/// when standard output holds the fixed text, `to_stderr`), or to `--output` whole or not at
/// all (see [`super::output`]).
fn write_report(
    args: &CheckArgs,
    format: Format,
    report: &Report,
    rules: &Compiled,
    to_stderr: bool,
) -> std::io::Result<()> {
    let render = |out: &mut dyn Write| {
        if args.statistics {
            write_statistics(format, report, out)
        } else {
            report::render(format, report, &rules.rules, out)
        }
    };
    match &args.output {
        Some(path) => write_file(path, Existing::Replace, render),
        None if to_stderr => {
            let mut out = std::io::BufWriter::new(std::io::stderr().lock());
            render(&mut out)?;
            out.flush()
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            render(&mut out)?;
            out.flush()
        }
    }
}

fn write_statistics(format: Format, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let counts = report::statistics(report);
    if format == Format::Json {
        return report::write_json(out, &counts);
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
    stderr_line!("{line}");
}

/// The most worker threads a run starts: four per core, and at least eight. Every worker
/// keeps its own regex caches, and `--threads 100000` made the system refuse a thread and the
/// run abort.
fn max_threads(cores: usize) -> usize {
    cores.saturating_mul(4).max(8)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100).clamp(40, 200)
}

/// Up to this many files, lists are narrowed per document. Measured on files of the `small`
/// benchmark corpus (mean wall time, narrowed against shared): 10 files 36 against 180 ms,
/// 40 files 83 against 177 ms, 150 files 288 against 257 ms.
const FEW_FILES: usize = 64;

/// Over a tree, jobs go to the workers in batches of this many, so that a worker wakes the
/// walk once a batch rather than once a file (a few files go one by one).
const BATCH: usize = 32;

/// Batches waiting for a worker, at most.
const QUEUE: usize = 8;

/// Files of at least this many bytes are big (see [`BigFiles`]).
const BIG_FILE: u64 = 1024 * 1024;

/// The bytes of big files checked at once, at most; a bigger file is checked alone.
const BIG_FILES_AT_ONCE: u64 = 4 * 1024 * 1024;

/// Big files are checked a few at a time. A document in memory takes a few times its size (the
/// Markdown parser's tree, the blocks, the gate's sets), so two exports of several MiB at once
/// would set the run's peak memory. A worker that meets a big file that would take the big
/// files being checked over [`BIG_FILES_AT_ONCE`] sets it aside and goes on with small ones;
/// the next worker to find room takes it up.
struct BigFiles<T> {
    /// Bytes of the big files being checked.
    in_flight: Mutex<u64>,
    /// Signalled when a big file is done.
    done: Condvar,
    /// Big files set aside with their sizes, in the order they were met.
    waiting: Mutex<VecDeque<(T, u64)>>,
}

/// The right to check a big file of `size` bytes, given back when dropped.
struct Turn<'a, T> {
    big: &'a BigFiles<T>,
    size: u64,
}

impl<T> Drop for Turn<'_, T> {
    fn drop(&mut self) {
        let mut in_flight = self.big.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        *in_flight = in_flight.saturating_sub(self.size);
        self.big.done.notify_all();
    }
}

impl<T> Default for BigFiles<T> {
    fn default() -> Self {
        BigFiles { in_flight: Mutex::new(0), done: Condvar::new(), waiting: Mutex::new(VecDeque::new()) }
    }
}

impl<T> BigFiles<T> {
    fn fits(in_flight: u64, size: u64) -> bool {
        in_flight == 0 || in_flight.saturating_add(size) <= BIG_FILES_AT_ONCE
    }

    /// A turn for a big file of `size` bytes, if there is room for it now.
    fn try_turn(&self, size: u64) -> Option<Turn<'_, T>> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        Self::fits(*in_flight, size).then(|| {
            *in_flight += size;
            Turn { big: self, size }
        })
    }

    fn set_aside(&self, job: T, size: u64) {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner).push_back((job, size));
    }

    /// The first big file set aside, with its turn, if there is room for it now.
    fn next_if_free(&self) -> Option<(T, Turn<'_, T>)> {
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        let turn = self.try_turn(waiting.front()?.1)?;
        Some((waiting.pop_front()?.0, turn))
    }

    /// The first big file set aside, with its turn, once there is room for it.
    fn next_waiting(&self) -> Option<(T, Turn<'_, T>)> {
        let (job, size) = self.waiting.lock().unwrap_or_else(PoisonError::into_inner).pop_front()?;
        let mut in_flight = self.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        while !Self::fits(*in_flight, size) {
            in_flight = self.done.wait(in_flight).unwrap_or_else(PoisonError::into_inner);
        }
        *in_flight += size;
        Some((job, Turn { big: self, size }))
    }
}

/// What editing did over the run.
#[derive(Default)]
struct Edited {
    /// Findings fixed, and the files they were in.
    fixed: usize,
    fixed_files: usize,
    /// Diffs by path (`--diff`).
    diffs: Vec<(String, String)>,
    /// Standard input's text, fixed (`--fix` on `-`).
    stdout_text: Option<String>,
    /// Findings the baseline left out, and its entries that matched nothing.
    known: usize,
    stale: usize,
    /// What `--write-baseline` records.
    entries: Vec<crate::baseline::Entry>,
}

impl Edited {
    fn add(&mut self, extras: Extras, path: &str, errors: &mut Vec<InputError>) {
        self.fixed += extras.fixed;
        self.fixed_files += usize::from(extras.fixed > 0);
        if let Some(diff) = extras.diff {
            self.diffs.push((path.to_owned(), diff));
        }
        if extras.stdout_text.is_some() {
            self.stdout_text = extras.stdout_text;
        }
        errors.extend(extras.error);
        self.known += extras.known;
        self.stale += extras.stale;
        self.entries.extend(extras.entries);
    }

    fn merge(&mut self, other: Edited) {
        self.fixed += other.fixed;
        self.fixed_files += other.fixed_files;
        self.diffs.extend(other.diffs);
        if other.stdout_text.is_some() {
            self.stdout_text = other.stdout_text;
        }
        self.known += other.known;
        self.stale += other.stale;
        self.entries.extend(other.entries);
    }
}

/// What the checked files came to. Only what the report shows is kept: a clean file leaves
/// nothing but a count.
#[derive(Default)]
struct Tally {
    files_checked: usize,
    /// Findings at or above their file's failing severity.
    failing: usize,
    /// Files with findings.
    files: Vec<FileReport>,
    errors: Vec<InputError>,
    /// Paths of empty files.
    empty: Vec<String>,
    /// The waivers that waived something, in every checked file.
    waivers: Vec<Waiver>,
    edited: Edited,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Checked(mut file, fail_on, extras) => {
                self.files_checked += 1;
                self.waivers.append(&mut file.waivers);
                self.edited.add(extras, &file.path, &mut self.errors);
                self.failing += file.findings.iter().filter(|l| l.finding.severity >= fail_on).count();
                if !file.findings.is_empty() {
                    self.files.push(file);
                }
            }
            Outcome::Failed(err) => self.errors.push(err),
            Outcome::Empty(path) => {
                self.files_checked += 1;
                self.empty.push(path);
            }
        }
    }

    fn add_some(&mut self, outcome: Option<Outcome>) {
        if let Some(outcome) = outcome {
            self.add(outcome);
        }
    }

    fn merge(&mut self, other: Tally) {
        self.files_checked += other.files_checked;
        self.failing += other.failing;
        self.files.extend(other.files);
        self.errors.extend(other.errors);
        self.empty.extend(other.empty);
        self.waivers.extend(other.waivers);
        self.edited.merge(other.edited);
    }
}

/// Checks `first` and then the jobs `rest` gives, on `threads` workers, while `rest` is
/// drawn on this thread (the walk). When `first` holds every job, the run is over a few
/// files.
fn check_all(
    first: Vec<Job>,
    rest: &mut dyn Iterator<Item = Job>,
    max_size: u64,
    keep: Keep,
    threads: usize,
    editing: &Editing,
) -> Tally {
    // Building the raw-text prefilter, the faster but slower-to-build gate and whole pattern
    // lists shared by every file pays only over a tree; for a few files, each short document
    // compiles only the patterns found in it (see `Gate::narrowed`).
    let prefilter = first.len() > FEW_FILES;
    let check_text = |input: &Input, job: &Job| check_input(input, job, keep, prefilter, editing);
    let workers = if prefilter { threads } else { threads.min(first.len()) };
    if workers <= 1 {
        let mut tally = Tally::default();
        for job in first.into_iter().chain(rest) {
            let outcome = match &job.source {
                Source::File(candidate) => input::read(candidate, max_size).map(|input| check_text(&input, &job)),
                Source::Stdin(input) => Ok(check_text(input, &job)),
            };
            tally.add(outcome.unwrap_or_else(Outcome::Failed));
        }
        return tally;
    }
    let big = BigFiles::<Job>::default();
    // Checks a job, unless it is a big file: that is set aside in `big` (`None` is returned),
    // for whichever worker finds room for it first. The walk finds the exports of a folder
    // one after the other, so they come in one batch: taken up in the batch's order, they
    // would all be checked by its worker while the other ones run out of work. A job taken
    // up from `big` comes with its turn (`turn`) and is checked at once; its file is opened
    // again.
    let check = |job: Job, turn: bool| -> Option<Outcome> {
        let candidate = match &job.source {
            Source::File(candidate) => candidate,
            Source::Stdin(input) => return Some(check_text(input, &job)),
        };
        let file = match input::open(candidate, max_size) {
            Ok(file) => file,
            Err(err) => return Some(Outcome::Failed(err)),
        };
        if file.size >= BIG_FILE && !turn {
            big.set_aside(job, file.size);
            return None;
        }
        Some(file.read().map_or_else(Outcome::Failed, |input| check_text(&input, &job)))
    };
    if prefilter {
        super::allocator::map_big_blocks_apart();
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Job>>(QUEUE);
    let receiver = Mutex::new(receiver);
    let tally = Mutex::new(Tally::default());
    // Over a tree, the workers first share out the gate and the lists of the first job's rules.
    let shared_rules = first.first().filter(|_| prefilter).map(|job| Arc::clone(&job.rules));
    let next_part = AtomicUsize::new(0);
    let work = || {
        if let Some(compiled) = &shared_rules {
            while compiled.rules.prepare_part(next_part.fetch_add(1, Ordering::Relaxed)) {}
        }
        let mut local = Tally::default();
        loop {
            let batch = match receiver.lock() {
                Ok(receiver) => receiver.recv(),
                Err(_) => break,
            };
            let Ok(batch) = batch else { break };
            for job in batch {
                local.add_some(check(job, false));
                // Big files set aside are taken up as soon as there is room for them.
                while let Some((job, _turn)) = big.next_if_free() {
                    local.add_some(check(job, true));
                }
            }
        }
        // The walk is over: what was set aside is checked now, still within the budget.
        while let Some((job, _turn)) = big.next_waiting() {
            local.add_some(check(job, true));
        }
        if let Ok(mut tally) = tally.lock() {
            tally.merge(local);
        }
    };
    std::thread::scope(|scope| {
        // A thread the system refuses (too many) is done without.
        let started =
            (0..workers).take_while(|_| std::thread::Builder::new().spawn_scoped(scope, work).is_ok()).count();
        let mut jobs = first.into_iter().chain(rest);
        if started == 0 {
            let mut local = Tally::default();
            for job in jobs {
                local.add_some(check(job, true));
            }
            if let Ok(mut tally) = tally.lock() {
                tally.merge(local);
            }
            return;
        }
        loop {
            let batch: Vec<Job> = jobs.by_ref().take(if prefilter { BATCH } else { 1 }).collect();
            if batch.is_empty() || sender.send(batch).is_err() {
                break;
            }
        }
        drop(sender);
    });
    tally.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// Lints one decoded input with its job's rules and defaults, and edits it as `editing` asks.
fn check_input(input: &Input, job: &Job, keep: Keep, prefilter: bool, editing: &Editing) -> Outcome {
    let rules = &job.rules.rules;
    let fail_on = job.rules.settings.fail_on;
    if input.text.trim().is_empty() {
        return Outcome::Empty(input.path.clone());
    }
    let absolute = match &job.source {
        Source::File(candidate) => Some(editing.cwd.join(&candidate.path)),
        Source::Stdin(_) => editing.stdin_path.clone(),
    };
    let mut extras = Extras::default();
    if prefilter && !may_have_findings(&input.text, rules) {
        let mut file = FileReport { path: input.path.clone(), ..FileReport::default() };
        if editing.changes_text() && matches!(job.source, Source::Stdin(_)) && !editing.diff {
            extras.stdout_text = Some(input.text.to_string());
        }
        edit::apply_baseline(editing, absolute.as_deref(), &mut file, &mut extras);
        return Outcome::Checked(file, fail_on, extras);
    }
    // Built once per run, by the first file that gets this far.
    rules.prepare_gate_for(prefilter);
    let options = CheckOptions {
        defaults: &job.defaults,
        settings: &job.rules.settings,
        inactive: &job.rules.inactive,
        context: keep.context,
    };
    let check = |text: Arc<str>| -> edit::Checked {
        let doc = Document::parse_with(input.path.as_str(), text, &job.defaults);
        let (findings, waivers) = findings_of(&doc, rules, &options);
        (doc, findings, waivers)
    };
    let mut checked = check(Arc::clone(&input.text));
    if editing.changes_text() {
        let file = match &job.source {
            Source::File(candidate) => Some(candidate.path.as_path()),
            Source::Stdin(_) => None,
        };
        (checked, extras) = edit::revise(editing, checked, file, &check);
    }
    let (doc, findings, waivers) = checked;
    let mut file = FileReport::new(&input.path, &doc, findings);
    file.waivers = waivers;
    edit::apply_baseline(editing, absolute.as_deref(), &mut file, &mut extras);
    if keep.context {
        file.keep_context(&doc.text, doc.lines());
    }
    if let Some(style) = keep.human
        && !file.findings.is_empty()
    {
        file.rendered = Some(report::render_findings(&input.path, &doc.text, &file.findings, rules, style));
    }
    Outcome::Checked(file, fail_on, extras)
}

/// The end of a run that edits or records rather than reports: the diffs (`--diff`), the
/// baseline file (`--write-baseline`). `None`: the report follows as usual.
fn edit_outcome(args: &CheckArgs, edited: &Edited, report: &Report) -> Option<ExitStatus> {
    let failed = if report.errors.is_empty() { None } else { Some(ExitStatus::Error) };
    if args.diff {
        let mut diffs: Vec<&(String, String)> = edited.diffs.iter().collect();
        diffs.sort();
        let render = |out: &mut dyn Write| diffs.iter().try_for_each(|(_, diff)| out.write_all(diff.as_bytes()));
        let written = match &args.output {
            Some(path) => write_file(path, Existing::Replace, render),
            None => render(&mut std::io::stdout().lock()),
        };
        match written {
            Err(err) if args.output.is_some() || err.kind() != std::io::ErrorKind::BrokenPipe => {
                stderr_line!("error: cannot write the diff: {}", input::io_reason(&err));
                return Some(ExitStatus::Error);
            }
            _ => {}
        }
        let fixes = edited.fixed;
        match diffs.len() {
            0 => stderr_line!("womlint: nothing to fix in {} file(s)", report.files_checked),
            n => stderr_line!("womlint: {fixes} fix(es) would change {n} file(s); --fix applies them"),
        }
        return Some(failed.unwrap_or(if diffs.is_empty() { ExitStatus::Clean } else { ExitStatus::Findings }));
    }
    if let Some(path) = &args.write_baseline {
        let shown = crate::escape::path(&input::display_path(path)).into_owned();
        let text = crate::baseline::render(edited.entries.clone());
        if let Err(err) = write_file(path, Existing::Replace, |out| out.write_all(text.as_bytes())) {
            stderr_line!("error: --write-baseline {shown}: cannot write it: {}", input::io_reason(&err));
            return Some(ExitStatus::Error);
        }
        let files = edited.entries.iter().map(|e| &e.path).collect::<BTreeSet<_>>().len();
        stderr_line!(
            "womlint: recorded {} finding(s) of {files} file(s) in {shown}; `--baseline {shown}` (or `baseline:` in \
             womlint.yaml) reports only new ones",
            edited.entries.len()
        );
        return Some(failed.unwrap_or(ExitStatus::Clean));
    }
    if let Some(text) = &edited.stdout_text {
        let mut out = std::io::stdout().lock();
        if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
            return Some(ExitStatus::Error);
        }
    }
    None
}

/// What fixing and the baseline did, on standard error.
fn print_edit_summary(editing: &Editing, edited: &Edited) {
    if editing.mode.is_some() && !editing.diff {
        stderr_line!("womlint: fixed {} finding(s) in {} file(s)", edited.fixed, edited.fixed_files);
    }
    if editing.baseline.is_some() {
        stderr_line!("womlint: the baseline left out {} known finding(s)", edited.known);
        if edited.stale > 0 {
            stderr_line!(
                "womlint: {} baseline entr{} match no finding any more (fixed or edited); `--write-baseline` over the \
                 same files prunes them",
                edited.stale,
                if edited.stale == 1 { "y" } else { "ies" }
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn big_files_wait_for_room_in_the_order_they_were_met() {
        let big = BigFiles::default();
        let first = big.try_turn(3 * MIB).expect("nothing is being checked");
        assert!(big.try_turn(2 * MIB).is_none(), "3 + 2 MiB is over the limit");
        let second = big.try_turn(MIB).expect("3 + 1 MiB is within it");
        big.set_aside("a", 2 * MIB);
        big.set_aside("b", MIB);
        assert!(big.next_if_free().is_none(), "no room for the first set aside, so none is taken");
        drop(first);
        let (a, turn) = big.next_if_free().expect("1 + 2 MiB fit");
        assert_eq!(a, "a");
        let (b, turn_b) = big.next_if_free().expect("1 + 2 + 1 MiB fit");
        assert_eq!(b, "b");
        assert!(big.next_if_free().is_none());
        drop((second, turn));
        // A file bigger than the limit runs alone.
        let huge = big.try_turn(9 * MIB);
        assert!(huge.is_none(), "1 MiB is still being checked");
        drop(turn_b);
        let huge = big.try_turn(9 * MIB).expect("alone");
        assert!(big.try_turn(MIB).is_none());
        drop(huge);
        big.set_aside("c", MIB);
        assert_eq!(big.next_waiting().map(|(job, _)| job), Some("c"));
        assert!(big.next_waiting().is_none());
    }

    #[test]
    fn big_files_in_flight_stay_within_the_limit() {
        let big = BigFiles::default();
        let (now, most, checked) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
        let check = |size: u64| {
            let at_once = now.fetch_add(size, Ordering::SeqCst) + size;
            most.fetch_max(at_once, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(1));
            now.fetch_sub(size, Ordering::SeqCst);
            checked.fetch_add(1, Ordering::SeqCst);
        };
        std::thread::scope(|scope| {
            for worker in 0..4u64 {
                let (big, check) = (&big, &check);
                scope.spawn(move || {
                    for job in 0..25u64 {
                        let size = (1 + (worker * 7 + job * 3) % 4) * MIB;
                        match big.try_turn(size) {
                            Some(_turn) => check(size),
                            None => big.set_aside(size, size),
                        }
                        while let Some((size, _turn)) = big.next_if_free() {
                            check(size);
                        }
                    }
                    while let Some((size, _turn)) = big.next_waiting() {
                        check(size);
                    }
                });
            }
        });
        assert_eq!(checked.load(Ordering::SeqCst), 100, "every big file is checked once");
        assert!(most.load(Ordering::SeqCst) <= BIG_FILES_AT_ONCE);
    }
}

//! The command-line front end: parses arguments, builds settings and rules, runs a command,
//! and maps the outcome to the exit-code contract (0 clean, 1 findings, 2 errors).

/// Like `eprintln!`, but a standard error that is closed or a broken pipe (`2>&1 | head`) is
/// not a panic: the line is dropped.
macro_rules! stderr_line {
    ($($arg:tt)*) => {
        $crate::cli::to_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod allocator;
mod args;
mod check;
mod edit;
mod errors;
mod info;
mod output;
mod setup;
mod show;
mod test_rules;

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

pub use args::{CheckArgs, Cli, Command, RuleArgs, SchemaKind};
pub use errors::YamlDiagnostic;
pub use setup::{PACK_SCHEMA, REPORT_SCHEMA, config_schema};

use crate::config::{self, CliSettings, ConfigSource, Discovery, Settings, SettingsKey};
use crate::lint::META_RULES;
use crate::report::HumanStyle;
use crate::rules::{Market, PackSource, Profile, RuleSet, RuleSetBuilder, builtin_sources, builtin_sources_converted};

/// The exit-code contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No finding at or above the failing severity.
    Clean,
    /// Findings at or above the failing severity.
    Findings,
    /// Usage, configuration, rule-pack or I/O error.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Clean => ExitCode::SUCCESS,
            ExitStatus::Findings => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// Runs womlint with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    run(cli).into()
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    if matches!(cli.command, Command::Check(_) | Command::Init(_)) {
        output::exit_on_signals();
    }
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => info::rules(&args),
        Command::Explain(args) => info::explain(&args),
        Command::TestRules(args) => test_rules::run(&args),
        Command::Init(args) => setup::init(&args),
        Command::Completions(args) => setup::completions(&args),
        Command::Schema(args) => setup::schema(&args),
    }
}

/// Writes `text` to standard error, ignoring a failure (nothing is left to tell it to).
pub(crate) fn to_stderr(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The style of human output on standard error.
pub(crate) fn stderr_style() -> HumanStyle {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    HumanStyle { color, unicode: true, width: 100 }
}

/// The current folder, or an error message.
pub(crate) fn current_dir() -> Option<PathBuf> {
    match std::env::current_dir() {
        Ok(dir) => Some(dir),
        Err(err) => {
            stderr_line!("error: cannot read the current folder: {err}");
            None
        }
    }
}

/// What the rule arguments say, which wins over configuration files.
pub(crate) fn cli_settings(args: &RuleArgs, cwd: &Path) -> CliSettings {
    let profile = if args.strict {
        Some(Profile::Strict)
    } else {
        args.jurisdiction.map(|market| {
            Profile::Market(match market {
                args::MarketArg::Us => Market::Us,
                args::MarketArg::Uk => Market::Uk,
                args::MarketArg::It => Market::It,
                args::MarketArg::Eu => Market::Eu,
            })
        })
    };
    CliSettings { profile, extra_packs: args.packs.iter().map(|p| config::absolute(cwd, p)).collect(), fail_on: None }
}

/// Where configuration comes from, by `--config` and `--no-config`.
pub(crate) fn config_source(args: &RuleArgs) -> ConfigSource {
    match (&args.config, args.no_config) {
        (_, true) => ConfigSource::Ignore,
        (Some(path), false) => ConfigSource::File(path.clone()),
        (None, false) => ConfigSource::Discover,
    }
}

/// A compiled rule set and the settings it was compiled for.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub rules: RuleSet,
    /// Rule ids the settings switched off (their waivers are not "unused").
    pub inactive: HashSet<String>,
    pub settings: Settings,
    pub builder: RuleSetBuilder,
}

/// Compiled rule sets, one per distinct [`SettingsKey`]: packs compile once per distinct
/// configuration, not once per file.
pub(crate) struct RuleCache {
    cwd: PathBuf,
    sets: Vec<Arc<Compiled>>,
    by_key: HashMap<SettingsKey, usize>,
    /// Every rule id and pack id seen in any compiled set, before settings switched any off.
    known: HashSet<String>,
    /// Whether the built-in packs are read from their JSON form (see
    /// [`builtin_sources_converted`]).
    converted: bool,
    /// Whether an extra pack with the `pack:` id of a built-in one takes its place, instead of
    /// being an error (`test-rules` on an edited copy of a built-in pack).
    replaces_builtin: bool,
}

impl RuleCache {
    /// A cache that reads the built-in packs from their YAML (line numbers for every rule and
    /// example).
    pub fn new(cwd: &Path) -> Self {
        RuleCache {
            cwd: cwd.to_path_buf(),
            sets: Vec::new(),
            by_key: HashMap::new(),
            known: HashSet::new(),
            converted: false,
            replaces_builtin: false,
        }
    }

    /// A cache for checking copy: the built-in packs are read from the JSON they were converted
    /// to at build time, which is faster; nothing in a check report needs their YAML lines.
    pub fn for_checks(cwd: &Path) -> Self {
        RuleCache { converted: true, ..RuleCache::new(cwd) }
    }

    /// The index of the rule set for `settings`, compiling it the first time. Pack errors are
    /// printed and give `None`.
    pub fn get(&mut self, settings: &Settings) -> Option<usize> {
        self.get_quiet(settings).map_err(|(errors, builder)| print_load_errors(&errors, &builder)).ok()
    }

    fn get_quiet(&mut self, settings: &Settings) -> Result<usize, LoadFailure> {
        let key = settings.key();
        if let Some(index) = self.by_key.get(&key) {
            return Ok(*index);
        }
        let compiled = compile(settings, &self.cwd, &mut self.known, (self.converted, self.replaces_builtin))?;
        let index = self.sets.len();
        self.sets.push(Arc::new(compiled));
        self.by_key.insert(key, index);
        Ok(index)
    }

    /// A rule set with every rule of the packs `settings` and the other compiled sets load,
    /// none switched off: what a report about all of them describes. Falls back to the first
    /// set when the packs cannot be loaded together.
    pub fn union(&mut self, profile: Profile) -> Option<Arc<Compiled>> {
        if self.sets.len() <= 1 {
            return self.sets.first().cloned();
        }
        let mut settings = Settings { profile, ..Settings::default() };
        for set in &self.sets {
            for pack in &set.settings.extra_packs {
                if !settings.extra_packs.contains(pack) {
                    settings.extra_packs.push(pack.clone());
                }
            }
        }
        match self.get_quiet(&settings) {
            Ok(index) => self.sets.get(index).cloned(),
            Err(_) => self.sets.first().cloned(),
        }
    }

    pub fn set(&self, index: usize) -> Option<&Arc<Compiled>> {
        self.sets.get(index)
    }

    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Whether a `rules:` key names something: a rule id or pack id of a loaded pack, a
    /// principle, or one of womlint's own rules.
    pub fn knows(&self, key: &str) -> bool {
        PRINCIPLES.contains(&key) || META_RULES.iter().any(|m| m.id == key) || self.known.contains(key)
    }

    /// The known rule id, principle or pack id closest to a misspelt one, if one is close.
    pub fn closest(&self, key: &str) -> Option<String> {
        let meta = META_RULES.iter().map(|m| m.id);
        let known = self.known.iter().map(String::as_str).chain(PRINCIPLES).chain(meta);
        crate::suggest::closest(key, known).map(str::to_owned)
    }
}

/// The principles a `rules:` key or a waiver may name instead of a rule id.
const PRINCIPLES: [&str; 4] = ["relationship", "opinion", "identity", "womlint"];

/// Why packs could not be compiled, with the sources read so far (for the YAML excerpts).
type LoadFailure = (Vec<LoadError>, RuleSetBuilder);

/// A problem loading packs: a pack file that cannot be read, or errors in the YAML.
enum LoadError {
    Read(String),
    Pack(crate::rules::PackError),
}

fn print_load_errors(errors: &[LoadError], builder: &RuleSetBuilder) {
    let mut packs = Vec::new();
    for error in errors {
        match error {
            LoadError::Read(message) => stderr_line!("error: {message}"),
            LoadError::Pack(error) => packs.push(error.clone()),
        }
    }
    if packs.is_empty() {
        stderr_line!("error: a rule pack could not be read; nothing was checked");
    } else {
        errors::print_pack_errors(&packs, builder.sources());
    }
}

/// Compiles the built-in packs (from their JSON form with `converted`) and the settings' extra
/// packs (in the place of a built-in pack of the same id with `replaces_builtin`), and applies
/// the settings.
fn compile(
    settings: &Settings,
    cwd: &Path,
    known: &mut HashSet<String>,
    (converted, replaces_builtin): (bool, bool),
) -> Result<Compiled, LoadFailure> {
    let builtin = if converted { builtin_sources_converted() } else { builtin_sources() };
    let mut builder = RuleSetBuilder::with_sources(settings.profile, builtin);
    let mut failed = Vec::new();
    for path in &settings.extra_packs {
        let name = config::display_relative(cwd, path);
        match crate::input::read_text_file(path, crate::input::MAX_SETTINGS_FILE) {
            Ok(text) => {
                let source = PackSource { name, text, builtin: false, converted: None };
                if replaces_builtin {
                    builder.add_replacing_builtin(source);
                } else {
                    builder.add(source);
                }
            }
            Err(reason) => {
                failed.push(LoadError::Read(format!("rule pack {}: {reason}", crate::escape::path(&name))));
            }
        }
    }
    if !failed.is_empty() {
        return Err((failed, builder));
    }
    match builder.build() {
        Ok(mut rules) => {
            known.extend(rules.rules.iter().map(|r| r.id.to_string()));
            known.extend(rules.packs.iter().map(|p| p.id.clone()));
            let mut inactive: HashSet<String> = rules.rules.iter().map(|r| r.id.to_string()).collect();
            settings.apply(&mut rules);
            for rule in &rules.rules {
                inactive.remove(&*rule.id);
            }
            inactive.extend(rules.disabled_meta.iter().cloned());
            Ok(Compiled { rules, inactive, settings: settings.clone(), builder })
        }
        Err(errors) => Err((errors.into_iter().map(LoadError::Pack).collect(), builder)),
    }
}

/// The run-wide settings for commands that are not about particular files (`rules`,
/// `explain`): the configuration that applies to the current folder, then the command line.
pub(crate) fn load_root(args: &RuleArgs) -> Option<Arc<Compiled>> {
    let cwd = current_dir()?;
    let mut discovery = Discovery::new(config_source(args), &cwd);
    let root = discovery.for_dir(&cwd);
    for warning in discovery.warnings() {
        stderr_line!("warning: {warning}");
    }
    if !discovery.errors().is_empty() {
        errors::print_config_errors(discovery.errors());
        return None;
    }
    let resolved = config::resolve(root.as_deref(), None, &cli_settings(args, &cwd));
    let mut cache = RuleCache::new(&cwd);
    let index = cache.get(&resolved.settings)?;
    if let Some(root) = &root {
        let unknown = root.unknown_rules(|key| cache.knows(key), |key| cache.closest(key));
        if !unknown.is_empty() {
            errors::print_config_errors(&unknown);
            return None;
        }
    }
    cache.set(index).cloned()
}

/// Compiles the built-in packs and `settings`' extra packs (paths as given), printing errors.
/// An extra pack with the id of a built-in one takes its place.
pub(crate) fn load_rules(settings: &Settings) -> Option<Arc<Compiled>> {
    let cwd = current_dir()?;
    let mut cache = RuleCache { replaces_builtin: true, ..RuleCache::new(&cwd) };
    let settings = Settings {
        extra_packs: settings.extra_packs.iter().map(|p| config::absolute(&cwd, p)).collect(),
        ..settings.clone()
    };
    let index = cache.get(&settings)?;
    cache.set(index).cloned()
}

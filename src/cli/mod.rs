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

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

pub use args::{CheckArgs, Cli, Command, RuleArgs, SchemaKind};
pub use errors::YamlDiagnostic;
pub use setup::{PACK_SCHEMA, REPORT_SCHEMA, config_schema};

use crate::config::{self, CliSettings, Compiled, ConfigSource, Discovery, LoadError, RuleCache, Settings};
use crate::report::HumanStyle;
use crate::rules::{Market, Profile, RuleSetBuilder};

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
    run(Cli::parse())
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    if matches!(cli.command, Command::Check(_) | Command::Init(_)) {
        output::exit_on_signals();
    }
    let status = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => info::rules(&args),
        Command::Explain(args) => info::explain(&args),
        Command::TestRules(args) => test_rules::run(&args),
        Command::Init(args) => setup::init(&args),
        Command::Completions(args) => setup::completions(&args),
        Command::Schema(args) => setup::schema(&args),
        // The protocol fixes the server's exit codes (0 after `shutdown`, 1 without it).
        Command::Server => return womlint_server::run(),
    };
    status.into()
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

/// The index of the rule set for `settings` in `cache`, compiling it the first time. Pack
/// errors are printed and give `None`.
pub(crate) fn compiled(cache: &mut RuleCache, settings: &Settings) -> Option<usize> {
    cache.get(settings).map_err(|(errors, builder)| print_load_errors(&errors, &builder)).ok()
}

fn print_load_errors(errors: &[LoadError], builder: &RuleSetBuilder) {
    let mut packs = Vec::new();
    for error in errors {
        match error {
            LoadError::Read { message, .. } => stderr_line!("error: {message}"),
            LoadError::Pack(error) => packs.push(error.clone()),
        }
    }
    if packs.is_empty() {
        stderr_line!("error: a rule pack could not be read; nothing was checked");
    } else {
        errors::print_pack_errors(&packs, builder.sources());
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
    let index = compiled(&mut cache, &resolved.settings)?;
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
    let mut cache = RuleCache::replacing_builtin(&cwd);
    let settings = Settings {
        extra_packs: settings.extra_packs.iter().map(|p| config::absolute(&cwd, p)).collect(),
        ..settings.clone()
    };
    let index = compiled(&mut cache, &settings)?;
    cache.set(index).cloned()
}

//! The command-line front end: parses arguments, builds settings and rules, runs a command,
//! and maps the outcome to the exit-code contract (0 clean, 1 findings, 2 errors).

mod args;
mod check;
mod errors;
mod info;
mod test_rules;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

pub use args::{CheckArgs, Cli, Command, RuleArgs};
pub use errors::PackDiagnostic;

use crate::config::Settings;
use crate::report::HumanStyle;
use crate::rules::{Market, PackSource, Profile, RuleSet, RuleSetBuilder, builtin_sources};

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
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => info::rules(&args),
        Command::Explain(args) => info::explain(&args),
        Command::TestRules(args) => test_rules::run(&args),
    }
}

/// The style of human output on standard error.
pub(crate) fn stderr_style() -> HumanStyle {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    HumanStyle { color, unicode: true, width: 100 }
}

/// Settings from the rule arguments.
pub(crate) fn settings_from(args: &RuleArgs) -> Settings {
    let mut settings = Settings::default();
    settings.extra_packs.extend(args.packs.iter().cloned());
    if args.strict {
        settings.profile = Profile::Strict;
    } else if let Some(market) = args.jurisdiction {
        settings.profile = Profile::Market(match market {
            args::MarketArg::Us => Market::Us,
            args::MarketArg::Uk => Market::Uk,
            args::MarketArg::It => Market::It,
            args::MarketArg::Eu => Market::Eu,
        });
    }
    settings
}

/// Compiles the built-in packs and the settings' extra packs. On failure the errors are
/// printed and `None` is returned.
pub(crate) fn load_rules(settings: &Settings) -> Option<(RuleSetBuilder, RuleSet)> {
    let mut builder = RuleSetBuilder::new(settings.profile);
    for source in builtin_sources() {
        builder.add(source);
    }
    let mut failed = false;
    for path in &settings.extra_packs {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                builder.add(PackSource { name: crate::input::display_path(path), text, builtin: false });
            }
            Err(err) => {
                eprintln!("error: rule pack {}: {err}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        return None;
    }
    match builder.build() {
        Ok(mut rules) => {
            settings.apply(&mut rules);
            Some((builder, rules))
        }
        Err(errors) => {
            errors::print_pack_errors(&errors, builder.sources());
            None
        }
    }
}

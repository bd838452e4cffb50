//! The command line, declared with clap's derive API.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;
use crate::rules::Severity;

/// An ethics-compliance linter for marketing copy: it points at the words that hide a paid
/// relationship, pass off paid opinion as independent, or fake who is speaking.
#[derive(Debug, Parser)]
#[command(name = "womlint", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Markdown and text files (folders are walked, .gitignore respected).
    Check(CheckArgs),
    /// List the rules of the enabled packs.
    Rules(RulesArgs),
    /// Explain a rule: why, how to fix it, references and examples.
    Explain(ExplainArgs),
    /// Run the examples of rule packs (the built-in ones when no file is given).
    TestRules(TestRulesArgs),
    /// Write a commented starter womlint.yaml in the current folder.
    Init(InitArgs),
    /// Print a shell completion script (e.g. `womlint completions bash > ~/.local/share/bash-completion/completions/womlint`).
    Completions(CompletionsArgs),
    /// Print the JSON Schema of rule packs, of womlint.yaml or of the JSON report.
    Schema(SchemaArgs),
    /// Run the language server over standard input and output (for editors).
    Server,
}

/// Which rules run: packs, market profile, configuration.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Load an extra rule pack (repeatable).
    #[arg(long = "pack", value_name = "FILE")]
    pub packs: Vec<PathBuf>,
    /// Apply one market's label list and extra rules.
    #[arg(long, value_enum, value_name = "MARKET")]
    pub jurisdiction: Option<MarketArg>,
    /// Accept only labels that every market accepts.
    #[arg(long, conflicts_with = "jurisdiction")]
    pub strict: bool,
    /// Use this configuration file for every file instead of looking for womlint.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MarketArg {
    Us,
    Uk,
    It,
    Eu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(arg: SeverityArg) -> Self {
        match arg {
            SeverityArg::Error => Severity::Error,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to check; `-` reads standard input (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: human on a terminal, human without colour otherwise).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// The file name to report for standard input (also picks Markdown or text).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The lowest severity that makes the run fail (exit 1) [default: warning].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
    /// Exit 0 even when there are findings (errors reading files or packs still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print counts per rule instead of each finding: a table, or a JSON list with --format json
    /// (not with sarif or github).
    #[arg(long)]
    pub statistics: bool,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: all cores). The output is the same for any number.
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// When to use colour in the human format.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Leave out files matching this glob (repeatable; gitignore-style).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also leave out files named on the command line that --exclude or the config exclude.
    #[arg(long)]
    pub force_exclude: bool,
    /// Walk hidden files and ignore .gitignore rules.
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub max_file_size: u64,
    /// Apply the safe fixes to the files (standard input: print the fixed text), then report
    /// what remains.
    #[arg(long, help_heading = "Fixing")]
    pub fix: bool,
    /// Apply unsafe fixes too (a label inserted in a post that has none); implies --fix
    /// unless --diff is given.
    #[arg(long, help_heading = "Fixing")]
    pub unsafe_fixes: bool,
    /// Print what the fixes would change as a unified diff, and write nothing (exit 1 when
    /// there is something to fix).
    #[arg(long, help_heading = "Fixing")]
    pub diff: bool,
    /// Insert a waiver with this reason above every finding (in Markdown, at the end of a
    /// line inside a paragraph).
    #[arg(long, value_name = "REASON", help_heading = "Fixing")]
    pub add_waiver: Option<String>,
    /// Report only the findings that are not in this baseline file (and count its entries
    /// that match nothing any more).
    #[arg(long, value_name = "FILE", help_heading = "Baseline", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record every finding in this baseline file (sorted JSON), replacing it, and exit 0.
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Print the files that would be checked, one per line, and check nothing.
    #[arg(long, conflicts_with = "show_settings")]
    pub show_files: bool,
    /// Print the settings that apply to FILE and where each comes from, and check nothing.
    #[arg(long, value_name = "FILE")]
    pub show_settings: Option<PathBuf>,
    /// Name the configuration file each checked file uses (on standard error).
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. relationship/undisclosed-connection.
    pub rule: String,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The language to explain in.
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
}

#[derive(Debug, Args)]
pub struct TestRulesArgs {
    /// Pack files to test (default: the built-in packs).
    #[arg(value_name = "PACK")]
    pub packs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing womlint.yaml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Which JSON Schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A rule pack (the built-in ones, `--pack FILE`, `extra_packs`).
    Pack,
    /// The configuration file, womlint.yaml.
    Config,
    /// The JSON report, `womlint check --format json`.
    Report,
    /// A baseline file, `womlint check --write-baseline FILE`.
    Baseline,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema to print; without one, the list of schemas.
    #[arg(value_enum)]
    pub kind: Option<SchemaKind>,
}

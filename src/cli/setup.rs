//! `womlint init`, `womlint completions SHELL` and `womlint schema [pack|config]`: setting a
//! project, a shell and an editor up.

use std::io::Write;

use clap::CommandFactory;

use super::ExitStatus;
use super::args::{Cli, CompletionsArgs, InitArgs, SchemaArgs, SchemaKind};
use super::output::{Existing, write_file};
use crate::config::{CONFIG_NAMES, STARTER};

/// The JSON Schema of a rule pack.
pub const PACK_SCHEMA: &str = include_str!("../../schemas/pack.schema.json");
/// The JSON Schema of `womlint.yaml`.
pub const CONFIG_SCHEMA: &str = include_str!("../../schemas/config.schema.json");

pub(super) fn init(args: &InitArgs) -> ExitStatus {
    let [name, hidden] = CONFIG_NAMES;
    let existing = if args.force { Existing::Replace } else { Existing::Keep };
    // Only ever the current folder: `init` never writes anywhere else.
    let written = write_file(std::path::Path::new(name), existing, |out| out.write_all(STARTER.as_bytes()));
    match written {
        Ok(()) => {
            stderr_line!("womlint: wrote {name}; `womlint check` will use it for the files under this folder");
            if std::path::Path::new(hidden).exists() {
                stderr_line!("warning: {hidden} is here too; {name} wins over it");
            }
            ExitStatus::Clean
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            stderr_line!("error: {name} already exists here; nothing was written (use --force to overwrite it)");
            ExitStatus::Error
        }
        Err(err) => {
            stderr_line!("error: cannot write {name}: {err}");
            ExitStatus::Error
        }
    }
}

pub(super) fn completions(args: &CompletionsArgs) -> ExitStatus {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "womlint", &mut out);
    write_stdout(&out)
}

pub(super) fn schema(args: &SchemaArgs) -> ExitStatus {
    let text = match args.kind {
        Some(SchemaKind::Pack) => PACK_SCHEMA,
        Some(SchemaKind::Config) => CONFIG_SCHEMA,
        None => {
            "pack    JSON Schema of a rule pack (womlint schema pack > womlint-pack.schema.json)\n\
             config  JSON Schema of womlint.yaml (womlint schema config > womlint.schema.json)\n"
        }
    };
    write_stdout(text.as_bytes())
}

/// Writes `bytes` to standard output; a closed pipe (`| head`) is not an error.
pub(super) fn write_stdout(bytes: &[u8]) -> ExitStatus {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitStatus::Clean,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Clean,
        Err(err) => {
            stderr_line!("error: cannot write to standard output: {err}");
            ExitStatus::Error
        }
    }
}

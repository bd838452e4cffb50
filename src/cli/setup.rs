//! `womlint init`, `womlint completions SHELL` and `womlint schema [pack|config|report]`: setting
//! a project, a shell and an editor up.

use std::io::Write;

use clap::CommandFactory;

use super::ExitStatus;
use super::args::{Cli, CompletionsArgs, InitArgs, SchemaArgs, SchemaKind};
use super::output::{Existing, write_file};
use crate::config::{CONFIG_NAMES, STARTER};
use crate::document::Lang;
use crate::lint::META_RULES;
use crate::rules::{PackError, Profile, RuleSetBuilder, builtin_sources_converted};

/// The JSON Schema of a rule pack.
pub const PACK_SCHEMA: &str = include_str!("../../schemas/pack.schema.json");

/// The JSON Schema of `womlint.yaml`, less what the packs give it: the built-in pack ids and
/// the rule ids (see [`config_schema`]).
const CONFIG_SCHEMA_TEMPLATE: &str = include_str!("config.schema.template.json");

/// The JSON Schema of `womlint.yaml`, with the built-in packs and every rule id of theirs and
/// of womlint's own, so that editors complete and check `packs:` and `rules:` keys. It is
/// generated from the packs, so a new rule is in it with nothing to write;
/// `schemas/config.schema.json` is this text (a test keeps it so).
pub fn config_schema() -> Result<String, Vec<PackError>> {
    let rules = RuleSetBuilder::with_sources(Profile::Union, builtin_sources_converted()).build()?;
    let described = |description: &str| serde_json::json!({ "description": description });
    let mut packs = serde_json::Map::new();
    let mut keys = serde_json::Map::new();
    for (principle, what) in [
        ("relationship", "Every rule of the principle: disclose every material connection."),
        ("opinion", "Every rule of the principle: no paid opinion presented as independent."),
        ("identity", "Every rule of the principle: never lie about who is speaking."),
        ("womlint", "Every rule of womlint's own (waivers, front matter)."),
    ] {
        keys.insert(principle.to_owned(), described(what));
    }
    for pack in &rules.packs {
        packs.insert(pack.id.clone(), serde_json::json!({ "type": "boolean", "description": pack.title }));
        keys.insert(pack.id.clone(), described(&format!("Every rule of the pack: {}", pack.title)));
    }
    for rule in &rules.rules {
        let description = format!("{} ({}, {} by default)", rule.message.get(Lang::En), rule.pack, rule.severity);
        keys.insert(rule.id.to_string(), described(&description));
    }
    for meta in META_RULES {
        keys.insert(
            meta.id.to_owned(),
            described(&format!("{} (womlint, {} by default)", meta.message.0, meta.severity)),
        );
    }
    let known: Vec<&String> = keys.keys().collect();
    let mut schema = CONFIG_SCHEMA_TEMPLATE.to_owned();
    for (placeholder, value) in [
        ("__PACK_PROPERTIES__", serde_json::to_value(&packs)),
        ("__RULE_PROPERTIES__", serde_json::to_value(&keys)),
        ("__KNOWN_RULES__", serde_json::to_value(&known)),
    ] {
        let text = value.and_then(|v| serde_json::to_string_pretty(&v)).unwrap_or_default();
        schema = fill(&schema, placeholder, &text);
    }
    Ok(schema)
}

/// `template` with the quoted `placeholder` replaced by `json`, indented like the line it is on.
fn fill(template: &str, placeholder: &str, json: &str) -> String {
    let quoted = format!("\"{placeholder}\"");
    let Some(at) = template.find(&quoted) else { return template.to_owned() };
    let line_start = template.get(..at).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1);
    let indent: String = template.get(line_start..at).unwrap_or_default().chars().take_while(|c| *c == ' ').collect();
    let indented = json.replace('\n', &format!("\n{indent}"));
    template.replacen(&quoted, &indented, 1)
}

/// The JSON Schema of the JSON report.
pub const REPORT_SCHEMA: &str = include_str!("../../schemas/report.schema.json");

/// The JSON Schema of a baseline file.
pub const BASELINE_SCHEMA: &str = include_str!("../../schemas/baseline.schema.json");

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
        Some(SchemaKind::Pack) => PACK_SCHEMA.to_owned(),
        Some(SchemaKind::Config) => match config_schema() {
            Ok(schema) => schema,
            Err(errors) => {
                super::errors::print_pack_errors(&errors, &builtin_sources_converted());
                return ExitStatus::Error;
            }
        },
        Some(SchemaKind::Report) => REPORT_SCHEMA.to_owned(),
        Some(SchemaKind::Baseline) => BASELINE_SCHEMA.to_owned(),
        None => "pack      JSON Schema of a rule pack (womlint schema pack > womlint-pack.schema.json)\n\
                 config    JSON Schema of womlint.yaml (womlint schema config > womlint.schema.json)\n\
                 report    JSON Schema of the JSON report (womlint check --format json)\n\
                 baseline  JSON Schema of a baseline file (womlint check --write-baseline FILE)\n"
            .to_owned(),
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

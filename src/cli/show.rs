//! `womlint check --show-files` (what a run would check) and `womlint check --show-settings
//! FILE` (the settings that apply to a file, and where each comes from), like ruff's.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::args::CheckArgs;
use super::check::{ReportFile, cli_excludes, select};
use super::{ExitStatus, cli_settings, compiled, config_source, current_dir, errors};
use crate::config::{self, ConfigFile, Discovery, Origin, RuleCache, Settings};
use crate::input::{self, EXTENSIONS, WalkOptions};
use crate::lint::META_RULES;
use crate::rules::Profile;

/// Prints the files `check` would check with these arguments, one per line, sorted.
pub(super) fn files(args: &CheckArgs) -> ExitStatus {
    let Some(cwd) = current_dir() else { return ExitStatus::Error };
    let mut discovery = Discovery::new(config_source(&args.rules), &cwd);
    let output = match args.output.as_deref().map(|path| ReportFile::new(&cwd, path)).transpose() {
        Ok(output) => output,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitStatus::Error;
        }
    };
    let paths: Vec<PathBuf> = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let options = walk_options(args);
    let mut shown = Vec::new();
    let mut failed = false;
    for path in &paths {
        if path.as_os_str() == "-" {
            shown.push(args.stdin_filename.clone().unwrap_or_else(|| "-".to_owned()));
        }
    }
    let walked: Vec<PathBuf> = paths.into_iter().filter(|p| p.as_os_str() != "-").collect();
    for item in input::Walk::new(&walked, &options) {
        match item {
            Ok(candidate) => {
                if select(&cwd, &mut discovery, args, output.as_ref(), &candidate).is_some() {
                    shown.push(candidate.display);
                }
            }
            Err(err) => {
                eprintln!("error: {err}");
                failed = true;
            }
        }
    }
    if !discovery.errors().is_empty() {
        errors::print_config_errors(discovery.errors());
        return ExitStatus::Error;
    }
    shown.sort();
    let mut out = String::new();
    for path in &shown {
        let _ = writeln!(out, "{path}");
    }
    print!("{out}");
    eprintln!("womlint: {} file(s) would be checked", shown.len());
    if failed { ExitStatus::Error } else { ExitStatus::Clean }
}

/// The walk's options from the command line.
pub(super) fn walk_options(args: &CheckArgs) -> WalkOptions {
    WalkOptions {
        exclude: args.exclude.clone(),
        include: Vec::new(),
        force_exclude: args.force_exclude,
        no_ignore: args.no_ignore,
    }
}

/// Prints the settings that apply to `file` and where each comes from: the configuration
/// file, one of its `overrides`, a command-line flag or the default.
pub(super) fn settings(args: &CheckArgs, file: &Path) -> ExitStatus {
    let Some(cwd) = current_dir() else { return ExitStatus::Error };
    let mut cli = cli_settings(&args.rules, &cwd);
    cli.fail_on = args.fail_on.map(Into::into);
    let mut discovery = Discovery::new(config_source(&args.rules), &cwd);
    let absolute = config::absolute(&cwd, file);
    let found = discovery.for_file(&absolute);
    if !discovery.errors().is_empty() {
        errors::print_config_errors(discovery.errors());
        return ExitStatus::Error;
    }
    let resolved = config::resolve(found.as_deref(), Some(&absolute), &cli);
    let mut cache = RuleCache::for_checks(&cwd);
    let Some(index) = compiled(&mut cache, &resolved.settings) else { return ExitStatus::Error };
    // The same packs with no rule switched or set: every rule at its own severity.
    let plain = Settings {
        profile: resolved.settings.profile,
        extra_packs: resolved.settings.extra_packs.clone(),
        ..Settings::default()
    };
    let Some(all) = compiled(&mut cache, &plain) else { return ExitStatus::Error };
    if let Some(config) = &found {
        let unknown = config.unknown_rules(|key| cache.knows(key), |key| cache.closest(key));
        if !unknown.is_empty() {
            errors::print_config_errors(&unknown);
            return ExitStatus::Error;
        }
    }
    let (Some(compiled), Some(all)) = (cache.set(index), cache.set(all)) else { return ExitStatus::Error };
    let config = found.as_deref();
    let origin = |origin: Origin| describe(origin, config);
    let (settings, origins, defaults) = (&resolved.settings, &resolved.origins, &resolved.defaults);

    let mut out = String::new();
    let shown = input::display_path(file);
    let exists = if absolute.is_file() { "" } else { " (no such file yet)" };
    let _ = writeln!(out, "Settings for {shown}{exists}\n");
    let source = match (&config_source(&args.rules), config) {
        (config::ConfigSource::Ignore, _) => "none (--no-config)".to_owned(),
        (config::ConfigSource::File(_), Some(c)) => format!("{} (--config)", c.display),
        (_, Some(c)) => format!("{} (the nearest to the file)", c.display),
        (_, None) => "none found in the file's folder or above it".to_owned(),
    };
    let mut rows = vec![("configuration".to_owned(), source, String::new())];
    let profile = match settings.profile {
        Profile::Union => "none (any market's labels count)".to_owned(),
        Profile::Market(market) => market.as_str().to_owned(),
        Profile::Strict => "strict (only labels every market accepts)".to_owned(),
    };
    rows.push(("jurisdiction".to_owned(), profile, origin(origins.profile)));
    let on: Vec<&str> = compiled
        .rules
        .packs
        .iter()
        .filter(|p| !settings.disabled_packs.contains(&p.id))
        .map(|p| p.id.as_str())
        .collect();
    let mut packs = on.join(", ");
    if !settings.disabled_packs.is_empty() {
        let _ = write!(packs, "; off: {}", settings.disabled_packs.join(", "));
    }
    rows.push(("packs".to_owned(), packs, origin(origins.packs)));
    for (path, from) in settings.extra_packs.iter().zip(&origins.extra_packs) {
        rows.push(("extra pack".to_owned(), config::display_relative(&cwd, path), origin(*from)));
    }
    rows.push(("fail_on".to_owned(), settings.fail_on.to_string(), origin(origins.fail_on)));
    let lang = defaults.lang.map_or("the front matter's, else the words'", |l| l.code());
    rows.push(("lang".to_owned(), lang.to_owned(), origin(origins.lang)));
    let platform = defaults.platform.as_deref().unwrap_or("the front matter's, if any");
    rows.push(("platform".to_owned(), platform.to_owned(), origin(origins.platform)));
    rows.push(("checked".to_owned(), selection(args, config, &absolute), String::new()));
    table(&mut out, &rows);

    let _ = writeln!(out, "\nRules (severity, and what sets it)\n");
    let mut rules = Vec::new();
    for rule in &all.rules.rules {
        let active = compiled.rules.rules.iter().find(|r| r.id == rule.id);
        let severity = active.map_or_else(|| "off".to_owned(), |r| r.severity.to_string());
        let key = [&*rule.id, rule.principle.as_str(), rule.pack.as_str()]
            .into_iter()
            .find(|key| settings.rules.contains_key(*key));
        let why = if settings.disabled_packs.contains(&rule.pack) {
            format!("packs: {}: false, {}", rule.pack, origin(origins.packs))
        } else if let Some(key) = key {
            format!("rules: {key}, {}", origin(origins.rules.get(key).copied().unwrap_or_default()))
        } else {
            format!("default ({})", rule.pack)
        };
        let runs = if settings.profile.runs(&rule.markets) {
            String::new()
        } else {
            let markets: Vec<&str> = rule.markets.iter().map(|m| m.as_str()).collect();
            format!("; runs only with --jurisdiction {}", markets.join("|"))
        };
        rules.push((rule.id.to_string(), severity, format!("{why}{runs}")));
    }
    for meta in META_RULES {
        let severity = match settings.setting_for(meta.id, "womlint") {
            Some(config::RuleSetting::Off) => "off".to_owned(),
            Some(config::RuleSetting::Severity(severity)) => severity.to_string(),
            None => meta.severity.to_string(),
        };
        let why = match [meta.id, "womlint"].into_iter().find(|key| settings.rules.contains_key(*key)) {
            Some(key) => format!("rules: {key}, {}", origin(origins.rules.get(key).copied().unwrap_or_default())),
            None => "default (womlint)".to_owned(),
        };
        rules.push((meta.id.to_owned(), severity, why));
    }
    table(&mut out, &rules);
    print!("{out}");
    ExitStatus::Clean
}

/// Where a setting comes from, in words.
fn describe(origin: Origin, config: Option<&ConfigFile>) -> String {
    let file = config.map_or("the configuration", |c| c.display.as_str());
    match origin {
        Origin::Default => "default".to_owned(),
        Origin::Config => file.to_owned(),
        Origin::Override(index) => {
            let files =
                config.and_then(|c| c.overrides.get(index)).map(|o| o.files.patterns.join(", ")).unwrap_or_default();
            format!("{file}, overrides[{index}] (files: {files})")
        }
        Origin::CommandLine(flag) => flag.to_owned(),
    }
}

/// Whether a walk picks the file up, and whether it is checked when named.
fn selection(args: &CheckArgs, config: Option<&ConfigFile>, file: &Path) -> String {
    let kind = file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let checked_kind = kind.as_deref().is_some_and(|e| EXTENSIONS.contains(&e));
    let by_config = config.filter(|c| config::excluded_by(c, file)).map(|c| format!("{}'s include/exclude", c.display));
    let by_flag = cli_excludes(&args.exclude, file).then(|| "--exclude".to_owned());
    let left_out = by_config.or(by_flag);
    match (checked_kind, left_out) {
        (true, None) => "yes, by a folder walk (unless .gitignore or .ignore leave it out) or named".to_owned(),
        (false, None) => "only when named: a folder walk checks .md, .markdown, .txt and .text files".to_owned(),
        (_, Some(by)) if args.force_exclude => format!("no: {by} leaves it out, named or not (--force-exclude)"),
        (_, Some(by)) => format!("only when named: {by} leaves it out of a folder walk"),
    }
}

/// Rows of three columns, the first two padded.
fn table(out: &mut String, rows: &[(String, String, String)]) {
    let first = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let second = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0).min(40);
    for (a, b, c) in rows {
        let line =
            if c.is_empty() { format!("  {a:<first$}  {b}") } else { format!("  {a:<first$}  {b:<second$}  {c}") };
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

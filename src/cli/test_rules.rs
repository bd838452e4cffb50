//! `womlint test-rules [PACK]...`: runs the examples of rule packs.

use std::fmt::Write as _;

use super::args::TestRulesArgs;
use super::info::write_text;
use super::{ExitStatus, load_rules};
use crate::config::{BUILTIN_PACK_IDS, Settings};
use crate::lint::run_examples;

pub(super) fn run(args: &TestRulesArgs) -> ExitStatus {
    let settings = Settings { extra_packs: args.packs.clone(), ..Settings::default() };
    let Some(compiled) = load_rules(&settings) else {
        return ExitStatus::Error;
    };
    let (builder, rules) = (&compiled.builder, &compiled.rules);
    // With pack files given, only their rules are tested (they may use the built-in vocab).
    let packs: Vec<String> = if args.packs.is_empty() {
        Vec::new()
    } else {
        rules.packs.iter().filter(|p| !p.builtin).map(|p| p.id.clone()).collect()
    };
    for pack in rules.packs.iter().filter(|p| !p.builtin && BUILTIN_PACK_IDS.contains(&p.id.as_str())) {
        eprintln!("womlint: {} is tested in the place of the built-in pack `{}`", pack.path, pack.id);
    }
    let report = match run_examples(builder, rules, &packs) {
        Ok(report) => report,
        Err(errors) => {
            super::errors::print_pack_errors(&errors, builder.sources());
            return ExitStatus::Error;
        }
    };
    let mut out = String::new();
    for failure in &report.failures {
        let kind = if failure.must_flag { "flag" } else { "pass" };
        let _ = writeln!(
            out,
            "FAIL {} ({}:{}) {kind} example {}\n     {}",
            failure.rule,
            crate::escape::path(&failure.pack),
            failure.line,
            failure.problem,
            crate::escape::text(&failure.text)
        );
    }
    let rule_count = rules.rules.iter().filter(|r| packs.is_empty() || packs.contains(&r.pack)).count();
    let _ = writeln!(out, "{} passed, {} failed", report.passed, report.failures.len());
    let written = write_text(&out);
    stderr_line!("womlint: {rule_count} rule(s), {} example(s)", report.passed + report.failures.len());
    match written {
        ExitStatus::Clean if !report.failures.is_empty() => ExitStatus::Findings,
        other => other,
    }
}

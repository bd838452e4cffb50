//! `womlint test-rules [PACK]...`: runs the examples of rule packs.

use super::args::TestRulesArgs;
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
    for failure in &report.failures {
        let kind = if failure.must_flag { "flag" } else { "pass" };
        println!(
            "FAIL {} ({}:{}) {kind} example {}\n     {}",
            failure.rule,
            failure.pack,
            failure.line,
            failure.problem,
            failure.text.replace('\n', "\\n")
        );
    }
    let rule_count = rules.rules.iter().filter(|r| packs.is_empty() || packs.contains(&r.pack)).count();
    println!("{} passed, {} failed", report.passed, report.failures.len());
    eprintln!("womlint: {rule_count} rule(s), {} example(s)", report.passed + report.failures.len());
    if report.failures.is_empty() { ExitStatus::Clean } else { ExitStatus::Findings }
}

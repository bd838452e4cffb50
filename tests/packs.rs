//! The built-in packs: every example runs, and every rule carries what a user needs to act on
//! it (messages and help in English and Italian, references with section numbers, enough
//! examples in each language it covers).

use std::sync::LazyLock;

use womlint::lint::run_examples;
use womlint::rules::{Market, Profile, Rule, RuleSet, RuleSetBuilder, builtin_sources};

static BUILDER: LazyLock<RuleSetBuilder> =
    LazyLock::new(|| RuleSetBuilder::with_sources(Profile::Union, builtin_sources()));

static RULES: LazyLock<RuleSet> = LazyLock::new(|| match BUILDER.build() {
    Ok(rules) => rules,
    Err(errors) => panic!("the built-in packs do not compile: {errors:#?}"),
});

#[test]
fn the_five_packs_are_built_in() {
    let ids: Vec<&str> = RULES.packs.iter().map(|p| p.id.as_str()).collect();
    for id in ["womma", "us-ftc", "it-iap", "uk-cma-asa", "eu-ucpd"] {
        assert!(ids.contains(&id), "pack {id} missing from {ids:?}");
    }
    assert!(RULES.rules.len() >= 25, "only {} rules", RULES.rules.len());
}

#[test]
fn every_example_of_every_builtin_rule_passes() {
    let report = run_examples(&BUILDER, &RULES, &[]).expect("profiles compile");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{} ({}:{}): {} — {:?}", f.rule, f.pack, f.line, f.problem, f.text))
        .collect();
    assert!(failures.is_empty(), "{} example(s) failed:\n{}", failures.len(), failures.join("\n"));
    assert!(report.passed >= 4 * RULES.rules.len(), "only {} examples ran", report.passed);
}

#[test]
fn every_fix_of_every_builtin_rule_repairs_its_examples() {
    let report = run_examples(&BUILDER, &RULES, &[]).expect("profiles compile");
    let with_fix: Vec<&Rule> = RULES.rules.iter().filter(|r| r.fix.is_some()).collect();
    let flagged: usize = with_fix.iter().map(|r| r.examples.iter().filter(|e| e.must_flag).count()).sum();
    assert!(with_fix.len() >= 15, "only {} rules offer a fix", with_fix.len());
    // Each flagged example of a rule with a fix was fixed and then passed the rule.
    assert_eq!(report.fixed, flagged, "failures: {:#?}", report.failures);
}

#[test]
fn every_market_profile_compiles() {
    for profile in [
        Profile::Strict,
        Profile::Market(Market::Us),
        Profile::Market(Market::Uk),
        Profile::Market(Market::It),
        Profile::Market(Market::Eu),
    ] {
        if let Err(errors) = BUILDER.clone_with_profile(profile).build() {
            panic!("{profile:?}: {errors:#?}");
        }
    }
}

/// The languages a rule covers: markets of one language narrow it, otherwise both.
fn languages(rule: &Rule) -> Vec<&'static str> {
    let english = rule.markets.iter().any(|m| matches!(m, Market::Us | Market::Uk));
    let italian = rule.markets.contains(&Market::It);
    match (english, italian) {
        (true, false) => vec!["en"],
        (false, true) => vec!["it"],
        _ => vec!["en", "it"],
    }
}

#[test]
fn every_rule_has_bilingual_text_references_and_examples() {
    let mut problems = Vec::new();
    for rule in &RULES.rules {
        for (what, text) in [("message", &rule.message), ("help", &rule.help)] {
            if text.en.as_deref().is_none_or(str::is_empty) || text.it.as_deref().is_none_or(str::is_empty) {
                problems.push(format!("{}: {what} needs both en and it", rule.id));
            }
        }
        if rule.references.is_empty() {
            problems.push(format!("{}: no references", rule.id));
        }
        if !rule.references.iter().any(|r| r.cite.chars().any(|c| c.is_ascii_digit())) {
            problems.push(format!("{}: no reference with a section number", rule.id));
        }
        for lang in languages(rule) {
            let of_lang = |flag: bool| {
                rule.examples
                    .iter()
                    .filter(|e| e.must_flag == flag)
                    .filter(|e| e.lang.map_or("en", |l| l.code()) == lang)
                    .count()
            };
            if of_lang(true) < 2 || of_lang(false) < 2 {
                problems.push(format!(
                    "{}: needs 2 flag and 2 pass examples in {lang} (has {} and {})",
                    rule.id,
                    of_lang(true),
                    of_lang(false)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn builtin_patterns_leave_word_boundaries_to_the_engine() {
    // Unicode `\b` with case-insensitive matching is 30-40 times slower on accented text; the
    // engine checks boundaries itself.
    for source in builtin_sources() {
        for (number, line) in source.text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            let code = line.split(" #").next().unwrap_or(line);
            assert!(!code.contains(r"\b"), "{}:{}: `\\b` in a pattern: {line}", source.name, number + 1);
        }
    }
}

#[test]
fn the_prefilter_is_active_for_the_builtin_packs() {
    assert!(RULES.prefilter().is_active(), "prefilter off: {:?}", RULES.prefilter().disabled_by);
    let note = "Rain tomorrow, sun on Sunday.";
    assert!(!RULES.prefilter().may_match(note), "{:?} lets the note through", RULES.prefilter().first_hit(note));
}

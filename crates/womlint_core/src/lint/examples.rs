//! Running the `examples` of rules: the same code serves `womlint test-rules` and the tests.

use std::collections::HashMap;

use crate::document::Document;
use crate::lint::lint;
use crate::rules::{PackError, Profile, RuleSet, RuleSetBuilder};

/// An example that did not do what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub pack: String,
    /// 1-based line of the example in its pack.
    pub line: usize,
    pub must_flag: bool,
    pub text: String,
    pub problem: String,
}

/// The outcome of running examples.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExampleReport {
    pub passed: usize,
    pub failures: Vec<ExampleFailure>,
}

/// Runs every example of the rules of `packs` (pack ids; all packs when empty), compiling the
/// rule set again for examples that ask for another profile.
pub fn run_examples(
    builder: &RuleSetBuilder,
    default: &RuleSet,
    packs: &[String],
) -> Result<ExampleReport, Vec<PackError>> {
    let mut by_profile: HashMap<Profile, RuleSet> = HashMap::new();
    let mut report = ExampleReport::default();
    for rule in &default.rules {
        if !packs.is_empty() && !packs.contains(&rule.pack) {
            continue;
        }
        for example in &rule.examples {
            let profile = example.profile.unwrap_or(default.profile);
            let rules = if profile == default.profile {
                default
            } else {
                if let std::collections::hash_map::Entry::Vacant(e) = by_profile.entry(profile) {
                    e.insert(builder.clone_with_profile(profile).build()?);
                }
                match by_profile.get(&profile) {
                    Some(rules) => rules,
                    None => continue,
                }
            };
            let doc = Document::parse("example.md", example.text.as_str());
            let findings: Vec<_> = lint(&doc, rules).into_iter().filter(|f| f.rule == rule.id).collect();
            let spans: Vec<&str> = findings.iter().filter_map(|f| doc.text.get(f.span().range())).collect();
            let problem = match (example.must_flag, findings.is_empty()) {
                (true, true) => Some("was not flagged".to_owned()),
                (false, false) => Some(format!("was flagged at {}", quote_all(&spans))),
                (true, false) => match &example.span {
                    Some(expected) if !spans.iter().any(|s| s == expected) => {
                        Some(format!("was flagged at {} instead of \"{expected}\"", quote_all(&spans)))
                    }
                    _ => None,
                },
                (false, true) => None,
            };
            match problem {
                None => report.passed += 1,
                Some(problem) => report.failures.push(ExampleFailure {
                    rule: rule.id.to_string(),
                    pack: rule.pack.clone(),
                    line: example.line,
                    must_flag: example.must_flag,
                    text: example.text.clone(),
                    problem,
                }),
            }
        }
    }
    Ok(report)
}

fn quote_all(spans: &[&str]) -> String {
    spans.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

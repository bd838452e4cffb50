//! Running the `examples` of rules: the same code serves `womlint test-rules` and the tests.

use std::collections::HashMap;

use crate::document::Document;
use crate::fix::{FixMode, fix_text};
use crate::lint::lint;
use crate::rules::{Applicability, PackError, Profile, RuleSet, RuleSetBuilder};

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
    /// Examples that were flagged, fixed by their rule's fix, and pass it once fixed.
    pub fixed: usize,
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
            let problem = problem.or_else(|| {
                let fix = rule.fix.filter(|_| example.must_flag)?;
                let problem = fix_problem(&example.text, rules, &rule.id, fix.kind.as_str());
                if problem.is_none() {
                    report.fixed += 1;
                }
                problem
            });
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

/// Why the rule's fix does not repair `text`, if it does not: applied alone (the other rules'
/// fixes left out, their findings still watched for new ones), the text must then pass the
/// rule.
fn fix_problem(text: &str, rules: &RuleSet, rule: &str, kind: &str) -> Option<String> {
    let check = |text: &str| {
        let doc = Document::parse("example.md", text);
        let mut findings = lint(&doc, rules);
        for finding in &mut findings {
            if *finding.rule != *rule {
                finding.fix = None;
            }
        }
        findings
    };
    let fixed = fix_text(text, FixMode { up_to: Applicability::Unsafe }, &check);
    if fixed.applied == 0 {
        return Some(format!("its fix ({kind}) was not applied"));
    }
    let left: Vec<_> = fixed.checked.iter().filter(|f| *f.rule == *rule).collect();
    (!left.is_empty()).then(|| format!("is still flagged after its fix ({kind}): {:?}", fixed.text))
}

fn quote_all(spans: &[&str]) -> String {
    spans.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

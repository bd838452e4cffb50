//! `--format sarif`: SARIF 2.1.0 for code scanning, written by hand (a hundred lines of serde
//! structs beat a generated crate), with rule metadata, help, references and fingerprints that
//! survive edits elsewhere in the file.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use super::{FileReport, Report};
use crate::document::Lang;
use crate::finding::Fix;
use crate::lint::META_RULES;
use crate::rules::{Reference, RuleSet, Severity};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: Value,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rules_of(rules: &RuleSet) -> Vec<SarifRule> {
    let mut out: Vec<SarifRule> = rules
        .rules
        .iter()
        .map(|rule| {
            let message = rule.message.get(Lang::En).to_owned();
            let help = rule.help.get(Lang::En).to_owned();
            let refs: Vec<String> = rule.references.iter().map(Reference::to_string).collect();
            let markdown_refs: String = rule
                .references
                .iter()
                .map(|r| match &r.url {
                    Some(url) => format!("\n- [{r}]({url})"),
                    None => format!("\n- {r}"),
                })
                .collect();
            SarifRule {
                id: rule.id.to_string(),
                name: rule.id.rsplit('/').next().unwrap_or(&rule.id).to_owned(),
                short_description: Text { text: message.clone() },
                full_description: Text { text: format!("{message}. {help}") },
                help: Help {
                    text: if refs.is_empty() {
                        help.clone()
                    } else {
                        format!("{help}\nReferences: {}", refs.join("; "))
                    },
                    markdown: if markdown_refs.is_empty() {
                        help.clone()
                    } else {
                        format!("{help}\n\n**References**{markdown_refs}")
                    },
                },
                help_uri: rule.references.iter().find_map(|r| r.url.clone()),
                default_configuration: Configuration { level: level(rule.severity) },
                properties: json!({
                    "principle": rule.principle.as_str(),
                    "pack": rule.pack,
                    "references": refs,
                    "tags": ["womma", rule.principle.as_str()],
                }),
            }
        })
        .collect();
    for meta in META_RULES {
        out.push(SarifRule {
            id: meta.id.to_owned(),
            name: meta.id.rsplit('/').next().unwrap_or(meta.id).to_owned(),
            short_description: Text { text: meta.message.0.to_owned() },
            full_description: Text { text: format!("{}. {}", meta.message.0, meta.help.0) },
            help: Help { text: meta.help.0.to_owned(), markdown: meta.help.0.to_owned() },
            help_uri: None,
            default_configuration: Configuration { level: level(meta.severity) },
            properties: json!({ "principle": "womlint", "tags": ["womlint"] }),
        });
    }
    out
}

/// The log. Its results are serialized file by file as the report is written, so a run over
/// a large archive never holds them all as JSON values. The fields are in the order in which
/// serde_json writes the keys of a map (sorted), like every object inside.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
struct Run<'a> {
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    invocations: Value,
    results: Results<'a>,
    tool: Value,
}

/// The results of every file, made one file at a time.
struct Results<'a> {
    report: &'a Report,
    /// Each rule's index in the driver's rules.
    index: &'a HashMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.report.files.iter().flat_map(|file| file_results(file, self.index)))
    }
}

/// The results of one file. A fingerprint is the baseline's (see [`crate::baseline`]): it
/// survives lines added above and edits elsewhere in the file.
fn file_results(file: &FileReport, index: &HashMap<&str, usize>) -> Vec<Value> {
    let fingerprints = crate::baseline::fingerprints(&file.path, &file.findings);
    let mut results = Vec::with_capacity(file.findings.len());
    for (l, fingerprint) in file.findings.iter().zip(fingerprints) {
        let f = &l.finding;
        let mut result = json!({
            "ruleId": f.rule,
            "level": level(f.severity),
            "message": { "text": if f.help.is_empty() { f.message.to_string() } else { format!("{}. {}", f.message, f.help) } },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&file.path) },
                    "region": {
                        "startLine": l.start.line,
                        "startColumn": l.start.column.max(1),
                        "endLine": l.end.line,
                        "endColumn": l.end.column.max(1),
                    }
                }
            }],
            "partialFingerprints": { "womlint/v1": fingerprint },
            "properties": { "principle": f.principle.as_str() },
        });
        if let (Some(i), Some(obj)) = (index.get(&*f.rule), result.as_object_mut()) {
            obj.insert("ruleIndex".to_owned(), json!(i));
        }
        if let (Some(fix), Some(obj)) = (&f.fix, result.as_object_mut()) {
            obj.insert("fixes".to_owned(), sarif_fix(&file.path, fix));
        }
        results.push(result);
    }
    results
}

/// A fix as SARIF's `fixes`: byte regions of the file replaced by new text.
fn sarif_fix(path: &str, fix: &Fix) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": { "byteOffset": e.span.start, "byteLength": e.span.len() },
                "insertedContent": { "text": e.replacement },
            })
        })
        .collect();
    json!([{
        "description": { "text": fix.description },
        "artifactChanges": [{ "artifactLocation": { "uri": uri(path) }, "replacements": replacements }],
        "properties": { "applicability": fix.applicability.as_str() },
    }])
}

pub(super) fn render(report: &Report, rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    let sarif_rules = rules_of(rules);
    let index: HashMap<&str, usize> = sarif_rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let notifications: Vec<Value> =
        report.errors.iter().map(|e| json!({ "level": "error", "message": { "text": e.to_string() } })).collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: json!([{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }]),
            results: Results { report, index: &index },
            tool: json!({ "driver": {
                "name": "womlint",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/womlint/womlint",
                "rules": sarif_rules,
            }}),
        }],
        version: "2.1.0",
    };
    super::write_json(out, &log)
}

/// A relative URI reference for a path: unreserved characters and `/` kept, the rest escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_spaces_and_accents() {
        assert_eq!(uri("caffè e città/post (1).md"), "caff%C3%A8%20e%20citt%C3%A0/post%20%281%29.md");
    }
}

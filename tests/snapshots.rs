//! Snapshots of the rendered output (human without colour at 80 columns, and JSON) for the
//! fixtures in tests/fixtures/snapshots, with the built-in packs. A change to the renderer, a
//! message or a span shows up here as a diff to review (`cargo insta review`).

use std::sync::{Arc, LazyLock};

use womlint::document::Document;
use womlint::finding::Finding;
use womlint::lint::{Directive, WaiverRules, apply_waivers, lint, parse_directives};
use womlint::report::{
    Audit, FileReport, Format, HumanStyle, PackRecord, Report, applied_waivers, render, render_findings, sha256_hex,
};
use womlint::rules::{Profile, RuleSet, RuleSetBuilder, builtin_sources};

static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().expect("the built-in packs compile")
});

/// A document, its waivers and its findings once they are applied.
fn checked(name: &str, text: &Arc<str>) -> (Document, Vec<Directive>, Vec<Finding>) {
    let doc = Document::parse(name, Arc::clone(text));
    let directives = parse_directives(&doc);
    let waivers = WaiverRules { ids: RULES.rules.iter().map(|r| &*r.id).collect(), inactive: &|_| false };
    let findings = apply_waivers(&doc, lint(&doc, &RULES), &directives, &waivers);
    (doc, directives, findings)
}

fn file_report(name: &str, text: &Arc<str>) -> FileReport {
    let (doc, _, findings) = checked(name, text);
    FileReport::new(name, &doc, findings)
}

#[test]
fn rendered_findings() {
    insta::glob!("fixtures/snapshots/*.*", |path| {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a file name").to_owned();
        let text: Arc<str> = Arc::from(std::fs::read_to_string(path).expect("a UTF-8 fixture"));
        let file = file_report(&name, &text);
        let human = render_findings(&name, &text, &file.findings, &RULES, HumanStyle::PLAIN);
        let report = Report { files: vec![file], errors: Vec::new(), files_checked: 1, audit: None };
        let mut json = Vec::new();
        render(Format::Json, &report, &RULES, &mut json).expect("JSON renders");
        let json = String::from_utf8(json).expect("UTF-8 JSON");
        insta::assert_snapshot!(format!("{human}\n---- json ----\n{json}"));
    });
}

/// One report over every fixture, as HTML (the page's body: its style and script are files of
/// their own, src/report/assets) and as the Markdown summary, with the audit trail a run makes.
#[test]
fn rendered_reports() {
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/snapshots"))
        .expect("the fixtures")
        .map(|e| e.expect("an entry").path())
        .collect();
    paths.sort();
    let mut report = Report::default();
    let mut waivers = Vec::new();
    for path in paths {
        let name = format!("campaign/{}", path.file_name().and_then(|n| n.to_str()).expect("a file name"));
        let text: Arc<str> = Arc::from(std::fs::read_to_string(&path).expect("a UTF-8 fixture"));
        let (doc, directives, findings) = checked(&name, &text);
        waivers.extend(applied_waivers(&name, &doc.text, doc.lines(), &directives, &findings, &|_| false));
        let mut file = FileReport::new(&name, &doc, findings);
        file.keep_context(&doc.text, doc.lines());
        report.files.push(file);
        report.files_checked += 1;
    }
    assert!(!waivers.is_empty(), "a fixture has waivers that waive something");
    report.audit = Some(Audit {
        womlint_version: "0.0.0-snapshot".to_owned(),
        jurisdictions: vec!["any".to_owned()],
        config_files: vec!["womlint.yaml".to_owned()],
        // A digest of the id, not of the pack: editing a pack's comments changes no snapshot.
        packs: RULES
            .packs
            .iter()
            .map(|p| PackRecord {
                id: p.id.clone(),
                title: p.title.clone(),
                source: "built-in".to_owned(),
                version: Some("0.0.0-snapshot".to_owned()),
                sha256: sha256_hex(p.id.as_bytes()),
                enabled: true,
            })
            .collect(),
        waivers,
    });
    let rendered = |format: Format| {
        let mut out = Vec::new();
        render(format, &report, &RULES, &mut out).expect("the report renders");
        String::from_utf8(out).expect("UTF-8")
    };
    let html = rendered(Format::Html);
    let body = html.split_once("<body>").and_then(|(_, rest)| rest.rsplit_once("<script>")).map(|(body, _)| body);
    insta::assert_snapshot!("html", body.expect("a body and a script"));
    insta::assert_snapshot!("markdown", rendered(Format::Markdown));
}

//! Snapshots of the rendered output (human without colour at 80 columns, and JSON) for the
//! fixtures in tests/fixtures/snapshots, with the built-in packs. A change to the renderer, a
//! message or a span shows up here as a diff to review (`cargo insta review`).

use std::sync::{Arc, LazyLock};

use womlint::document::Document;
use womlint::lint::{apply_waivers, lint, parse_directives};
use womlint::report::{FileReport, Format, HumanStyle, Report, render, render_findings};
use womlint::rules::{Profile, RuleSet, RuleSetBuilder, builtin_sources};

static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().expect("the built-in packs compile")
});

fn file_report(name: &str, text: &Arc<str>) -> FileReport {
    let doc = Document::parse(name, Arc::clone(text));
    let findings = apply_waivers(&doc, lint(&doc, &RULES), &parse_directives(&doc), &|_| false);
    FileReport::new(name, text, &doc.lines, findings)
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

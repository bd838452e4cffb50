//! The engine of womlint, an ethics-compliance linter for marketing copy: everything that
//! checks copy, and nothing of a front end (the command line in the `womlint` package, the
//! language server in `womlint_server`, which both depend on this crate).
//!
//! The data flows one way:
//!
//! ```text
//! paths ──input::walk──▶ Input ──document::Document::parse──▶ Document
//!        ──lint::lint(RuleSet)──▶ Vec<Finding> ──pipeline──▶ report::FileReport
//! ```
//!
//! Dependency direction: `pipeline → {config, report} → lint → {rules, document} → span`,
//! with `fix` (applying the edits that findings carry) beside `pipeline`, `config` reading
//! its files through `input`, and `escape` (what may be printed) below
//! them all. `pipeline` is one text through the whole check, shared by the command line, the
//! language server and the fuzz targets. `report` is what the check of one file reports
//! (findings located in lines and columns, their context, the waivers used), plain data that
//! the command line renders. Lower layers never import higher ones; this crate knows neither
//! clap nor miette; only `input` knows `ignore`; only `rules::pack`, `config` and
//! `document::front_matter` know the YAML crate.

pub mod config;
pub mod document;
pub mod escape;
pub mod finding;
pub mod fix;
pub mod input;
pub mod lint;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod span;
pub mod suggest;

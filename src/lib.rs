//! womlint: an ethics-compliance linter for marketing copy.
//!
//! The data flows one way:
//!
//! ```text
//! paths ──input::walk──▶ Input ──document::Document::parse──▶ Document
//!        ──lint::lint(RuleSet)──▶ Vec<Finding> ──report::render──▶ human | json | sarif | github | compact
//! ```
//!
//! Dependency direction: `cli → pipeline → {config, input, report} → lint → {rules, document}
//! → span`, with `escape` (what may be printed) below them all. `pipeline` is one text
//! through the whole check, shared by the command line and the fuzz targets. `server` (the
//! language server) sits beside `cli`: it uses the engine (`config`, `document`, `lint`,
//! `rules`, `finding`, `span`) and nothing of the command line, which only starts it.
//! Lower layers never import higher ones; only `report` and `cli` know miette's rendering and
//! clap; only `input` knows `ignore`; only `rules::pack`, `config` and
//! `document::front_matter` know the YAML crate.

pub mod baseline;
pub mod cli;
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
pub mod server;
pub mod span;
pub mod suggest;

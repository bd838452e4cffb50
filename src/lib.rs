//! womlint: an ethics-compliance linter for marketing copy. This package is its command line.
//!
//! The data flows one way:
//!
//! ```text
//! paths ──input::walk──▶ Input ──document::Document::parse──▶ Document
//!        ──lint::lint(RuleSet)──▶ Vec<Finding> ──report::render──▶ human | json | sarif | github | compact
//! ```
//!
//! The engine is the `womlint_core` crate (configuration, documents, rules, the check of one
//! text, the walk); the language server is `womlint_server`, which depends on the engine
//! only. This package adds the command line (`cli`: clap, the run over many files), the
//! renderers (`report`: miette's human format, JSON, SARIF, HTML, Markdown and the rest) and
//! the baselines of a run (`baseline`), and `womlint server` starts the language server. The engine's modules are re-exported here
//! under their own names, so `womlint::rules` is `womlint_core::rules`.
//!
//! Dependency direction: `cli → {report, womlint_server} → womlint_core`. Only `report` and
//! `cli` know miette's rendering and clap.

pub mod baseline;
pub mod cli;
pub mod report;

pub use womlint_core::{config, document, escape, finding, fix, input, lint, pipeline, rules, span, suggest};

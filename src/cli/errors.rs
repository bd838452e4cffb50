//! Errors shown to the user as miette diagnostics: rule packs and configuration files.

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};

use crate::config::ConfigError;
use crate::report::render_error;
use crate::rules::{PackError, PackSource};

/// A problem in a YAML file (a rule pack or a configuration file), pointing at its line.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct YamlDiagnostic {
    /// `womlint::invalid_pack` or `womlint::invalid_config`.
    pub code: &'static str,
    pub message: String,
    pub source_code: NamedSource<String>,
    pub span: Option<SourceSpan>,
    pub help: Option<String>,
}

impl Diagnostic for YamlDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source_code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some("here".to_owned()), span))))
    }
}

impl YamlDiagnostic {
    pub fn pack(error: &PackError, source: Option<&PackSource>) -> Self {
        let text = source.map(|s| s.text.clone()).unwrap_or_default();
        YamlDiagnostic {
            code: "womlint::invalid_pack",
            message: format!("{}: {}", error.pack, error.message),
            source_code: NamedSource::new(&error.pack, text),
            span: error.span.map(|s| SourceSpan::from(s.start..s.end)),
            help: error.help.clone(),
        }
    }

    pub fn config(error: &ConfigError) -> Self {
        YamlDiagnostic {
            code: "womlint::invalid_config",
            message: format!("{}: {}", error.path, error.message),
            source_code: NamedSource::new(&error.path, error.text.clone()),
            span: error.span.map(|s| SourceSpan::from(s.start..s.end)),
            help: error.help.clone(),
        }
    }
}

/// Prints every pack error with the YAML line it points at.
pub(crate) fn print_pack_errors(errors: &[PackError], sources: &[PackSource]) {
    let style = super::stderr_style();
    for error in errors {
        let source = sources.iter().find(|s| s.name == error.pack);
        eprint!("{}", render_error(&YamlDiagnostic::pack(error, source), style));
    }
    eprintln!("error: {} problem(s) in rule packs; nothing was checked", errors.len());
}

/// Prints every configuration error with the YAML line it points at.
pub(crate) fn print_config_errors(errors: &[ConfigError]) {
    let style = super::stderr_style();
    for error in errors {
        eprint!("{}", render_error(&YamlDiagnostic::config(error), style));
    }
    eprintln!("error: {} problem(s) in configuration files; nothing was checked", errors.len());
}

//! Errors shown to the user as miette diagnostics: rule packs and configuration files.

use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::config::ConfigError;
use crate::report::render_error;
use crate::rules::{PackError, PackSource};

/// A problem in a YAML file, pointing at its line.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(womlint::invalid_pack))]
pub struct PackDiagnostic {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

impl PackDiagnostic {
    pub fn new(error: &PackError, source: Option<&PackSource>) -> Self {
        let text = source.map(|s| s.text.clone()).unwrap_or_default();
        PackDiagnostic {
            message: format!("{}: {}", error.pack, error.message),
            source_code: NamedSource::new(&error.pack, text),
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
        eprint!("{}", render_error(&PackDiagnostic::new(error, source), style));
    }
    eprintln!("error: {} problem(s) in rule packs; nothing was checked", errors.len());
}

/// A problem in a configuration file, pointing at its line.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(womlint::invalid_config))]
pub struct ConfigDiagnostic {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

impl ConfigDiagnostic {
    pub fn new(error: &ConfigError) -> Self {
        ConfigDiagnostic {
            message: format!("{}: {}", error.path, error.message),
            source_code: NamedSource::new(&error.path, error.text.clone()),
            span: error.span.map(|s| SourceSpan::from(s.start..s.end)),
            help: error.help.clone(),
        }
    }
}

/// Prints every configuration error with the YAML line it points at.
pub(crate) fn print_config_errors(errors: &[ConfigError]) {
    let style = super::stderr_style();
    for error in errors {
        eprint!("{}", render_error(&ConfigDiagnostic::new(error), style));
    }
    eprintln!("error: {} problem(s) in configuration files; nothing was checked", errors.len());
}

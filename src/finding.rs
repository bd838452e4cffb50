//! What the engine reports: plain data, rendered by [`crate::report`].

use serde::Serialize;

use crate::document::Lang;
use crate::rules::{Principle, Severity};
use crate::span::Span;

/// A span with a short note, shown under the text it points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub principle: Principle,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    /// The words the finding is about.
    pub primary: Label,
    /// Other places that explain it (more triggers, the start of the post, a late label).
    pub related: Vec<Label>,
    /// The clear label to use, when that is the fix.
    pub suggestion: Option<String>,
    /// Where the suggestion belongs: an empty span at the start of the post.
    pub fix_at: Option<Span>,
    /// The language the message is in.
    pub lang: Lang,
}

impl Finding {
    pub fn span(&self) -> Span {
        self.primary.span
    }
}

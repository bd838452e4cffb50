//! What the engine reports: plain data, located in [`crate::report`] and rendered by the
//! command line.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::document::Lang;
use crate::rules::{Principle, Severity};
use crate::span::Span;

/// A span with a short note, shown under the text it points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: Cow<'static, str>,
}

/// One problem in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
///
/// The texts that come from the rule (its id, message, help and suggestion) are shared with
/// it, not copied: a run over an archive can keep tens of thousands of findings until the
/// report is written.
pub struct Finding {
    pub rule: Arc<str>,
    pub principle: Principle,
    pub severity: Severity,
    pub message: Arc<str>,
    pub help: Arc<str>,
    /// The words the finding is about.
    pub primary: Label,
    /// Other places that explain it (more triggers, the start of the post, a late label).
    pub related: Vec<Label>,
    /// The clear label to use, when that is the fix.
    pub suggestion: Option<Arc<str>>,
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

//! What the engine reports: plain data, located in [`crate::report`] and rendered by the
//! command line.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::document::Lang;
use crate::rules::{Applicability, Principle, Severity};
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
    /// The repair, as edits to the file, when the rule offers one and it can be made here.
    pub fix: Option<Fix>,
    /// The language the message is in.
    pub lang: Lang,
}

/// One replacement of a byte range of the file (an empty range inserts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A repair: edits that go together, sorted by position and never overlapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in a few words ("Replace “#sp” with “#ad”").
    pub description: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// The same repair with the clear label of the other language, tried when this one would
    /// bring a finding (a market that does not accept the post's own label).
    #[serde(skip)]
    pub fallback: Option<Box<Fix>>,
}

impl Fix {
    /// The bytes the edits touch, from the first to the last.
    pub fn span(&self) -> Option<Span> {
        let first = self.edits.first()?.span;
        Some(self.edits.iter().fold(first, |all, e| all.cover(e.span)))
    }
}

impl Finding {
    pub fn span(&self) -> Span {
        self.primary.span
    }
}

/// Words as fingerprints compare them: lowercased, runs of white space made one space.
pub fn normalized_words(words: &str) -> String {
    words.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

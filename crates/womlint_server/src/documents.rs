//! The documents the client has open: their text as the client has it (unsaved edits
//! included), kept in step with full and incremental changes, and the findings of their last
//! check.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, Lines};
use womlint_core::config::Compiled;
use womlint_core::document::{Defaults, Document, DocumentKind, EXTENSIONS};
use womlint_core::finding::Finding;
use womlint_core::pipeline::{CheckOptions, findings_of};
use womlint_core::span::{LineIndex, Span};

/// What the last check of a document found, with the rules that found it (for hover).
pub(crate) struct Checked {
    pub(crate) findings: Vec<Finding>,
    pub(crate) rules: Option<Arc<Compiled>>,
    /// The front matter's bytes, if any.
    pub(crate) front_matter: Option<Span>,
    /// The front-matter values the document's configuration gives it (for checking a fixed
    /// text as the document was checked).
    pub(crate) defaults: Defaults,
}

/// Parses `text` as the document `name` of `kind` and checks it with `rules` and the
/// configuration's `defaults`: its findings and its front matter's bytes. What a document's
/// diagnostics come from, and what fix-all checks a fixed text with.
pub(crate) fn check_text(
    name: String,
    text: &str,
    kind: DocumentKind,
    rules: &Compiled,
    defaults: &Defaults,
) -> (Vec<Finding>, Option<Span>) {
    let parsed = Document::parse_full(name, text, kind, defaults);
    let options = CheckOptions { defaults, settings: &rules.settings, inactive: &rules.inactive, context: false };
    let findings = findings_of(&parsed, &rules.rules, &options).0;
    (findings, parsed.front_matter.as_ref().map(|fm| fm.span))
}

/// One open document.
pub(crate) struct OpenDocument {
    pub(crate) uri: Uri,
    pub(crate) text: String,
    pub(crate) lines: LineIndex,
    pub(crate) version: i32,
    /// The file it is, for `file:` URIs; unsaved buffers (`untitled:`) have none.
    pub(crate) path: Option<PathBuf>,
    pub(crate) kind: DocumentKind,
    /// Changed since its last check.
    pub(crate) dirty: bool,
    pub(crate) checked: Checked,
}

impl OpenDocument {
    pub(crate) fn lines(&self, encoding: Encoding) -> Lines<'_> {
        Lines { text: &self.text, index: &self.lines, encoding }
    }

    /// Applies one change from the client: a range replaced, or the whole text.
    pub(crate) fn apply(&mut self, change: TextDocumentContentChangeEvent, encoding: Encoding) {
        match change.range {
            Some(range) => {
                let span = self.lines(encoding).span(range);
                self.text.replace_range(span.range(), &change.text);
            }
            None => self.text = change.text,
        }
        self.lines = LineIndex::counting_bom(&self.text);
        self.dirty = true;
    }

    /// The name the engine knows the document by: its path, or the URI of an unsaved buffer
    /// with the extension its language implies.
    pub(crate) fn name(&self) -> String {
        match &self.path {
            Some(path) => path.to_string_lossy().into_owned(),
            None if self.kind == DocumentKind::PlainText => format!("{}.txt", self.uri.as_str()),
            None => self.uri.as_str().to_owned(),
        }
    }
}

/// The open documents womlint checks, by URI.
#[derive(Default)]
pub(crate) struct Documents {
    open: HashMap<Uri, OpenDocument>,
}

impl Documents {
    /// Opens a document, if womlint checks its kind: language `markdown` or `plaintext`, or a
    /// file with one of the extensions a walk picks up. Gives whether it is kept.
    pub(crate) fn open(&mut self, uri: Uri, language: &str, version: i32, text: String) -> bool {
        let path = file_path(&uri);
        let extension =
            Path::new(uri.path().as_str()).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let kind = match (language, extension.as_deref()) {
            (_, Some("txt" | "text")) | ("plaintext", _) => DocumentKind::PlainText,
            ("markdown", _) => DocumentKind::Markdown,
            (_, Some(e)) if EXTENSIONS.contains(&e) => DocumentKind::Markdown,
            _ => return false,
        };
        let lines = LineIndex::counting_bom(&text);
        let checked = Checked { findings: Vec::new(), rules: None, front_matter: None, defaults: Defaults::default() };
        let document = OpenDocument { uri: uri.clone(), text, lines, version, path, kind, dirty: true, checked };
        self.open.insert(uri, document);
        true
    }

    pub(crate) fn close(&mut self, uri: &Uri) -> Option<OpenDocument> {
        self.open.remove(uri)
    }

    pub(crate) fn get(&self, uri: &Uri) -> Option<&OpenDocument> {
        self.open.get(uri)
    }

    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut OpenDocument> {
        self.open.get_mut(uri)
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut OpenDocument> {
        self.open.values_mut()
    }

    /// Marks every document to be checked again (the configuration changed).
    pub(crate) fn mark_all_dirty(&mut self) {
        for document in self.open.values_mut() {
            document.dirty = true;
        }
    }

    pub(crate) fn any_dirty(&self) -> bool {
        self.open.values().any(|d| d.dirty)
    }
}

/// The file a `file:` URI names, percent-decoded; `None` for other schemes.
pub(crate) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // The authority (empty or `localhost`) ends at the path's first slash.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let mut input = path.bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let hex = [input.next()?, input.next()?];
            let value = std::str::from_utf8(&hex).ok().and_then(|h| u8::from_str_radix(h, 16).ok())?;
            bytes.push(value);
        } else {
            bytes.push(byte);
        }
    }
    let decoded = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` on Windows is the path `C:/x`.
    let windows_drive = decoded.as_bytes().get(2) == Some(&b':') && cfg!(windows);
    Some(PathBuf::from(if windows_drive { &decoded[1..] } else { &decoded[..] }))
}

/// The `file:` URI of an absolute path.
pub(crate) fn file_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from(if text.starts_with('/') { "file://" } else { "file:///" });
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range};

    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn file_uris_and_paths_round_trip_with_accents_and_spaces() {
        let path = Path::new("/campagne/città e caffè/post 1.md");
        let made = file_uri(path).unwrap();
        assert_eq!(made.as_str(), "file:///campagne/citt%C3%A0%20e%20caff%C3%A8/post%201.md");
        assert_eq!(file_path(&made).as_deref(), Some(path));
        assert_eq!(file_path(&uri("file://localhost/a/b.md")).as_deref(), Some(Path::new("/a/b.md")));
        assert_eq!(file_path(&uri("untitled:Untitled-1")), None);
    }

    #[test]
    fn kinds_by_language_or_extension() {
        let mut docs = Documents::default();
        assert!(docs.open(uri("file:///a/post.md"), "markdown", 1, String::new()));
        assert!(docs.open(uri("file:///a/caption.txt"), "plaintext", 1, String::new()));
        assert!(docs.open(uri("file:///a/notes.markdown"), "something", 1, String::new()));
        assert!(docs.open(uri("untitled:Untitled-1"), "markdown", 1, String::new()));
        assert!(!docs.open(uri("file:///a/main.rs"), "rust", 1, String::new()));
        assert_eq!(docs.get(&uri("file:///a/caption.txt")).map(|d| d.kind), Some(DocumentKind::PlainText));
        let plain_buffer = uri("untitled:Untitled-2");
        assert!(docs.open(plain_buffer.clone(), "plaintext", 1, String::new()));
        assert_eq!(docs.get(&plain_buffer).map(OpenDocument::name).as_deref(), Some("untitled:Untitled-2.txt"));
    }

    #[test]
    fn incremental_changes_in_utf16() {
        let mut docs = Documents::default();
        let id = uri("file:///a/post.md");
        docs.open(id.clone(), "markdown", 1, "Città 🌿 bella\nsecond".to_owned());
        let doc = docs.get_mut(&id).unwrap();
        let range = |l1, c1, l2, c2| {
            Some(Range { start: Position { line: l1, character: c1 }, end: Position { line: l2, character: c2 } })
        };
        // Replace "bella" (after the emoji, which is two UTF-16 units).
        doc.apply(
            TextDocumentContentChangeEvent { range: range(0, 9, 0, 14), range_length: None, text: "cara".to_owned() },
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "Città 🌿 cara\nsecond");
        // Join the lines; then an insertion past the end clamps to the end.
        doc.apply(
            TextDocumentContentChangeEvent { range: range(0, 13, 1, 0), range_length: None, text: " ".to_owned() },
            Encoding::Utf16,
        );
        doc.apply(
            TextDocumentContentChangeEvent { range: range(9, 9, 9, 9), range_length: None, text: "!".to_owned() },
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "Città 🌿 cara second!");
        doc.apply(
            TextDocumentContentChangeEvent { range: None, range_length: None, text: "new".to_owned() },
            Encoding::Utf16,
        );
        assert_eq!((doc.text.as_str(), doc.lines.line_count()), ("new", 1));
    }
}

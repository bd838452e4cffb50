//! YAML front matter: split off the top of a Markdown file and parsed into metadata.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::span::Span;

/// The metadata block at the top of a Markdown file.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontMatter {
    /// The whole block, fences included.
    pub span: Span,
    /// Keys and values; empty when the YAML did not parse.
    pub values: BTreeMap<String, Value>,
    /// Where each top-level key is written: the span of its line.
    pub key_spans: BTreeMap<String, Span>,
    /// Why the YAML could not be read, if it could not.
    pub error: Option<String>,
    /// Where the problem is, when not the whole block: the opening line of a block that is
    /// never closed, the line of a key whose value is wrong.
    pub error_span: Option<Span>,
}

/// Front matter larger than this is not parsed (it is still not prose).
const MAX_FRONT_MATTER: usize = 64 * 1024;

/// Front-matter keys whose value is true or false (`yes`, `no`, `on`, `off` and `sì` are read
/// as such too).
const BOOLEAN_KEYS: [&str; 1] = ["sponsored"];

impl FrontMatter {
    /// Whether `body` (a file's text after its BOM) opens with a front-matter fence: `---`
    /// (YAML) or `+++` (TOML) alone on the first line.
    pub fn opens(body: &str) -> bool {
        let first = body.split('\n').next().unwrap_or_default().trim_end();
        first == "---" || first == "+++"
    }

    /// Splits front matter from the top of `text` (after a BOM of `bom` bytes): a `---` line,
    /// YAML, and a closing `---` or `...` line. Returns it with the offset where the body starts.
    ///
    /// Two other openings are front matter with an error, and not prose: TOML between `+++`
    /// lines, which is not read; and a `---` line followed by `key: value` lines that no line
    /// closes, whose keys are not read either (they are not a source of labels). That block
    /// ends at its first line that is not YAML-like (a blank line, prose); a `---` followed by
    /// anything else is a thematic break.
    pub fn split(text: &str, bom: usize) -> Option<(FrontMatter, usize)> {
        let rest = text.get(bom..)?;
        let first_end = rest.find('\n')?;
        let fence = rest.get(..first_end)?.trim_end_matches('\r').trim_end();
        if fence != "---" && fence != "+++" {
            return None;
        }
        let toml = fence == "+++";
        let inner_start = bom + first_end + 1;
        let opening = Span::new(bom, bom + first_end);
        let mut line_start = inner_start;
        // The end of the lines that read as keys of an unclosed block.
        let mut keys_end = None;
        loop {
            let line_end = text.get(line_start..)?.find('\n').map_or(text.len(), |i| line_start + i);
            let line = text.get(line_start..line_end)?.trim_end_matches('\r').trim_end();
            let closes = if toml { line == "+++" } else { line == "---" || line == "..." };
            if closes {
                let body_start = (line_end + 1).min(text.len());
                let inner = text.get(inner_start..line_start).unwrap_or_default();
                let span = Span::new(bom, body_start);
                let fm = if toml {
                    FrontMatter::unread(
                        span,
                        "TOML front matter (between `+++` lines) is not read; write it as YAML between `---` lines",
                        None,
                    )
                } else {
                    FrontMatter::parse(inner, inner_start, span)
                };
                return Some((fm, body_start));
            }
            let key_like = if line_start == inner_start { opens_keys(line, toml) } else { continues_keys(line, toml) };
            if keys_end.is_none() && !key_like {
                keys_end = Some(line_start);
            }
            if line_end >= text.len() {
                break;
            }
            line_start = line_end + 1;
        }
        // Never closed: front matter only when keys follow the fence.
        let body_start = keys_end.unwrap_or(text.len());
        if body_start == inner_start {
            return None;
        }
        let closing = if toml { "+++" } else { "---" };
        let message = format!(
            "the `{fence}` on line 1 opens front matter that no `{closing}` line closes, so none of its keys are read"
        );
        Some((FrontMatter::unread(Span::new(bom, body_start), &message, Some(opening)), body_start))
    }

    /// Front matter that is not read: no values, an error.
    fn unread(span: Span, error: &str, error_span: Option<Span>) -> FrontMatter {
        FrontMatter {
            span,
            values: BTreeMap::new(),
            key_spans: BTreeMap::new(),
            error: Some(error.to_owned()),
            error_span,
        }
    }

    fn parse(inner: &str, offset: usize, span: Span) -> FrontMatter {
        let mut key_spans = BTreeMap::new();
        let mut at = offset;
        for line in inner.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if let Some((key, _)) = content.split_once(':') {
                let key = key.trim_matches(|c| c == '"' || c == '\'');
                if !key.is_empty() && !key.starts_with([' ', '\t', '#', '-']) {
                    key_spans.entry(key.to_owned()).or_insert(Span::new(at, at + content.len()));
                }
            }
            at += line.len();
        }
        let (mut values, mut error) = if inner.len() > MAX_FRONT_MATTER {
            (BTreeMap::new(), Some(format!("front matter is larger than {} KiB", MAX_FRONT_MATTER / 1024)))
        } else if inner.trim().is_empty() {
            (BTreeMap::new(), None)
        } else {
            match serde_saphyr::from_str::<Option<BTreeMap<String, Value>>>(inner) {
                Ok(values) => (values.unwrap_or_default(), None),
                Err(err) => (BTreeMap::new(), Some(first_line(&err.to_string()))),
            }
        };
        let mut error_span = None;
        for key in BOOLEAN_KEYS {
            let Some(value) = values.get(key) else { continue };
            if is_boolean(value) || error.is_some() {
                continue;
            }
            let written = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            error = Some(format!("`{key}: {written}` is not true or false, so `{key}` is not read"));
            error_span = key_spans.get(key).copied();
            values.remove(key);
        }
        FrontMatter { span, values, key_spans, error, error_span }
    }

    /// A value as text: strings as they are, numbers and booleans written out.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// Every value of a key as lowercase text: one for a scalar, each item for a list.
    pub fn values_of(&self, key: &str) -> Vec<String> {
        match self.values.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
            Some(value) => scalar_text(value).into_iter().collect(),
            None => Vec::new(),
        }
    }
}

/// Whether a value is a boolean, or a word read as one.
fn is_boolean(value: &Value) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::String(text) => {
            matches!(crate::rules::normalize_bool(&text.trim().to_lowercase()).as_str(), "true" | "false")
        }
        _ => false,
    }
}

/// Whether the first line after an opening fence starts keys: `name: …` (YAML) or
/// `name = …` (TOML).
fn opens_keys(line: &str, toml: bool) -> bool {
    let separator = if toml { '=' } else { ':' };
    let Some((key, rest)) = line.split_once(separator) else { return false };
    let key = key.trim_end();
    !key.is_empty()
        && !key.starts_with([' ', '\t'])
        && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''))
        && (toml || rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Whether a later line of an unclosed block still reads as part of it: another key, an
/// indented line, a list item or a comment (a blank line or prose ends it).
fn continues_keys(line: &str, toml: bool) -> bool {
    opens_keys(line, toml)
        || line.starts_with([' ', '\t']) && !line.trim().is_empty()
        || line.starts_with("- ")
        || line.starts_with('#') && !toml
        || toml && line.starts_with('[')
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_lowercase()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_parses() {
        let text = "---\nplatform: instagram\nsponsored: true\ntags: [a, B]\n---\nHello";
        let (fm, body) = FrontMatter::split(text, 0).unwrap();
        assert_eq!(&text[body..], "Hello");
        assert_eq!(fm.get_str("platform"), Some("instagram"));
        assert_eq!(fm.values_of("sponsored"), vec!["true"]);
        assert_eq!(fm.values_of("tags"), vec!["a", "b"]);
        let line = fm.key_spans["sponsored"];
        assert_eq!(&text[line.range()], "sponsored: true");
        assert!(fm.error.is_none());
    }

    #[test]
    fn crlf_bom_and_dots_terminator() {
        let text = "\u{feff}---\r\nlang: it\r\n...\r\nCiao";
        let (fm, body) = FrontMatter::split(text, 3).unwrap();
        assert_eq!(&text[body..], "Ciao");
        assert_eq!(fm.get_str("lang"), Some("it"));
        assert_eq!(&text[fm.key_spans["lang"].range()], "lang: it");
    }

    #[test]
    fn absent_is_not_front_matter() {
        assert!(FrontMatter::split("Hello\n---\n", 0).is_none());
        assert!(FrontMatter::split("", 0).is_none());
        // A thematic break at the top, then prose.
        assert!(FrontMatter::split("---\n\nHello: a thematic break\n", 0).is_none());
        assert!(FrontMatter::split("---\nHello there, my friends\n", 0).is_none());
    }

    #[test]
    fn unclosed_is_an_error_and_not_read() {
        let text = "---\nsponsored: true\nplatform: instagram\ntags:\n  - a\n\n@glowco sent me this.\n";
        let (fm, body) = FrontMatter::split(text, 0).unwrap();
        assert_eq!(&text[body..], "\n@glowco sent me this.\n", "the keys are not prose");
        assert!(fm.values.is_empty(), "not a source of labels: {:?}", fm.values);
        assert!(fm.error.as_deref().is_some_and(|e| e.contains("on line 1 opens front matter that no `---`")));
        assert_eq!(fm.error_span.map(|s| &text[s.range()]), Some("---"));
    }

    #[test]
    fn toml_is_reported_and_not_prose() {
        let text = "+++\ntitle = \"Trip\"\nsponsored = true\n+++\nBody\n";
        let (fm, body) = FrontMatter::split(text, 0).unwrap();
        assert_eq!(&text[body..], "Body\n");
        assert!(fm.values.is_empty());
        assert!(fm.error.as_deref().is_some_and(|e| e.contains("TOML front matter")));
        let (fm, body) = FrontMatter::split("+++\nsponsored = true\n\nBody\n", 0).unwrap();
        assert_eq!(body, "+++\nsponsored = true\n".len());
        assert!(fm.error.as_deref().is_some_and(|e| e.contains("no `+++` line closes")));
    }

    #[test]
    fn sponsored_must_be_a_boolean() {
        for (value, ok) in [("true", true), ("no", true), ("Yes", true), ("1", false), ("maybe", false), ("[a]", false)]
        {
            let text = format!("---\nplatform: tiktok\nsponsored: {value}\n---\nBody\n");
            let (fm, _) = FrontMatter::split(&text, 0).unwrap();
            assert_eq!(fm.error.is_none(), ok, "{value}: {:?}", fm.error);
            if !ok {
                assert!(fm.error.as_deref().is_some_and(|e| e.contains("is not true or false")), "{:?}", fm.error);
                assert_eq!(fm.error_span.map(|s| &text[s.range()]), Some(format!("sponsored: {value}").as_str()));
                assert!(fm.values_of("sponsored").is_empty(), "a wrong value is not read");
                assert_eq!(fm.get_str("platform"), Some("tiktok"), "the other keys are");
            }
        }
    }

    #[test]
    fn broken_yaml_is_reported_not_fatal() {
        let (fm, _) = FrontMatter::split("---\nkey: [unclosed\n---\nx", 0).unwrap();
        assert!(fm.error.is_some());
        assert!(fm.values.is_empty());
    }
}

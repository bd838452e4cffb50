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
}

/// Front matter larger than this is not parsed (it is still not prose).
const MAX_FRONT_MATTER: usize = 64 * 1024;

impl FrontMatter {
    /// Splits front matter from the top of `text` (after a BOM of `bom` bytes): a `---` line,
    /// YAML, and a closing `---` or `...` line. Returns it with the offset where the body starts.
    pub fn split(text: &str, bom: usize) -> Option<(FrontMatter, usize)> {
        let rest = text.get(bom..)?;
        let first_end = rest.find('\n')?;
        if rest.get(..first_end)?.trim_end_matches('\r').trim_end() != "---" {
            return None;
        }
        let inner_start = bom + first_end + 1;
        let mut line_start = inner_start;
        loop {
            let line_end = text.get(line_start..)?.find('\n').map_or(text.len(), |i| line_start + i);
            let line = text.get(line_start..line_end)?.trim_end_matches('\r').trim_end();
            if line == "---" || line == "..." {
                let body_start = (line_end + 1).min(text.len());
                let inner = text.get(inner_start..line_start).unwrap_or_default();
                let fm = FrontMatter::parse(inner, inner_start, Span::new(bom, body_start));
                return Some((fm, body_start));
            }
            if line_end >= text.len() {
                return None;
            }
            line_start = line_end + 1;
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
        let (values, error) = if inner.len() > MAX_FRONT_MATTER {
            (BTreeMap::new(), Some(format!("front matter is larger than {} KiB", MAX_FRONT_MATTER / 1024)))
        } else if inner.trim().is_empty() {
            (BTreeMap::new(), None)
        } else {
            match serde_saphyr::from_str::<Option<BTreeMap<String, Value>>>(inner) {
                Ok(values) => (values.unwrap_or_default(), None),
                Err(err) => (BTreeMap::new(), Some(first_line(&err.to_string()))),
            }
        };
        FrontMatter { span, values, key_spans, error }
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
    fn unclosed_or_absent_is_not_front_matter() {
        assert!(FrontMatter::split("---\nkey: v\nno end", 0).is_none());
        assert!(FrontMatter::split("Hello\n---\n", 0).is_none());
        assert!(FrontMatter::split("", 0).is_none());
    }

    #[test]
    fn broken_yaml_is_reported_not_fatal() {
        let (fm, _) = FrontMatter::split("---\nkey: [unclosed\n---\nx", 0).unwrap();
        assert!(fm.error.is_some());
        assert!(fm.values.is_empty());
    }
}

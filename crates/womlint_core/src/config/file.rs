//! `womlint.yaml`: reading one configuration file and checking every key and value.
//!
//! Two stages, as for rule packs: the raw structs mirror the YAML (unknown keys are errors,
//! values keep their location), then validation turns them into a [`ConfigFile`] and collects
//! every problem with the YAML span it belongs to, not just the first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use super::RuleSetting;
use crate::document::Lang;
use crate::rules::{Market, Profile, Severity};
use crate::span::Span;

/// The names a configuration file can have, in the order they are looked for in a folder.
pub const CONFIG_NAMES: [&str; 2] = ["womlint.yaml", ".womlint.yaml"];

/// The ids of the built-in packs, which `packs:` switches on and off.
pub const BUILTIN_PACK_IDS: [&str; 5] = ["womma", "us-ftc", "it-iap", "uk-cma-asa", "eu-ucpd"];

/// A problem in a configuration file, with the YAML bytes it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file as shown to the user.
    pub path: String,
    /// Its text (empty when it could not be read).
    pub text: String,
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

// ---------------------------------------------------------------------------------------
// The YAML as written
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    packs: HashMap<Spanned<String>, Spanned<bool>>,
    #[serde(default)]
    jurisdiction: Option<Spanned<String>>,
    #[serde(default)]
    strict: Option<Spanned<bool>>,
    #[serde(default)]
    extra_packs: Vec<Spanned<String>>,
    #[serde(default)]
    rules: HashMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    overrides: Vec<Spanned<RawOverride>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Vec<Spanned<String>>,
    #[serde(default)]
    lang: Option<Spanned<String>>,
    #[serde(default)]
    platform: Option<Spanned<String>>,
    #[serde(default)]
    rules: HashMap<Spanned<String>, Spanned<String>>,
}

// ---------------------------------------------------------------------------------------
// The checked configuration
// ---------------------------------------------------------------------------------------

/// One `rules:` entry: a rule id, principle or pack id, and what it is set to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleEntry {
    pub key: String,
    pub setting: RuleSetting,
    /// Where the key is written, for "no such rule".
    pub span: Option<Span>,
}

/// A set of globs, relative to the configuration file's folder.
#[derive(Clone, Debug)]
pub struct Globs {
    set: GlobSet,
    pub patterns: Vec<String>,
}

impl Globs {
    /// Whether `relative` (a `/`-separated path relative to the configuration's folder) matches.
    pub fn is_match(&self, relative: &str) -> bool {
        self.set.is_match(relative)
    }
}

/// `overrides:` — settings for the files some globs match.
#[derive(Clone, Debug)]
pub struct Override {
    pub files: Globs,
    pub lang: Option<Lang>,
    pub platform: Option<String>,
    pub rules: Vec<RuleEntry>,
}

/// A parsed and checked configuration file.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    /// The file, as an absolute path.
    pub path: PathBuf,
    /// The file as shown to the user.
    pub display: String,
    /// The folder globs and pack paths are relative to.
    pub dir: PathBuf,
    pub text: String,
    /// Built-in packs switched on (`true`) or off (`false`).
    pub packs: Vec<(String, bool)>,
    pub profile: Option<Profile>,
    /// Absolute paths of the extra packs.
    pub extra_packs: Vec<PathBuf>,
    pub rules: Vec<RuleEntry>,
    pub overrides: Vec<Override>,
    pub include: Option<Globs>,
    pub exclude: Option<Globs>,
    pub fail_on: Option<Severity>,
    /// The baseline file (`baseline:`), as an absolute path.
    pub baseline: Option<PathBuf>,
}

impl ConfigFile {
    /// Reads and checks the configuration file at `path` (absolute), shown as `display`.
    pub fn load(path: &Path, display: &str) -> Result<ConfigFile, Vec<ConfigError>> {
        let text = crate::input::read_text_file(path, crate::input::MAX_SETTINGS_FILE).map_err(|reason| {
            vec![ConfigError {
                path: display.to_owned(),
                text: String::new(),
                message: format!("cannot read the configuration file: {reason}"),
                span: None,
                help: None,
            }]
        })?;
        ConfigFile::parse(path, display, text)
    }

    /// Checks the configuration text of the file at `path` (absolute).
    pub fn parse(path: &Path, display: &str, text: String) -> Result<ConfigFile, Vec<ConfigError>> {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut v = Validator { display, text: &text, errors: Vec::new() };
        if let Some(message) = crate::rules::not_yaml_text(&text) {
            let error = ConfigError { path: display.to_owned(), text: String::new(), message, span: None, help: None };
            return Err(vec![error]);
        }
        let raw = if text.trim().is_empty() {
            // An empty file is a valid configuration that changes nothing.
            None
        } else {
            let options = serde_saphyr::options! { with_snippet: false };
            match serde_saphyr::from_str_with_options::<Option<RawConfig>>(&text, options) {
                Ok(raw) => raw,
                Err(err) => {
                    let span = err.location().and_then(|loc| location_span(&loc, &text));
                    let (message, help) = explain_parse_error(&err.to_string());
                    if message.starts_with("expected ") || message.starts_with("invalid type") {
                        v.shape_errors(span);
                    }
                    if v.errors.is_empty() {
                        v.errors.push(ConfigError {
                            path: display.to_owned(),
                            text: text.clone(),
                            message,
                            span,
                            help,
                        });
                    }
                    return Err(v.errors);
                }
            }
        };
        let mut config = ConfigFile {
            path: path.to_path_buf(),
            display: display.to_owned(),
            dir: dir.clone(),
            text: String::new(),
            packs: Vec::new(),
            profile: None,
            extra_packs: Vec::new(),
            rules: Vec::new(),
            overrides: Vec::new(),
            include: None,
            exclude: None,
            fail_on: None,
            baseline: None,
        };
        if let Some(raw) = raw {
            v.fill(&mut config, raw);
        }
        if !v.errors.is_empty() {
            v.errors.sort_by_key(|e| e.span.map(|s| s.start));
            return Err(v.errors);
        }
        config.text = text;
        Ok(config)
    }

    /// A "no such rule" error for each `rules:` key (top level and in overrides) that `known`
    /// rejects.
    pub fn unknown_rules(
        &self,
        known: impl Fn(&str) -> bool,
        closest: impl Fn(&str) -> Option<String>,
    ) -> Vec<ConfigError> {
        let entries = self.rules.iter().chain(self.overrides.iter().flat_map(|o| o.rules.iter()));
        entries
            .filter(|e| !known(&e.key))
            .map(|e| ConfigError {
                path: self.display.clone(),
                text: self.text.clone(),
                message: format!("no rule, principle or pack `{}` among the loaded packs", e.key),
                span: e.span,
                help: Some(match closest(&e.key) {
                    Some(id) => format!("did you mean `{id}`? (`womlint rules` lists the rule ids)"),
                    None => "`womlint rules` lists the rule ids; principles are relationship, opinion, identity \
                             and womlint"
                        .to_owned(),
                }),
            })
            .collect()
    }

    /// A path relative to this file's folder, `/`-separated, if it is inside it.
    pub fn relative(&self, absolute: &Path) -> Option<String> {
        let rest = absolute.strip_prefix(&self.dir).ok()?;
        Some(rest.to_string_lossy().replace('\\', "/"))
    }
}

struct Validator<'a> {
    display: &'a str,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl Validator<'_> {
    /// An error at `loc`; without `help`, "did you mean" when the message quotes a name close
    /// to one it lists as expected.
    fn error(&mut self, message: impl Into<String>, loc: &Location, help: Option<&str>) {
        let message = message.into();
        let help = help.map(str::to_owned).or_else(|| crate::suggest::for_expected(&message));
        self.errors.push(ConfigError {
            path: self.display.to_owned(),
            text: self.text.to_owned(),
            message,
            span: location_span(loc, self.text),
            help,
        });
    }

    /// Errors for values of the wrong type, each naming its key, what the key holds and an
    /// example. The parser stops at the first such value (at `first`); every top-level one is
    /// found here, with its place, and one inside `overrides` is reported at `first`.
    fn shape_errors(&mut self, first: Option<Span>) {
        let options = serde_saphyr::options! { with_snippet: false };
        let Ok(loose) = serde_saphyr::from_str_with_options::<Option<LooseConfig>>(self.text, options) else {
            let message = "a configuration is a mapping of keys to values".to_owned();
            let help = Some("e.g. `fail_on: warning`; `womlint init` writes one with every key".to_owned());
            self.push(message, first, help);
            return;
        };
        let Some(loose) = loose else { return };
        let mut wrong = Vec::new();
        for (key, value) in loose.entries() {
            let Some(value) = value else { continue };
            let span = location_span(&value.referenced, self.text);
            if let Some((message, help)) = shape_problem(key, &value.value) {
                wrong.push(span);
                let span = span.map(|s| rest_of_line(self.text, s.start));
                self.push(message, span.or(first), Some(help));
            }
        }
        // A value inside a mapping or a list has no place of its own here: the parser's place
        // is its place, unless that was a top-level value reported above.
        let first = first.filter(|f| !wrong.contains(&Some(*f)));
        for (key, value) in loose.entries() {
            let Some(value) = value else { continue };
            let nested = match (key, &value.value) {
                ("rules", serde_json::Value::Object(map)) => {
                    map.values().find_map(|v| shape_problem("rules:value", v)).map(|p| (None, p))
                }
                ("overrides", serde_json::Value::Array(items)) => items.iter().find_map(override_problem),
                _ => None,
            };
            if let Some((inner_key, (message, help))) = nested {
                let at = first.or_else(|| location_span(&value.referenced, self.text));
                let span = at.map(|at| inner_key.and_then(|k| value_after(self.text, at.start, k)).unwrap_or(at));
                self.push(message, span, Some(help));
            }
        }
        self.errors.sort_by_key(|e| e.span.map(|s| s.start));
    }

    fn push(&mut self, message: String, span: Option<Span>, help: Option<String>) {
        self.errors.push(ConfigError {
            path: self.display.to_owned(),
            text: self.text.to_owned(),
            message,
            span,
            help,
        });
    }

    fn fill(&mut self, config: &mut ConfigFile, raw: RawConfig) {
        let mut packs: Vec<(Spanned<String>, Spanned<bool>)> = raw.packs.into_iter().collect();
        packs.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (id, on) in packs {
            if BUILTIN_PACK_IDS.contains(&id.value.as_str()) {
                config.packs.push((id.value, on.value));
            } else {
                let help = match crate::suggest::did_you_mean(&id.value, BUILTIN_PACK_IDS) {
                    Some(mean) => format!("{mean} The built-in packs are {}", BUILTIN_PACK_IDS.join(", ")),
                    None => format!("the built-in packs are {}", BUILTIN_PACK_IDS.join(", ")),
                };
                self.error(
                    format!("no built-in pack `{}`; load your own packs with `extra_packs`", id.value),
                    &id.referenced,
                    Some(&help),
                );
            }
        }
        let strict = raw.strict.as_ref().is_some_and(|s| s.value);
        match (&raw.jurisdiction, strict) {
            (Some(j), true) => {
                self.error("`jurisdiction` and `strict: true` cannot both be set", &j.referenced, None);
            }
            (Some(j), false) => match j.value.parse::<Market>() {
                Ok(market) => config.profile = Some(Profile::Market(market)),
                Err(message) => self.error(message, &j.referenced, None),
            },
            (None, true) => config.profile = Some(Profile::Strict),
            (None, false) => {
                if raw.strict.is_some() {
                    config.profile = Some(Profile::Union);
                }
            }
        }
        for pack in &raw.extra_packs {
            if pack.value.trim().is_empty() {
                self.error("an empty pack path", &pack.referenced, None);
                continue;
            }
            config.extra_packs.push(super::normalize(&config.dir.join(&pack.value)));
        }
        config.rules = self.rule_entries(raw.rules);
        for o in raw.overrides {
            if let Some(item) = self.override_of(o) {
                config.overrides.push(item);
            }
        }
        config.include = self.globs(&raw.include);
        config.exclude = self.globs(&raw.exclude);
        if let Some(baseline) = &raw.baseline {
            if baseline.value.trim().is_empty() {
                self.error("`baseline` is the path of a baseline file", &baseline.referenced, None);
            } else {
                config.baseline = Some(config.dir.join(&baseline.value));
            }
        }
        if let Some(fail_on) = &raw.fail_on {
            match fail_on.value.parse::<Severity>() {
                Ok(severity) => config.fail_on = Some(severity),
                Err(message) => self.error(message, &fail_on.referenced, None),
            }
        }
    }

    fn rule_entries(&mut self, raw: HashMap<Spanned<String>, Spanned<String>>) -> Vec<RuleEntry> {
        let mut raw: Vec<_> = raw.into_iter().collect();
        raw.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        let mut entries = Vec::new();
        for (key, value) in raw {
            let setting = match value.value.trim() {
                // `off` is the boolean false to YAML 1.1 readers; accept what they would write.
                "off" | "false" => RuleSetting::Off,
                other => match other.parse::<Severity>() {
                    Ok(severity) => RuleSetting::Severity(severity),
                    Err(_) => {
                        self.error(
                            format!("`{}` is not a rule setting (expected off, error, warning or info)", value.value),
                            &value.referenced,
                            None,
                        );
                        continue;
                    }
                },
            };
            if key.value.trim().is_empty() {
                self.error("an empty rule id", &key.referenced, None);
                continue;
            }
            entries.push(RuleEntry {
                key: key.value.trim().to_owned(),
                setting,
                span: location_span(&key.referenced, self.text),
            });
        }
        entries
    }

    fn override_of(&mut self, raw: Spanned<RawOverride>) -> Option<Override> {
        let o = raw.value;
        if o.files.is_empty() {
            self.error("an override needs at least one glob in `files`", &raw.referenced, None);
            return None;
        }
        let files = self.globs(&o.files)?;
        let lang = match &o.lang {
            Some(lang) => match Lang::parse(&lang.value) {
                Some(l) => Some(l),
                None => {
                    self.error(
                        format!("unknown language `{}` (expected en or it)", lang.value),
                        &lang.referenced,
                        None,
                    );
                    None
                }
            },
            None => None,
        };
        let platform = match &o.platform {
            Some(p) if p.value.trim().is_empty() => {
                self.error("an empty platform", &p.referenced, None);
                None
            }
            Some(p) => Some(p.value.trim().to_lowercase()),
            None => None,
        };
        let rules = self.rule_entries(o.rules);
        Some(Override { files, lang, platform, rules })
    }

    fn globs(&mut self, patterns: &[Spanned<String>]) -> Option<Globs> {
        if patterns.is_empty() {
            return None;
        }
        let mut builder = GlobSetBuilder::new();
        let mut failed = false;
        for pattern in patterns {
            for expanded in expand_glob(&pattern.value) {
                match GlobBuilder::new(&expanded).literal_separator(true).backslash_escape(true).build() {
                    Ok(glob) => {
                        builder.add(glob);
                    }
                    Err(err) => {
                        self.error(
                            format!("invalid glob `{}`: {}", pattern.value, err.kind()),
                            &pattern.referenced,
                            None,
                        );
                        failed = true;
                        break;
                    }
                }
            }
        }
        if failed {
            return None;
        }
        match builder.build() {
            Ok(set) => Some(Globs { set, patterns: patterns.iter().map(|p| p.value.clone()).collect() }),
            Err(err) => {
                if let Some(first) = patterns.first() {
                    self.error(format!("invalid globs: {err}"), &first.referenced, None);
                }
                None
            }
        }
    }
}

/// gitignore-like glob semantics: a pattern without `/` matches a file or folder name at any
/// depth; a pattern with `/` is anchored at the configuration's folder; a folder matches
/// everything under it.
fn expand_glob(pattern: &str) -> Vec<String> {
    let pattern = pattern.trim();
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    let trimmed = pattern.trim_end_matches('/');
    let anchored = match trimmed.strip_prefix('/') {
        Some(rest) => rest.to_owned(),
        None if !trimmed.contains('/') => format!("**/{trimmed}"),
        None => trimmed.to_owned(),
    };
    vec![anchored.clone(), format!("{anchored}/**")]
}

/// What is wrong with `value` as the value of `key`, if its type is wrong: the message and
/// the help with an example (the user's own value in a list, when it is a single value).
fn shape_problem(key: &str, value: &serde_json::Value) -> Option<(String, String)> {
    let (shape, what, example) = key_shape(key)?;
    if shape.fits(value) {
        return None;
    }
    let shown = if key == "rules:value" { "a value of `rules`".to_owned() } else { format!("`{key}`") };
    let example = match (shape, scalar_text(value)) {
        (Shape::List, Some(text)) => format!("{key}: [{}]", serde_json::Value::String(text)),
        _ => example.to_owned(),
    };
    Some((format!("{shown} is {what}"), format!("e.g. `{example}`")))
}

/// The first value of the wrong type in one entry of `overrides`, with its key.
fn override_problem(entry: &serde_json::Value) -> Option<(Option<&'static str>, (String, String))> {
    let map = entry.as_object()?;
    ["files", "lang", "platform", "rules"].into_iter().find_map(|key| {
        let value = map.get(key)?;
        let problem = shape_problem(key, value).or_else(|| match (key, value) {
            ("rules", serde_json::Value::Object(rules)) => rules.values().find_map(|v| shape_problem("rules:value", v)),
            _ => None,
        });
        problem.map(|p| (Some(key), p))
    })
}

/// From `start` to the end of its line, without trailing blanks.
fn rest_of_line(text: &str, start: usize) -> Span {
    let rest = text.get(start..).unwrap_or_default();
    let line = rest.lines().next().unwrap_or_default().trim_end();
    Span::new(start, start + line.len().max(1)).snap_to(text)
}

/// The value after the first `key:` at or after `from`, to the end of its line.
fn value_after(text: &str, from: usize, key: &str) -> Option<Span> {
    let rest = text.get(from..)?;
    let at = rest.find(&format!("{key}:"))? + key.len() + 1;
    let value = rest.get(at..)?;
    let blank = value.len() - value.trim_start_matches([' ', '\t']).len();
    Some(rest_of_line(text, from + at + blank))
}

/// serde-saphyr's message, without the location (the span shows it). An unknown key's message
/// already lists the keys expected there.
fn explain_parse_error(message: &str) -> (String, Option<String>) {
    let first = message.lines().next().unwrap_or(message);
    let first = match first.rfind(" at line ") {
        Some(at) => first.get(..at).unwrap_or(first),
        None => first,
    };
    let help = crate::suggest::for_unknown_field(first).or_else(|| {
        first
            .contains("invalid type")
            .then(|| "`womlint schema config` prints the JSON Schema of this file, with every key and value".to_owned())
    });
    (first.to_owned(), help)
}

/// The shape a key's value must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Map,
    List,
    ListOfMaps,
    Text,
    Bool,
}

impl Shape {
    fn fits(self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, value) {
            (_, Value::Null) | (Shape::Map, Value::Object(_)) | (Shape::Bool, Value::Bool(_)) => true,
            (Shape::List, Value::Array(items)) => items.iter().all(|i| !i.is_array() && !i.is_object()),
            (Shape::ListOfMaps, Value::Array(items)) => items.iter().all(|i| i.is_object() || i.is_null()),
            (Shape::Text, value) => !value.is_array() && !value.is_object(),
            _ => false,
        }
    }
}

/// What a key holds, for errors about a value of the wrong type: the key, its shape, what it
/// is in words and an example.
const KEY_SHAPES: [(&str, Shape, &str, &str); 14] = [
    ("packs", Shape::Map, "a mapping of built-in pack ids to true or false", "packs: { us-ftc: false }"),
    ("jurisdiction", Shape::Text, "one market: us, uk, it or eu", "jurisdiction: it"),
    ("strict", Shape::Bool, "true or false", "strict: true"),
    ("extra_packs", Shape::List, "a list of pack files", "extra_packs: [womlint/brand.yaml]"),
    (
        "rules",
        Shape::Map,
        "a mapping of rule ids, principles or pack ids to off, error, warning or info",
        "rules: { opinion: warning }",
    ),
    (
        "overrides",
        Shape::ListOfMaps,
        "a list of `{files, lang, platform, rules}` entries",
        "overrides: [{ files: [\"campaigns/it/**\"], lang: it }]",
    ),
    ("include", Shape::List, "a list of globs", "include: [\"campaigns/**\"]"),
    ("exclude", Shape::List, "a list of globs", "exclude: [\"drafts/**\"]"),
    ("fail_on", Shape::Text, "one severity: error, warning or info", "fail_on: warning"),
    ("baseline", Shape::Text, "the path of a baseline file", "baseline: womlint-baseline.json"),
    ("files", Shape::List, "a list of globs", "files: [\"campaigns/it/**\"]"),
    ("lang", Shape::Text, "a language: en or it", "lang: it"),
    ("platform", Shape::Text, "a platform name", "platform: instagram"),
    // Values of `rules:` (top level and in overrides).
    ("rules:value", Shape::Text, "off, error, warning or info", "opinion: warning"),
];

/// The shape, description and example of a key.
fn key_shape(key: &str) -> Option<(Shape, &'static str, &'static str)> {
    KEY_SHAPES.iter().find(|(k, ..)| *k == key).map(|&(_, shape, what, example)| (shape, what, example))
}

/// The configuration with every top-level value taken as it is, whatever its type, with its
/// place: what explains a value of the wrong type.
#[derive(Deserialize)]
struct LooseConfig {
    #[serde(default)]
    packs: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    jurisdiction: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    strict: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    extra_packs: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    rules: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    overrides: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    include: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    exclude: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    fail_on: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    baseline: Option<Spanned<serde_json::Value>>,
}

impl LooseConfig {
    fn entries(&self) -> [(&'static str, Option<&Spanned<serde_json::Value>>); 10] {
        [
            ("packs", self.packs.as_ref()),
            ("jurisdiction", self.jurisdiction.as_ref()),
            ("strict", self.strict.as_ref()),
            ("extra_packs", self.extra_packs.as_ref()),
            ("rules", self.rules.as_ref()),
            ("overrides", self.overrides.as_ref()),
            ("include", self.include.as_ref()),
            ("exclude", self.exclude.as_ref()),
            ("fail_on", self.fail_on.as_ref()),
            ("baseline", self.baseline.as_ref()),
        ]
    }
}

/// A value as the user could write it again in an example: a scalar as it is, else `None`.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => Some(value.to_string()),
        _ => None,
    }
}

/// The byte span of a YAML location (the rest of the line when no length is known).
pub(crate) fn location_span(loc: &Location, text: &str) -> Option<Span> {
    let span = loc.span();
    if let Some(offset) = span.byte_offset() {
        let start = usize::try_from(offset).ok()?;
        let len = span.byte_len().and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
        return Some(Span::new(start, start + len.max(1)).snap_to(text));
    }
    let line = usize::try_from(loc.line()).ok()?;
    if line == 0 {
        return None;
    }
    let start = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
    let column = usize::try_from(loc.column()).ok()?.saturating_sub(1);
    let line_text = text.get(start..)?.lines().next().unwrap_or_default();
    let from = line_text.char_indices().nth(column).map_or(0, |(i, _)| i);
    Some(Span::new(start + from, start + line_text.len().max(from + 1)).snap_to(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, Vec<ConfigError>> {
        ConfigFile::parse(Path::new("/repo/womlint.yaml"), "womlint.yaml", text.to_owned())
    }

    fn spanned<'a>(text: &'a str, error: &ConfigError) -> &'a str {
        error.span.and_then(|s| text.get(s.range())).unwrap_or_default()
    }

    #[test]
    fn reads_every_key() {
        let text = "packs: { us-ftc: false, womma: true }\njurisdiction: it\nextra_packs: [packs/brand.yaml]\n\
                    rules:\n  relationship: warning\n  opinion/x: off\noverrides:\n  - files: ['it/**']\n    lang: it\n    \
                    platform: Instagram\n    rules: { identity: info }\ninclude: ['*.md']\nexclude: [drafts]\nfail_on: error\n";
        let config = parse(text).unwrap();
        assert_eq!(config.packs, vec![("us-ftc".to_owned(), false), ("womma".to_owned(), true)]);
        assert_eq!(config.profile, Some(Profile::Market(Market::It)));
        assert_eq!(config.extra_packs, vec![PathBuf::from("/repo/packs/brand.yaml")]);
        assert_eq!(config.rules.len(), 2);
        assert_eq!(config.rules[0].setting, RuleSetting::Off);
        assert_eq!(spanned(text, &ConfigError { span: config.rules[0].span, ..err() }), "opinion/x");
        let o = &config.overrides[0];
        assert!(o.files.is_match("it/post.md") && !o.files.is_match("en/post.md"));
        assert_eq!((o.lang, o.platform.as_deref()), (Some(Lang::It), Some("instagram")));
        assert!(config.include.as_ref().unwrap().is_match("a/b/c.md"));
        let exclude = config.exclude.as_ref().unwrap();
        assert!(exclude.is_match("drafts/a.md") && exclude.is_match("x/drafts/a.md") && !exclude.is_match("a.md"));
        assert_eq!(config.fail_on, Some(Severity::Error));
    }

    fn err() -> ConfigError {
        ConfigError { path: String::new(), text: String::new(), message: String::new(), span: None, help: None }
    }

    #[test]
    fn empty_file_is_valid() {
        assert!(parse("").is_ok());
        assert!(parse("# only a comment\n").is_ok());
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let text = "fail_on: error\nfial_on: warning\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("fial_on"), "{}", errors[0].message);
        assert!(errors[0].message.contains("fail_on"), "the expected keys are listed: {}", errors[0].message);
        let span = errors[0].span.unwrap();
        assert_eq!(text[..span.start].lines().count(), 1, "points at line 2");
    }

    #[test]
    fn wrong_values_are_all_reported() {
        let text = "packs: { womma: true, acme: false }\nrules:\n  opinion: loud\nfail_on: fatal\njurisdiction: fr\n\
                    overrides:\n  - files: ['[']\n  - files: [a]\n    lang: de\n";
        let errors = parse(text).unwrap_err();
        let spans: Vec<&str> = errors.iter().map(|e| spanned(text, e)).collect();
        assert_eq!(errors.len(), 6, "{errors:#?}");
        assert!(spans.contains(&"acme"), "{spans:?}");
        assert!(spans.contains(&"loud"));
        assert!(spans.contains(&"fatal"));
        assert!(spans.contains(&"fr"));
        assert!(spans.contains(&"de"));
        assert!(errors.iter().any(|e| e.message.contains("invalid glob")));
    }

    #[test]
    fn values_of_the_wrong_type_name_their_key_with_an_example() {
        let text = "exclude: drafts\noverrides:\n  - files: [a]\n    lang: [x]\npacks: [womma]\n";
        let errors = parse(text).unwrap_err();
        let found: Vec<(&str, &str, &str)> = errors
            .iter()
            .map(|e| (e.message.as_str(), e.help.as_deref().unwrap_or_default(), spanned(text, e)))
            .collect();
        assert_eq!(
            found,
            vec![
                ("`exclude` is a list of globs", "e.g. `exclude: [\"drafts\"]`", "drafts"),
                ("`lang` is a language: en or it", "e.g. `lang: it`", "[x]"),
                (
                    "`packs` is a mapping of built-in pack ids to true or false",
                    "e.g. `packs: { us-ftc: false }`",
                    "[womma]"
                ),
            ],
            "{errors:#?}"
        );
        let errors = parse("- a\n- b\n").unwrap_err();
        assert_eq!(errors[0].message, "a configuration is a mapping of keys to values");
        let errors = parse("rules:\n  opinion: [x]\n").unwrap_err();
        assert_eq!(errors[0].message, "a value of `rules` is off, error, warning or info");
    }

    #[test]
    fn misspelt_names_and_values_get_a_suggestion() {
        let text = "fial_on: error\n";
        assert_eq!(parse(text).unwrap_err()[0].help.as_deref(), Some("did you mean `fail_on`?"));
        let text = "packs: { usftc: false }\njurisdiction: ukk\nfail_on: warn\nrules: { opinion: eror }\n";
        let helps: Vec<String> = parse(text).unwrap_err().into_iter().filter_map(|e| e.help).collect();
        assert!(helps[0].starts_with("did you mean `us-ftc`?"), "{helps:?}");
        assert_eq!(helps[1..], ["did you mean `uk`?", "did you mean `warning`?", "did you mean `error`?"]);
        assert!(parse("rules: { opinion: loud }\n").unwrap_err()[0].help.is_none(), "nothing is close to `loud`");
    }

    #[test]
    fn jurisdiction_and_strict_conflict() {
        let errors = parse("jurisdiction: uk\nstrict: true\n").unwrap_err();
        assert!(errors[0].message.contains("cannot both"));
        assert_eq!(parse("strict: true\n").unwrap().profile, Some(Profile::Strict));
    }

    #[test]
    fn unknown_rule_keys() {
        let config = parse("rules: { relationship/undisclosed: off, relationship/typo: off }\n").unwrap();
        let errors = config.unknown_rules(|key| key == "relationship/undisclosed", |_| None);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("relationship/typo"));
    }

    #[test]
    fn globs_are_gitignore_like() {
        let globs = |p: &str| expand_glob(p);
        assert_eq!(globs("*.txt"), vec!["**/*.txt", "**/*.txt/**"]);
        assert_eq!(globs("/top.md"), vec!["top.md", "top.md/**"]);
        assert_eq!(globs("./campaigns/it/"), vec!["campaigns/it", "campaigns/it/**"]);
    }
}

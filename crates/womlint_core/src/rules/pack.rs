//! Reading rule packs from YAML and compiling them into a [`RuleSet`].
//!
//! Two stages: the raw structs mirror the YAML exactly (unknown keys are errors, every pattern
//! keeps its location), then compilation resolves vocabularies, compiles regexes with a size
//! limit and validates ids, collecting every problem with the YAML span it belongs to.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::{Location, Spanned};

use super::matcher::{DEFAULT_NEGATION_REACH, Matcher, MatcherId, RuleGate};
use super::{
    Applicability, CheckKind, Example, FixKind, FrontMatterCondition, Localized, Market, PackInfo, PlacementKind,
    Principle, Profile, Reference, Report, Rule, RuleFix, RuleSet, Scope, SearchTarget, Severity, Trait,
};
use crate::document::Lang;
use crate::span::Span;

/// The most words before a match a pack may let a negator stand (`negation_reach`), and
/// beside it a personal giver (`giver_reach`).
const MAX_NEGATION_REACH: usize = 8;

/// A pack's YAML text and where it came from.
#[derive(Clone, Debug)]
pub struct PackSource {
    /// A path on disk, or `builtin:womma.yaml` for an embedded pack.
    pub name: String,
    pub text: String,
    pub builtin: bool,
    /// The same pack converted to JSON at build time (built-in packs only), read instead of
    /// the YAML when given.
    pub converted: Option<&'static str>,
}

/// A problem in a rule pack, with the YAML bytes it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    pub pack: String,
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

impl PackError {
    fn at(pack: &str, message: impl Into<String>, span: Option<Span>) -> Self {
        PackError { pack: pack.to_owned(), message: message.into(), span, help: None }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

// ---------------------------------------------------------------------------------------
// The YAML as written
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: Spanned<String>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    vocab: BTreeMap<String, Spanned<RawVocab>>,
    /// Named lists of front-matter values, written `$name` in a front-matter condition.
    #[serde(default)]
    values: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    platforms: BTreeMap<String, RawPlatform>,
    #[serde(default)]
    traits: BTreeMap<String, Spanned<RawTrait>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVocab {
    #[serde(default)]
    en: Vec<Spanned<String>>,
    #[serde(default)]
    it: Vec<Spanned<String>>,
    #[serde(default)]
    any: Vec<Spanned<String>>,
    #[serde(default)]
    accepted_in: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    negatable: bool,
    /// How many words before a match a negator may stand (default 4).
    #[serde(default)]
    negation_reach: Option<Spanned<usize>>,
    /// How many words beside a match a personal giver may stand (off when absent).
    #[serde(default)]
    giver_reach: Option<Spanned<usize>>,
    #[serde(default)]
    cue_governed: bool,
    /// A clause that forbids a match ("Don't ask staff to …", "… are banned") voids it.
    #[serde(default)]
    prohibitable: bool,
    #[serde(default)]
    boundary: Option<Spanned<String>>,
    #[serde(default)]
    case_sensitive: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatform {
    fold: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrait {
    #[serde(default)]
    scope: Option<Spanned<String>>,
    #[serde(default)]
    front_matter: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    titles: Vec<Spanned<String>>,
    #[serde(default)]
    headings: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    principle: Spanned<String>,
    severity: Spanned<String>,
    #[serde(default)]
    scope: Option<Spanned<String>>,
    check: Spanned<String>,
    #[serde(default)]
    placement: Option<Spanned<String>>,
    #[serde(default)]
    report: Option<Spanned<String>>,
    #[serde(default)]
    when: Vec<Spanned<String>>,
    #[serde(default)]
    when_front_matter: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    search: Vec<Spanned<String>>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    #[serde(default)]
    within: Option<Spanned<usize>>,
    #[serde(default)]
    requires_front_matter: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    #[serde(default, rename = "where")]
    filter: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    where_not: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    traits: Vec<Spanned<String>>,
    #[serde(default)]
    skip_traits: Vec<Spanned<String>>,
    #[serde(default)]
    markets: Vec<Spanned<String>>,
    #[serde(default)]
    suggest: Option<RawText>,
    #[serde(default)]
    fix: Option<Spanned<RawFix>>,
    message: RawText,
    #[serde(default)]
    help: Option<RawText>,
    #[serde(default)]
    references: Vec<RawReference>,
    #[serde(default)]
    examples: Vec<Spanned<RawExample>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawText {
    Plain(String),
    Localized {
        #[serde(default)]
        en: Option<String>,
        #[serde(default)]
        it: Option<String>,
    },
}

/// `fix: replace-label`, or `fix: { kind: insert-label, applicability: unsafe }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawFix {
    Kind(String),
    Full {
        kind: String,
        #[serde(default)]
        applicability: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawReference {
    Plain(String),
    Full {
        cite: String,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        url: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    #[serde(default)]
    flag: Option<String>,
    #[serde(default)]
    pass: Option<String>,
    #[serde(default)]
    span: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    jurisdiction: Option<String>,
}

impl From<RawText> for Localized {
    fn from(raw: RawText) -> Self {
        match raw {
            RawText::Plain(text) => Localized::plain(text),
            RawText::Localized { en, it } => Localized { en: en.map(Arc::from), it: it.map(Arc::from) },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------

/// Collects pack sources and compiles them into one [`RuleSet`] for a profile.
#[derive(Debug, Default)]
pub struct RuleSetBuilder {
    sources: Vec<PackSource>,
    profile: Profile,
}

struct VocabEntry {
    /// The id of the pack that defines it.
    pack: String,
    /// From a built-in pack: compiled on first use (the tests compile every one).
    builtin: bool,
    patterns: Vec<String>,
    accepted_in: Option<Vec<Market>>,
    negatable: bool,
    negation_reach: usize,
    giver_reach: usize,
    cue_governed: bool,
    prohibitable: bool,
    word_boundary: bool,
    case_sensitive: bool,
}

struct Compiler<'a> {
    /// Definitions by name, in pack load order: a pack's own definition wins, else the first.
    vocab: HashMap<String, Vec<VocabEntry>>,
    /// Traits by name, likewise.
    trait_index: HashMap<String, Vec<(String, usize)>>,
    /// Named lists of front-matter values by name, likewise: (pack id, values).
    value_lists: HashMap<String, Vec<(String, Vec<String>)>>,
    /// The id of the pack being compiled.
    pack_id: String,
    matchers: Vec<Matcher>,
    by_key: HashMap<String, MatcherId>,
    /// (pattern, case_sensitive) of every matcher, for the prefilter.
    patterns_of: Vec<Vec<(String, bool)>>,
    profile: Profile,
    errors: Vec<PackError>,
    pack: &'a str,
    text: &'a str,
    /// The pack being compiled is built in (its patterns are checked by the tests).
    builtin: bool,
    /// The pack is read from the JSON it was converted to at build time, which leaves out the
    /// rules' examples (see `build.rs`).
    converted: bool,
}

impl RuleSetBuilder {
    pub fn new(profile: Profile) -> Self {
        RuleSetBuilder { sources: Vec::new(), profile }
    }

    /// A builder with `sources` added, in order.
    pub fn with_sources(profile: Profile, sources: impl IntoIterator<Item = PackSource>) -> Self {
        RuleSetBuilder { sources: sources.into_iter().collect(), profile }
    }

    /// The same packs under another profile.
    pub fn clone_with_profile(&self, profile: Profile) -> Self {
        RuleSetBuilder { sources: self.sources.clone(), profile }
    }

    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The sources added so far.
    pub fn sources(&self) -> &[PackSource] {
        &self.sources
    }

    pub fn add(&mut self, source: PackSource) -> &mut Self {
        self.sources.push(source);
        self
    }

    /// Adds `source` in the place of the built-in pack with the same `pack:` id, if there is
    /// one (an edited copy of a built-in pack, tested with `test-rules`), else at the end.
    pub fn add_replacing_builtin(&mut self, source: PackSource) -> &mut Self {
        let id = pack_id(&source.text);
        let same =
            id.and_then(|id| self.sources.iter().position(|s| s.builtin && pack_id(s.text.as_str()) == Some(id)));
        match same.and_then(|at| self.sources.get_mut(at)) {
            Some(builtin) => *builtin = source,
            None => self.sources.push(source),
        }
        self
    }

    /// Parses and compiles every pack; returns every problem found, not just the first.
    pub fn build(&self) -> Result<RuleSet, Vec<PackError>> {
        let mut errors = Vec::new();
        let mut raws = Vec::new();
        for source in &self.sources {
            match parse_pack(source) {
                Ok(raw) => raws.push((source, raw)),
                Err(err) => errors.push(err),
            }
        }
        let mut compiler = Compiler {
            vocab: HashMap::new(),
            trait_index: HashMap::new(),
            value_lists: HashMap::new(),
            pack_id: String::new(),
            matchers: Vec::new(),
            by_key: HashMap::new(),
            patterns_of: Vec::new(),
            profile: self.profile,
            errors: Vec::new(),
            pack: "",
            text: "",
            builtin: false,
            converted: false,
        };
        let mut pack_ids: HashMap<String, String> = HashMap::new();
        for (source, raw) in &raws {
            compiler.enter(source);
            if let Some(previous) = pack_ids.insert(raw.pack.value.clone(), source.name.clone()) {
                let help = if previous.starts_with("builtin:") {
                    "`womlint test-rules FILE` tests an edited copy of a built-in pack in its place; to check copy \
                     with one, give it a `pack:` id of its own"
                } else {
                    "every pack needs a `pack:` id of its own"
                };
                let span = compiler.source_text().and_then(|text| location_span(&raw.pack.referenced, text));
                compiler.errors.push(
                    PackError::at(
                        compiler.pack,
                        format!("pack `{}` is already loaded from {previous}", raw.pack.value),
                        span,
                    )
                    .with_help(help),
                );
            }
            check_name(&mut compiler, &raw.pack, "pack id");
            compiler.pack_id.clone_from(&raw.pack.value);
            compiler.collect_vocab(raw);
            for (name, values) in &raw.values {
                compiler.value_lists.entry(name.clone()).or_default().push((raw.pack.value.clone(), values.clone()));
            }
        }
        let mut platforms = BTreeMap::new();
        let mut traits = Vec::new();
        for (source, raw) in &raws {
            compiler.enter(source);
            compiler.pack_id.clone_from(&raw.pack.value);
            for (name, platform) in &raw.platforms {
                platforms.insert(name.to_lowercase(), platform.fold);
            }
            for (name, raw_trait) in &raw.traits {
                let compiled = compiler.compile_trait(name, raw_trait);
                compiler.trait_index.entry(name.clone()).or_default().push((raw.pack.value.clone(), traits.len()));
                traits.push(compiled);
            }
        }
        let mut rules: Vec<Rule> = Vec::new();
        let mut packs = Vec::new();
        for (source, raw) in &raws {
            compiler.enter(source);
            packs.push(PackInfo {
                id: raw.pack.value.clone(),
                title: raw.title.clone(),
                description: raw.description.clone(),
                path: source.name.clone(),
                builtin: source.builtin,
            });
            compiler.pack_id.clone_from(&raw.pack.value);
            for raw_rule in &raw.rules {
                if let Some(rule) = compiler.compile_rule(&raw.pack.value, raw_rule) {
                    if rules.iter().any(|r| r.id == rule.id) {
                        compiler.error(format!("rule id `{}` is used twice", rule.id), &raw_rule.value.id.referenced);
                        continue;
                    }
                    rules.push(rule);
                }
            }
        }
        // The engine's own word lists come from the first pack that defines them.
        compiler.pack_id.clear();
        let negator = compiler.vocab_matcher("negator");
        let mention_cue = compiler.vocab_matcher("mention_cue");
        let mention_cue_after = compiler.vocab_matcher("mention_cue_after");
        let quote_cue = compiler.vocab_matcher("quote_cue");
        let personal_giver = compiler.vocab_matcher("personal_giver");
        let replacement_goods = compiler.vocab_matcher("replacement_goods");
        let negation_idiom = compiler.vocab_matcher("negation_idiom");
        let prohibiting = compiler.vocab_matcher("prohibiting");
        let prohibited_after = compiler.vocab_matcher("prohibited_after");
        errors.extend(compiler.errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let prefilter_gates = prefilter_gates(&rules, &compiler.patterns_of, self.profile);
        Ok(RuleSet {
            packs,
            rules,
            traits,
            matchers: compiler.matchers,
            platforms,
            negator,
            mention_cue,
            mention_cue_after,
            quote_cue,
            personal_giver,
            replacement_goods,
            negation_idiom,
            prohibiting,
            prohibited_after,
            profile: self.profile,
            prefilter: std::sync::OnceLock::new(),
            prefilter_gates,
            disabled_meta: Vec::new(),
            gate: std::sync::OnceLock::new(),
        })
    }
}

fn prefilter_gates(rules: &[Rule], patterns_of: &[Vec<(String, bool)>], profile: Profile) -> Vec<RuleGate> {
    let list = |ids: &[MatcherId]| -> Vec<(String, bool)> {
        ids.iter().filter_map(|id| patterns_of.get(id.0)).flatten().cloned().collect()
    };
    let mut gates = Vec::new();
    for rule in rules.iter().filter(|r| profile.runs(&r.markets)) {
        if rule.when.is_empty() {
            // Triggered by front matter alone: the front-matter check decides.
            continue;
        }
        let mut alternatives = vec![list(&rule.when)];
        if !rule.requires.is_empty() {
            // Front-matter requirements are checked on the parsed header, not here.
            alternatives.push(list(&rule.requires));
        }
        gates.push((rule.id.to_string(), alternatives));
    }
    gates
}

/// The `pack:` id of a pack's YAML, read from its `pack:` line (`None` when it has none).
fn pack_id(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix("pack:")?.split(" #").next()?.trim();
        Some(value.trim_matches(['"', '\''])).filter(|v| !v.is_empty())
    })
}

fn parse_pack(source: &PackSource) -> Result<RawPack, PackError> {
    // A pack that the conversion got wrong is read from its YAML; a test rules that out.
    if let Some(raw) = source.converted.and_then(|json| serde_json::from_str::<RawPack>(json).ok()) {
        return Ok(raw);
    }
    if let Some(message) = not_yaml_text(&source.text) {
        return Err(PackError::at(&source.name, message, None));
    }
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<RawPack>(&source.text, options).map_err(|err| {
        let span = err.location().and_then(|loc| location_span(&loc, &source.text));
        let message = strip_location(&err.to_string());
        let help = crate::suggest::for_unknown_field(&message);
        let error = PackError::at(&source.name, message, span);
        match help {
            Some(help) => error.with_help(help),
            None => error,
        }
    })
}

/// Why `text` is not YAML text, if it holds a character YAML does not allow: then nothing of
/// it is parsed or shown (a pack path may name any file, `/proc/self/environ` among them).
pub(crate) fn not_yaml_text(text: &str) -> Option<String> {
    let (at, c) = crate::escape::first_unprintable_in_yaml(text)?;
    let position = crate::span::LineIndex::new(text).line_column(text, at);
    let what =
        if c == '\0' { "a NUL byte".to_owned() } else { format!("the control character U+{:04X}", u32::from(c)) };
    Some(format!(
        "not YAML text: it holds {what} (line {}, column {}); nothing of it is read or shown",
        position.line, position.column
    ))
}

/// serde-saphyr appends " at line N column M"; the span says that already.
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    match first.rfind(" at line ") {
        Some(at) => first.get(..at).unwrap_or(first).to_owned(),
        None => first.to_owned(),
    }
}

/// The byte span of a YAML location (the whole line's rest when no length is known).
fn location_span(loc: &Location, text: &str) -> Option<Span> {
    let span = loc.span();
    if let Some(offset) = span.byte_offset() {
        let start = usize::try_from(offset).ok()?;
        let len = span.byte_len().and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
        return Some(Span::new(start, start + len.max(1)).snap_to(text));
    }
    let line = usize::try_from(loc.line()).ok()?;
    let start = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
    let column = usize::try_from(loc.column()).ok()?.saturating_sub(1);
    let line_text = text.get(start..)?.lines().next().unwrap_or_default();
    let from = line_text.char_indices().nth(column).map_or(0, |(i, _)| i);
    Some(Span::new(start + from, start + line_text.len().max(from + 1)).snap_to(text))
}

fn check_name(compiler: &mut Compiler<'_>, name: &Spanned<String>, what: &str) {
    let ok = !name.value.is_empty()
        && name.value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        compiler.error(
            format!("{what} `{}` may hold only lowercase letters, digits, `-` and `_`", name.value),
            &name.referenced,
        );
    }
}

impl<'a> Compiler<'a> {
    /// Makes `source` the pack being compiled (its name, text and origin, for errors and checks).
    fn enter(&mut self, source: &'a PackSource) {
        self.pack = &source.name;
        self.builtin = source.builtin;
        self.converted = source.converted.is_some();
        self.text = &source.text;
    }
}

impl Compiler<'_> {
    /// An error at `loc`, with "did you mean" when the message quotes a name close to one it
    /// lists as expected.
    fn error(&mut self, message: impl Into<String>, loc: &Location) {
        let span = self.source_text().and_then(|text| location_span(loc, text));
        let message = message.into();
        let error = PackError::at(self.pack, message, span);
        self.errors.push(match crate::suggest::for_expected(&error.message) {
            Some(help) => error.with_help(help),
            None => error,
        });
    }

    fn error_with_help(&mut self, message: impl Into<String>, loc: &Location, help: impl Into<String>) {
        let span = self.source_text().and_then(|text| location_span(loc, text));
        self.errors.push(PackError::at(self.pack, message, span).with_help(help));
    }

    fn source_text(&self) -> Option<&str> {
        Some(self.text)
    }

    fn collect_vocab(&mut self, raw: &RawPack) {
        for (name, vocab) in &raw.vocab {
            let v = &vocab.value;
            let mut patterns = Vec::new();
            for pattern in v.en.iter().chain(&v.it).chain(&v.any) {
                if !self.builtin
                    && let Err(err) = Matcher::check_pattern(&pattern.value)
                {
                    self.error_with_help(
                        format!("invalid regex in vocab `{name}`"),
                        &pattern.referenced,
                        regex_error_text(&err),
                    );
                    continue;
                }
                patterns.push(pattern.value.clone());
            }
            let accepted_in = v.accepted_in.as_ref().map(|list| self.markets(list));
            let word_boundary = match &v.boundary {
                None => true,
                Some(b) if b.value == "word" => true,
                Some(b) if b.value == "none" => false,
                Some(b) => {
                    self.error(format!("unknown boundary `{}` (expected word or none)", b.value), &b.referenced);
                    true
                }
            };
            let negation_reach = self.reach("negation_reach", v.negation_reach.as_ref(), DEFAULT_NEGATION_REACH);
            let giver_reach = self.reach("giver_reach", v.giver_reach.as_ref(), 0);
            self.vocab.entry(name.clone()).or_default().push(VocabEntry {
                pack: self.pack_id.clone(),
                builtin: self.builtin,
                patterns,
                accepted_in,
                negatable: v.negatable,
                negation_reach,
                giver_reach,
                cue_governed: v.cue_governed,
                prohibitable: v.prohibitable,
                word_boundary,
                case_sensitive: v.case_sensitive,
            });
        }
    }

    /// A reach in words (`negation_reach`, `giver_reach`): `default` when absent, an error at its
    /// line when out of range.
    fn reach(&mut self, key: &str, reach: Option<&Spanned<usize>>, default: usize) -> usize {
        match reach {
            None => default,
            Some(reach) if (1..=MAX_NEGATION_REACH).contains(&reach.value) => reach.value,
            Some(reach) => {
                self.error(
                    format!("{key} must be between 1 and {MAX_NEGATION_REACH} words, not {}", reach.value),
                    &reach.referenced,
                );
                default
            }
        }
    }

    fn markets(&mut self, list: &[Spanned<String>]) -> Vec<Market> {
        let mut markets = Vec::new();
        for item in list {
            match item.value.parse::<Market>() {
                Ok(market) => markets.push(market),
                Err(err) => self.error(err, &item.referenced),
            }
        }
        markets
    }

    /// The definition of a vocab as seen from the pack being compiled.
    fn vocab_entry(&self, name: &str) -> Option<&VocabEntry> {
        let entries = self.vocab.get(name)?;
        entries.iter().find(|e| e.pack == self.pack_id).or_else(|| entries.first())
    }

    /// The matcher of a vocab by name (compiled on first use).
    fn vocab_matcher(&mut self, name: &str) -> Option<MatcherId> {
        let entry = self.vocab_entry(name)?;
        let key = format!("${}:{name}", entry.pack);
        if let Some(id) = self.by_key.get(&key) {
            return Some(*id);
        }
        let matcher = if entry.builtin {
            Ok(Matcher::new_trusted(name, &entry.patterns, entry.case_sensitive, entry.word_boundary, entry.negatable))
        } else {
            Matcher::new(name, &entry.patterns, entry.case_sensitive, entry.word_boundary, entry.negatable)
        }
        .map(|m| {
            m.with_cue_governed(entry.cue_governed)
                .with_negation_reach(entry.negation_reach)
                .with_giver_reach(entry.giver_reach)
                .with_prohibitable(entry.prohibitable)
        });
        let patterns: Vec<(String, bool)> = entry.patterns.iter().map(|p| (p.clone(), entry.case_sensitive)).collect();
        match matcher {
            Ok(matcher) => Some(self.push_matcher(key, matcher, patterns)),
            Err(err) => {
                self.errors.push(
                    PackError::at(self.pack, format!("vocab `{name}` does not compile"), None)
                        .with_help(regex_error_text(&err)),
                );
                None
            }
        }
    }

    fn push_matcher(&mut self, key: String, matcher: Matcher, patterns: Vec<(String, bool)>) -> MatcherId {
        let id = MatcherId(self.matchers.len());
        self.matchers.push(matcher);
        self.patterns_of.push(patterns);
        self.by_key.insert(key, id);
        id
    }

    /// Resolves a list of `$vocab`, `$rejected:vocab` and inline patterns.
    fn pattern_list(&mut self, items: &[Spanned<String>]) -> Vec<MatcherId> {
        let mut ids = Vec::new();
        for item in items {
            let text = item.value.trim();
            if let Some(reference) = text.strip_prefix('$') {
                let (rejected, name) = match reference.strip_prefix("rejected:") {
                    Some(name) => (true, name),
                    None => (false, reference),
                };
                let Some(entry) = self.vocab_entry(name) else {
                    let known = self.closest_vocab(name);
                    let help = known.map_or_else(
                        || "define it under `vocab:` in this or another loaded pack".to_owned(),
                        |k| format!("did you mean `${k}`?"),
                    );
                    self.error_with_help(format!("unknown vocab `{name}`"), &item.referenced, help);
                    continue;
                };
                let active = match &entry.accepted_in {
                    None => !rejected,
                    Some(markets) => self.profile.accepts(markets) != rejected,
                };
                if active {
                    ids.extend(self.vocab_matcher(name));
                }
                continue;
            }
            if let Some(id) = self.by_key.get(text) {
                ids.push(*id);
                continue;
            }
            let matcher = if self.builtin {
                Ok(Matcher::new_trusted(text, &[text.to_owned()], false, true, false))
            } else {
                Matcher::check_pattern(text).and_then(|()| Matcher::new(text, &[text.to_owned()], false, true, false))
            };
            match matcher {
                Ok(matcher) => ids.push(self.push_matcher(text.to_owned(), matcher, vec![(text.to_owned(), false)])),
                Err(err) => {
                    // Shown in the pattern as written, when the error is in its syntax.
                    let err = Matcher::check_pattern(text).err().unwrap_or(err);
                    self.error_with_help("invalid regex", &item.referenced, regex_error_text(&err));
                }
            }
        }
        ids.sort();
        ids.dedup();
        ids
    }

    fn closest_vocab(&self, name: &str) -> Option<String> {
        let close = crate::suggest::closest(name, self.vocab.keys().map(String::as_str));
        close.map(str::to_owned).or_else(|| {
            self.vocab
                .keys()
                .filter(|k| k.contains(name) || name.contains(k.as_str()) || common_prefix(k, name) >= 5)
                .min_by_key(|k| k.len().abs_diff(name.len()))
                .cloned()
        })
    }

    /// A named list of front-matter values (`values:`): this pack's own, else the first loaded.
    fn value_list(&self, name: &str) -> Option<&[String]> {
        let lists = self.value_lists.get(name)?;
        let (_, values) = lists.iter().find(|(pack, _)| *pack == self.pack_id).or_else(|| lists.first())?;
        Some(values)
    }

    fn conditions(&mut self, map: &BTreeMap<String, Spanned<Value>>, loc: &Location) -> Vec<FrontMatterCondition> {
        let mut out = Vec::new();
        for (key, spanned) in map {
            // Point at the condition's value where the pack gives its place, else at `loc`.
            let at = if spanned.referenced.line() > 0 { spanned.referenced } else { *loc };
            let written = match &spanned.value {
                Value::Array(items) => items.iter().filter_map(condition_value).collect(),
                other => condition_value(other).into_iter().collect::<Vec<_>>(),
            };
            // `$name` stands for a named list of values.
            let mut values = Vec::new();
            let mut unknown = false;
            for value in written {
                let Some(name) = value.strip_prefix('$') else {
                    values.push(value);
                    continue;
                };
                match self.value_list(name) {
                    Some(list) => values.extend(list.iter().map(|v| condition_text(v))),
                    None => {
                        let mut known: Vec<&String> = self.value_lists.keys().collect();
                        known.sort();
                        let help = if known.is_empty() {
                            "define it under `values:` in this or another loaded pack".to_owned()
                        } else {
                            let names: Vec<String> = known.iter().map(|k| format!("`${k}`")).collect();
                            format!("the loaded packs define {}", names.join(", "))
                        };
                        self.error_with_help(format!("unknown list of values `${name}`"), &at, help);
                        unknown = true;
                    }
                }
            }
            if unknown {
                continue;
            }
            if values.is_empty() {
                self.error(format!("front-matter condition `{key}` needs a value or a list of values"), &at);
                continue;
            }
            out.push(FrontMatterCondition { key: key.clone(), values });
        }
        out
    }

    fn scope(&mut self, raw: Option<&Spanned<String>>, default: Scope) -> Scope {
        let Some(raw) = raw else { return default };
        match raw.value.as_str() {
            "document" => Scope::Document,
            "post" => Scope::Post,
            "section" => Scope::Section,
            "paragraph" => Scope::Paragraph,
            "sentence" => Scope::Sentence,
            other => {
                self.error(
                    format!("unknown scope `{other}` (expected document, post, section, paragraph or sentence)"),
                    &raw.referenced,
                );
                default
            }
        }
    }

    fn compile_trait(&mut self, name: &str, raw: &Spanned<RawTrait>) -> Trait {
        let t = &raw.value;
        let compiled = Trait {
            name: name.to_owned(),
            scope: self.scope(t.scope.as_ref(), Scope::Document),
            front_matter: self.conditions(&t.front_matter, &raw.referenced),
            titles: self.pattern_list(&t.titles),
            headings: self.pattern_list(&t.headings),
            patterns: self.pattern_list(&t.patterns),
            unless: self.pattern_list(&t.unless),
        };
        if t.front_matter.is_empty() && t.titles.is_empty() && t.headings.is_empty() && t.patterns.is_empty() {
            self.error(
                format!("trait `{name}` never holds: give it front_matter, titles, headings or patterns"),
                &raw.referenced,
            );
        }
        if !matches!(compiled.scope, Scope::Document | Scope::Post | Scope::Section) {
            self.error(format!("trait `{name}`: scope must be document, post or section"), &raw.referenced);
        }
        compiled
    }

    /// A trait by name as seen from the pack being compiled.
    fn trait_id(&self, name: &str) -> Option<usize> {
        let entries = self.trait_index.get(name)?;
        entries.iter().find(|(pack, _)| *pack == self.pack_id).or_else(|| entries.first()).map(|(_, id)| *id)
    }

    fn compile_rule(&mut self, pack: &str, raw: &Spanned<RawRule>) -> Option<Rule> {
        let r = &raw.value;
        let errors_before = self.errors.len();
        let principle = match r.principle.value.parse::<Principle>() {
            Ok(p) => p,
            Err(err) => {
                self.error(err, &r.principle.referenced);
                Principle::Relationship
            }
        };
        let id = r.id.value.clone();
        let id_ok = id.split_once('/').is_some_and(|(head, slug)| {
            head == principle.as_str()
                && !slug.is_empty()
                && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
        if !id_ok {
            self.error_with_help(
                format!("rule id `{id}` is not `principle/slug`"),
                &r.id.referenced,
                format!("write it as `{}/some-slug`, lowercase with `-`", principle.as_str()),
            );
        }
        let severity = match r.severity.value.parse::<Severity>() {
            Ok(s) => s,
            Err(err) => {
                self.error(err, &r.severity.referenced);
                Severity::Warning
            }
        };
        let check = match r.check.value.as_str() {
            "forbidden" => CheckKind::Forbidden,
            "require-disclosure" => CheckKind::RequireDisclosure,
            "ambiguous-label" => CheckKind::AmbiguousLabel,
            "placement" => CheckKind::Placement,
            "repeated" => CheckKind::Repeated,
            "owner-promoted" => CheckKind::OwnerPromoted,
            other => {
                self.error(
                    format!(
                        "unknown check `{other}` (expected forbidden, require-disclosure, ambiguous-label, placement, repeated or owner-promoted)"
                    ),
                    &r.check.referenced,
                );
                CheckKind::Forbidden
            }
        };
        let placement = match (&r.placement, check) {
            (Some(p), CheckKind::Placement) => match p.value.as_str() {
                "fold" => Some(PlacementKind::Fold),
                "hashtag-cluster" => Some(PlacementKind::HashtagCluster),
                other => {
                    self.error(
                        format!("unknown placement `{other}` (expected fold or hashtag-cluster)"),
                        &p.referenced,
                    );
                    None
                }
            },
            (None, CheckKind::Placement) => {
                self.error(
                    "a placement rule needs `placement: fold` or `placement: hashtag-cluster`",
                    &r.check.referenced,
                );
                None
            }
            (Some(p), _) => {
                self.error("`placement` only goes with `check: placement`", &p.referenced);
                None
            }
            (None, _) => None,
        };
        let report = match &r.report {
            None => Report::First,
            Some(value) => match value.value.as_str() {
                "first" => Report::First,
                "each" => Report::Each,
                other => {
                    self.error(format!("unknown report `{other}` (expected first or each)"), &value.referenced);
                    Report::First
                }
            },
        };
        let scope = self.scope(r.scope.as_ref(), Scope::Post);
        let when = self.pattern_list(&r.when);
        let when_front_matter = self.conditions(&r.when_front_matter, &raw.referenced);
        if !when_front_matter.is_empty() && !matches!(scope, Scope::Document | Scope::Post) {
            self.error("`when_front_matter` goes with scope document or post", &raw.referenced);
        }
        if r.when.is_empty() && when_front_matter.is_empty() && check != CheckKind::Repeated {
            self.error("a rule needs `when` (patterns) or `when_front_matter`", &r.id.referenced);
        }
        if check == CheckKind::RequireDisclosure && r.unless.is_empty() {
            self.error("a require-disclosure rule needs `unless`: the labels that disclose", &r.check.referenced);
        }
        if check == CheckKind::OwnerPromoted && r.requires.is_empty() {
            self.error(
                "an owner-promoted rule needs `requires`: the words that name a page's owner",
                &r.check.referenced,
            );
        }
        if check == CheckKind::AmbiguousLabel && r.suggest.is_none() {
            self.error("an ambiguous-label rule needs `suggest`: the clear label to use instead", &r.check.referenced);
        }
        let fix = r.fix.as_ref().and_then(|raw| self.rule_fix(raw, check, r.suggest.is_some()));
        let mut search = Vec::new();
        for target in &r.search {
            match target.value.as_str() {
                "prose" => search.push(SearchTarget::Prose),
                "links" => search.push(SearchTarget::Links),
                "alt" => search.push(SearchTarget::Alt),
                other => {
                    self.error(
                        format!("unknown search target `{other}` (expected prose, links or alt)"),
                        &target.referenced,
                    );
                }
            }
        }
        if search.is_empty() {
            search.push(SearchTarget::Prose);
        }
        if let Some(within) = &r.within
            && r.requires.is_empty()
        {
            self.error(
                "`within` bounds how far a `requires` match may be from the trigger, so it needs `requires`",
                &within.referenced,
            );
        }
        let trait_ids = |list: &[Spanned<String>], compiler: &mut Self| {
            let mut ids = Vec::new();
            for name in list {
                match compiler.trait_id(&name.value) {
                    Some(id) => ids.push(id),
                    None => {
                        let traits = compiler.trait_index.keys().map(String::as_str);
                        match crate::suggest::did_you_mean(&name.value, traits) {
                            Some(help) => compiler.error_with_help(
                                format!("unknown trait `{}`", name.value),
                                &name.referenced,
                                help,
                            ),
                            None => compiler.error(format!("unknown trait `{}`", name.value), &name.referenced),
                        }
                    }
                }
            }
            ids
        };
        let rule_traits = trait_ids(&r.traits, self);
        let skip_traits = trait_ids(&r.skip_traits, self);
        let markets = self.markets(&r.markets);
        let examples = self.examples(&r.examples, &r.id);
        let rule = Rule {
            id: id.into(),
            pack: pack.to_owned(),
            principle,
            severity,
            scope,
            check,
            placement,
            report,
            when,
            when_front_matter,
            search,
            requires: self.pattern_list(&r.requires),
            within: r.within.as_ref().map(|w| w.value),
            requires_front_matter: self.conditions(&r.requires_front_matter, &raw.referenced),
            unless: self.pattern_list(&r.unless),
            filter: self.conditions(&r.filter, &raw.referenced),
            filter_not: self.conditions(&r.where_not, &raw.referenced),
            traits: rule_traits,
            skip_traits,
            markets,
            suggest: r.suggest.as_ref().map(|s| Localized::from(clone_text(s))).unwrap_or_default(),
            fix,
            message: Localized::from(clone_text(&r.message)),
            help: r.help.as_ref().map(|h| Localized::from(clone_text(h))).unwrap_or_default(),
            references: r.references.iter().map(reference).collect(),
            examples,
            line: usize::try_from(raw.referenced.line()).unwrap_or(0),
        };
        (self.errors.len() == errors_before).then_some(rule)
    }

    /// A rule's `fix:`, checked against its check kind and its `suggest`.
    fn rule_fix(&mut self, raw: &Spanned<RawFix>, check: CheckKind, has_suggest: bool) -> Option<RuleFix> {
        let (kind, applicability) = match &raw.value {
            RawFix::Kind(kind) => (kind, None),
            RawFix::Full { kind, applicability } => (kind, applicability.as_deref()),
        };
        let at = &raw.referenced;
        let Some(kind) = FixKind::parse(kind) else {
            let message = format!("unknown fix `{kind}` (expected {})", FixKind::NAMES.join(", "));
            match crate::suggest::did_you_mean(kind, FixKind::NAMES) {
                Some(help) => self.error_with_help(message, at, help),
                None => self.error(message, at),
            }
            return None;
        };
        let applicability = match applicability {
            None => kind.default_applicability(),
            Some("safe") => Applicability::Safe,
            Some("unsafe") => Applicability::Unsafe,
            Some(other) => {
                let message = format!("unknown applicability `{other}` (expected safe or unsafe)");
                match crate::suggest::did_you_mean(other, ["safe", "unsafe"]) {
                    Some(help) => self.error_with_help(message, at, help),
                    None => self.error(message, at),
                }
                return None;
            }
        };
        let problem = match kind {
            FixKind::InsertLabel if applicability == Applicability::Safe => Some(
                "`insert-label` is always unsafe: only a person knows that a post is paid, so the label it inserts \
                 needs one to look",
            ),
            FixKind::ReplaceLabel if check != CheckKind::AmbiguousLabel => {
                Some("`replace-label` goes with `check: ambiguous-label` (it replaces the weak label the rule finds)")
            }
            FixKind::MoveLabelFirst if check != CheckKind::Placement => {
                Some("`move-label-first` goes with `check: placement` (it moves the late label the rule finds)")
            }
            FixKind::ReplaceLabel | FixKind::InsertLabel if !has_suggest => {
                Some("this fix writes the rule's `suggest` label, so the rule needs `suggest`")
            }
            _ => None,
        };
        if let Some(problem) = problem {
            self.error(problem, at);
            return None;
        }
        Some(RuleFix { kind, applicability })
    }

    fn examples(&mut self, raw: &[Spanned<RawExample>], id: &Spanned<String>) -> Vec<Example> {
        let mut out = Vec::new();
        // A built-in pack read for checking copy has none; its YAML has them, and the tests run them.
        if raw.is_empty() && self.converted {
            return out;
        }
        for example in raw {
            let e = &example.value;
            let (text, must_flag) = match (&e.flag, &e.pass) {
                (Some(text), None) => (text.clone(), true),
                (None, Some(text)) => (text.clone(), false),
                _ => {
                    self.error("an example has either `flag` or `pass`", &example.referenced);
                    continue;
                }
            };
            let lang = match e.lang.as_deref().map(|l| (l, Lang::parse(l))) {
                None => None,
                Some((_, Some(lang))) => Some(lang),
                Some((other, None)) => {
                    self.error(format!("unknown example language `{other}` (expected en or it)"), &example.referenced);
                    None
                }
            };
            let profile = match e.jurisdiction.as_deref() {
                None => None,
                Some("strict") => Some(Profile::Strict),
                Some("default" | "union") => Some(Profile::Union),
                Some(market) => match market.parse::<Market>() {
                    Ok(m) => Some(Profile::Market(m)),
                    Err(err) => {
                        self.error(err, &example.referenced);
                        None
                    }
                },
            };
            out.push(Example {
                text,
                must_flag,
                span: e.span.clone(),
                lang,
                profile,
                line: usize::try_from(example.referenced.line()).unwrap_or(0),
            });
        }
        if !out.iter().any(|e| e.must_flag) || !out.iter().any(|e| !e.must_flag) {
            self.error_with_help(
                format!("rule `{}` needs examples that must flag and examples that must pass", id.value),
                &id.referenced,
                "add `examples:` with at least one `- flag: \"…\"` and one `- pass: \"…\"`",
            );
        }
        out
    }
}

fn clone_text(raw: &RawText) -> RawText {
    match raw {
        RawText::Plain(text) => RawText::Plain(text.clone()),
        RawText::Localized { en, it } => RawText::Localized { en: en.clone(), it: it.clone() },
    }
}

fn reference(raw: &RawReference) -> Reference {
    match raw {
        RawReference::Plain(cite) => Reference { cite: cite.clone(), title: None, url: None },
        RawReference::Full { cite, title, url } => {
            Reference { cite: cite.clone(), title: title.clone(), url: url.clone() }
        }
    }
}

fn condition_value(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(condition_text(s)),
        Value::Bool(b) => Some(normalize_bool(&b.to_string())),
        Value::Number(n) => Some(normalize_bool(&n.to_string())),
        _ => None,
    }
}

/// A front-matter condition's value as written in a pack, trimmed and lowercased.
fn condition_text(text: &str) -> String {
    normalize_bool(&text.trim().to_lowercase())
}

/// `yes`, `on`, `sì` are written for `true` in front matter more often than one would think.
pub(crate) fn normalize_bool(text: &str) -> String {
    match text {
        "yes" | "y" | "on" | "si" | "sì" => "true".to_owned(),
        "no" | "n" | "off" => "false".to_owned(),
        other => other.to_owned(),
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// The regex crate's message: the pattern, a caret under the error, and the reason. A long
/// pattern (a huge alternation) would print it whole, so then only the reason is kept.
fn regex_error_text(err: &regex::Error) -> String {
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.iter().all(|l| l.chars().count() <= 120) {
        return lines.join("\n");
    }
    let reasons: Vec<&str> = lines.iter().copied().filter(|l| l.starts_with("error:")).collect();
    match reasons.is_empty() {
        false => reasons.join("\n"),
        true => text.chars().take(120).chain(std::iter::once('…')).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_builtin_pack_takes_the_place_of_the_builtin_one() {
        assert_eq!(pack_id("# c\npack: womma # the core\ntitle: x\n"), Some("womma"));
        assert_eq!(pack_id("title: x\n"), None);
        let builtin = crate::rules::builtin_sources();
        let womma = builtin.iter().find(|s| s.name == "builtin:womma.yaml").expect("the core pack").clone();
        let edited = PackSource { name: "womma.yaml".to_owned(), builtin: false, ..womma };
        let mut builder = RuleSetBuilder::with_sources(Profile::Union, builtin.clone());
        builder.add_replacing_builtin(edited.clone());
        assert_eq!(builder.sources().len(), builtin.len());
        assert_eq!(builder.sources().first().map(|s| s.name.as_str()), Some("womma.yaml"), "in the core pack's place");
        let rules = builder.build().expect("no pack is loaded twice");
        assert!(rules.packs.iter().any(|p| p.id == "womma" && !p.builtin));
        // Added beside the built-in one, it is loaded twice.
        let mut twice = RuleSetBuilder::with_sources(Profile::Union, builtin);
        twice.add(edited);
        let errors = twice.build().expect_err("loaded twice");
        assert!(errors[0].help.as_deref().is_some_and(|h| h.contains("test-rules")), "{errors:?}");
    }

    #[test]
    fn every_converted_builtin_pack_reads_as_json() {
        for source in crate::rules::builtin_sources_converted() {
            let json = source.converted.unwrap_or_default();
            if let Err(err) = serde_json::from_str::<RawPack>(json) {
                panic!("{} does not read from its JSON form: {err}", source.name);
            }
        }
    }
}

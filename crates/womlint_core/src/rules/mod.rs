//! Rule packs: YAML data compiled once per run into a [`RuleSet`].
//!
//! A pack names vocabularies (pattern lists per language), platforms (where the "more"
//! cut-off falls), traits (document classifications such as "explainer" or "brief") and rules.
//! Rules choose one of a closed set of check kinds ([`CheckKind`]) and parametrise it; the
//! engine in [`crate::lint`] runs them. Nothing here knows about the command line or miette.

mod builtin;
mod coarse;
mod explain;
mod factor;
mod fragments;
mod matcher;
mod pack;
mod rewrite;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

pub use builtin::{BUILTIN_PACKS, builtin_digest, builtin_sources, builtin_sources_converted};
pub use explain::{ExplainFormat, explain};
pub use matcher::{Candidates, Gate, Matcher, MatcherId, MatcherSet, Prefilter};
pub use pack::{PackError, PackSource, RuleSetBuilder};
pub(crate) use pack::{normalize_bool, not_yaml_text};

use crate::document::Lang;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!("unknown severity `{other}` (expected error, warning or info)")),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The WOMMA principle a rule protects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Principle {
    Relationship,
    Opinion,
    Identity,
    /// womlint's own rules about the input (waivers, front matter).
    Womlint,
}

impl Principle {
    pub fn as_str(self) -> &'static str {
        match self {
            Principle::Relationship => "relationship",
            Principle::Opinion => "opinion",
            Principle::Identity => "identity",
            Principle::Womlint => "womlint",
        }
    }
}

impl FromStr for Principle {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "relationship" => Ok(Principle::Relationship),
            "opinion" => Ok(Principle::Opinion),
            "identity" => Ok(Principle::Identity),
            other => Err(format!("unknown principle `{other}` (expected relationship, opinion or identity)")),
        }
    }
}

/// The part of a document a rule looks at as one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Document,
    Post,
    /// The blocks from one heading to the next within a post (`## Script`, `## Description`).
    Section,
    Paragraph,
    Sentence,
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The repair keeps the meaning: `--fix` applies it.
    Safe,
    /// The repair states something the tool cannot know (that a post is paid): only
    /// `--unsafe-fixes` applies it.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// The repairs the engine can make; a rule offers one with `fix:` in its pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// The weak label the finding points at is replaced by the rule's `suggest` label.
    ReplaceLabel,
    /// The late label the finding points at is moved to the start of the post.
    MoveLabelFirst,
    /// The rule's `suggest` label is inserted at the start of the post.
    InsertLabel,
}

impl FixKind {
    pub const NAMES: [&str; 3] = ["replace-label", "move-label-first", "insert-label"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "replace-label" => Some(FixKind::ReplaceLabel),
            "move-label-first" => Some(FixKind::MoveLabelFirst),
            "insert-label" => Some(FixKind::InsertLabel),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::ReplaceLabel => "replace-label",
            FixKind::MoveLabelFirst => "move-label-first",
            FixKind::InsertLabel => "insert-label",
        }
    }

    /// How sure the repair is when the pack does not say: a label that is replaced or moved
    /// keeps what the post already says; one that is inserted says the post is paid.
    pub fn default_applicability(self) -> Applicability {
        match self {
            FixKind::ReplaceLabel | FixKind::MoveLabelFirst => Applicability::Safe,
            FixKind::InsertLabel => Applicability::Unsafe,
        }
    }
}

/// The repair a rule offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RuleFix {
    pub kind: FixKind,
    pub applicability: Applicability,
}

/// The closed set of checks the engine knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// A `when` match is flagged unless something in `unless` is in the same scope.
    Forbidden,
    /// A trigger requires a disclosure (`unless`) in the same scope.
    RequireDisclosure,
    /// A weak label is the only label; `suggest` names the clear one.
    AmbiguousLabel,
    /// A label exists but only late: after the fold, or buried in trailing hashtags.
    Placement,
    /// A block repeats the words of an earlier block of the same scope unit (a testimonial
    /// given twice, under two names).
    Repeated,
    /// As `forbidden`, when a `requires` match names an owner (the capitalised word after it:
    /// "a trading name of Dormio Sleep Ltd") that the unit also names elsewhere: a page that
    /// calls itself independent while its owner's products are on it.
    OwnerPromoted,
}

/// Which placement problem a `placement` rule reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlacementKind {
    /// Every label comes after the platform's fold (or after the first trigger).
    Fold,
    /// Every label is buried in a trailing cluster of hashtags.
    HashtagCluster,
}

/// How many findings a rule reports per scope unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Report {
    /// One finding at the first trigger; the others are labelled "also here".
    #[default]
    First,
    /// One finding per trigger (each claim is its own problem).
    Each,
}

/// A market whose rules can be selected with `--jurisdiction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Market {
    Us,
    Uk,
    It,
    Eu,
}

impl Market {
    pub const ALL: [Market; 4] = [Market::Us, Market::Uk, Market::It, Market::Eu];

    pub fn as_str(self) -> &'static str {
        match self {
            Market::Us => "us",
            Market::Uk => "uk",
            Market::It => "it",
            Market::Eu => "eu",
        }
    }
}

impl FromStr for Market {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "us" => Ok(Market::Us),
            "uk" | "gb" => Ok(Market::Uk),
            "it" => Ok(Market::It),
            "eu" => Ok(Market::Eu),
            other => Err(format!("unknown market `{other}` (expected us, uk, it or eu)")),
        }
    }
}

/// Which labels count as a disclosure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// A label counts if any market accepts it.
    #[default]
    Union,
    /// A label counts if this market accepts it; the market's extra rules run.
    Market(Market),
    /// A label counts only if every market accepts it.
    Strict,
}

impl Profile {
    /// Whether a label accepted in `markets` counts under this profile.
    pub fn accepts(self, markets: &[Market]) -> bool {
        match self {
            Profile::Union => !markets.is_empty(),
            Profile::Market(market) => markets.contains(&market),
            Profile::Strict => Market::ALL.iter().all(|m| markets.contains(m)),
        }
    }

    /// Whether a rule limited to `markets` runs under this profile.
    pub fn runs(self, markets: &[Market]) -> bool {
        match self {
            _ if markets.is_empty() => true,
            Profile::Market(market) => markets.contains(&market),
            Profile::Strict => true,
            Profile::Union => false,
        }
    }
}

/// A text in English and Italian (either may be missing; the other is used then).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Localized {
    pub en: Option<Arc<str>>,
    pub it: Option<Arc<str>>,
}

impl Localized {
    pub fn plain(text: impl Into<Arc<str>>) -> Self {
        Localized { en: Some(text.into()), it: None }
    }

    pub fn get(&self, lang: Lang) -> &str {
        self.pick(lang).map_or("", |text| text)
    }

    /// The text in `lang` (or the other language), shared rather than copied.
    pub fn shared(&self, lang: Lang) -> Arc<str> {
        self.pick(lang).cloned().unwrap_or_else(|| Arc::from(""))
    }

    fn pick(&self, lang: Lang) -> Option<&Arc<str>> {
        let (first, second) = match lang {
            Lang::En => (&self.en, &self.it),
            Lang::It => (&self.it, &self.en),
        };
        first.as_ref().or(second.as_ref())
    }

    pub fn is_empty(&self) -> bool {
        self.en.is_none() && self.it.is_none()
    }
}

/// A law, code or guide a rule rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The citation with its section: `16 CFR 255.5`.
    pub cite: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cite)?;
        if let Some(title) = &self.title {
            write!(f, " ({title})")?;
        }
        Ok(())
    }
}

/// One example of a rule: text it must flag or must pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub text: String,
    pub must_flag: bool,
    /// The text of the expected primary span.
    pub span: Option<String>,
    pub lang: Option<Lang>,
    pub profile: Option<Profile>,
    /// 1-based line of the example in its pack.
    pub line: usize,
}

/// A front-matter condition: the key's value is one of `values` (`*`: the key is present).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatterCondition {
    pub key: String,
    pub values: Vec<String>,
}

/// Where `when` patterns are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchTarget {
    Prose,
    /// Link destinations.
    Links,
    /// The alt text of images.
    Alt,
}

/// A compiled rule: data only.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub pack: String,
    pub principle: Principle,
    pub severity: Severity,
    pub scope: Scope,
    pub check: CheckKind,
    pub placement: Option<PlacementKind>,
    pub report: Report,
    pub when: Vec<MatcherId>,
    pub when_front_matter: Vec<FrontMatterCondition>,
    pub search: Vec<SearchTarget>,
    pub requires: Vec<MatcherId>,
    /// When set, a `requires` match counts only within this many visible characters of the
    /// trigger (before or after it), in the same scope unit.
    pub within: Option<usize>,
    pub requires_front_matter: Vec<FrontMatterCondition>,
    pub unless: Vec<MatcherId>,
    pub filter: Vec<FrontMatterCondition>,
    pub filter_not: Vec<FrontMatterCondition>,
    pub traits: Vec<usize>,
    pub skip_traits: Vec<usize>,
    pub markets: Vec<Market>,
    pub suggest: Localized,
    /// The repair the rule offers (`fix:` in the pack).
    pub fix: Option<RuleFix>,
    pub message: Localized,
    pub help: Localized,
    pub references: Vec<Reference>,
    pub examples: Vec<Example>,
    /// 1-based line of the rule in its pack.
    pub line: usize,
}

/// A document classification rules can depend on.
#[derive(Clone, Debug)]
pub struct Trait {
    pub name: String,
    pub scope: Scope,
    pub front_matter: Vec<FrontMatterCondition>,
    pub titles: Vec<MatcherId>,
    pub headings: Vec<MatcherId>,
    pub patterns: Vec<MatcherId>,
    pub unless: Vec<MatcherId>,
}

/// What `womlint rules` lists about a pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackInfo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub path: String,
    pub builtin: bool,
}

/// Every enabled rule, compiled and ready to run.
#[derive(Debug)]
pub struct RuleSet {
    pub packs: Vec<PackInfo>,
    pub rules: Vec<Rule>,
    pub traits: Vec<Trait>,
    pub matchers: Vec<Matcher>,
    /// Platform name → fold in visible characters (`None`: before the first trigger).
    pub platforms: BTreeMap<String, Option<usize>>,
    pub negator: Option<MatcherId>,
    pub mention_cue: Option<MatcherId>,
    /// Cues that govern the words just before them ("… is not a disclosure").
    pub mention_cue_after: Option<MatcherId>,
    /// Words that introduce someone else's words ("the caption read", "ha scritto"): the
    /// quotation they open is reported, not said by the author.
    pub quote_cue: Option<MatcherId>,
    /// Family and friends as givers ("my wife", "mia madre"): a gift they give is not a
    /// connection with a brand (see [`Matcher::giver_reach`]).
    pub personal_giver: Option<MatcherId>,
    /// What a seller sends back for a fault ("una base nuova", "a replacement", "a refund"):
    /// sent right after a match of a list with a giver reach, it is no gift.
    pub replacement_goods: Option<MatcherId>,
    /// Words that turn a negator before them into a request ("don't forget", "non esitate").
    pub negation_idiom: Option<MatcherId>,
    /// A negated imperative that opens a clause ("Non chiedete", "Don't ask", "Avoid"): what
    /// the clause names is forbidden, not done.
    pub prohibiting: Option<MatcherId>,
    /// A verdict of prohibition right after a practice ("are banned", "sono vietati").
    pub prohibited_after: Option<MatcherId>,
    pub profile: Profile,
    /// Built on first use: a run over one or two files never needs it.
    pub(crate) prefilter: OnceLock<Prefilter>,
    /// What the prefilter is built from.
    pub(crate) prefilter_gates: Vec<matcher::RuleGate>,
    /// womlint's own rules (waivers, front matter) switched off by configuration.
    pub disabled_meta: Vec<String>,
    /// Which lists can match a block, when prepared (see [`RuleSet::prepare_gate`]).
    pub gate: OnceLock<Gate>,
}

impl RuleSet {
    /// The raw-text prefilter (built on first use).
    pub fn prefilter(&self) -> &Prefilter {
        self.prefilter.get_or_init(|| Prefilter::build(&self.prefilter_gates))
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }

    /// Builds the [`Gate`] that lets the engine skip the lists that cannot match a block (and
    /// so never compile them). It costs a few milliseconds (every pattern is parsed), less than
    /// compiling the trigger lists of the built-in packs; findings are the same without it.
    pub fn prepare_gate(&self) -> &Gate {
        self.prepare_gate_for(false)
    }

    /// [`RuleSet::prepare_gate`], for a run over `many_files` (a gate that is slower to build
    /// and faster to run).
    pub fn prepare_gate_for(&self, many_files: bool) -> &Gate {
        self.gate.get_or_init(|| {
            // Only the lists run over whole blocks are worth looking for; the others (titles,
            // headings, negators, mention cues, links) run over a few words at most.
            let mut over_blocks = vec![false; self.matchers.len()];
            // When few files are checked, the lists run over links are looked for too (in
            // link destinations and alt text), so that they are narrowed like the others.
            let searched =
                |rule: &Rule| rule.search.contains(&SearchTarget::Prose) || (!many_files && !rule.search.is_empty());
            let rule_lists = self.rules.iter().flat_map(|rule| {
                let when = if searched(rule) { &rule.when[..] } else { &[] };
                when.iter().chain(&rule.requires).chain(&rule.unless)
            });
            let trait_lists = self.traits.iter().flat_map(|t| t.patterns.iter().chain(&t.unless));
            for id in rule_lists.chain(trait_lists) {
                if let Some(slot) = over_blocks.get_mut(id.0) {
                    *slot = true;
                }
            }
            let windows: Vec<MatcherId> = (0..self.matchers.len())
                .filter(|i| !over_blocks.get(*i).copied().unwrap_or(true))
                .map(MatcherId)
                .collect();
            Gate::build(&self.matchers, &windows, many_files)
        })
    }

    /// Prepares part `part` of what a run over many files needs before its first finding: part
    /// 0 is the gate, part `1 + i` list `i`'s regex. Threads that take parts in turn (each
    /// number once) prepare the whole run at once instead of waiting on each other for every
    /// list as their first documents reach it. Returns false past the last part.
    pub fn prepare_part(&self, part: usize) -> bool {
        match part.checked_sub(1) {
            None => {
                self.prepare_gate_for(true);
                true
            }
            Some(list) => self.matchers.get(list).map(Matcher::prepare).is_some(),
        }
    }

    pub fn matcher(&self, id: MatcherId) -> &Matcher {
        // Ids are only ever made by the builder, as indexes into this vector.
        &self.matchers[id.0]
    }
}

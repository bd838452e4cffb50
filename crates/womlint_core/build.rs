//! Embeds every rule pack in `rules/` into the binary, so womlint works with no files around
//! it, and a new built-in pack is a new YAML file with no Rust to write.
//!
//! Each pack is also converted to JSON, which reads about ten times faster than YAML: a run
//! that checks copy reads the built-in packs that way, without the rules' examples (tests,
//! `explain` and `test-rules` read the YAML, which gives line numbers and has the examples).
//!
//! It also computes, once, the gate clauses of every built-in pattern (the literal fragments
//! each of its matches contains; see `src/rules/fragments.rs`, included here): analysing every
//! pattern with `regex-syntax` would otherwise be the largest part of checking one file.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use sha2::Digest as _;

#[allow(dead_code)]
#[path = "src/rules/rewrite.rs"]
mod rewrite;

#[allow(dead_code)]
#[path = "src/rules/fragments.rs"]
mod fragments;

/// The keys under which a pack lists patterns (vocab languages, trait and rule pattern lists).
const PATTERN_KEYS: [&str; 9] = ["en", "it", "any", "titles", "headings", "patterns", "when", "requires", "unless"];

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/rewrite.rs");
    println!("cargo:rerun-if-changed=src/rules/fragments.rs");
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let rules = Path::new(&manifest).join("rules");
    let mut packs: Vec<PathBuf> = fs::read_dir(&rules)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect()
        })
        .unwrap_or_default();
    // The core pack comes first: its vocabulary is what other packs fall back on.
    packs.sort_by_key(|p| (p.file_name().is_none_or(|n| n != "womma.yaml"), p.clone()));
    let mut code = String::from(
        "/// The built-in packs: file name, YAML text, and the same pack as JSON (when it converts).\n\
         pub static BUILTIN_PACKS: &[(&str, &str, Option<&str>)] = &[\n",
    );
    let mut patterns = BTreeSet::new();
    // The audit trail names each pack by the SHA-256 of its text: for a built-in pack it is
    // known now, and hashing the packs at every run was a fifth of checking one file.
    let mut digests = String::from(
        "/// The SHA-256 of each built-in pack's YAML text, in hexadecimal, by file name.\n\
         pub static BUILTIN_DIGESTS: &[(&str, &str)] = &[\n",
    );
    for path in &packs {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // A pack that does not parse is reported when womlint loads its YAML; here it only has
        // no JSON form and no clauses computed ahead.
        let parsed =
            fs::read_to_string(path).ok().and_then(|text| serde_saphyr::from_str::<serde_json::Value>(&text).ok());
        // Checking copy needs no rule examples, a quarter of the text: `explain`, `test-rules`
        // and the tests read the YAML.
        let json = parsed.as_ref().and_then(|pack| serde_json::to_string(&without_examples(pack)).ok());
        let _ = writeln!(code, "    ({name:?}, include_str!({:?}), {json:?}),", path.display().to_string());
        let digest: String = fs::read(path)
            .map(|bytes| sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
            .unwrap_or_default();
        let _ = writeln!(digests, "    ({name:?}, {digest:?}),");
        if let Some(pack) = parsed {
            collect_patterns(&pack, None, &mut patterns);
        }
    }
    code.push_str("];\n\n");
    digests.push_str("];\n\n");
    code.push_str(&digests);
    code.push_str(&clause_table(&patterns));
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned())).join("builtin_packs.rs");
    if let Err(err) = fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {err}", out.display());
    }
}

/// `pack` with no `examples:` in its rules.
fn without_examples(pack: &serde_json::Value) -> serde_json::Value {
    let mut pack = pack.clone();
    if let Some(rules) = pack.get_mut("rules").and_then(serde_json::Value::as_array_mut) {
        for rule in rules.iter_mut().filter_map(serde_json::Value::as_object_mut) {
            rule.remove("examples");
        }
    }
    pack
}

/// Every string listed under one of [`PATTERN_KEYS`], as written and trimmed (a vocab
/// reference such as `$disclosure_ad` is not a pattern).
fn collect_patterns(value: &serde_json::Value, key: Option<&str>, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                collect_patterns(value, Some(key), out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_patterns(item, key, out);
            }
        }
        serde_json::Value::String(text)
            if key.is_some_and(|k| PATTERN_KEYS.contains(&k)) && !text.trim().starts_with('$') =>
        {
            out.insert(text.clone());
            out.insert(text.trim().to_owned());
        }
        _ => {}
    }
}

/// `BUILTIN_PATTERNS`: each pattern's gate clauses and raw-text prefilter fragments, sorted by
/// pattern for a binary search.
fn clause_table(patterns: &BTreeSet<String>) -> String {
    let mut code = String::from(
        "/// The gate clauses and prefilter fragments of every built-in pattern, by pattern (sorted).\n\
         static BUILTIN_PATTERNS: &[PatternFacts] = &[\n",
    );
    for pattern in patterns {
        let clauses = match fragments::pattern_clauses(pattern) {
            None => "None".to_owned(),
            Some(clauses) => {
                let inner: Vec<String> = clauses
                    .iter()
                    .map(|clause| {
                        let fragments: Vec<String> = clause
                            .iter()
                            .map(|f| format!("({:?}, Edge::{:?}, Edge::{:?})", f.text, f.before, f.after))
                            .collect();
                        format!("&[{}]", fragments.join(", "))
                    })
                    .collect();
                format!("Some(&[{}])", inner.join(", "))
            }
        };
        let raw = match fragments::raw_fragments(pattern) {
            None => "None".to_owned(),
            Some(raw) => format!("Some(&{raw:?})"),
        };
        let _ = writeln!(code, "    PatternFacts {{ pattern: {pattern:?}, clauses: {clauses}, raw: {raw} }},");
    }
    code.push_str("];\n");
    code
}

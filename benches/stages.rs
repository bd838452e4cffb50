//! Where the time of a run goes, stage by stage, on one corpus (single thread).
//!
//! ```sh
//! cargo bench --bench stages -- /tmp/womlint-bench/corpus-small
//! ```
//!
//! Stages: pack compilation, walking and reading, the raw-text prefilter, Markdown parsing,
//! linting, the cost of each pattern list, and the Unicode `\b` trap (the built-in pattern
//! lists compiled with `(?i)\b(?:…)\b` against the engine's boundary check in code).

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use regex::RegexBuilder;
use womlint::document::Document;
use womlint::input::{self, WalkOptions};
use womlint::lint::{lint, may_have_findings};
use womlint::rules::{Profile, RuleSet, RuleSetBuilder, builtin_sources};

const MIB: f64 = 1024.0 * 1024.0;

fn rules() -> RuleSet {
    RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().unwrap()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn rate(bytes: usize, d: Duration) -> String {
    format!("{:.0} MiB/s", bytes as f64 / MIB / d.as_secs_f64().max(1e-9))
}

fn main() {
    let corpus = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(|| PathBuf::from("/tmp/womlint-bench/corpus-small"), PathBuf::from);
    if !corpus.is_dir() {
        println!("stages: {} is not a folder (generate it with bench/run.sh); nothing to do", corpus.display());
        return;
    }

    // Pack compilation: what start-up costs, lazily (as a run does) and with every list compiled.
    let lazy = median((0..7).map(|_| time(|| drop(rules()))).collect());
    let eager = median(
        (0..3)
            .map(|_| {
                time(|| {
                    let rules = rules();
                    for m in &rules.matchers {
                        m.compile().unwrap();
                    }
                })
            })
            .collect(),
    );
    let rules = rules();
    println!("packs: {} rules, {} pattern lists", rules.rules.len(), rules.matchers.len());
    match &rules.prefilter().disabled_by {
        Some(reason) => println!("  prefilter: off ({reason})"),
        None => println!("  prefilter: {} literal fragments", rules.prefilter().fragments),
    }
    println!("  compile packs, lists compiled on first use:  {}", ms(lazy));
    println!("  compile packs and every list:                {}", ms(eager));
    let all = crate::rules();
    // Each list compiled alone, in a fresh rule set: what its first use costs a run.
    let fresh = crate::rules();
    let mut per_list: Vec<(Duration, &str)> =
        fresh.matchers.iter().map(|m| (time(|| m.compile().unwrap()), m.name.as_str())).collect();
    per_list.sort_by_key(|p| std::cmp::Reverse(p.0));
    println!("  the lists that cost most to compile:");
    for (d, name) in per_list.iter().take(12) {
        println!("    {:>9}  {name}", ms(*d));
    }
    let memory: usize = all.matchers.iter().map(|m| m.compile().map(|()| m.memory_usage()).unwrap()).sum();
    println!("  every list compiled takes {:.1} MiB (automata, without per-thread caches)", memory as f64 / MIB);

    let start = Instant::now();
    let (candidates, _) = input::collect(std::slice::from_ref(&corpus), &WalkOptions::default());
    let walk = start.elapsed();
    let start = Instant::now();
    let inputs: Vec<_> = candidates.iter().filter_map(|c| input::read(c, input::DEFAULT_MAX_FILE_SIZE).ok()).collect();
    let read = start.elapsed();
    let total: usize = inputs.iter().map(|i| i.text.len()).sum();
    println!("corpus: {} files, {:.1} MiB", inputs.len(), total as f64 / MIB);
    println!("  walk: {}   read: {} ({})", ms(walk), ms(read), rate(total, read));

    let start = Instant::now();
    let passing: Vec<_> = inputs.iter().filter(|i| may_have_findings(&i.text, &rules)).collect();
    let prefilter = start.elapsed();
    let passing_bytes: usize = passing.iter().map(|i| i.text.len()).sum();
    println!(
        "  prefilter: {} ({}); lets through {} of {} files, {:.1} of {:.1} MiB",
        ms(prefilter),
        rate(total, prefilter),
        passing.len(),
        inputs.len(),
        passing_bytes as f64 / MIB,
        total as f64 / MIB
    );

    let start = Instant::now();
    let docs: Vec<Document> = passing.iter().map(|i| Document::parse(i.path.clone(), i.text.clone())).collect();
    let parse = start.elapsed();
    let blocks: usize = docs.iter().map(|d| d.blocks.len()).sum();
    println!("  parse (files that pass): {} ({}), {blocks} blocks", ms(parse), rate(passing_bytes, parse));
    // The gate is built before linting, as `womlint check` does over a tree.
    let start = Instant::now();
    let gate = rules.prepare_gate_for(true);
    let gate_build = start.elapsed();
    let start = Instant::now();
    let findings: usize = docs.iter().map(|d| lint(d, &rules).len()).sum();
    let linting = start.elapsed();
    println!("  lint: {} ({}), {findings} findings", ms(linting), rate(passing_bytes, linting));

    // Each list's raw pre-test over the blocks the gate lets through: what linting pays per list
    // (lists run only over titles, headings or a few words are left out).
    let all_blocks: Vec<_> = docs.iter().flat_map(|d| &d.blocks).collect();
    let start = Instant::now();
    let sets: Vec<_> = all_blocks.iter().map(|b| gate.candidates(&b.text)).collect();
    let gating = start.elapsed();
    println!("  gate: built in {}, {} over {} blocks", ms(gate_build), ms(gating), all_blocks.len());
    let mut per_list: Vec<(Duration, usize, usize, &str)> = rules
        .matchers
        .iter()
        .enumerate()
        .filter(|(i, _)| gate.runs_over_blocks(womlint::rules::MatcherId(*i)))
        .map(|(i, m)| {
            let id = womlint::rules::MatcherId(i);
            let start = Instant::now();
            let mut through = 0;
            let mut hits = 0;
            for (block, set) in all_blocks.iter().zip(&sets) {
                if set.contains(id) {
                    through += 1;
                    hits += usize::from(m.is_match_raw(&block.text));
                }
            }
            (start.elapsed(), through, hits, m.name.as_str())
        })
        .collect();
    per_list.sort_by_key(|p| std::cmp::Reverse(p.0));
    let sum: Duration = per_list.iter().map(|p| p.0).sum();
    println!("  raw pre-test of every list on the blocks the gate lets through: {} in all; the costliest:", ms(sum));
    for (d, through, hits, name) in per_list.iter().take(12) {
        println!("    {:>9}  {through:>7} blocks through, {hits:>6} match  {name}", ms(*d));
    }

    // The same pre-test with each list fresh (compiled, its lazy DFA empty) against the pass
    // above, whose DFA was filled: what each list's determinization costs a run's first pass.
    let fresh = crate::rules();
    let mut fill: Vec<(Duration, &str)> = per_list
        .iter()
        .filter_map(|(warm, _, _, name)| {
            let (i, m) = fresh.matchers.iter().enumerate().find(|(_, m)| m.name == *name)?;
            m.compile().ok()?;
            let id = womlint::rules::MatcherId(i);
            let cold = time(|| {
                for (block, set) in all_blocks.iter().zip(&sets) {
                    if set.contains(id) {
                        black_box(m.is_match_raw(&block.text));
                    }
                }
            });
            Some((cold.saturating_sub(*warm), *name))
        })
        .collect();
    fill.sort_by_key(|p| std::cmp::Reverse(p.0));
    let sum: Duration = fill.iter().map(|p| p.0).sum();
    println!(
        "  filling the lazy DFAs (a fresh list's pre-test less a filled one's): {} in all; the costliest:",
        ms(sum)
    );
    for (d, name) in fill.iter().take(12) {
        println!("    {:>9}  {name}", ms(*d));
    }

    // The trap: Unicode `\b` with `(?i)`, on the prose of the Italian-heavy corpus (first 4 MiB).
    let mut sample = String::new();
    for block in docs.iter().flat_map(|d| &d.blocks) {
        if sample.len() > 4 * 1024 * 1024 {
            break;
        }
        sample.push_str(&block.text);
        sample.push('\n');
    }
    let (mut with_b, mut in_code, mut n) = (Duration::ZERO, Duration::ZERO, 0);
    for m in &rules.matchers {
        let Ok(unicode_b) = RegexBuilder::new(&format!(r"\b(?:{})\b", m.alternation()))
            .case_insensitive(true)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
        else {
            continue;
        };
        n += 1;
        with_b += time(|| {
            black_box(unicode_b.find_iter(&sample).count());
        });
        in_code += time(|| {
            black_box(m.find_iter(&sample).count());
        });
    }
    println!(
        "trap, {n} lists on {:.1} MiB of prose: (?i) + Unicode \\b in the regex {} vs boundary in code {} ({:.0}x)",
        sample.len() as f64 / MIB,
        ms(with_b),
        ms(in_code),
        with_b.as_secs_f64() / in_code.as_secs_f64().max(1e-9)
    );
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

//! The report is the same whatever the number of worker threads: same bytes on standard
//! output, same messages on standard error, same exit code.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

/// A pack of its own (vocab names that no built-in pack uses), so the tree has findings
/// whatever packs are built in.
const PACK: &str = r##"
pack: determinism
title: Determinism test pack
description: Rules with findings on the generated tree.
vocab:
  det_label:
    en: ['#ad', 'paid partnership with @?\w+']
    it: ['#adv', 'pubblicità']
    accepted_in: [us, uk, it, eu]
  det_weak:
    en: ['#sp', '#spon']
  det_trigger:
    en: ['gifted', 'sent me']
    it: ['mi ha mandato', 'regalato']
    any: ['code (?-i:[A-Z][A-Z0-9]{3,})', 'amzn\.to/']
rules:
  - id: relationship/det-undisclosed
    principle: relationship
    severity: error
    check: require-disclosure
    when: [$det_trigger]
    search: [prose, links]
    unless: [$det_label, $det_weak]
    message: Connection not disclosed
    examples:
      - flag: "Glowco sent me this serum"
      - pass: "#ad Glowco sent me this serum"
  - id: relationship/det-ambiguous
    principle: relationship
    severity: warning
    check: ambiguous-label
    when: [$det_weak]
    requires: [$det_trigger]
    unless: [$det_label]
    suggest: { en: '#ad', it: '#adv' }
    message: Only an ambiguous label
    examples:
      - flag: "#sp Glowco sent me this"
      - pass: "#sp #ad Glowco sent me this"
  - id: relationship/det-buried
    principle: relationship
    severity: warning
    check: placement
    placement: hashtag-cluster
    when: [$det_label]
    requires: [$det_trigger]
    message: Label buried in hashtags
    examples:
      - flag: "Glowco sent me this lovely serum #skin #glow #night #care #ad"
      - pass: "#ad Glowco sent me this lovely serum #skin #glow #night"
  - id: opinion/det-results
    principle: opinion
    severity: warning
    scope: sentence
    check: forbidden
    when: ['lost \d+ ?kg']
    message: Atypical result
    examples:
      - flag: "I lost 12 kg in 14 days"
      - pass: "I lost my keys"
"##;

/// Sentences that trigger, disclose, mention or say nothing, in English and Italian.
const SENTENCES: &[&str] = &[
    "Glowco sent me this serum and I love it.",
    "#ad Glowco sent me this serum.",
    "Use code GLOW20 for 20% off!",
    "Usa il codice GIULIA10 per lo sconto.",
    "Me l'hanno regalato, provatelo!",
    "Pubblicità: la crema mi è stata regalata.",
    "Shop it here: [the tent](https://amzn.to/x?tag=me-21).",
    "Hashtags like #sp or #spon are not valid.",
    "This is NOT an #ad, I bought it myself.",
    "Not sponsored! Use code GLOW20.",
    "A quiet morning walk by the lake, coffee in hand.",
    "Una passeggiata in città, un caffè e via.",
    "#sp thanks @glowco for the gifted set",
    "I lost 12 kg in 14 days with this plan!",
    "Paid partnership with @glowco. Gifted by the brand.",
    "In *collaborazione*\ncon @brand, mi ha mandato questo kit.",
    "`#ad` in code does not count; R&amp;D \\#ad does.",
    "#skin #glow #night #care #ad",
];

/// A small deterministic random generator (no dependency needed for a test tree).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn write_tree(root: &Path) {
    let mut rng = Lcg(42);
    for i in 0..160 {
        let dir = root.join(format!("d{}", rng.next(6))).join(format!("s{}", rng.next(4)));
        std::fs::create_dir_all(&dir).expect("create a folder");
        let markdown = rng.next(4) != 0;
        let mut text = String::new();
        if markdown && rng.next(3) == 0 {
            let platform = ["instagram", "tiktok", "blog"][rng.next(3)];
            let sponsored = if rng.next(4) == 0 { "sponsored: true\n" } else { "" };
            let _ = write!(text, "---\nplatform: {platform}\n{sponsored}---\n");
        }
        for post in 0..1 + rng.next(4) {
            if markdown && post > 0 {
                let _ = writeln!(text, "\n## Post {} — Instagram\n", post + 1);
            } else if post > 0 {
                text.push_str("\n---\n");
            }
            for _ in 0..1 + rng.next(5) {
                text.push_str(SENTENCES[rng.next(SENTENCES.len())]);
                text.push_str(if rng.next(3) == 0 { "\n\n" } else { " " });
            }
        }
        if rng.next(10) == 0 {
            text = text.replace('\n', "\r\n");
        }
        let ext = if markdown { "md" } else { "txt" };
        std::fs::write(dir.join(format!("file {i}.{ext}")), text).expect("write a file");
    }
    // Exports over 1 MiB, which are checked one at a time, among the small files.
    for (name, markdown) in [("d1/export.md", true), ("d3/transcripts.txt", false)] {
        let mut text = String::new();
        let mut post = 0;
        while text.len() <= 1024 * 1024 + 4096 {
            post += 1;
            let _ = write!(
                text,
                "{}",
                if markdown { format!("\n## Post {post} — TikTok\n\n") } else { "\n---\n".to_owned() }
            );
            for _ in 0..1 + rng.next(6) {
                text.push_str(SENTENCES[rng.next(SENTENCES.len())]);
                text.push_str(if rng.next(2) == 0 { "\n\n" } else { " " });
            }
        }
        std::fs::create_dir_all(root.join(name).parent().expect("a folder")).expect("create a folder");
        std::fs::write(root.join(name), text).expect("write a file");
    }
    std::fs::create_dir_all(root.join("d0")).expect("create a folder");
    std::fs::write(root.join("d0/empty.md"), "").expect("write a file");
    std::fs::write(root.join("d0/latin1.md"), b"caff\xe8 regalato\n").expect("write a file");
}

fn run(root: &Path, pack: &Path, format: &str, threads: usize) -> Output {
    let pack = pack.to_string_lossy();
    Command::new(env!("CARGO_BIN_EXE_womlint"))
        .args(["check", "--format", format, "--pack", &pack, "--threads", &threads.to_string(), "."])
        .current_dir(root)
        .output()
        .expect("run womlint")
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path());
    let pack_dir = tempfile::tempdir().unwrap();
    let pack = pack_dir.path().join("determinism.yaml");
    std::fs::write(&pack, PACK).unwrap();
    for format in ["json", "compact", "html", "markdown"] {
        let reference = run(tmp.path(), &pack, format, 1);
        assert_eq!(reference.status.code(), Some(2), "the non-UTF-8 file makes the run exit 2");
        if format == "json" {
            let json: serde_json::Value = serde_json::from_slice(&reference.stdout).unwrap();
            assert_eq!(json["files_checked"], 163);
            let diagnostics = json["diagnostics"].as_array().map_or(&[][..], Vec::as_slice);
            assert!(diagnostics.len() > 50, "the tree must have findings, not {}", diagnostics.len());
            for big in ["d1/export.md", "d3/transcripts.txt"] {
                let in_big = diagnostics.iter().filter(|d| d["path"] == big).count();
                assert!(in_big > 1000, "{big} must have findings, not {in_big}");
            }
        }
        for threads in [2, 8] {
            let other = run(tmp.path(), &pack, format, threads);
            assert_eq!(other.status.code(), reference.status.code(), "{format}, {threads} threads: exit code");
            assert!(other.stdout == reference.stdout, "{format}, {threads} threads: standard output differs");
            assert!(other.stderr == reference.stderr, "{format}, {threads} threads: standard error differs");
        }
    }
}

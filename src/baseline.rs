//! Baselines: the findings an archive already had when womlint was adopted, recorded so that
//! a run reports only new ones.
//!
//! A finding is recorded by its fingerprint: its rule, its file's path, the words its primary
//! span covers (lowercased, runs of white space made one space) and how many findings of the
//! same rule on the same words come before it in the file. Lines added above it and edits
//! elsewhere in the file leave it as it is. SARIF's `partialFingerprints` publish the same
//! value.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::report::{FileReport, Located};

/// The version of the baseline file format.
pub const VERSION: u32 = 1;

pub use crate::finding::normalized_words as normalize;

/// The fingerprint of each finding of a file, in order, with `path` as the file's name.
pub fn fingerprints(path: &str, findings: &[Located]) -> Vec<String> {
    let mut seen: HashMap<(&str, String), usize> = HashMap::new();
    findings
        .iter()
        .map(|l| {
            let words = normalize(&l.excerpt);
            let ordinal = seen.entry((&*l.finding.rule, words.clone())).or_insert(0);
            *ordinal += 1;
            fingerprint(&l.finding.rule, path, &words, *ordinal)
        })
        .collect()
}

fn fingerprint(rule: &str, path: &str, words: &str, ordinal: usize) -> String {
    format!("{:016x}", fnv1a(&format!("{rule}\u{0}{path}\u{0}{words}\u{0}{ordinal}")))
}

/// FNV-1a, 64 bits: small, stable across versions and platforms.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The file, relative to the baseline file's folder, with `/` separators.
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// The words the finding pointed at, for the person who reviews the file.
    pub words: String,
}

/// The baseline file: sorted, pretty JSON, fine to commit and review.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// A baseline read from its file, and what matched it.
#[derive(Debug)]
pub struct Baseline {
    /// The folder paths are relative to.
    dir: PathBuf,
    /// Fingerprints by path.
    entries: BTreeMap<String, BTreeSet<String>>,
}

/// What a baseline did to one file's findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings left out because the baseline holds them.
    pub known: usize,
    /// Entries of the file that matched no finding: the copy changed or was fixed.
    pub stale: usize,
}

impl Baseline {
    /// Reads the baseline at `path` (absolute). The error names the file and says why.
    pub fn read(path: &Path, shown: &str) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("baseline {shown}: cannot be read: {e}"))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!("baseline {shown}: not a womlint baseline ({e}); write one with `womlint check --write-baseline {shown}`")
        })?;
        if file.version != VERSION {
            return Err(format!(
                "baseline {shown}: version {} is not one this womlint reads (it reads version {VERSION})",
                file.version
            ));
        }
        let mut entries: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for entry in file.findings {
            entries.entry(entry.path).or_default().insert(entry.fingerprint);
        }
        Ok(Baseline { dir: folder_of(path), entries })
    }

    /// Removes from `file` the findings the baseline holds; `absolute` is the file's path.
    pub fn apply(&self, absolute: &Path, file: &mut FileReport) -> Applied {
        let path = relative_to(&self.dir, absolute);
        let Some(known) = self.entries.get(&path) else { return Applied::default() };
        let prints = fingerprints(&path, &file.findings);
        let mut matched = BTreeSet::new();
        let mut index = 0;
        file.findings.retain(|_| {
            let print = prints.get(index);
            index += 1;
            match print.filter(|p| known.contains(*p)) {
                Some(p) => {
                    matched.insert(p.clone());
                    false
                }
                None => true,
            }
        });
        Applied { known: matched.len(), stale: known.len() - matched.len() }
    }
}

/// The baseline entries of one file's findings, its path made relative to `baseline_dir`.
pub fn entries(baseline_dir: &Path, absolute: &Path, file: &FileReport) -> Vec<Entry> {
    let path = relative_to(baseline_dir, absolute);
    let prints = fingerprints(&path, &file.findings);
    file.findings
        .iter()
        .zip(prints)
        .map(|(l, fingerprint)| Entry {
            path: path.clone(),
            rule: l.finding.rule.to_string(),
            fingerprint,
            words: normalize(&l.excerpt),
        })
        .collect()
}

/// The text of a baseline file holding `entries`: sorted, so that the same findings always
/// give the same bytes.
pub fn render(mut entries: Vec<Entry>) -> String {
    entries.sort();
    entries.dedup();
    let file = BaselineFile { version: VERSION, findings: entries };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// The folder of a file given by its absolute path.
pub fn folder_of(path: &Path) -> PathBuf {
    lexical(path).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `absolute` relative to `dir`, with `/` separators; the whole path when it is not inside.
fn relative_to(dir: &Path, absolute: &Path) -> String {
    let (dir, absolute) = (lexical(dir), lexical(absolute));
    let shown = absolute.strip_prefix(&dir).unwrap_or(&absolute);
    shown.to_string_lossy().replace('\\', "/")
}

/// `.` and `..` taken out of a path without asking the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_baseline_folder() {
        assert_eq!(relative_to(Path::new("/a/b"), Path::new("/a/b/./c/../d/post.md")), "d/post.md");
        assert_eq!(relative_to(Path::new("/a/b"), Path::new("/x/post.md")), "/x/post.md");
    }

    #[test]
    fn words_are_normalized() {
        assert_eq!(normalize("  #SP\r\n  Spon "), "#sp spon");
    }
}

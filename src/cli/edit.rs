//! What `check` does to a file beyond reporting it: fixes (`--fix`, `--unsafe-fixes`,
//! `--diff`), waivers (`--add-waiver`) and the baseline (`--baseline`, `--write-baseline`,
//! `baseline:`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::args::CheckArgs;
use super::output::{Existing, write_file};
use crate::baseline::{self, Baseline, Entry};
use crate::config::{self, ConfigFile};
use crate::document::Document;
use crate::finding::{Finding, Fix};
use crate::fix::{FixMode, apply, fix_checked, unified_diff, waiver_edits};
use crate::input::{self, InputError};
use crate::report::Waiver;
use crate::rules::Applicability;

/// Rounds of adding waivers, at most: a waiver covers places, so a finding with several
/// triggers moves to the next one when the first is waived.
const WAIVER_ROUNDS: usize = 5;

/// What the run does to files, from the command line and the configuration.
pub(super) struct Editing {
    pub mode: Option<FixMode>,
    pub diff: bool,
    pub waiver: Option<String>,
    pub baseline: Option<Baseline>,
    /// The folder of the `--write-baseline` file.
    pub record: Option<PathBuf>,
    pub cwd: PathBuf,
    /// Standard input's `--stdin-filename`, made absolute.
    pub stdin_path: Option<PathBuf>,
}

impl Editing {
    /// The editing the arguments ask for; an error when the baseline cannot be read.
    pub fn new(args: &CheckArgs, cwd: &Path, root_config: Option<&Arc<ConfigFile>>) -> Result<Self, String> {
        let mode = if args.fix || args.unsafe_fixes || args.diff {
            Some(FixMode { up_to: if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe } })
        } else {
            None
        };
        let from_config = || {
            root_config.and_then(|c| c.baseline.clone()).map(|path| {
                let shown = input::display_path(path.strip_prefix(cwd).unwrap_or(&path));
                (path, shown)
            })
        };
        let baseline = match (&args.baseline, &args.write_baseline) {
            (_, Some(_)) => None,
            (Some(path), None) => Some((config::absolute(cwd, path), input::display_path(path))),
            (None, None) => from_config(),
        };
        let baseline = match baseline {
            Some((path, shown)) => Some(Baseline::read(&path, &shown)?),
            None => None,
        };
        let record = args.write_baseline.as_ref().map(|path| baseline::folder_of(&config::absolute(cwd, path)));
        Ok(Editing {
            mode,
            diff: args.diff,
            waiver: args.add_waiver.clone(),
            baseline,
            record,
            cwd: cwd.to_path_buf(),
            stdin_path: args.stdin_filename.as_ref().map(|name| config::absolute(cwd, Path::new(name))),
        })
    }

    /// Whether a file's text may change.
    pub fn changes_text(&self) -> bool {
        self.mode.is_some() || self.waiver.is_some()
    }
}

/// What editing did to one file.
#[derive(Debug, Default)]
pub(super) struct Extras {
    /// Findings fixed.
    pub fixed: usize,
    /// The diff of the file (`--diff`).
    pub diff: Option<String>,
    /// The text to print (standard input with `--fix`).
    pub stdout_text: Option<String>,
    /// Why the fixed file could not be written.
    pub error: Option<InputError>,
    pub known: usize,
    pub stale: usize,
    pub entries: Vec<Entry>,
}

/// A text checked: its document, its findings and the waivers that waived something.
pub(super) type Checked = (Document, Vec<Finding>, Vec<Waiver>);

/// Fixes and waives the checked text as `editing` asks; `check` runs the file's whole check
/// on a text. Gives the document and findings to report, and what was done. `file` is the
/// file to write (`None`: standard input).
pub(super) fn revise(
    editing: &Editing,
    checked: Checked,
    file: Option<&Path>,
    check: &dyn Fn(Arc<str>) -> Checked,
) -> (Checked, Extras) {
    let mut extras = Extras::default();
    let original = Arc::clone(&checked.0.text);
    let mut current = checked;
    if let Some(mode) = editing.mode
        && current.1.iter().any(|f| f.fix.as_ref().is_some_and(|fix| mode.allows(fix)))
    {
        let fixed = fix_checked(&original, current, mode, &|text| check(Arc::from(text)), |c| &c.1);
        extras.fixed = fixed.applied;
        current = fixed.checked;
    }
    if let Some(reason) = &editing.waiver {
        for _ in 0..WAIVER_ROUNDS {
            let edits = waiver_edits(&current.0, &current.1, reason);
            if edits.is_empty() {
                break;
            }
            let fix = Fix { description: String::new(), applicability: Applicability::Safe, edits, fallback: None };
            let (text, applied) = apply(&current.0.text, [&fix]);
            if applied.first() != Some(&true) {
                break;
            }
            current = check(Arc::from(text));
        }
    }
    let path = current.0.path.clone();
    let changed = *current.0.text != *original;
    if editing.diff {
        extras.diff = changed.then(|| unified_diff(&path, &original, &current.0.text));
        return (current, extras);
    }
    match file {
        None if editing.changes_text() => extras.stdout_text = Some(current.0.text.to_string()),
        Some(file) if changed => {
            let text = current.0.text.as_bytes();
            let written = write_file(file, Existing::Unchanged(original.as_bytes()), |out| out.write_all(text));
            if let Err(err) = written {
                extras.error = Some(InputError::Unwritable { path, reason: input::io_reason(&err) });
                extras.fixed = 0;
                return (check(original), extras);
            }
        }
        _ => {}
    }
    (current, extras)
}

/// The baseline's part: findings it holds left out of `file`, and the entries to record.
pub(super) fn apply_baseline(
    editing: &Editing,
    absolute: Option<&Path>,
    file: &mut crate::report::FileReport,
    extras: &mut Extras,
) {
    let Some(absolute) = absolute else { return };
    if let Some(dir) = &editing.record {
        extras.entries = baseline::entries(dir, absolute, file);
    }
    if let Some(baseline) = &editing.baseline {
        let applied = baseline.apply(absolute, file);
        extras.known = applied.known;
        extras.stale = applied.stale;
    }
}

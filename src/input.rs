//! Finding the files to check and reading them.
//!
//! Folders are walked with `ignore::WalkBuilder`, so `.gitignore`, `.ignore` and hidden files
//! are respected; files named explicitly are always checked. Reading never panics: a file that
//! is missing, unreadable, binary, too large or not UTF-8 becomes an [`InputError`] that names
//! it, and the run goes on with the others.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

/// Extensions of the files a folder walk picks up.
pub const EXTENSIONS: [&str; 4] = ["md", "markdown", "txt", "text"];

/// The default largest file womlint reads.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// A file to check, before it is read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path as shown to the user (relative as given, `/` separators kept).
    pub display: String,
    pub path: PathBuf,
    /// Named on the command line (checked whatever its extension or ignore rules).
    pub explicit: bool,
}

/// A decoded input file.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: String,
    pub text: Arc<str>,
}

/// Why a file could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    NotFound {
        path: String,
    },
    Unreadable {
        path: String,
        reason: String,
    },
    Binary {
        path: String,
    },
    NotUtf8 {
        path: String,
        line: usize,
        column: usize,
    },
    TooLarge {
        path: String,
        size: u64,
        limit: u64,
    },
    Walk {
        path: String,
        reason: String,
    },
    /// A fixed file could not be written; it is as it was.
    Unwritable {
        path: String,
        reason: String,
    },
}

impl InputError {
    pub fn path(&self) -> &str {
        match self {
            InputError::NotFound { path }
            | InputError::Unreadable { path, .. }
            | InputError::Binary { path }
            | InputError::NotUtf8 { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Walk { path, .. }
            | InputError::Unwritable { path, .. } => path,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotFound { path } => write!(f, "{path}: no such file or folder"),
            InputError::Unreadable { path, reason } => write!(f, "{path}: cannot be read: {reason}"),
            InputError::Binary { path } => {
                write!(f, "{path}: looks like a binary file (it has NUL bytes); not checked")
            }
            InputError::NotUtf8 { path, line, column } => {
                write!(
                    f,
                    "{path}: not valid UTF-8 (first bad byte at line {line}, byte {column} of the line); save it as UTF-8 to check it"
                )
            }
            InputError::TooLarge { path, size, limit } => write!(
                f,
                "{path}: {} is larger than the {} limit; not checked (raise it with --max-file-size)",
                size_in_words(*size, *limit),
                size_in_words(*limit, *limit)
            ),
            InputError::Walk { path, reason } => write!(f, "{path}: {reason}"),
            InputError::Unwritable { path, reason } => {
                write!(f, "{path}: cannot be fixed: {reason}; the file is as it was")
            }
        }
    }
}

impl std::error::Error for InputError {}

/// A size as the user reads it beside `limit`: whole MiB as such (`1 MiB`), else to two
/// decimals (`1.09 MiB`), and in bytes when two decimals would not tell it from the limit.
fn size_in_words(bytes: u64, limit: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        return format!("{} MiB", bytes / MIB);
    }
    #[allow(clippy::cast_precision_loss)] // sizes shown to two decimals
    let (shown, limit_shown) =
        (format!("{:.2}", bytes as f64 / MIB as f64), format!("{:.2}", limit as f64 / MIB as f64));
    if shown == limit_shown { format!("{bytes} bytes") } else { format!("{shown} MiB") }
}

/// Options for [`collect`].
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Extra glob patterns to leave out (gitignore syntax, relative to each walk root).
    pub exclude: Vec<String>,
    /// Glob patterns a walked file must match (when not empty).
    pub include: Vec<String>,
    /// Leave out explicitly named files that `exclude` matches too (pre-commit).
    pub force_exclude: bool,
    /// Walk hidden files and ignore `.gitignore` rules.
    pub no_ignore: bool,
}

/// The files under `paths`, sorted by display path, and the paths that could not be walked.
pub fn collect(paths: &[PathBuf], options: &WalkOptions) -> (Vec<Candidate>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for item in Walk::new(paths, options) {
        match item {
            Ok(candidate) => files.push(candidate),
            Err(err) => errors.push(err),
        }
    }
    files.sort();
    (files, errors)
}

/// The files under `paths`, one at a time in walk order, and the paths that could not be
/// walked. Nothing is gathered up front, so walking a tree takes memory for its depth, not
/// for its number of files. A file reached twice (named, and inside a folder also named) is
/// given once; only then does the walk remember the paths it gave.
pub struct Walk<'a> {
    roots: std::slice::Iter<'a, PathBuf>,
    options: &'a WalkOptions,
    exclude: Option<globset::GlobSet>,
    include: Option<globset::GlobSet>,
    /// The folder being walked: its walk, its path and its display path.
    current: Option<(ignore::Walk, &'a Path, String)>,
    /// The paths given so far, when two roots overlap.
    seen: Option<std::collections::HashSet<PathBuf>>,
}

impl<'a> Walk<'a> {
    pub fn new(paths: &'a [PathBuf], options: &'a WalkOptions) -> Self {
        let overlapping = paths
            .iter()
            .enumerate()
            .any(|(i, a)| paths.iter().skip(i + 1).any(|b| a.starts_with(b) || b.starts_with(a)));
        Walk {
            roots: paths.iter(),
            options,
            exclude: build_globs(&options.exclude),
            include: build_globs(&options.include),
            current: None,
            seen: overlapping.then(std::collections::HashSet::new),
        }
    }

    /// The next root: a named file as a candidate, a folder as the walk to go on with.
    fn next_root(&mut self) -> Option<Option<Result<Candidate, InputError>>> {
        let root = self.roots.next()?;
        let display_root = display_path(root);
        let Ok(meta) = std::fs::metadata(root) else {
            return Some(Some(Err(InputError::NotFound { path: display_root })));
        };
        if !meta.is_dir() {
            if self.options.force_exclude && self.exclude.as_ref().is_some_and(|g| g.is_match(root)) {
                return Some(None);
            }
            return Some(Some(Ok(Candidate { display: display_root, path: root.clone(), explicit: true })));
        }
        let no_ignore = self.options.no_ignore;
        let mut walker = WalkBuilder::new(root);
        walker
            .hidden(!no_ignore)
            .git_ignore(!no_ignore)
            .git_exclude(!no_ignore)
            .git_global(!no_ignore)
            .ignore(!no_ignore)
            .parents(!no_ignore)
            .require_git(false)
            .follow_links(false);
        if let Some(overrides) = exclude_overrides(root, &self.options.exclude) {
            walker.overrides(overrides);
        }
        self.current = Some((walker.build(), root, display_root));
        Some(None)
    }

    /// Whether a walked file is one to check.
    fn wanted(&self, path: &Path, root: &Path) -> bool {
        let checked_kind = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if !checked_kind || self.exclude.as_ref().is_some_and(|g| g.is_match(path)) {
            return false;
        }
        self.include.as_ref().is_none_or(|include| {
            let relative = path.strip_prefix(root).unwrap_or(path);
            include.is_match(relative) || include.is_match(path)
        })
    }

    /// The next item of the folder being walked, or `None` when it is done.
    fn next_walked(&mut self) -> Option<Result<Candidate, InputError>> {
        loop {
            let (walk, root, display_root) = self.current.as_mut()?;
            let (root, entry) = (*root, walk.next());
            let Some(entry) = entry else {
                self.current = None;
                return None;
            };
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let path = entry.into_path();
                    if self.wanted(&path, root) {
                        return Some(Ok(Candidate { display: display_path(&path), path, explicit: false }));
                    }
                }
                Err(err) => return Some(Err(InputError::Walk { path: display_root.clone(), reason: err.to_string() })),
            }
        }
    }

    /// False when `candidate` was given before.
    fn first_time(&mut self, candidate: &Candidate) -> bool {
        self.seen.as_mut().is_none_or(|seen| seen.insert(candidate.path.clone()))
    }
}

impl Iterator for Walk<'_> {
    type Item = Result<Candidate, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let item = match self.current {
                Some(_) => match self.next_walked() {
                    Some(item) => item,
                    None => continue,
                },
                None => match self.next_root()? {
                    Some(item) => item,
                    None => continue,
                },
            };
            match &item {
                Ok(candidate) if !self.first_time(candidate) => continue,
                _ => return Some(item),
            }
        }
    }
}

fn build_globs(patterns: &[String]) -> Option<globset::GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = if pattern.contains('/') { pattern.clone() } else { format!("**/{pattern}") };
        if let Ok(glob) = globset::GlobBuilder::new(&pattern).literal_separator(false).build() {
            builder.add(glob);
        }
    }
    builder.build().ok()
}

/// Excluded folders are pruned during the walk rather than filtered after it.
fn exclude_overrides(root: &Path, patterns: &[String]) -> Option<ignore::overrides::Override> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = OverrideBuilder::new(root);
    for pattern in patterns {
        builder.add(&format!("!{pattern}")).ok()?;
    }
    builder.build().ok()
}

/// A path as the user wrote it, with `./` dropped and `/` separators.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// Reads and decodes one file.
pub fn read(candidate: &Candidate, max_size: u64) -> Result<Input, InputError> {
    open(candidate, max_size)?.read()
}

/// A file opened to be read, with its size as the file system tells it.
#[derive(Debug)]
pub struct OpenFile {
    path: String,
    file: std::fs::File,
    pub size: u64,
    max_size: u64,
}

/// Opens a candidate and checks its size against `max_size` (in bytes) before reading it.
pub fn open(candidate: &Candidate, max_size: u64) -> Result<OpenFile, InputError> {
    let path = candidate.display.clone();
    let file = std::fs::File::open(&candidate.path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound { path: path.clone() },
        _ => InputError::Unreadable { path: path.clone(), reason: io_reason(&e) },
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max_size {
        return Err(InputError::TooLarge { path, size, limit: max_size });
    }
    Ok(OpenFile { path, file, size, max_size })
}

impl OpenFile {
    /// Reads and decodes the file (which may have grown since it was opened: never more than
    /// the limit is read).
    pub fn read(self) -> Result<Input, InputError> {
        let OpenFile { path, file, size, max_size } = self;
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(max_size.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| InputError::Unreadable { path: path.clone(), reason: io_reason(&e) })?;
        if bytes.len() as u64 > max_size {
            return Err(InputError::TooLarge { path, size: bytes.len() as u64, limit: max_size });
        }
        decode(path, bytes)
    }
}

/// Decodes bytes read from somewhere (a file or standard input).
pub fn decode(path: String, bytes: Vec<u8>) -> Result<Input, InputError> {
    if memchr::memchr(0, &bytes).is_some() {
        return Err(InputError::Binary { path });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Input { path, text: Arc::from(text) }),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let before = bytes.get(..valid).unwrap_or_default();
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
            Err(InputError::NotUtf8 { path, line, column })
        }
    }
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "it is a folder".to_owned(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_as_they_are() {
        let too_large = |size: u64| InputError::TooLarge { path: "a".into(), size, limit: 1024 * 1024 }.to_string();
        assert!(
            too_large(1_142_947).starts_with("a: 1.09 MiB is larger than the 1 MiB limit"),
            "{}",
            too_large(1_142_947)
        );
        assert!(too_large(1_048_577).starts_with("a: 1048577 bytes is larger than the 1 MiB limit"));
        assert!(too_large(3 * 1024 * 1024).starts_with("a: 3 MiB is larger"));
    }

    #[test]
    fn decodes_and_rejects() {
        assert!(decode("a".into(), b"ok".to_vec()).is_ok());
        assert_eq!(decode("a".into(), b"x\0y".to_vec()).unwrap_err(), InputError::Binary { path: "a".into() });
        assert_eq!(
            decode("a".into(), b"ok\nab\xffc".to_vec()).unwrap_err(),
            InputError::NotUtf8 { path: "a".into(), line: 2, column: 3 }
        );
    }
}

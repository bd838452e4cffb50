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

pub use crate::document::EXTENSIONS;

/// The default largest file womlint reads.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The largest rule pack or configuration file womlint reads (the largest built-in pack is
/// 115 KiB). A bigger one is refused unread: a pack of a 10 MB alternation took 2.3 GiB.
pub const MAX_SETTINGS_FILE: u64 = 1024 * 1024;

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
    /// Not a regular file: a named pipe, a device, a socket (`kind` says which).
    Special {
        path: String,
        kind: &'static str,
    },
    Binary {
        path: String,
    },
    /// UTF-16 (or UTF-32) text, by its byte order mark or its NUL bytes.
    Utf16 {
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
            | InputError::Special { path, .. }
            | InputError::Binary { path }
            | InputError::Utf16 { path }
            | InputError::NotUtf8 { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Walk { path, .. }
            | InputError::Unwritable { path, .. } => path,
        }
    }
}

impl fmt::Display for InputError {
    /// The path and the reasons are escaped (see [`crate::escape`]): a file name may hold a
    /// newline, and these messages go to a terminal or a CI log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = crate::escape::path(self.path());
        match self {
            InputError::NotFound { .. } => write!(f, "{path}: no such file or folder"),
            InputError::Unreadable { reason, .. } => {
                write!(f, "{path}: cannot be read: {}", crate::escape::text(reason))
            }
            InputError::Special { kind, .. } => write!(f, "{path}: not a regular file ({kind}); not checked"),
            InputError::Binary { .. } => {
                write!(f, "{path}: looks like a binary file (it has NUL bytes); not checked")
            }
            InputError::Utf16 { .. } => {
                write!(f, "{path}: looks like UTF-16 text; save it as UTF-8 to check it")
            }
            InputError::NotUtf8 { line, column, .. } => {
                write!(
                    f,
                    "{path}: not valid UTF-8 (first bad byte at line {line}, byte {column} of the line); save it as UTF-8 to check it"
                )
            }
            // Reading stopped one byte past the limit (standard input, a growing file).
            InputError::TooLarge { size, limit, .. } if *size == limit.saturating_add(1) => write!(
                f,
                "{path}: more than the {} limit; not checked (raise it with --max-file-size)",
                size_text(*limit, 0)
            ),
            InputError::TooLarge { size, limit, .. } => write!(
                f,
                "{path}: {} is larger than the {} limit; not checked (raise it with --max-file-size)",
                size_text(*size, *limit),
                size_text(*limit, *size)
            ),
            InputError::Walk { reason, .. } => write!(f, "{path}: {}", crate::escape::text(reason)),
            InputError::Unwritable { reason, .. } => {
                write!(f, "{path}: cannot be fixed: {}; the file is as it was", crate::escape::text(reason))
            }
        }
    }
}

impl std::error::Error for InputError {}

const MIB: u64 = 1024 * 1024;

/// A size in MiB as a person reads it: whole MiB exactly (`64 MiB`), two decimals otherwise
/// (`1.09 MiB`), and in bytes when two decimals would not tell it from `other`, the size it
/// is compared with (`67108865 bytes`).
pub fn size_text(bytes: u64, other: u64) -> String {
    let decimals = |n: u64| format!("{:.2}", n as f64 / MIB as f64);
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes < MIB / 100 || decimals(bytes) == decimals(other) {
        format!("{bytes} bytes")
    } else {
        format!("{} MiB", decimals(bytes))
    }
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
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(err) => return Some(Some(Err(open_error(display_root, &err)))),
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
    let (file, size) = match open_regular(&candidate.path) {
        Ok(opened) => opened,
        Err(OpenError::Io(err)) => return Err(open_error(path, &err)),
        Err(OpenError::Special(kind)) => return Err(InputError::Special { path, kind }),
    };
    if size > max_size {
        return Err(InputError::TooLarge { path, size, limit: max_size });
    }
    Ok(OpenFile { path, file, size, max_size })
}

/// Why a file was not opened.
#[derive(Debug)]
pub enum OpenError {
    Io(std::io::Error),
    /// It is not a regular file: what it is.
    Special(&'static str),
}

/// Opens `path` for reading if it is a regular file (a symbolic link to one is followed), and
/// gives its size. A named pipe is opened without blocking, so that naming one never hangs
/// the run; it, a device, a socket or a folder is then refused.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, u64), OpenError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if !meta.is_file() {
        return Err(OpenError::Special(file_kind(&meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// What a file that is not a regular one is ("a named pipe", "a folder", …).
pub fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        } else if file_type.is_char_device() {
            return "a character device";
        } else if file_type.is_block_device() {
            return "a block device";
        } else if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() { "a folder" } else { "a special file" }
}

/// What identifies a file, whatever path names it (a symbolic link, `./a/../b`, a hard link):
/// its device and inode on Unix, its canonical path elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

/// The identity of the file at `path`, if there is one.
pub fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|meta| FileId((meta.dev(), meta.ino())))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId)
    }
}

/// Reads a pack or configuration file named `path`: a regular file of at most `limit` bytes,
/// in UTF-8. The error says why not, without the path.
pub fn read_text_file(path: &Path, limit: u64) -> Result<String, String> {
    let (file, size) = match open_regular(path) {
        Ok(opened) => opened,
        Err(OpenError::Io(err)) => return Err(io_reason(&err)),
        Err(OpenError::Special(kind)) => return Err(format!("not a regular file ({kind})")),
    };
    let too_large =
        |size: u64| format!("{} is larger than the {} limit", size_text(size, limit), size_text(limit, size));
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|err| io_reason(&err))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    if looks_like_utf16(&bytes) {
        return Err("it looks like UTF-16 text; save it as UTF-8".to_owned());
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())
}

/// The error for a path that could not be opened.
fn open_error(path: String, err: &std::io::Error) -> InputError {
    match err.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound { path },
        _ => InputError::Unreadable { path, reason: io_reason(err) },
    }
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

/// Reads standard input, named `path`, and decodes it; more than `max_size` bytes is an
/// error, as for a file, and no more than that is read.
pub fn read_stdin(path: String, max_size: u64) -> Result<Input, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| InputError::Unreadable { path: path.clone(), reason: io_reason(&err) })?;
    if bytes.len() as u64 > max_size {
        return Err(InputError::TooLarge { path, size: bytes.len() as u64, limit: max_size });
    }
    decode(path, bytes)
}

/// Whether `bytes` look like UTF-16 or UTF-32 text: a byte order mark of either, or, in the
/// first 4 KiB, NUL bytes at most even (or most odd) positions and nearly none at the others,
/// as ASCII-heavy text encoded so has.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) || bytes.starts_with(&[0, 0, 0xfe, 0xff]) {
        return true;
    }
    let sample = bytes.get(..4096).unwrap_or(bytes);
    if sample.len() < 4 {
        return false;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    // Text has no NUL at all: found at once, without a look at every byte.
    for at in memchr::memchr_iter(0, sample.get(..sample.len() & !1).unwrap_or_default()) {
        if at % 2 == 0 {
            even += 1;
        } else {
            odd += 1;
        }
    }
    let half = sample.len() / 2;
    let (most, fewest) = (even.max(odd), even.min(odd));
    most * 3 > half * 2 && fewest * 20 < half
}

/// Decodes bytes read from somewhere (a file or standard input).
pub fn decode(path: String, bytes: Vec<u8>) -> Result<Input, InputError> {
    if looks_like_utf16(&bytes) {
        return Err(InputError::Utf16 { path });
    }
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

/// What went wrong, in words: the system's message, or plainer ones for the usual cases.
pub fn io_reason(err: &std::io::Error) -> String {
    #[cfg(unix)]
    if err.raw_os_error() == Some(libc::ELOOP) {
        return "a loop of symbolic links".to_owned();
    }
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
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
        assert!(too_large(3 * 1024 * 1024).starts_with("a: 3 MiB is larger"));
        assert_eq!(size_text(64 * MIB, 64 * MIB + 1), "64 MiB");
        assert_eq!(size_text(1_142_947, MIB), "1.09 MiB");
        assert_eq!(size_text(64 * MIB + 1, 64 * MIB), "67108865 bytes");
        assert_eq!(size_text(10, MIB), "10 bytes");
    }

    #[test]
    fn utf16_is_told_from_binary() {
        let utf16le: Vec<u8> = "#ad gifted".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16be: Vec<u8> = "#ad gifted".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom = [&[0xff, 0xfe][..], &utf16le].concat();
        for bytes in [utf16le, utf16be, with_bom] {
            assert_eq!(decode("a".into(), bytes).unwrap_err(), InputError::Utf16 { path: "a".into() });
        }
        assert_eq!(
            decode("a".into(), b"\x7fELF\x02\x01\0\0\0\0rest".to_vec()).unwrap_err(),
            InputError::Binary { path: "a".into() }
        );
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

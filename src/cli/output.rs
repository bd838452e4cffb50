//! Writing a user's file (`--output`, `init`, a fixed draft): whole or not at all.
//!
//! The text goes to a temporary file in the same folder (`.NAME.PID.womlint-tmp`, hidden and
//! not a draft, so no walk picks it up), which is flushed to disk and then renamed over the
//! file, with the file's permissions. A full disk, an error or a signal leaves the previous
//! file as it was: a reader finds the old file or the new one, never half of one. Ctrl-C
//! (SIGINT), SIGTERM and SIGHUP remove the temporary file and exit at once with 128 + the
//! signal (130 for Ctrl-C); only SIGKILL, which no process can catch, leaves it behind.
//!
//! A path that is not a regular file (`/dev/stdout`, `/dev/null`, a named pipe) is written
//! as it is: renaming over it would replace the device with a file.

use std::fs::{self, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The temporary files being written (one per worker fixing drafts): what a signal removes.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Makes Ctrl-C, SIGTERM and SIGHUP remove the temporary file being written, if any, and end
/// the process at once with 128 + the signal. A thread waits for them (no code runs in a
/// signal handler).
pub(super) fn exit_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
        let waiting = std::thread::Builder::new().name("signals".to_owned()).spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
                for temp in pending.drain(..) {
                    let _ = fs::remove_file(temp);
                }
                std::process::exit(128 + signal);
            }
        });
        // Without the thread, signals keep their default action, which ends the process too.
        drop(waiting);
    }
}

/// Whether to replace a file that is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Existing<'a> {
    Replace,
    /// Fail with [`io::ErrorKind::AlreadyExists`] (checked when the new file is linked into
    /// place, so a file made meanwhile is not lost either).
    Keep,
    /// Replace the file only if it still holds these bytes (a draft being fixed, which an
    /// editor may have saved meanwhile), compared right before the rename; otherwise fail
    /// with [`CHANGED`]. The file must be a regular file.
    Unchanged(&'a [u8]),
}

/// Why a file was not replaced with [`Existing::Unchanged`].
pub(crate) const CHANGED: &str = "it changed since womlint read it (run womlint again)";

/// Writes `path` with what `write` writes, atomically (see the module's documentation). A
/// symbolic link is followed: the file it points to is replaced, the link stays.
pub(crate) fn write_file(
    path: &Path,
    existing: Existing<'_>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // Through links: `/dev/stdout` is a link to a pipe or a terminal, which has no path to
    // resolve and is written as it is.
    let old = fs::metadata(path).ok();
    if let Some(meta) = &old {
        if existing == Existing::Keep {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        if !meta.is_file() {
            if let Existing::Unchanged(_) = existing {
                return Err(io::Error::other("it is not a regular file"));
            }
            let mut out = BufWriter::new(OpenOptions::new().write(true).open(path)?);
            write(&mut out)?;
            return out.flush();
        }
    }
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() && old.is_some() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let temp = temp_path(&target)?;
    // The file is made and recorded as pending under one lock: a signal that comes between
    // the two would otherwise end the run with a temporary file nobody knows of.
    let file = {
        let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
        let file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => file,
            // Left by a process with the same id that SIGKILL ended.
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                fs::remove_file(&temp)?;
                OpenOptions::new().write(true).create_new(true).open(&temp)?
            }
            Err(err) => return Err(err),
        };
        pending.push(temp.clone());
        file
    };
    let written = fill(&file, old.as_ref(), write).and_then(|()| {
        let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
        let placed = match existing {
            Existing::Replace => fs::rename(&temp, &target),
            Existing::Unchanged(read) => {
                if fs::read(&target)? == read {
                    fs::rename(&temp, &target)
                } else {
                    Err(io::Error::other(CHANGED))
                }
            }
            Existing::Keep => fs::hard_link(&temp, &target).and_then(|()| fs::remove_file(&temp)),
        };
        if placed.is_ok() {
            pending.retain(|p| *p != temp);
        }
        placed
    });
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(at) = pending.iter().position(|p| *p == temp) {
        pending.swap_remove(at);
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Writes the new file's text and permissions, and flushes it to disk.
fn fill(
    file: &fs::File,
    old: Option<&fs::Metadata>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(old) = old {
        file.set_permissions(old.permissions())?;
    }
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    out.flush()?;
    drop(out);
    file.sync_all()
}

/// `.NAME.PID.womlint-tmp` beside `target`.
fn temp_path(target: &Path) -> io::Result<PathBuf> {
    let name = target.file_name().ok_or_else(|| io::Error::other("the path names no file"))?;
    let mut temp = std::ffi::OsString::from(".");
    temp.push(name);
    temp.push(format!(".{}.womlint-tmp", std::process::id()));
    Ok(target.with_file_name(temp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let names = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
        names.filter(|n| n.ends_with(".womlint-tmp")).collect()
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(&path, "old report\n").unwrap();
        let failed = write_file(&path, Existing::Replace, |out: &mut dyn Write| {
            out.write_all(b"half of a new rep")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
        });
        assert_eq!(failed.unwrap_err().kind(), io::ErrorKind::StorageFull);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old report\n");
        assert!(leftovers(dir.path()).is_empty());
        write_file(&path, Existing::Replace, |out| out.write_all(b"new report\n")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new report\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn permissions_and_links_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.sarif");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.sarif");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_file(&link, Existing::Replace, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        fs::write(&path, "edited meanwhile").unwrap();
        let refused = write_file(&path, Existing::Unchanged(b"as read"), |out| out.write_all(b"fixed"));
        assert_eq!(refused.unwrap_err().to_string(), CHANGED);
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited meanwhile");
        assert!(leftovers(dir.path()).is_empty());
        write_file(&path, Existing::Unchanged(b"edited meanwhile"), |out| out.write_all(b"fixed")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "fixed");
    }

    #[test]
    fn keep_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("womlint.yaml");
        write_file(&path, Existing::Keep, |out| out.write_all(b"first")).unwrap();
        let again = write_file(&path, Existing::Keep, |out| out.write_all(b"second"));
        assert_eq!(again.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        assert!(leftovers(dir.path()).is_empty());
    }
}

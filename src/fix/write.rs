//! Writing a fixed file so that no word is lost: the new text goes to a temporary file in the
//! same folder, which is renamed over the file only if the file still holds what was read. A
//! rename within a folder is atomic, so a run killed at any moment leaves each file whole,
//! old or new.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Temporary files made by this process, for unique names.
static MADE: AtomicU64 = AtomicU64::new(0);

/// Replaces the file at `path` with `new`, keeping its permissions, if it still holds
/// `original`. The error says why in words; the file is then as it was.
pub fn replace_file(path: &Path, original: &[u8], new: &str) -> Result<(), String> {
    // Through a symbolic link, the file it points at is replaced, not the link.
    let target = fs::canonicalize(path).map_err(|e| e.to_string())?;
    let metadata = fs::metadata(&target).map_err(|e| e.to_string())?;
    let folder = target.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary =
        folder.join(format!(".{name}.womlint-{}-{}.tmp", std::process::id(), MADE.fetch_add(1, Ordering::Relaxed)));
    let written = write_new(&temporary, new, metadata.permissions()).and_then(|()| {
        // Compared last, right before the rename: an editor that saved meanwhile wins.
        let now = fs::read(&target).map_err(|e| e.to_string())?;
        if now != original {
            return Err("it changed since womlint read it (run womlint again)".to_owned());
        }
        fs::rename(&temporary, &target).map_err(|e| e.to_string())
    });
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

fn write_new(path: &Path, text: &str, permissions: fs::Permissions) -> Result<(), String> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| e.to_string())?;
    file.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    file.set_permissions(permissions).map_err(|e| e.to_string())?;
    file.sync_all().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("post.md");
        fs::write(&path, "edited meanwhile")?;
        let err = replace_file(&path, b"as read", "fixed").err().unwrap_or_default();
        assert!(err.contains("changed since womlint read it"), "{err}");
        assert_eq!(fs::read_to_string(&path)?, "edited meanwhile");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1, "no temporary file is left");
        replace_file(&path, b"edited meanwhile", "fixed")?;
        assert_eq!(fs::read_to_string(&path)?, "fixed");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("post.md");
        fs::write(&path, "old")?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640))?;
        replace_file(&path, b"old", "new")?;
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o640);
        Ok(())
    }
}

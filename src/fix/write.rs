//! Writes a fixed file atomically, and refuses when the file changed since it was read.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("the file changed on disk after mcp-lint read it; nothing was written (run again)")]
    ChangedOnDisk,
    #[error("cannot write the fixed file: {0}")]
    Io(#[from] std::io::Error),
}

/// Replaces the file at `path` with `new`, if it still holds `original`.
///
/// The new text goes to a temporary file in the same directory, is flushed to disk, takes the old
/// file's permissions, and is renamed over it, so a reader sees the old file or the new one, never
/// half of either. A symlink is followed: its target is replaced, the link stays.
pub fn write_atomically(path: &Path, original: &[u8], new: &[u8]) -> Result<(), WriteError> {
    let target: PathBuf = fs::canonicalize(path)?;
    if fs::read(&target)? != original {
        return Err(WriteError::ChangedOnDisk);
    }
    let permissions = fs::metadata(&target)?.permissions();
    let directory = target.parent().unwrap_or_else(|| Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".mcp-lint-")
        .suffix(".tmp")
        .tempfile_in(directory)?;
    temporary.write_all(new)?;
    temporary.as_file().sync_all()?;
    fs::set_permissions(temporary.path(), permissions)?;
    // The window between the check above and the rename is as short as it can be made.
    if fs::read(&target)? != original {
        return Err(WriteError::ChangedOnDisk);
    }
    temporary.persist(&target).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_keeps_mode_and_refuses_changed_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.yaml");
        fs::write(&path, "a: 1\n").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        write_atomically(&path, b"a: 1\n", b"a: 2\n").expect("written");
        assert_eq!(fs::read_to_string(&path).expect("read"), "a: 2\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let refused = write_atomically(&path, b"a: 1\n", b"a: 3\n");
        assert!(matches!(refused, Err(WriteError::ChangedOnDisk)));
        assert_eq!(fs::read_to_string(&path).expect("read"), "a: 2\n");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }
}

//! Writes a fixed file atomically, and refuses when the file changed since it was read.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("the file changed on disk after mcp-lint read it; nothing was written (run again)")]
    ChangedOnDisk,
    #[error("the file is read-only; nothing was written (make it writable to fix it)")]
    ReadOnly,
    #[error("cannot give the fixed file the owner of the original ({0}); nothing was written")]
    Owner(std::io::Error),
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
    let metadata = fs::metadata(&target)?;
    let permissions = metadata.permissions();
    // No write bit for anyone: the owner means the file to stay as it is, even for root, who
    // could replace it anyway.
    if is_read_only(&metadata) {
        return Err(WriteError::ReadOnly);
    }
    let directory = target.parent().unwrap_or_else(|| Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".mcp-lint-")
        .suffix(".tmp")
        .tempfile_in(directory)?;
    temporary.write_all(new)?;
    temporary.as_file().sync_all()?;
    fs::set_permissions(temporary.path(), permissions)?;
    keep_owner(&metadata, temporary.path())?;
    // The window between the check above and the rename is as short as it can be made.
    if fs::read(&target)? != original {
        return Err(WriteError::ChangedOnDisk);
    }
    temporary.persist(&target).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn is_read_only(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o222 == 0
}

#[cfg(not(unix))]
fn is_read_only(metadata: &fs::Metadata) -> bool {
    metadata.permissions().readonly()
}

/// Gives the new file the original's owner and group, as a rename would otherwise hand the
/// file to whoever runs mcp-lint (root in CI, a hook's user). Where that is not allowed, the
/// file is not written.
#[cfg(unix)]
fn keep_owner(original: &fs::Metadata, new: &Path) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    let current = fs::metadata(new)?;
    if current.uid() == original.uid() && current.gid() == original.gid() {
        return Ok(());
    }
    std::os::unix::fs::chown(new, Some(original.uid()), Some(original.gid())).map_err(WriteError::Owner)
}

#[cfg(not(unix))]
fn keep_owner(_original: &fs::Metadata, _new: &Path) -> Result<(), WriteError> {
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

    /// A file without write bits is refused, also for root, and stays byte-identical.
    #[cfg(unix)]
    #[test]
    fn read_only_files_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.yaml");
        fs::write(&path, "a: 1\n").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
        let refused = write_atomically(&path, b"a: 1\n", b"a: 2\n");
        assert!(matches!(refused, Err(WriteError::ReadOnly)), "{refused:?}");
        assert_eq!(fs::read(&path).expect("read"), b"a: 1\n");
    }

    /// The fixed file keeps its owner and group. Only root may give a file away, so this runs
    /// where the tests run as root: `.ci/run` runs it with `--include-ignored` (and checks it is
    /// root), and a run that is not root fails here instead of passing without testing anything.
    #[cfg(unix)]
    #[test]
    #[ignore = "needs root (to chown the file to another user); .ci/run runs as root"]
    fn the_owner_is_kept() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.yaml");
        fs::write(&path, "a: 1\n").expect("write");
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).expect("chown to another user: this test needs root");
        write_atomically(&path, b"a: 1\n", b"a: 2\n").expect("written");
        let metadata = fs::metadata(&path).expect("meta");
        assert_eq!((metadata.uid(), metadata.gid()), (65534, 65534));
        assert_eq!(fs::read(&path).expect("read"), b"a: 2\n");
    }
}

//! Writes a fixed file atomically, refusing when the file changed since it was read.

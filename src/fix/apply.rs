//! Runs fixes over one file until nothing more changes.

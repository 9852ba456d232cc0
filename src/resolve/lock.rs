//! The lockfile beside a config: what was pinned and the digests that were verified.

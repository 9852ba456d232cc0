//! npm: packuments (abbreviated unless publish times are needed), scoped names, node-semver.

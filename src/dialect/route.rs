//! Routes: paths of keys and indices that name a place in a document, independent of its format.

use std::fmt;

/// One step of a route.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    Key(String),
    Index(usize),
}

/// A path from the document root to a value, e.g. `mcpServers.github.args[1]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Route(Vec<Component>);

impl Route {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn components(&self) -> &[Component] {
        &self.0
    }

    /// This route extended by a key.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.0.push(Component::Key(key.into()));
        next
    }

    /// This route extended by a sequence index.
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Component::Index(index));
        next
    }

    /// The last component and the route of its parent.
    pub fn split_last(&self) -> Option<(&Component, Route)> {
        let (last, rest) = self.0.split_last()?;
        Some((last, Route(rest.to_vec())))
    }

    /// The key this route ends in, if it ends in a key (`mcp_servers.a.url` -> `url`).
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last()? {
            Component::Key(key) => Some(key.as_str()),
            Component::Index(_) => None,
        }
    }

    pub fn starts_with(&self, prefix: &Route) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// Builds a route from a JSON pointer (`/mcpServers/a~1b/args/0`); numeric tokens become indices
    /// only where `is_index` says the parent is a sequence.
    pub fn from_components(components: Vec<Component>) -> Self {
        Self(components)
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for component in &self.0 {
            match component {
                Component::Key(key) => {
                    let plain = !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
                    if plain {
                        if !first {
                            f.write_str(".")?;
                        }
                        f.write_str(key)?;
                    } else {
                        write!(f, "[{key:?}]")?;
                    }
                }
                Component::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

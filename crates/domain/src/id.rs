//! Stable string ids: the one key every node is known by, across stores, files and the API.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ValidationError;

/// A stable node id such as `hku` or `gdhkmo-smart-cities`.
///
/// Ids are 1–128 characters of lowercase ASCII letters, digits, `-`, `_` and `.`, starting with
/// a letter or digit. Why so strict: ids appear in URLs, Relay global ids, CSV cells and Cypher
/// parameters, and one spelling per node is what makes upserts idempotent. The text is shared
/// (`Arc<str>`) because one id is referenced by many edges and indexes.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(Arc<str>);

impl Id {
    /// Longest id accepted.
    pub const MAX_LEN: usize = 128;

    /// Validates `text` as an id.
    pub fn new(text: &str) -> Result<Self, ValidationError> {
        Self::check(text)?;
        Ok(Self(Arc::from(text)))
    }

    fn check(text: &str) -> Result<(), ValidationError> {
        let bad = |reason: &'static str| ValidationError::InvalidId {
            id: text.chars().take(Self::MAX_LEN + 8).collect(),
            reason,
        };
        if text.is_empty() {
            return Err(bad("an id cannot be empty"));
        }
        if text.len() > Self::MAX_LEN {
            return Err(bad("an id is at most 128 characters"));
        }
        let first = text.as_bytes()[0];
        if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
            return Err(bad("an id starts with a lowercase letter or a digit"));
        }
        if !text.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        }) {
            return Err(bad(
                "an id holds only lowercase ASCII letters, digits, '-', '_' and '.'",
            ));
        }
        Ok(())
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for Id {
    type Error = ValidationError;
    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::new(text)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Id::new(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_reference_ids() {
        for ok in ["hku", "gdhkmo-smart-cities", "cuhk-sz", "p.12_3", "9lab"] {
            assert_eq!(
                Id::new(ok).map(|id| id.to_string()).ok().as_deref(),
                Some(ok)
            );
        }
    }

    #[test]
    fn rejects_bad_ids_with_reason() {
        for bad in ["", "HKU", "-x", "a b", "港大", &"a".repeat(129)] {
            let err = Id::new(bad).expect_err(bad);
            assert!(err.to_string().contains("id"), "{err}");
        }
    }
}

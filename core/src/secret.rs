//! [`Secret`]: the one type that holds API keys, client secrets, tokens and passwords.
//!
//! Every secret the library touches lives in a `Secret`, so there is exactly one place that decides how a secret
//! is printed (never), how it is copied (a shared, reference-counted buffer, so clones make no new copies of the
//! bytes) and how it is erased (zeroized when the last clone is dropped). Reading the value takes an explicit
//! [`Secret::expose`] call, which makes every place that handles the raw value easy to find in review.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

/// What `Debug` and `Display` print in place of a secret value.
pub const REDACTED: &str = "** redacted **";

/// A secret string: redacted in `Debug` and `Display`, zeroized on drop, read only through [`Secret::expose`].
///
/// Cloning is cheap and shares one buffer; the buffer is zeroized when the last clone is dropped.
#[derive(Clone)]
pub struct Secret(Arc<Zeroizing<String>>);

impl Secret {
    /// Wraps a value. The `String` is moved in, so no unzeroized copy is left behind by this call.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::new(Zeroizing::new(value.into())))
    }

    /// The secret value. Call it only where the value must leave the process (a header, a body, stdout on request).
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }

    /// `true` when the value is empty or only whitespace: such a secret can never authenticate.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// Compares in constant time for equal lengths, so comparing a received value to a stored one leaks no prefix.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.expose().as_bytes(), other.expose().as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

/// Hashes the value, so that settings holding a secret (a proxy's password) can key a map. Use it only with a
/// keyed hasher (std's `RandomState`), whose output tells nothing of the value to anyone without the key.
impl std::hash::Hash for Secret {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.expose().hash(state);
    }
}

/// Secrets arrive in answers (a created credential's token); they are never serialized back out by this crate.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_pinned_and_redacted() {
        let s = Secret::new("canary-value-123");
        assert_eq!(format!("{s:?}"), "Secret(** redacted **)");
        assert_eq!(format!("{s}"), "** redacted **");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(Secret(** redacted **))");
        assert_eq!(s.expose(), "canary-value-123");
    }

    #[test]
    fn clones_share_one_buffer_and_compare_by_value() {
        let a = Secret::new("abc");
        let b = a.clone();
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, Secret::new("abc"));
        assert_ne!(a, Secret::new("abd"));
        assert_ne!(a, Secret::new("abcd"));
    }

    #[test]
    fn blank_values_are_detected() {
        assert!(Secret::new("  ").is_blank());
        assert!(Secret::new("").is_blank());
        assert!(!Secret::new("k").is_blank());
    }
}

//! Configuration from environment variables: every variable's name, and how one is read, in one place. Each
//! client turns its variables into settings in its own module (`akool/credentials.rs`, `acedata/platform.rs`),
//! so this module imports no vendor.
//!
//! The functions take a lookup function instead of reading the process environment directly, so tests can
//! pass their own values without mutating global state. An empty or blank variable counts as unset.

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Reads one variable; `None` when unset.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Akool's API key (method 1).
pub const AKOOL_API_KEY: &str = "AKOOL_API_KEY";
/// Akool's client id (method 2).
pub const AKOOL_CLIENT_ID: &str = "AKOOL_CLIENT_ID";
/// Akool's client secret (method 2).
pub const AKOOL_CLIENT_SECRET: &str = "AKOOL_CLIENT_SECRET";
/// Overrides Akool's base URL.
pub const AKOOL_BASE_URL: &str = "AKOOL_BASE_URL";
/// The AceData platform token.
pub const ACEDATA_PLATFORM_TOKEN: &str = "ACEDATA_PLATFORM_TOKEN";
/// Overrides the AceData platform's base URL.
pub const ACEDATA_PLATFORM_BASE_URL: &str = "ACEDATA_PLATFORM_BASE_URL";

/// `off` turns telemetry (OpenTelemetry spans and metrics, the hooks) off in every language.
pub const TOKENSMITH_TELEMETRY: &str = "TOKENSMITH_TELEMETRY";

/// The process environment (blank values are treated as unset by the readers below).
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// One variable, `None` when unset or blank.
pub(crate) fn get(lookup: Lookup<'_>, name: &str) -> Option<String> {
    lookup(name).filter(|v| !v.trim().is_empty())
}

/// The AceData platform token and optional base URL.
pub(crate) fn acedata(lookup: Lookup<'_>) -> Result<(Secret, Option<String>)> {
    let token = get(lookup, ACEDATA_PLATFORM_TOKEN)
        .ok_or_else(|| Error::MissingConfig(format!("set {ACEDATA_PLATFORM_TOKEN} to an AceData platform token")))?;
    Ok((Secret::new(token), get(lookup, ACEDATA_PLATFORM_BASE_URL)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn blank_values_count_as_unset_and_errors_name_the_variable() {
        let err = acedata(&vars(&[(ACEDATA_PLATFORM_TOKEN, "")])).unwrap_err().to_string();
        assert!(err.contains(ACEDATA_PLATFORM_TOKEN), "{err}");
    }

    #[test]
    fn base_urls_are_read() {
        let lookup = vars(&[(ACEDATA_PLATFORM_TOKEN, "t"), (ACEDATA_PLATFORM_BASE_URL, "https://x")]);
        assert_eq!(acedata(&lookup).unwrap().1.as_deref(), Some("https://x"));
    }
}

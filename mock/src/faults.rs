//! Faults that tests of any language switch on over HTTP (`POST /__mock/faults`), without recompiling.
//!
//! A fault rule matches requests by method and path prefix and fires for the next `times` matching requests.

use serde::Deserialize;
use serde_json::Value;

/// One queued fault: which requests it hits, how often, and what it does.
#[derive(Clone, Debug, Deserialize)]
pub struct FaultRule {
    /// Only requests whose path starts with this (any path when absent).
    #[serde(default)]
    pub path: Option<String>,
    /// Only requests with this method (any method when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// How many matching requests it hits (default 1).
    #[serde(default = "one")]
    pub times: u32,
    /// What it does.
    #[serde(flatten)]
    pub action: FaultAction,
}

fn one() -> u32 {
    1
}

/// What a fault does to the request it hits.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer with this HTTP status (and `Retry-After`, and body, if given) instead of handling.
    Status {
        /// The status.
        status: u16,
        /// The `Retry-After` header value.
        #[serde(default)]
        retry_after: Option<String>,
        /// The JSON body (an AceData-style error by default).
        #[serde(default)]
        body: Option<Value>,
        /// More headers of the answer (e.g. a request id, as gateways add).
        #[serde(default)]
        headers: std::collections::BTreeMap<String, String>,
    },
    /// Answer HTTP 200 with this Akool business code instead of handling.
    AkoolCode {
        /// The code (1101, 1200, ...).
        code: i64,
        /// The message (a default per code when absent).
        #[serde(default)]
        msg: Option<String>,
    },
    /// Wait this long, then handle normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Close the connection without handling the request or answering.
    DropBefore,
    /// Handle the request (e.g. create the credential), then close the connection without answering.
    DropAfter,
    /// Handle and answer normally, without `Connection: close`, then close the connection (a FIN) once the answer
    /// is written: a keep-alive connection that a server or load balancer closes under the client.
    CloseAfter,
    /// Close the connection with a TCP reset (RST) instead of handling or answering.
    Reset,
    /// Answer HTTP 200 with a truncated JSON body.
    Malformed,
    /// Answer HTTP 200 with a body of this many bytes (default 17 MiB).
    Oversized {
        /// Body size in bytes.
        #[serde(default)]
        bytes: Option<usize>,
    },
    /// Redirect (307) to the same path on another origin (`other`) or on this one (`same`).
    Redirect {
        /// `other` or `same`.
        target: RedirectTarget,
    },
    /// Answer an auth error whose message quotes the credential the request carried, to test scrubbing.
    EchoAuth,
    /// Answer the next credential list with the older `results` field instead of `items`.
    LegacyList,
}

/// Where a redirect fault points.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RedirectTarget {
    /// The mock's second listener: another origin.
    Other,
    /// This origin, with `redirected=1` added to the query.
    Same,
}

/// The queue of armed faults.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    pub(crate) fn push(&mut self, rule: FaultRule) {
        if rule.times > 0 {
            self.rules.push(rule);
        }
    }

    /// The first armed fault matching this request, used up by one.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<FaultAction> {
        let index = self.rules.iter().position(|rule| {
            rule.path.as_deref().is_none_or(|prefix| path.starts_with(prefix))
                && rule.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
        })?;
        let rule = &mut self.rules[index];
        rule.times -= 1;
        let action = rule.action.clone();
        if rule.times == 0 {
            self.rules.remove(index);
        }
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_by_method_and_prefix_and_wear_out() {
        let mut faults = Faults::default();
        let rule: FaultRule =
            serde_json::from_str(r#"{"kind":"status","status":503,"path":"/api/v1/","method":"post","times":2}"#)
                .unwrap();
        faults.push(rule);
        assert!(faults.take("GET", "/api/v1/credentials/").is_none());
        assert!(faults.take("POST", "/api/open/x").is_none());
        assert!(matches!(faults.take("POST", "/api/v1/credentials/"), Some(FaultAction::Status { status: 503, .. })));
        assert!(faults.take("POST", "/api/v1/credentials/").is_some());
        assert!(faults.take("POST", "/api/v1/credentials/").is_none());
    }
}

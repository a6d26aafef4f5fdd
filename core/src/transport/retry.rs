//! When to retry, and how long to wait: the retry half of the transport policy.
//!
//! The rule that keeps credentials from being created twice: a call that is not idempotent is retried only when
//! it provably was not performed: the connection could not be made, or the server refused it before acting (408,
//! 429, and a vendor's own "too frequent" answer such as Akool's 1005). Idempotent calls are also retried on
//! timeouts, broken connections and server failures (500, 502, 503, 504). `docs/retries.md` is the table, which
//! a unit test below compares with these rules.

use std::time::{Duration, SystemTime};

use crate::options::RetryPolicy;

/// Whether an answer of this status is repeated, for an idempotent call or not.
///
/// 408 and 429 say the server did not act on the request (it timed out reading it, or refused it for its rate), so
/// any call may be repeated. 5xx may come after the server acted (a gateway's 502/504 after the origin did, a 500
/// half way through), so only an idempotent call is repeated. Everything else (409 included: a conflict repeats)
/// is the answer.
pub(crate) fn retry_status(status: u16, idempotent: bool) -> bool {
    match status {
        408 | 429 => true,
        500 | 502 | 503 | 504 => idempotent,
        _ => false,
    }
}

/// What went wrong with one attempt that got no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection was never made (refused, DNS, TLS handshake, connect timeout): the server saw nothing.
    NotSent,
    /// The request may have reached the server (timeout or broken connection after sending began).
    MaybeSent,
    /// The connection closed or was reset before any byte of the answer arrived: most often a kept-alive
    /// connection that the server closed just as the request was written. The server may still have read it.
    Closed,
    /// The server answered, but the answer is unusable (too large): asking again would get the same.
    Answered,
}

/// Whether a failed attempt may be repeated.
pub(crate) fn may_retry(failure: Failure, idempotent: bool) -> bool {
    match failure {
        Failure::NotSent => true,
        Failure::MaybeSent | Failure::Closed => idempotent,
        Failure::Answered => false,
    }
}

/// The wait before retry number `retry` (0-based): exponential, capped, with jitter in [50 %, 100 %] of the step.
pub(crate) fn backoff(policy: &RetryPolicy, retry: u32) -> Duration {
    let step = policy.initial_backoff.saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX));
    let capped = step.min(policy.max_backoff);
    capped.mul_f64(0.5 + fastrand::f64() * 0.5)
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        // `try_`: a huge value ("1e300") from a server must be ignored, not overflow (found by fuzzing).
        return Duration::try_from_secs_f64(secs).ok();
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_idempotent_calls_retry_after_sending() {
        assert!(may_retry(Failure::NotSent, false));
        assert!(!may_retry(Failure::MaybeSent, false));
        assert!(may_retry(Failure::MaybeSent, true));
        assert!(!may_retry(Failure::Answered, true));
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let b0 = backoff(&p, 0);
            assert!(b0 >= Duration::from_millis(50) && b0 <= Duration::from_millis(100), "{b0:?}");
            let b1 = backoff(&p, 1);
            assert!(b1 >= Duration::from_millis(100) && b1 <= Duration::from_millis(200), "{b1:?}");
            let b9 = backoff(&p, 40);
            assert!(b9 >= Duration::from_millis(175) && b9 <= Duration::from_millis(350), "{b9:?}");
        }
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("0.5", now), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("1e300", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        assert_eq!(parse_retry_after("inf", now), None);
    }

    #[test]
    fn the_documented_table_is_the_policy() {
        let table = include_str!("../../../docs/retries.md");
        let mut rows = 0;
        for line in table.lines() {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            let Some(statuses) = cells.first().and_then(|c| c.strip_prefix("HTTP ")) else { continue };
            let yes = |cell: &str| cell.starts_with("retried");
            for status in statuses.split(", ").filter_map(|s| s.parse::<u16>().ok()) {
                assert_eq!(retry_status(status, true), yes(cells[1]), "idempotent, {line}");
                assert_eq!(retry_status(status, false), yes(cells[2]), "not idempotent, {line}");
                rows += 1;
            }
        }
        assert!(rows >= 11, "docs/retries.md lists the statuses");
        for s in [200, 400, 401, 404, 409, 501] {
            assert!(!retry_status(s, true) && !retry_status(s, false), "{s}");
        }
    }
}

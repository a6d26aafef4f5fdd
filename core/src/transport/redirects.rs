//! The redirect policy: credentials never leave the origin they were meant for.

use reqwest::redirect;

/// How many same-origin redirects are followed before giving up.
const MAX_REDIRECTS: usize = 5;

/// Follows redirects only within one origin, so `x-api-key` and `Authorization` never reach another host.
pub(super) fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

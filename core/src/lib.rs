//! # tokensmith
//!
//! One Rust implementation of authentication for two vendor APIs, shared by every language binding:
//!
//! - **Akool OpenAPI** ([`AkoolClient`]): method 1 sends `x-api-key` on every request; method 2 fetches a bearer
//!   token from `getToken` with a client id and secret (once, shared by all threads) and renews it once when the
//!   server answers 1101. Any business code but 1000 is an error, even under HTTP 200.
//! - **AceData Cloud** ([`AceDataPlatform`]): the credential lifecycle (create, list, get, update, rotate,
//!   delete) with a platform token, with every input checked before a request is sent.
//!
//! Both share one transport policy: `https://` only (plain `http://` to loopback alone), timeouts that cannot be
//! switched off, retries with backoff that never repeat a call that is not idempotent once it may have been
//! sent, no credentials on cross-origin redirects, a cap on response bodies. Every secret is a [`Secret`]:
//! redacted in `Debug` and `Display`, zeroized on drop, scrubbed from error messages.
//!
//! The clients are async; [`blocking`] has the same clients for callers that block. A blocking call does its I/O
//! on the calling thread; an async call awaited on a multi-thread tokio runtime does it there; on any other
//! executor a small runtime of the core's does it. So the futures work on any executor and a blocking call works
//! from any thread. Clients of equal transport settings share connections: a client costs about a microsecond.
//!
//! ```no_run
//! use tokensmith::{AkoolClient, Method};
//!
//! # async fn run() -> tokensmith::Result<()> {
//! let akool = AkoolClient::from_env()?;
//! let quota = akool.request(Method::Get, "/api/open/v3/faceswap/quota/info", None).await?;
//! println!("{quota}");
//! # Ok(())
//! # }
//! ```
//!
//! ```no_run
//! use tokensmith::{blocking::AkoolClient, Method};
//!
//! let akool = AkoolClient::from_env()?;
//! let quota = akool.request(Method::Get, "/api/open/v3/faceswap/quota/info", None)?;
//! # Ok::<(), tokensmith::Error>(())
//! ```
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

pub mod acedata;
pub mod akool;
pub mod blocking;
mod call_options;
pub mod env;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod logging;
pub mod loop_executor;
mod method;
mod options;
pub mod overrides;
mod process;
mod proxy_url;
pub mod runtime;
mod secret;
pub mod telemetry;
mod transport;
mod vendor_code;

pub use acedata::{
    AceDataPlatform, Application, ApplicationFilter, ApplicationPage, Change, Credential, CredentialChanges,
    CredentialFilter, CredentialKind, CredentialPage, CredentialPages, NewCredential, NewCredentialArgs, Page,
};
pub use akool::{AkoolClient, AkoolCode, AkoolCredentials, AuthHeader, WebhookEvent, WebhookVerifier};
pub use call_options::CallOptions;
pub use error::{ApiFailure, Error, ErrorDetails, ErrorKind, Result, WebhookRejection};
pub use method::Method;
pub use options::{ClientOptions, RetryPolicy, DEFAULT_POOL_IDLE_TIMEOUT};
pub use overrides::{Overrides, WithCallOptions};
pub use secret::{Secret, REDACTED};
pub use transport::{MAX_BODY_BYTES, USER_AGENT};
pub use vendor_code::VendorCode;

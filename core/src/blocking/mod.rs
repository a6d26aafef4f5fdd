//! The blocking face of the clients, for callers that block: threads, the CLI, Java, synchronous Python.
//!
//! Each blocking client wraps the async one and waits for its futures on the calling thread, which parks while
//! the core's runtime does the I/O. There is no second implementation: retries, redirects, the body cap, the
//! envelope, the errors and the token cache are the async client's. A blocking client and the async client it
//! came from (see `as_async` and `From`) share one connection pool and one token cache, so single flight spans
//! both: a token fetch started by a thread is awaited by tasks, and the other way round.
//!
//! It works from any thread, also one that belongs to another tokio runtime (it never enters that runtime);
//! there, as with any blocking call, it holds up that runtime's worker for the duration of the call.

mod acedata;
mod akool;

pub use acedata::{AceDataPlatform, CredentialIter, CredentialPages};
pub use akool::AkoolClient;

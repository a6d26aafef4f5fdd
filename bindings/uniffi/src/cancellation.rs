//! [`Cancellation`]: how a foreign caller whose runtime does not drop Rust futures cancels an async call.
//!
//! Kotlin's coroutines and Python's tasks free the Rust future when they are cancelled, which aborts the call.
//! Swift's `Task.cancel()` does not (UniFFI 0.32 runs the future to completion), so the Swift package passes a
//! `Cancellation` with every async call and cancels it from `withTaskCancellationHandler`: the call's future is
//! then dropped here, which aborts its HTTP request exactly as a dropped future does in Rust.

use std::future::Future;
use std::sync::Arc;

use futures_util::future::{select, Either};
use tokio_util::sync::CancellationToken;

use crate::error::{Result, TokensmithError};

/// A switch that cancels the async calls it was passed to.
#[derive(Debug, Default, uniffi::Object)]
pub struct Cancellation(CancellationToken);

#[uniffi::export]
impl Cancellation {
    /// A switch not yet thrown.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// Cancels every call this was passed to: each stops and fails, its request aborted.
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

/// Runs `call` until it ends or `cancellation` is thrown; a cancelled call fails with a transport error (the
/// Swift package turns it into `CancellationError`).
pub(crate) async fn cancellable<T>(
    cancellation: Option<Arc<Cancellation>>,
    call: impl Future<Output = tokensmith::Result<T>>,
) -> Result<T> {
    let Some(cancellation) = cancellation else { return Ok(call.await?) };
    let call = std::pin::pin!(call);
    let cancelled = std::pin::pin!(cancellation.0.cancelled());
    match select(call, cancelled).await {
        Either::Left((result, _)) => Ok(result?),
        Either::Right(((), _)) => {
            Err(TokensmithError::from(tokensmith::Error::Transport("the call was cancelled by the caller".into())))
        }
    }
}

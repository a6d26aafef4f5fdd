//! The asyncio bridge: `pyo3-async-runtimes` driven by the core's runtime.
//!
//! `pyo3_async_runtimes::tokio` would spawn its bridging tasks on a runtime of its own, built once per process:
//! in a child forked after first use (gunicorn, multiprocessing) that runtime has no threads and every awaited
//! call would hang. Its generic API takes any runtime, so this one spawns on the core's, which is rebuilt after a
//! fork. Task locals (the event loop a future belongs to) are kept as its tokio runtime keeps them.

use std::future::Future;
use std::pin::Pin;

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{self, ContextExt, Runtime};
use pyo3_async_runtimes::TaskLocals;
use tokio::sync::OnceCell;
use tokio::task::{JoinError, JoinHandle};

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

/// The core's runtime, as `pyo3-async-runtimes` sees a runtime.
pub(crate) struct CoreRuntime;

impl Runtime for CoreRuntime {
    type JoinError = JoinError;
    type JoinHandle = JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        tokensmith::runtime::handle().spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        tokensmith::runtime::handle().spawn_blocking(f)
    }
}

impl ContextExt for CoreRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(TASK_LOCALS.scope(OnceCell::new_with(Some(locals)), fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|cell| cell.get().cloned()).unwrap_or_default()
    }
}

/// An awaitable for a core call: an `asyncio.Future` of the running loop, its result converted with `convert`
/// and its error with the package's exceptions. Cancelling it drops the call, which aborts its request.
pub(crate) fn awaitable<'py, T, U>(
    py: Python<'py>,
    call: impl Future<Output = tokensmith::Result<T>> + Send + 'static,
    convert: impl FnOnce(T) -> PyResult<U> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    U: for<'a> IntoPyObject<'a> + Send + 'static,
{
    generic::future_into_py::<CoreRuntime, _, _>(py, async move {
        call.await.map_err(crate::errors::to_py).and_then(convert)
    })
}

//! The core's log records into Python's `logging`, through `pyo3-log`: target `tokensmith::transport` becomes
//! the logger `tokensmith.transport`, a child of `tokensmith`, so `logging.getLogger("tokensmith")` configures
//! them all.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3_log::{Caching, Logger, ResetHandle};

/// The handle that makes `pyo3-log` read the loggers' levels again.
static RESET: OnceLock<ResetHandle> = OnceLock::new();

/// Installs the bridge, once per process. The loggers' levels are cached after the first record (reading them
/// takes the GIL); `refresh_logging` forgets the cache after the application changes them.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    let logger = Logger::new(py, Caching::LoggersAndLevels)?
        .filter(log::LevelFilter::Warn)
        .filter_target("tokensmith".to_owned(), log::LevelFilter::Trace);
    if let Ok(handle) = logger.install() {
        let _ = RESET.set(handle);
    }
    Ok(())
}

/// Makes the next records read the levels of the `tokensmith` loggers again.
#[pyfunction]
pub(crate) fn refresh_logging() {
    if let Some(handle) = RESET.get() {
        handle.reset();
    }
}

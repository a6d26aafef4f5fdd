//! The core's log records into Python's `logging`, through `pyo3-log`: target `tokensmith::transport` becomes
//! the logger `tokensmith.transport`, a child of `tokensmith`, so `logging.getLogger("tokensmith")` configures
//! them all.
//!
//! No record is written where it is made. Most are made without the GIL (on the core's I/O threads, or on the
//! calling thread while a blocking call has released it), and taking the GIL there would stall every call of that
//! I/O thread behind whatever Python thread holds it, deadlock when that Python thread waits for a lock the core
//! holds while it logs (the runtime's, the HTTP clients' registry), and kill the thread if the interpreter is
//! finalizing. A record made with the GIL (building a client) waits too: the core may hold such a lock, and
//! Python's handlers may release the GIL to another thread that wants it. So each record waits in a queue, in the
//! order made, and a thread that holds the GIL and no lock of the core writes the queue into `logging`
//! ([`deliver`]): a blocking call's thread when the call returns, the event loop's thread when it takes finished
//! calls' outcomes (before setting them), and the package's exit. A record therefore reaches `logging` on a
//! Python thread (the caller's, or the loop's), stamped with the time it was written there.

use std::collections::VecDeque;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use pyo3_log::{Caching, Logger, ResetHandle};

/// The handle that makes `pyo3-log` read the loggers' levels again.
static RESET: OnceLock<ResetHandle> = OnceLock::new();

/// The process's logger: `pyo3-log`, behind the queue.
static BRIDGE: OnceLock<Bridge> = OnceLock::new();

/// How many records may wait; past that, new ones are counted and dropped (nothing is delivering them).
const MAX_WAITING: usize = 10_000;

/// Installs the bridge, once per process. The loggers' levels are cached after the first record (reading them
/// takes the GIL); `refresh_logging` forgets the cache after the application changes them.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    let python = Logger::new(py, Caching::LoggersAndLevels)?
        .filter(LevelFilter::Warn)
        .filter_target("tokensmith".to_owned(), LevelFilter::Trace);
    let reset = python.reset_handle();
    let bridge = BRIDGE.get_or_init(|| Bridge { python });
    if log::set_logger(bridge).is_ok() {
        // The most verbose of the filters above: `pyo3-log`'s own `install` sets the same.
        log::set_max_level(LevelFilter::Trace);
        let _ = RESET.set(reset);
    }
    Ok(())
}

/// `py.detach(work)`, then writes the records that waited into `logging`: among them those `work` made on this
/// thread or had the core's threads make. Every place that releases the GIL goes through here.
pub(crate) fn detach<T: Ungil>(py: Python<'_>, work: impl Ungil + FnOnce() -> T) -> T {
    let result = py.detach(work);
    deliver(py);
    result
}

/// Writes the records that wait into `logging`, oldest first. Call it with the GIL and no lock of the core held:
/// Python's handlers may release the GIL, and another thread may then call the core.
pub(crate) fn deliver(py: Python<'_>) {
    if !ANY_WAITING.load(Ordering::Acquire) {
        return;
    }
    let Some(bridge) = BRIDGE.get() else { return };
    let (records, dropped) = waiting().take();
    for record in records {
        if let Some((trace_id, span_id)) = &record.ids {
            traced(py, &record, trace_id, span_id);
            continue;
        }
        // `pyo3-log` finds this thread attached, and checks the logger's level again.
        bridge.python.log(
            &Record::builder()
                .level(record.level)
                .target(&record.target)
                .args(format_args!("{}", record.message))
                .module_path_static(record.module_path)
                .file_static(record.file)
                .line(record.line)
                .build(),
        );
        unraisable(py);
    }
    if dropped > 0 {
        bridge.python.log(
            &Record::builder()
                .level(Level::Warn)
                .target("tokensmith")
                .args(format_args!("{dropped} log records were dropped while waiting for a Python thread"))
                .build(),
        );
        unraisable(py);
    }
}

/// A traced call's record, written by `logging` itself with its ids as the record's `otelTraceID` and `otelSpanID`
/// (the names OpenTelemetry's logging instrumentation gives them), which `pyo3-log` has no way to add. Set on the
/// record after it is made, not as `extra`: a record factory that sets them already (OpenTelemetry's
/// `LoggingInstrumentor`) would make `extra` raise.
fn traced(py: Python<'_>, record: &Waited, trace_id: &str, span_id: &str) {
    let level = match record.level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug => 10,
        Level::Trace => 5,
    };
    let written = (|| -> PyResult<()> {
        let name = record.target.replace("::", ".");
        let logger = py.import("logging")?.call_method1("getLogger", (&name,))?;
        if !logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
            return Ok(());
        }
        let file = record.file.unwrap_or("(unknown file)");
        let line = record.line.unwrap_or(0);
        let args = pyo3::types::PyTuple::empty(py);
        let made = logger.call_method1("makeRecord", (&name, level, file, line, &record.message, args, py.None()))?;
        made.setattr("otelTraceID", trace_id)?;
        made.setattr("otelSpanID", span_id)?;
        logger.call_method1("handle", (made,))?;
        Ok(())
    })();
    if let Err(error) = written {
        error.write_unraisable(py, None);
    }
}

/// The `trace_id` and `span_id` a traced call's record carries (the core's `log` key-values), when it has them.
fn ids(record: &Record<'_>) -> Option<(String, String)> {
    let value = |key: &str| record.key_values().get(log::kv::Key::from_str(key)).map(|v| v.to_string());
    Some((value("trace_id")?, value("span_id")?))
        .filter(|(trace_id, span_id)| !trace_id.is_empty() && !span_id.is_empty())
}

/// Reports an exception that writing a record left set (`pyo3-log` restores it), as `logging` reports its
/// handlers' own: the call that delivered the record goes on.
fn unraisable(py: Python<'_>) {
    if let Some(error) = PyErr::take(py) {
        error.write_unraisable(py, None);
    }
}

/// Makes the next records read the levels of the `tokensmith` loggers again.
#[pyfunction]
pub(crate) fn refresh_logging() {
    if let Some(handle) = RESET.get() {
        handle.reset();
    }
}

/// `pyo3-log` for its filters and for writing, a queue in between (see the module's docs).
#[derive(Debug)]
struct Bridge {
    python: Logger,
}

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Without the GIL: the filters, and the level `pyo3-log` cached for the logger (none before its first
        // record, which then waits and is checked against the logger's level when written).
        self.python.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if self.python.enabled(record.metadata()) {
            waiting().push(record);
        }
    }

    fn flush(&self) {}
}

/// A record as it waits: what `pyo3-log` writes of it.
struct Waited {
    level: Level,
    target: String,
    message: String,
    module_path: Option<&'static str>,
    file: Option<&'static str>,
    line: Option<u32>,
    /// The trace id and operation span id of the traced call that wrote it.
    ids: Option<(String, String)>,
}

/// The records of one process that wait for a Python thread.
struct Waiting {
    pid: u32,
    records: Mutex<(VecDeque<Waited>, usize)>,
}

/// This process's [`Waiting`]. A forked child makes its own: the parent's lock may have been held by a thread the
/// child does not have, and the parent's records are the parent's to write.
static WAITING: AtomicPtr<Waiting> = AtomicPtr::new(ptr::null_mut());

/// Whether a record may be waiting: lets [`deliver`], on every call's return, do nothing else.
static ANY_WAITING: AtomicBool = AtomicBool::new(false);

fn waiting() -> &'static Waiting {
    // Not the core's cached process id: reading it the first time may log, which would come back here.
    let pid = std::process::id();
    loop {
        let current = WAITING.load(Ordering::Acquire);
        // SAFETY: a non-null pointer here came from `Box::into_raw` below and is never freed.
        if let Some(waiting) = unsafe { current.as_ref() } {
            if waiting.pid == pid {
                return waiting;
            }
        }
        let new = Box::into_raw(Box::new(Waiting { pid, records: Mutex::new((VecDeque::new(), 0)) }));
        match WAITING.compare_exchange(current, new, Ordering::AcqRel, Ordering::Acquire) {
            // The parent's, if any, is leaked with its lock.
            // SAFETY: just made, and now shared for the rest of the process.
            Ok(_) => return unsafe { &*new },
            // Another thread of this process made one first: use that (next turn).
            // SAFETY: just made, and never shared.
            Err(_) => drop(unsafe { Box::from_raw(new) }),
        }
    }
}

impl Waiting {
    fn push(&self, record: &Record<'_>) {
        let waited = Waited {
            level: record.level(),
            target: record.target().to_owned(),
            message: record.args().to_string(),
            module_path: record.module_path_static(),
            file: record.file_static(),
            line: record.line(),
            ids: ids(record),
        };
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        let (queue, dropped) = &mut *records;
        if queue.len() < MAX_WAITING {
            queue.push_back(waited);
        } else {
            *dropped += 1;
        }
        ANY_WAITING.store(true, Ordering::Release);
    }

    /// The waiting records, and how many were dropped since the last time.
    fn take(&self) -> (VecDeque<Waited>, usize) {
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        ANY_WAITING.store(false, Ordering::Release);
        std::mem::take(&mut *records)
    }
}

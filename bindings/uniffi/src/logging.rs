//! The core's log records, handed to a sink the host language implements: the Python package forwards them to
//! `logging`, the JVM package to SLF4J or `java.util.logging`, a Swift program to its own handler.

use std::sync::Arc;

use tokensmith::logging::{self, Level, LevelFilter, LogRecord};

/// A record's level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// A call failed in a way the caller will see.
    Error,
    /// Something unexpected that the client worked around.
    Warn,
    /// Retries, token renewals.
    Info,
    /// Every request and its outcome, token fetches, fork rebuilds.
    Debug,
    /// The finest detail.
    Trace,
}

/// Receives the core's records, from any thread (often one of the core's I/O threads). Must not block for long.
#[uniffi::export(with_foreign)]
pub trait LogSink: Send + Sync {
    /// One record: its level, the module that wrote it (`tokensmith::transport`), its text (never a secret), and
    /// the trace id and operation span id of the traced call that wrote it (null otherwise), for log correlation.
    fn log(&self, level: LogLevel, target: String, message: String, trace_id: Option<String>, span_id: Option<String>);
}

/// Sends the core's records up to `max_level` to `sink`, or none when `sink` is null. Returns false if the
/// process already had another Rust logger, which then keeps them.
#[uniffi::export]
pub fn set_log_sink(sink: Option<Arc<dyn LogSink>>, max_level: LogLevel) -> bool {
    let sink = sink.map(|sink| -> logging::LogSink {
        Arc::new(move |record: LogRecord| {
            sink.log(record.level.into(), record.target, record.message, record.trace_id, record.span_id)
        })
    });
    logging::set_sink(sink, max_level.into())
}

impl From<Level> for LogLevel {
    fn from(level: Level) -> Self {
        match level {
            Level::Error => Self::Error,
            Level::Warn => Self::Warn,
            Level::Info => Self::Info,
            Level::Debug => Self::Debug,
            Level::Trace => Self::Trace,
        }
    }
}

impl From<LogLevel> for LevelFilter {
    fn from(level: LogLevel) -> Self {
        match level {
            LogLevel::Error => Self::Error,
            LogLevel::Warn => Self::Warn,
            LogLevel::Info => Self::Info,
            LogLevel::Debug => Self::Debug,
            LogLevel::Trace => Self::Trace,
        }
    }
}

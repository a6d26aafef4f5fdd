//! The core's log records handed to a JavaScript function on the event loop's thread. The function is held
//! weakly: it never keeps a process alive, and records written after the loop ends are dropped.

use std::sync::Arc;

use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use tokensmith::logging::{level_filter, set_sink, LogRecord};

use crate::errors::{js, Result};

type Record = FnArgs<(String, String, String, Option<String>, Option<String>)>;

/// Receives `(level, target, message, traceId, spanId)`: `level` is `error`, `warn`, `info`, `debug` or `trace`;
/// the ids are those of the traced call that wrote the record, or null.
pub type LogCallback = ThreadsafeFunction<Record, (), Record, Status, false, true>;

/// Sends the core's records up to `max_level` to `callback`, or none when it is null. Returns false if the
/// process already had another Rust logger.
#[napi]
pub fn set_log_sink(callback: Option<LogCallback>, max_level: String) -> Result<bool> {
    let level = js(level_filter(&max_level))?;
    let sink = callback.map(|callback| -> tokensmith::logging::LogSink {
        Arc::new(move |record: LogRecord| {
            let level = record.level.as_str().to_ascii_lowercase();
            let record = (level, record.target, record.message, record.trace_id, record.span_id);
            callback.call(record.into(), ThreadsafeFunctionCallMode::NonBlocking);
        })
    });
    Ok(set_sink(sink, level))
}

//! The core's log records for a PSR-3 logger (`Tokensmith\set_logger($logger)`). PHP runs one request on one
//! thread, and the records are written on the core's I/O threads, so they wait in a queue and are handed to the
//! logger on the PHP thread when the call that wrote them returns (`deliver`, from `call::php`, which every core
//! call's result passes through). The logger is a PHP object of the current request: it is forgotten when the
//! request ends. This assumes PHP's usual non-thread-safe build (one request at a time per process), the only one
//! tokensmith supports.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::ExecutorGlobals;
use tokensmith::logging::{level_filter, set_sink, Level, LogRecord};

use crate::errors::{invalid, to_php};

/// The most records kept between two deliveries; older ones are dropped first.
const QUEUE_LIMIT: usize = 1000;

static QUEUE: Mutex<VecDeque<LogRecord>> = Mutex::new(VecDeque::new());
/// Whether the queue may hold records: lets `deliver` skip the lock on the common path.
static PENDING: AtomicBool = AtomicBool::new(false);

thread_local! {
    static LOGGER: RefCell<Option<Zval>> = const { RefCell::new(None) };
}

/// Sends the core's records up to `level` to `logger`, a PSR-3 `LoggerInterface` (any object with
/// `log($level, $message, $context)`), for the rest of this request; `None` stops them.
pub(crate) fn set_logger(logger: Option<&Zval>, level: Option<String>) -> PhpResult<()> {
    let logger = logger.filter(|l| !l.is_null());
    if let Some(logger) = logger {
        if !logger.is_object() {
            return Err(invalid("logger", "must be a PSR-3 logger (an object with a log method)"));
        }
    }
    // As for every core call's result (`call::php`): the queued records first, then the conversion.
    deliver();
    let level = level_filter(level.as_deref().unwrap_or("debug")).map_err(to_php)?;
    LOGGER.with(|cell| *cell.borrow_mut() = logger.map(Zval::shallow_clone));
    let sink: Option<tokensmith::logging::LogSink> =
        logger.map(|_| -> tokensmith::logging::LogSink { Arc::new(enqueue) });
    set_sink(sink, level);
    Ok(())
}

fn enqueue(record: LogRecord) {
    let mut queue = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    if queue.len() == QUEUE_LIMIT {
        queue.pop_front();
    }
    queue.push_back(record);
    PENDING.store(true, Ordering::Release);
}

/// Hands the queued records to the logger, on the PHP thread. A logger that throws loses that record only: its
/// exception is taken and dropped, or it would surface from the tokensmith call that happened to deliver it.
pub(crate) fn deliver() {
    if !PENDING.swap(false, Ordering::Acquire) {
        return;
    }
    let records: Vec<LogRecord> = QUEUE.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
    LOGGER.with(|cell| {
        let Some(logger) = &*cell.borrow() else { return };
        for record in records {
            let mut context = std::collections::HashMap::from([("target".to_owned(), record.target)]);
            // A traced call's records carry its trace and operation span ids, for log correlation.
            if let (Some(trace_id), Some(span_id)) = (record.trace_id, record.span_id) {
                context.insert("trace_id".to_owned(), trace_id);
                context.insert("span_id".to_owned(), span_id);
            }
            let _ = logger.try_call_method("log", vec![&psr3_level(record.level), &record.message, &context]);
            drop(ExecutorGlobals::take_exception());
        }
    });
}

/// PSR-3's name for a level (it has no `trace`: those are `debug`).
fn psr3_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warn => "warning",
        Level::Info => "info",
        Level::Debug | Level::Trace => "debug",
    }
}

/// At the end of each request: the logger object dies with the request, so forget it and stop the records.
pub(crate) fn request_shutdown() {
    if LOGGER.with(|cell| cell.borrow_mut().take()).is_some() {
        set_sink(None, tokensmith::logging::LevelFilter::Off);
        QUEUE.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

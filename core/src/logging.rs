//! Where the core's log records go when a binding installs a sink: the bridge every language's logging stands
//! on (UniFFI's callback, Node, PHP). Rust programs do not need it: the records are ordinary `log` records
//! (target `tokensmith::...`) for whatever logger the program installs.
//!
//! Only the core's own records pass (not those of the HTTP libraries under it), and only up to the level the
//! sink asks for, so a disabled level costs one atomic load per record. No record carries a secret.

use std::sync::{Arc, OnceLock, RwLock};

pub use log::{Level, LevelFilter};
use log::{Log, Metadata, Record};

/// One record as a sink receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// Its level.
    pub level: Level,
    /// The module that wrote it, e.g. `tokensmith::transport`.
    pub target: String,
    /// The text.
    pub message: String,
    /// The trace id of the call that wrote it, when the call is traced (32 hex digits), for log correlation.
    pub trace_id: Option<String>,
    /// The id of that call's operation span (16 hex digits).
    pub span_id: Option<String>,
}

/// Receives the core's records, on whatever thread wrote them (often one of the core's runtime threads).
pub type LogSink = Arc<dyn Fn(LogRecord) + Send + Sync>;

struct Bridge {
    sink: RwLock<Option<LogSink>>,
}

static BRIDGE: Bridge = Bridge { sink: RwLock::new(None) };

/// Whether the bridge became the process's `log` logger (decided once, on the first `set_sink`).
static INSTALLED: OnceLock<bool> = OnceLock::new();

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("tokensmith") && metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let sink = self.sink.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(sink) = sink {
            let target = record.target().to_owned();
            let id = |key: &str| {
                let value = record.key_values().get(log::kv::Key::from_str(key))?.to_string();
                Some(value).filter(|v| !v.is_empty())
            };
            sink(LogRecord {
                level: record.level(),
                target,
                message: record.args().to_string(),
                trace_id: id("trace_id"),
                span_id: id("span_id"),
            });
        }
    }

    fn flush(&self) {}
}

/// Sends the core's records up to `max_level` to `sink` (replacing any sink set before), or stops sending them
/// (`None`). Returns `false`, changing nothing, if the process already had another `log` logger: that one keeps
/// receiving the records.
pub fn set_sink(sink: Option<LogSink>, max_level: LevelFilter) -> bool {
    if !*INSTALLED.get_or_init(|| log::set_logger(&BRIDGE).is_ok()) {
        return false;
    }
    let level = if sink.is_some() { max_level } else { LevelFilter::Off };
    *BRIDGE.sink.write().unwrap_or_else(|e| e.into_inner()) = sink;
    log::set_max_level(level);
    true
}

/// A level as the bindings name it: `error`, `warn`, `info`, `debug`, `trace` or `off` (any case).
pub fn level_filter(name: &str) -> crate::Result<LevelFilter> {
    name.parse().map_err(|_| {
        crate::Error::invalid("level", format!("must be one of off, error, warn, info, debug, trace; got {name:?}"))
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn the_core_s_records_reach_the_sink_up_to_its_level_and_others_do_not() {
        let seen: Arc<Mutex<Vec<LogRecord>>> = Arc::default();
        let into = Arc::clone(&seen);
        assert!(set_sink(Some(Arc::new(move |r| into.lock().unwrap().push(r))), LevelFilter::Info));
        log::info!(target: "tokensmith::transport", "retrying GET /x in 10 ms");
        log::debug!(target: "tokensmith::transport", "below the level");
        log::info!(target: "hyper::client", "not ours");
        assert!(set_sink(None, LevelFilter::Trace));
        log::error!(target: "tokensmith::transport", "after the sink was removed");
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!((seen[0].level, seen[0].message.as_str()), (Level::Info, "retrying GET /x in 10 ms"));
        assert_eq!(level_filter("DEBUG").unwrap(), LevelFilter::Debug);
        assert_eq!(level_filter("loud").unwrap_err().field(), Some("level"));
    }
}

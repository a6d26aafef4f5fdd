//! [`TelemetryMode`]: a client's telemetry setting (`ClientOptions::with_telemetry`, the `telemetry` client
//! setting of every binding).

use crate::error::{Error, Result};

/// What a client's calls record and send.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TelemetryMode {
    /// Spans and metrics where the application traces, and the trace context sent to the vendor (the default).
    #[default]
    On,
    /// Spans and metrics, but no `traceparent`/`tracestate` sent to the vendor.
    NoPropagation,
    /// Nothing recorded and nothing sent, whatever the application's tracing.
    Off,
}

impl TelemetryMode {
    /// The mode named `on`, `no_propagation` or `off`; anything else is an input error naming `telemetry`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "on" => Ok(Self::On),
            "no_propagation" => Ok(Self::NoPropagation),
            "off" => Ok(Self::Off),
            other => Err(Error::invalid("telemetry", format!("must be on, no_propagation or off, got {other:?}"))),
        }
    }

    /// Its name, as [`TelemetryMode::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::On => "on",
            Self::NoPropagation => "no_propagation",
            Self::Off => "off",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_others_are_refused_naming_the_setting() {
        for mode in [TelemetryMode::On, TelemetryMode::NoPropagation, TelemetryMode::Off] {
            assert_eq!(TelemetryMode::parse(mode.name()).unwrap(), mode);
        }
        assert_eq!(TelemetryMode::parse("yes").unwrap_err().field(), Some("telemetry"));
    }
}

//! [`TokenUse`]: how a traced call of method 2 got its bearer token.

use std::sync::Arc;

use super::flight::FlightTrace;

/// How a call of method 2 got its token.
#[derive(Clone, Debug, Default)]
pub(crate) enum TokenUse {
    /// No token was needed (method 1, AceData).
    #[default]
    None,
    /// From the client's cache.
    Cached,
    /// This call started the fetch (`leader`), or waited for one under way.
    Fetch { flight: Arc<FlightTrace>, leader: bool },
}

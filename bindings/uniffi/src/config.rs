//! [`ClientConfig`]: the client options as a record, generated from the core's table of settings. Every field is
//! optional, so the defaults stay in core, and numbers cross as they are: the core's `Overrides` checks them
//! (signed, so that Java can pass them).

use tokensmith::{ClientOptions, Overrides};

use crate::error::{Result, TokensmithError};

/// Declares [`ClientConfig`] from the core's table of settings.
macro_rules! client_config {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        /// Options for a client. Unset fields keep the core's defaults (10 s connect, 60 s request, 2 retries).
        #[derive(Clone, Debug, Default, uniffi::Record)]
        pub struct ClientConfig {
            $($(#[$doc])* #[uniffi(default = None)] pub $name: Option<$ty>,)*
        }

        impl From<ClientConfig> for Overrides {
            fn from(config: ClientConfig) -> Self {
                Self { $($name: config.$name,)* }
            }
        }
    };
}

tokensmith::for_each_client_setting!(client_config);

impl TryFrom<ClientConfig> for ClientOptions {
    type Error = TokensmithError;

    fn try_from(config: ClientConfig) -> Result<Self> {
        Ok(ClientOptions::default().with_overrides(config.into())?)
    }
}

/// Seconds as the whole milliseconds the `*_ms` fields take, refusing a number that is not finite (naming
/// `setting`): the one conversion that the Python layer (over either backend) and PHP use.
#[uniffi::export]
pub fn millis_from_seconds(setting: String, seconds: f64) -> Result<i64> {
    Ok(tokensmith::overrides::millis_from_seconds(&setting, seconds)?)
}

/// The options for an optional config. Every client constructor comes here, so on Android this is where a client built before `Tokensmith.init(context)`
/// is refused (`android.rs`); elsewhere that check does not exist.
pub(crate) fn options(config: Option<ClientConfig>) -> Result<ClientOptions> {
    #[cfg(target_os = "android")]
    crate::android::ensure_initialised()?;
    config.unwrap_or_default().try_into()
}

/// A count that crossed as a signed number (`limit`, `offset`, `tolerance_seconds`).
pub(crate) fn count(field: &str, value: Option<i32>) -> Result<Option<u32>> {
    Ok(tokensmith::overrides::count(field, value.map(i64::from))?)
}

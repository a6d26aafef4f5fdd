//! `ClientOptions`: the client options as a JavaScript object, generated from the core's table of settings and
//! handed to the core's `Overrides` unchecked.

use heck::ToLowerCamelCase;
use napi_derive::napi;
use tokensmith::{ClientOptions as CoreOptions, Overrides};

use crate::errors::{js, Result};

/// Declares [`ClientOptions`], its conversion and the list of its names from the core's table of settings.
macro_rules! client_options {
    ($($(#[doc = $doc:literal])* $name:ident: $ty:ty,)*) => {
        /// Options for a client; a missing field keeps the core's default (10 s connect, 60 s request, 2 retries).
        #[napi(object)]
        #[derive(Debug, Default)]
        pub struct ClientOptions {
            $($(#[doc = $doc])* pub $name: Option<$ty>,)*
        }

        impl From<ClientOptions> for Overrides {
            fn from(options: ClientOptions) -> Self {
                Self { $($name: options.$name,)* }
            }
        }

        /// The names of the client options, as JavaScript spells them: the package refuses any other key.
        #[napi]
        pub fn client_option_names() -> Vec<String> {
            vec![$(stringify!($name).to_lower_camel_case(),)*]
        }
    };
}

tokensmith::for_each_client_setting!(client_options);

/// The core's options for optional JavaScript ones; the User-Agent names Node before any suffix of the caller's.
pub(crate) fn options(options: Option<ClientOptions>) -> Result<CoreOptions> {
    let overrides = Overrides::from(options.unwrap_or_default()).with_binding_suffix("node");
    js(CoreOptions::default().with_overrides(overrides))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_camel_case_as_napi_makes_them() {
        let names = client_option_names();
        assert!(names.contains(&"connectTimeoutMs".to_owned()) && names.contains(&"rootCertificates".to_owned()));
    }
}

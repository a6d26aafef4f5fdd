//! Arrays of options and arguments as PHP passes them (`['base_url' => ..., 'request_timeout' => 5]`): read by
//! key, with an input error naming an unknown key or a value of the wrong type. A client's settings are the core's
//! table of them, read by type; numbers go to the core's `Overrides` unchecked (durations in seconds, as Guzzle's
//! `timeout`, turned into milliseconds by the core).

use std::sync::LazyLock;

use ext_php_rs::exception::PhpException;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use tokensmith::overrides::CallOverrides;
use tokensmith::{ClientOptions, Overrides};

use crate::call::php;
use crate::errors::invalid;
use crate::json;

/// An options array read key by key: every key must be one of `known`.
pub(crate) struct Args<'a> {
    entries: Vec<(String, &'a Zval)>,
}

impl<'a> Args<'a> {
    /// The entries of `array`, refusing keys that are not in `known` (listing the known ones).
    pub(crate) fn new(array: Option<&'a ZendHashTable>, what: &str, known: &[&str]) -> Result<Self, PhpException> {
        let mut entries = vec![];
        for (key, value) in array.into_iter().flat_map(ZendHashTable::iter) {
            if let ArrayKey::Long(index) = key {
                return Err(invalid(what, format!("takes string keys, not the index {index}")));
            }
            let key = key.to_string();
            if !known.contains(&key.as_str()) {
                return Err(invalid(&key, format!("is not a known key of {what} (known: {})", known.join(", "))));
            }
            entries.push((key, value));
        }
        Ok(Self { entries })
    }

    /// The value of `key`, as PHP passed it (absent or `null`: `None`).
    pub(crate) fn get(&self, key: &str) -> Option<&'a Zval> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| *v).filter(|v| !v.is_null())
    }

    /// Whether `key` is present with the value `null` (which clears a field in an update).
    pub(crate) fn is_null(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, v)| k == key && v.is_null())
    }

    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, PhpException> {
        self.get(key)
            .map(|v| v.string().filter(|_| v.is_string()).ok_or_else(|| invalid(key, "must be a string")))
            .transpose()
    }

    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, PhpException> {
        self.get(key)
            .map(|v| v.long().filter(|_| v.is_long()).ok_or_else(|| invalid(key, "must be an int")))
            .transpose()
    }

    pub(crate) fn number(&self, key: &str) -> Result<Option<f64>, PhpException> {
        self.get(key)
            .map(|v| match (v.long().filter(|_| v.is_long()), v.double()) {
                (Some(n), _) => Ok(n as f64),
                (None, Some(x)) if v.is_double() => Ok(x),
                _ => Err(invalid(key, "must be a number")),
            })
            .transpose()
    }

    /// Seconds (int or float) as whole milliseconds, by the core's conversion; a negative value is left for the
    /// core to refuse.
    pub(crate) fn millis(&self, key: &str) -> Result<Option<i64>, PhpException> {
        self.number(key)?.map(|seconds| php(tokensmith::overrides::millis_from_seconds(key, seconds))).transpose()
    }

    pub(crate) fn flag(&self, key: &str) -> Result<Option<bool>, PhpException> {
        self.get(key)
            .map(|v| v.bool().filter(|_| v.is_bool()).ok_or_else(|| invalid(key, "must be a bool")))
            .transpose()
    }

    /// An array of header names to values.
    pub(crate) fn string_map(&self, key: &str) -> Result<Option<Vec<(String, String)>>, PhpException> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let map = value.array().ok_or_else(|| invalid(key, "must be an array of names to values"))?;
        map.iter()
            .map(|(name, v)| match (name, v.string().filter(|_| v.is_string())) {
                (ArrayKey::Long(_), _) | (_, None) => Err(invalid(key, "must be an array of names to string values")),
                (name, Some(value)) => Ok((name.to_string(), value)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// The per-call options among these entries (`timeout` in seconds, `headers`, `max_retries`), if any.
    pub(crate) fn call_options(&self) -> Result<Option<CallOverrides>, PhpException> {
        let overrides = CallOverrides::new(
            self.millis("timeout")?,
            self.string_map("headers")?.unwrap_or_default(),
            self.int("max_retries")?,
        );
        Ok((overrides != CallOverrides::default()).then_some(overrides))
    }

    pub(crate) fn strings(&self, key: &str) -> Result<Option<Vec<String>>, PhpException> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let list = value.array().ok_or_else(|| invalid(key, "must be an array of strings"))?;
        list.values()
            .map(|v| v.string().filter(|_| v.is_string()).ok_or_else(|| invalid(key, "must be an array of strings")))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

/// The keys of every call's options: a timeout in seconds, headers, retries.
pub(crate) const CALL_OPTIONS: [&str; 3] = ["timeout", "headers", "max_retries"];

/// `keys` and the per-call keys, for a method whose options array takes both.
pub(crate) fn with_call_options<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    keys.iter().copied().chain(CALL_OPTIONS).collect()
}

/// The client itself, or its view with the per-call options of `options` (an array of only those keys).
pub(crate) fn call_view<C: tokensmith::WithCallOptions>(
    client: &C,
    options: Option<&ZendHashTable>,
) -> Result<C, PhpException> {
    php(tokensmith::overrides::call_view(client, call_overrides(options)?))
}

/// The per-call settings of `options` (an array of only those keys), if any.
pub(crate) fn call_overrides(options: Option<&ZendHashTable>) -> Result<Option<CallOverrides>, PhpException> {
    Args::new(options, "the call options", &CALL_OPTIONS)?.call_options()
}

/// The client itself, or its view with the per-call options among `args`.
pub(crate) fn view<C: tokensmith::WithCallOptions>(client: &C, args: &Args<'_>) -> Result<C, PhpException> {
    php(tokensmith::overrides::call_view(client, args.call_options()?))
}

/// How PHP gives a field of the core's tables, by the suffix of its name there: a `*_ms` duration in seconds and
/// `*_json` data as any PHP value, each under the name without the suffix (`timeout`, `metadata`).
#[derive(Clone, Copy)]
pub(crate) enum Form {
    Plain,
    Seconds,
    Json,
}

/// The PHP key of the field `name` of a core table, and the form its value takes there.
pub(crate) fn php_field(name: &'static str) -> (&'static str, Form) {
    match (name.strip_suffix("_ms"), name.strip_suffix("_json")) {
        (Some(key), _) => (key, Form::Seconds),
        (_, Some(key)) => (key, Form::Json),
        _ => (name, Form::Plain),
    }
}

/// A field of one of the core's tables (client settings, a new credential) read from an options array, by the
/// type of its value.
pub(crate) trait Setting: Sized {
    /// The value of the field `name` (as the core's table names it) in `args`, under its PHP key.
    fn read(args: &Args<'_>, name: &'static str) -> Result<Option<Self>, PhpException>;
}

/// Text, or data encoded as `json_encode` does (`'metadata' => ['tenant' => 7]`).
impl Setting for String {
    fn read(args: &Args<'_>, name: &'static str) -> Result<Option<Self>, PhpException> {
        match php_field(name) {
            (key, Form::Plain) => args.string(key),
            (key, Form::Json) => args.get(key).map(|value| json::encode(key, value)).transpose(),
            (key, Form::Seconds) => Err(invalid(key, "is not text (a duration in the core's table)")),
        }
    }
}

/// A count, or a duration in seconds as Guzzle's `timeout` (whole milliseconds for the core).
impl Setting for i64 {
    fn read(args: &Args<'_>, name: &'static str) -> Result<Option<Self>, PhpException> {
        match php_field(name) {
            (key, Form::Plain) => args.int(key),
            (key, Form::Seconds) => args.millis(key),
            (key, Form::Json) => Err(invalid(key, "is not a number (JSON data in the core's table)")),
        }
    }
}

impl Setting for f64 {
    fn read(args: &Args<'_>, name: &'static str) -> Result<Option<Self>, PhpException> {
        plain(name).and_then(|key| args.number(key))
    }
}

impl Setting for Vec<String> {
    fn read(args: &Args<'_>, name: &'static str) -> Result<Option<Self>, PhpException> {
        plain(name).and_then(|key| args.strings(key))
    }
}

/// The key of a field whose type takes neither seconds nor JSON.
fn plain(name: &'static str) -> Result<&'static str, PhpException> {
    match php_field(name) {
        (key, Form::Plain) => Ok(key),
        (key, _) => Err(invalid(key, "has a suffix its type does not take in the core's table")),
    }
}

/// Reads every setting of the core's table from an options array, and lists their keys.
macro_rules! client_settings {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        /// The keys of a client's options array: the core's settings and `persistent`.
        static CLIENT_OPTIONS: LazyLock<Vec<&'static str>> =
            LazyLock::new(|| vec![$(php_field(stringify!($name)).0,)* "persistent"]);

        /// The core's settings in `args`.
        fn overrides(args: &Args<'_>) -> Result<Overrides, PhpException> {
            Ok(Overrides { $($name: <$ty as Setting>::read(args, stringify!($name))?,)* })
        }
    };
}

tokensmith::for_each_client_setting!(client_settings);

/// A client's options from PHP: the core's options, and whether the client is the worker's kept one for these
/// settings (`'persistent' => true`, the default, as PDO's persistent connections) or a new one.
pub(crate) struct Settings {
    pub(crate) options: ClientOptions,
    pub(crate) persistent: bool,
}

/// The settings for a PHP options array.
pub(crate) fn client_options(array: Option<&ZendHashTable>) -> Result<Settings, PhpException> {
    let args = Args::new(array, "the options", &CLIENT_OPTIONS)?;
    let persistent = args.flag("persistent")?.unwrap_or(true);
    let options = php(ClientOptions::default().with_overrides(overrides(&args)?.with_binding_suffix("php")))?;
    Ok(Settings { options, persistent })
}

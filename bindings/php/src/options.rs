//! Arrays of options and arguments as PHP passes them (`['base_url' => ..., 'request_timeout' => 5]`): read by
//! key, with an input error naming an unknown key or a value of the wrong type. Numbers go to the core's
//! `Overrides` unchecked (durations in seconds, as Guzzle's `timeout`, turned into milliseconds here).

use ext_php_rs::exception::PhpException;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use tokensmith::overrides::CallOverrides;
use tokensmith::{ClientOptions, Overrides};

use crate::call::php;
use crate::errors::invalid;

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

    /// Seconds (int or float) as whole milliseconds; a negative value is left for the core to refuse.
    pub(crate) fn millis(&self, key: &str) -> Result<Option<i64>, PhpException> {
        self.number(key)?
            .map(|seconds| {
                if seconds.is_finite() {
                    Ok((seconds * 1000.0).round() as i64)
                } else {
                    Err(invalid(key, "must be a finite number of seconds"))
                }
            })
            .transpose()
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
    view(client, &Args::new(options, "the call options", &CALL_OPTIONS)?)
}

/// The client itself, or its view with the per-call options among `args`.
pub(crate) fn view<C: tokensmith::WithCallOptions>(client: &C, args: &Args<'_>) -> Result<C, PhpException> {
    php(tokensmith::overrides::call_view(client, args.call_options()?))
}

/// The keys of a client's options array.
const CLIENT_OPTIONS: [&str; 7] = [
    "base_url",
    "connect_timeout",
    "request_timeout",
    "max_retries",
    "initial_backoff",
    "root_certificates",
    "persistent",
];

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
    let options = php(ClientOptions::default().with_overrides(Overrides {
        base_url: args.string("base_url")?,
        connect_timeout_ms: args.millis("connect_timeout")?,
        request_timeout_ms: args.millis("request_timeout")?,
        max_retries: args.int("max_retries")?,
        initial_backoff_ms: args.millis("initial_backoff")?,
        user_agent_suffix: Some("php".to_owned()),
        root_certificates_pem: args.strings("root_certificates")?.unwrap_or_default(),
    }))?;
    Ok(Settings { options, persistent })
}

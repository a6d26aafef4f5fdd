//! The worker's clients: PHP builds its objects anew on every request, but a PHP-FPM (or `php -S`) worker
//! process lives on, so `AkoolClient::fromApiKey`, `fromClientCredentials`, `fromEnv`, `new AceDataPlatform`
//! and `AceDataPlatform::fromEnv` return the client this worker built earlier for equal credentials and options
//! (`'persistent' => true`, the default). What that keeps is method 2's bearer token: a worker fetches one per
//! tenant, not one per page view. Connections need no registry: clients with equal timeouts and certificates share
//! the core's transport, and building a client costs a few microseconds (about 1 µs found, 2 µs built, measured
//! by `php/tests/TenantsTest.php`), so a client per request, or per tenant, is the fast path.
//!
//! - **Bounded.** At most `tokensmith.max_clients` clients (php.ini; default [`DEFAULT_MAX_CLIENTS`]; 0 keeps
//!   none), least recently used first out. An evicted client is dropped: its secrets are zeroized when the last
//!   PHP object still holding it goes. A worker serving 20,000 tenants keeps the 1,000 most recent ones.
//! - **O(1).** An LRU map (the `lru` crate) from a 128-bit key to the client; one uncontended lock per lookup.
//! - **No secret in the key.** The key is a keyed hash (two SipHash-1-3 instances of std's `RandomState`, keyed
//!   at random per process) of everything the client is built from: its credentials (or the raw values of the
//!   environment variables `fromEnv` reads) and the client's options. A hit is then checked against
//!   what the entry was built from (credentials in constant time, options by equality), so even a hash
//!   collision can never hand one tenant another tenant's client or token: it builds a new one instead.
//!   Those credentials are the client's own `Secret`s (clones share one buffer), held as long as the entry.
//!
//! The cap is a php.ini setting, not a PHP function: it is the worker's memory budget, so it belongs with the
//! server's configuration (`php.ini`, `php -d`, or a PHP-FPM pool's `php_admin_value[tokensmith.max_clients]`),
//! and it is `PHP_INI_SYSTEM` so that no request's `ini_set` can change what every later request of the worker
//! gets. ext-php-rs 0.16 registers ini entries from the module's startup (`IniEntryDef`); the value reaches
//! [`MAX_CLIENTS`] through the entry's change handler, so a lookup reads an atomic, not the ini table.

use std::ffi::{c_int, c_void};
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError};

use ext_php_rs::ffi::{zend_ini_entry, zend_string};
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};
use lru::LruCache;
use tokensmith::blocking::{AceDataPlatform, AkoolClient};
use tokensmith::{env, AkoolCredentials, ClientOptions, Result, Secret};

use crate::options::Settings;

/// How many clients a worker keeps when php.ini does not say (`tokensmith.max_clients`). A kept client takes
/// about 1 KiB (measured: 20,000 kept ones, 21 MiB), so the default costs about 1 MiB per worker.
const DEFAULT_MAX_CLIENTS: usize = 1000;

/// The cap in force: `tokensmith.max_clients`, stored by [`on_modify`] whenever PHP sets the entry (at the
/// latest at startup, with the default when php.ini has no valid value).
static MAX_CLIENTS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_CLIENTS);

/// The ini entry; its default is [`DEFAULT_MAX_CLIENTS`] as text. A `static`: the engine keeps the table.
static INI: IniEntryDefs<2> = IniEntryDefs::new([
    IniEntryDef {
        on_modify: Some(on_modify),
        ..IniEntryDef::new(c"tokensmith.max_clients", c"1000", IniEntryPermission::System)
    },
    IniEntryDef::end(),
]);

/// Registers `tokensmith.max_clients`; called from the module's startup.
pub(crate) fn register_ini(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
}

/// The entry's change handler: PHP calls it at startup with php.ini's value (or the default) and whenever a
/// system-level setting changes it (a PHP-FPM pool's `php_admin_value`). A value that is not a whole number
/// >= 0 is refused, and PHP keeps the default.
unsafe extern "C" fn on_modify(
    _entry: *mut zend_ini_entry,
    new_value: *mut zend_string,
    _arg1: *mut c_void,
    _arg2: *mut c_void,
    _arg3: *mut c_void,
    _stage: c_int,
) -> c_int {
    // SAFETY: the engine passes the new value as a live zend_string (or null).
    let value = unsafe { new_value.as_ref() }.map(|value| String::from_utf8_lossy(value.as_bytes()));
    match value.and_then(|value| value.trim().parse::<usize>().ok()) {
        Some(cap) => {
            MAX_CLIENTS.store(cap, Ordering::Relaxed);
            0 // SUCCESS
        }
        None => -1, // FAILURE
    }
}

/// What a client is built from, besides its options.
#[derive(PartialEq, Eq)]
enum Source {
    /// Explicit Akool credentials.
    Akool(AkoolCredentials),
    /// An explicit AceData platform token.
    AceData(Secret),
    /// `fromEnv`: the raw values of the variables the core reads, in the order of `names` (the client is a
    /// function of them and the options, so equal values mean an equal client).
    Environment { names: &'static [&'static str], values: Vec<Option<Secret>> },
}

impl Source {
    /// The variables `names` as the process has them now.
    fn environment(names: &'static [&'static str]) -> Self {
        Self::Environment {
            names,
            values: names.iter().map(|name| std::env::var(name).ok().map(Secret::from)).collect(),
        }
    }

    /// Feeds the source to a keyed hasher (secrets included: the hasher's output reveals nothing without its key).
    fn hash_into(&self, state: &mut impl Hasher) {
        match self {
            Self::Akool(AkoolCredentials::ApiKey(key)) => {
                state.write_u8(0);
                key.expose().hash(state);
            }
            Self::Akool(AkoolCredentials::ClientCredentials { client_id, client_secret }) => {
                state.write_u8(1);
                client_id.hash(state);
                client_secret.expose().hash(state);
            }
            Self::AceData(token) => {
                state.write_u8(2);
                token.expose().hash(state);
            }
            Self::Environment { names, values } => {
                state.write_u8(3);
                names.hash(state);
                for value in values {
                    value.as_ref().map(Secret::expose).hash(state);
                }
            }
        }
    }
}

/// A client the registry holds.
#[derive(Clone)]
enum Client {
    Akool(AkoolClient),
    AceData(AceDataPlatform),
}

/// The two kinds of client, in and out of [`Client`].
trait Kind: Clone {
    fn into_client(self) -> Client;
    fn of(client: &Client) -> Option<&Self>;
}

impl Kind for AkoolClient {
    fn into_client(self) -> Client {
        Client::Akool(self)
    }
    fn of(client: &Client) -> Option<&Self> {
        match client {
            Client::Akool(client) => Some(client),
            Client::AceData(_) => None,
        }
    }
}

impl Kind for AceDataPlatform {
    fn into_client(self) -> Client {
        Client::AceData(self)
    }
    fn of(client: &Client) -> Option<&Self> {
        match client {
            Client::AceData(client) => Some(client),
            Client::Akool(_) => None,
        }
    }
}

/// A client and what it was built from, to check a hit against.
struct Entry {
    source: Source,
    options: ClientOptions,
    client: Client,
}

/// The clients by key, and the hashers' per-process random keys.
struct Registry {
    clients: LruCache<u128, Entry>,
    hashers: [RandomState; 2],
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(|| {
    Mutex::new(Registry {
        // Sparse: no table of `cap` slots up front; it grows with the tenants a worker meets.
        clients: LruCache::sparse(NonZeroUsize::MIN),
        hashers: [RandomState::new(), RandomState::new()],
    })
});

impl Registry {
    fn key(&self, source: &Source, options: &ClientOptions) -> u128 {
        let [high, low] = self.hashers.each_ref().map(|keys| {
            let mut state = keys.build_hasher();
            source.hash_into(&mut state);
            options.hash(&mut state);
            state.finish()
        });
        (u128::from(high) << 64) | u128::from(low)
    }

    /// The client under `key`, if it was built from exactly `source` and `options` (made the most recent).
    fn find<C: Kind>(&mut self, key: u128, source: &Source, options: &ClientOptions) -> Option<C> {
        let entry = self.clients.get(&key)?;
        let verified = entry.source == *source && entry.options == *options;
        verified.then(|| C::of(&entry.client).cloned()).flatten()
    }

    /// Keeps `entry` under `key`, within `cap`; returns what it pushed out, to be dropped outside the lock (a cap
    /// lowered since, rare, drops its excess here).
    fn insert(&mut self, key: u128, entry: Entry, cap: NonZeroUsize) -> Option<Entry> {
        if self.clients.cap() != cap {
            self.clients.resize(cap);
        }
        self.clients.push(key, entry).map(|(_, evicted)| evicted)
    }
}

/// The worker's client built from `source` and `settings`, or a new one from `build` (kept, unless
/// `'persistent' => false` or `tokensmith.max_clients` is 0).
fn client<C: Kind>(source: Source, settings: Settings, build: impl FnOnce(ClientOptions) -> Result<C>) -> Result<C> {
    let Settings { options, persistent } = settings;
    let Some(cap) = NonZeroUsize::new(MAX_CLIENTS.load(Ordering::Relaxed)).filter(|_| persistent) else {
        return build(options);
    };
    let lock = || REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    let key = {
        let mut registry = lock();
        let key = registry.key(&source, &options);
        if let Some(client) = registry.find(key, &source, &options) {
            return Ok(client);
        }
        key
    };
    // Built outside the lock; under ZTS another thread may have kept one meanwhile: then that one serves.
    let built = build(options.clone())?;
    let mut registry = lock();
    if let Some(client) = registry.find(key, &source, &options) {
        return Ok(client);
    }
    let evicted = registry.insert(key, Entry { source, options, client: built.clone().into_client() }, cap);
    drop(registry);
    drop(evicted);
    Ok(built)
}

/// The worker's Akool client for these credentials and settings.
pub(crate) fn akool(credentials: AkoolCredentials, settings: Settings) -> Result<AkoolClient> {
    let source = Source::Akool(credentials.clone());
    client(source, settings, |options| AkoolClient::new(credentials, options))
}

/// The worker's Akool client for the environment (`AKOOL_*`) and these settings.
pub(crate) fn akool_from_env(settings: Settings) -> Result<AkoolClient> {
    const NAMES: &[&str] = &[env::AKOOL_API_KEY, env::AKOOL_CLIENT_ID, env::AKOOL_CLIENT_SECRET, env::AKOOL_BASE_URL];
    client(Source::environment(NAMES), settings, AkoolClient::from_env_with)
}

/// The worker's AceData client for this platform token and settings.
pub(crate) fn acedata(platform_token: Secret, settings: Settings) -> Result<AceDataPlatform> {
    let source = Source::AceData(platform_token.clone());
    client(source, settings, |options| AceDataPlatform::new(platform_token, options))
}

/// The worker's AceData client for the environment (`ACEDATA_*`) and these settings.
pub(crate) fn acedata_from_env(settings: Settings) -> Result<AceDataPlatform> {
    const NAMES: &[&str] = &[env::ACEDATA_PLATFORM_TOKEN, env::ACEDATA_PLATFORM_BASE_URL];
    client(Source::environment(NAMES), settings, AceDataPlatform::from_env_with)
}

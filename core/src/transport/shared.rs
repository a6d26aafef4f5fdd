//! The process's HTTP clients, shared by every vendor client with equal transport settings.
//!
//! An HTTP client loads the TLS roots when built (milliseconds) and starts with an empty pool, so every new one
//! pays a new connection (a TLS handshake) on its first call. A SaaS that builds a client per tenant, or a handler
//! that builds one per request, would pay that every time. So vendor clients with equal settings (base URL,
//! user agent, timeouts, extra roots, proxy) hold one HTTP client: a new vendor client costs a map lookup, and
//! its first call reuses a connection that another tenant, or the previous request, opened. Credentials, the
//! token cache and per-call options stay per vendor client; nothing secret lives in the HTTP client.
//!
//! How long one lives: while a vendor client holds it, and after the last one is dropped, until its pool's idle
//! timeout has passed since it last sent (by then the pool has closed its connections, so keeping it would buy
//! nothing). That keeps a client-per-request handler's connections warm between requests. Entries past that are
//! dropped whenever a new HTTP client is built, so a process that sees many settings over its life keeps only
//! those in use.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use super::client::ForkSafeClient;
use super::settings::Settings;
use crate::error::Result;

/// What tells two HTTP clients apart: the base URL (as parsed) and everything the client is built from.
#[derive(PartialEq, Eq, Hash)]
struct Key {
    base_url: String,
    settings: Settings,
}

static REGISTRY: LazyLock<Mutex<HashMap<Key, Arc<ForkSafeClient>>>> = LazyLock::new(Mutex::default);

/// The process's HTTP client for these settings: the one built earlier (and still kept), or a new one.
pub(super) fn client_for(base_url: &str, settings: Settings) -> Result<Arc<ForkSafeClient>> {
    let key = Key { base_url: base_url.to_owned(), settings };
    let mut clients = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(client) = clients.get(&key) {
        return Ok(Arc::clone(client));
    }
    clients
        .retain(|_, client| Arc::strong_count(client) > 1 || client.idle_for() < client.settings().pool_idle_timeout);
    // Made under the lock, so that concurrent first clients of one setting share one. Making it only checks the
    // settings (microseconds); its HTTP clients are built by the first call on each runtime. Dropping a vendor
    // client never takes this lock.
    let client = Arc::new(ForkSafeClient::new(key.settings.clone())?);
    clients.insert(key, Arc::clone(&client));
    let kept = clients.len();
    drop(clients);
    // Logged with no lock of ours held: a log sink may call back into tokensmith.
    log::debug!("built an HTTP client for {base_url} ({kept} in this process)");
    Ok(client)
}

/// How many HTTP clients the process keeps, and whether one for these settings is among them (for tests).
#[cfg(test)]
pub(super) fn kept(base_url: &str, settings: &Settings) -> (usize, bool) {
    let clients = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    let key = Key { base_url: base_url.to_owned(), settings: settings.clone() };
    (clients.len(), clients.contains_key(&key))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::options::ClientOptions;
    use crate::transport::Transport;

    fn transport(options: &ClientOptions) -> Transport {
        Transport::new(options, "https://unused.example", "base_url").unwrap()
    }

    #[test]
    fn equal_settings_share_one_http_client_and_other_settings_do_not() {
        let options = ClientOptions::default().with_base_url("http://127.0.0.1:9").with_user_agent_suffix("share");
        let (a, b) = (transport(&options), transport(&options));
        assert!(a.shares_connections_with(&b));
        let other_agent = transport(&options.clone().with_user_agent_suffix("other"));
        let other_timeout = transport(&options.clone().with_connect_timeout(Duration::from_secs(3)));
        let other_proxy = transport(&options.clone().with_proxy("http://127.0.0.1:3128"));
        for other in [&other_agent, &other_timeout, &other_proxy] {
            assert!(!a.shares_connections_with(other));
        }
        // Retries are the vendor client's own: they do not split the pool.
        assert!(a.shares_connections_with(&transport(&options.with_retry(crate::RetryPolicy::none()))));
    }

    #[test]
    fn an_http_client_nobody_holds_is_dropped_once_its_pool_would_be_idle() {
        let options = ClientOptions::default()
            .with_base_url("http://127.0.0.1:9")
            .with_user_agent_suffix("dropped")
            .with_pool_idle_timeout(Duration::from_millis(5));
        let first = transport(&options);
        let settings = first.client.settings().clone();
        let base = first.base.as_str().to_owned();
        drop(first);
        assert!(kept(&base, &settings).1, "kept for its idle timeout, for the next client of these settings");
        std::thread::sleep(Duration::from_millis(30));
        // Building another HTTP client prunes the idle ones nobody holds.
        let _other = transport(&options.clone().with_user_agent_suffix("pruner"));
        assert!(!kept(&base, &settings).1);
    }

    #[test]
    fn each_runtime_gets_its_own_pool_which_goes_when_the_runtime_shuts_down() {
        let mock = tokensmith_mock::MockServer::start().unwrap();
        let options = ClientOptions::default().with_base_url(mock.base_url()).with_user_agent_suffix("runtimes");
        let transport = transport(&options);
        let state = format!("{}/__mock/state", mock.base_url());
        let call = |runtime: &tokio::runtime::Runtime| {
            let (client, state) = (transport.client.clone(), state.clone());
            let request = http::Request::get(state).body(Default::default()).unwrap();
            runtime.block_on(async move { client.get().unwrap().send(request).await })
        };
        let one = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let two = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        call(&one).unwrap();
        call(&two).unwrap();
        assert_eq!(transport.client.pools(), 2);
        drop(one);
        assert_eq!(transport.client.pools(), 1, "the pool of a runtime that shut down is dropped");
    }
}

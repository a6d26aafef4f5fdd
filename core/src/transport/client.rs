//! The HTTP client of one transport, rebuilt when the process has forked.
//!
//! A client's pooled connections are tasks of the core's runtime and sockets shared with the parent. `fork()`
//! copies the client into the child but not the runtime's threads, so a child process (gunicorn workers, Celery,
//! multiprocessing) that used the parent's pool would wait forever, or talk on the parent's sockets. Each use
//! checks the process id and builds a fresh client in a new process (the runtime is rebuilt likewise).

use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use reqwest::redirect;
use reqwest::Client;

use crate::error::{Error, Result};

/// What a client is built from, kept to build it again after a fork.
#[derive(Clone)]
pub(super) struct Settings {
    pub(super) user_agent: String,
    pub(super) connect_timeout: Duration,
    pub(super) request_timeout: Duration,
    pub(super) certificates: Vec<reqwest::Certificate>,
    pub(super) redirects: fn() -> redirect::Policy,
}

impl Settings {
    fn build(&self) -> Result<Client> {
        Client::builder()
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .redirect((self.redirects)())
            .tls_certs_merge(self.certificates.clone())
            .build()
            .map_err(|e| Error::Transport(format!("could not build the HTTP client: {}", super::error_chain(&e))))
    }
}

/// A client and the process it belongs to.
pub(super) struct ForkSafeClient {
    settings: Settings,
    current: RwLock<(u32, Client)>,
}

impl ForkSafeClient {
    pub(super) fn new(settings: Settings) -> Result<Self> {
        let client = settings.build()?;
        Ok(Self { settings, current: RwLock::new((std::process::id(), client)) })
    }

    /// The client for this process (a cheap handle on a shared pool).
    pub(super) fn get(&self) -> Result<Client> {
        let pid = std::process::id();
        {
            let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
            if current.0 == pid {
                return Ok(current.1.clone());
            }
        }
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current.0 != pid {
            let stale = std::mem::replace(&mut *current, (pid, self.settings.build()?));
            // Dropping the parent's pool could close or shut down sockets the parent still uses: leak it instead.
            std::mem::forget(stale);
            log::debug!("the process forked: built a new HTTP client for pid {pid}");
        }
        Ok(current.1.clone())
    }
}

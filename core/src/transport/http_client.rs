//! [`HttpClient`]: one runtime's HTTP client, hyper-util's pooled client over the transport's [`Connector`].
//!
//! reqwest is built from the same parts; its own layers (the URL parsed again per request, its connector and
//! service cloned per request, its futures moved between layers) cost about 4 µs of CPU a call (bench/RESULTS.md),
//! as much as the rest of the core's work. What reqwest did besides, the transport does itself: the user agent,
//! the request's deadline (`Transport::attempt`), the same-origin redirects (`redirects`), the proxy's
//! authorization of a forwarded request.

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, PROXY_AUTHORIZATION, USER_AGENT};
use http::Uri;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::client::legacy::{self, Client};
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::connector::Connector;
use super::settings::Settings;
use crate::error::{Error, Result};
use crate::loop_executor::LoopExecutor;

/// A runtime's HTTP client: a cheap handle on its connection pool.
#[derive(Clone)]
pub(super) struct HttpClient {
    client: Client<Connector, Full<Bytes>>,
    connector: Connector,
    user_agent: HeaderValue,
    /// The deadline of a request that sets none of its own.
    pub(super) request_timeout: Duration,
}

impl HttpClient {
    /// Builds a client: loads the TLS roots (milliseconds), so it is done once per runtime and settings.
    /// Its connection tasks are spawned on `event_loop` when it is a loop's pool, else on the runtime in context.
    pub(super) fn new(settings: &Settings, event_loop: Option<LoopExecutor>) -> Result<Self> {
        let roots = super::tls::certificates(&settings.certificates_pem)?;
        let tls = super::tls::client_config(roots)?;
        let user_agent = HeaderValue::from_str(&settings.user_agent)
            .map_err(|_| Error::invalid("user_agent_suffix", "contains characters that are not allowed in a header"))?;
        let connector = Connector::new(settings.connect_timeout, tls, settings.proxy.matcher()?, user_agent.clone());
        let mut builder = match event_loop {
            Some(event_loop) => Client::builder(event_loop),
            None => Client::builder(TokioExecutor::new()),
        };
        let client = builder
            .pool_idle_timeout(settings.pool_idle_timeout)
            .pool_timer(TokioTimer::new())
            .build(connector.clone());
        Ok(Self { client, connector, user_agent, request_timeout: settings.request_timeout })
    }

    /// Sends `request` as it is (redirects are the caller's), with the user agent, and the proxy's authorization
    /// when it is forwarded to a proxy. Returns the answer's head with its body still to read.
    pub(super) async fn send(
        &self,
        mut request: http::Request<Full<Bytes>>,
    ) -> std::result::Result<http::Response<Incoming>, legacy::Error> {
        if let Some(authorization) = self.connector.forward_authorization(request.uri()) {
            request.headers_mut().insert(PROXY_AUTHORIZATION, authorization);
        }
        // A caller's own `User-Agent` (a call's headers) wins, as a default header would.
        request.headers_mut().entry(USER_AGENT).or_insert_with(|| self.user_agent.clone());
        self.client.request(request).await
    }
}

/// `url` as the URI hyper sends to; `url::Url` already checked it, so this only fails on a URL hyper cannot carry.
pub(super) fn uri(url: &url::Url) -> Result<Uri> {
    url.as_str().parse().map_err(|e| Error::Transport(format!("the URL cannot be sent over HTTP ({e})")))
}

/// hyper-util's client spawns a loop's connection tasks (and its pool's idle timer) on the loop.
impl<F: std::future::Future<Output = ()> + Send + 'static> hyper::rt::Executor<F> for LoopExecutor {
    fn execute(&self, task: F) {
        self.spawn(Box::pin(task));
    }
}

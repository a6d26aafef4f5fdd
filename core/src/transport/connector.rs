//! How the transport opens a connection: TCP (hyper-util's connector), TLS (hyper-rustls), and a proxy where the
//! settings name one for the destination: an `https://` destination is tunnelled through it (`CONNECT`), an
//! `http://` one is sent to it whole (absolute-form, with its `Proxy-Authorization`). A proxy may itself be
//! reached over TLS (`https://` proxy URL).
//!
//! These are the pieces reqwest assembles, assembled here without its per-request layers.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::header::{HeaderMap, HeaderValue, USER_AGENT};
use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use tokio_util::task::AbortOnDropHandle;
use tower_service::Service;

/// What a connector's errors are: hyper-util's client keeps them as the cause of its own.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Opens connections for one HTTP client (cheap to clone: hyper-util's pool clones it per connection).
#[derive(Clone)]
pub(super) struct Connector {
    direct: HttpsConnector<HttpConnector>,
    tcp: HttpConnector,
    tls: Arc<rustls::ClientConfig>,
    proxies: Option<Arc<Matcher>>,
    /// Sent with a tunnel's `CONNECT`, as with every request: some proxies admit clients by it.
    user_agent: HeaderValue,
    /// For the whole of a connection's opening: name lookup, TCP, a proxy's tunnel, the TLS handshake.
    connect_timeout: Duration,
}

impl Connector {
    /// A connector with TCP's connect timeout, TLS's configuration, the proxy rules (if any) and the user agent.
    pub(super) fn new(
        connect_timeout: Duration,
        tls: rustls::ClientConfig,
        proxies: Option<Matcher>,
        user_agent: HeaderValue,
    ) -> Self {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false); // https:// passes through to TLS
        tcp.set_connect_timeout(Some(connect_timeout));
        tcp.set_nodelay(true);
        // Dead peers are found within about a minute rather than the system's two hours (reqwest's defaults).
        tcp.set_keepalive(Some(Duration::from_secs(15)));
        tcp.set_keepalive_interval(Some(Duration::from_secs(15)));
        tcp.set_keepalive_retries(Some(3));
        let tls = Arc::new(tls);
        let direct = https(&tls, tcp.clone());
        Self { direct, tcp, tls, proxies: proxies.map(Arc::new), user_agent, connect_timeout }
    }

    /// The `Proxy-Authorization` an `http://` request forwarded through a proxy carries, if its proxy has user info.
    pub(super) fn forward_authorization(&self, destination: &Uri) -> Option<HeaderValue> {
        if destination.scheme() != Some(&http::uri::Scheme::HTTP) {
            return None;
        }
        let proxy = self.proxies.as_ref()?.intercept(destination)?;
        proxy.basic_auth().cloned()
    }

    async fn connect(mut self, destination: Uri) -> Result<Conn, BoxError> {
        let proxy = self.proxies.as_ref().and_then(|proxies| proxies.intercept(&destination));
        let Some(proxy) = proxy else {
            return Ok(Conn::new(self.direct.call(destination).await?, false));
        };
        if !matches!(proxy.uri().scheme_str(), Some("http" | "https")) {
            return Err(
                "the proxy the environment names for this destination is a SOCKS proxy, which tokensmith does \
                        not support; use an http:// or https:// proxy, or exempt the host in NO_PROXY"
                    .into(),
            );
        }
        let to_proxy = https(&self.tls, self.tcp.clone());
        if destination.scheme() == Some(&http::uri::Scheme::HTTPS) {
            let headers = HeaderMap::from_iter([(USER_AGENT, self.user_agent.clone())]);
            let mut tunnel = Tunnel::new(proxy.uri().clone(), to_proxy).with_headers(headers);
            if let Some(authorization) = proxy.basic_auth() {
                tunnel = tunnel.with_auth(authorization.clone());
            }
            let io = https(&self.tls, tunnel).call(destination).await?;
            return Ok(Conn::new(io, false));
        }
        let io = { to_proxy }.call(proxy.uri().clone()).await?;
        Ok(Conn::new(io, true))
    }
}

/// TLS over `inner` for `https://` destinations; `http://` ones pass through. The configuration offers HTTP/1.1 by
/// ALPN (`tls.rs`).
fn https<C>(tls: &Arc<rustls::ClientConfig>, inner: C) -> HttpsConnector<C> {
    HttpsConnector::from((inner, Arc::clone(tls)))
}

impl Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    /// Opens a connection within the connect timeout (which then reads as a connect error and a timeout: nothing
    /// was sent). For a foreign event loop's pool, the opening runs on the bridges' runtime, not on the loop's
    /// thread: a TLS handshake is a millisecond of CPU, and a platform's verifier may wait on the network (a
    /// revocation check); the opened connection is then the loop's.
    fn call(&mut self, destination: Uri) -> Self::Future {
        let timeout = self.connect_timeout;
        let opening = tokio::time::timeout(timeout, self.clone().connect(destination));
        let opening = async move {
            opening.await.unwrap_or_else(|_| {
                let message = format!("the connection was not open within {} ms", timeout.as_millis());
                Err(std::io::Error::new(std::io::ErrorKind::TimedOut, message).into())
            })
        };
        if !crate::loop_executor::polling() {
            return Box::pin(opening);
        }
        let opening = AbortOnDropHandle::new(crate::runtime::bridge_handle().spawn(opening));
        Box::pin(async move { opening.await.unwrap_or_else(|stopped| Err(stopped.into())) })
    }
}

/// What an opened connection can do: hyper's I/O, and say how it was connected.
trait Io: Read + Write + Connection + Send + Unpin {}

impl<T: Read + Write + Connection + Send + Unpin> Io for T {}

/// One connection: direct, through a tunnel, or to a forwarding proxy (then its requests are absolute-form).
pub(super) struct Conn {
    io: Box<dyn Io>,
    forwarded: bool,
}

impl Conn {
    fn new(io: impl Io + 'static, forwarded: bool) -> Self {
        Self { io: Box::new(io), forwarded }
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forwarded)
    }
}

impl Read for Conn {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.io).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.io).poll_write_vectored(cx, bufs)
    }
}

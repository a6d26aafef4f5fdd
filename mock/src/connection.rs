//! One connection of the API origin, served and watched, for the faults that live below HTTP: it is closed when it
//! has been idle too long (idle close, as nginx's `keepalive_timeout` or Node's `keepAliveTimeout` close
//! keep-alive connections), after an answer when a `close_after` fault says so, and with a TCP reset when a
//! `reset` fault says so. A restart closes it from outside, by aborting its task ([`crate::listener`]).

use std::pin::Pin;
use std::sync::Arc;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::connection_state::{Connection, Written};
use crate::server::{self, Context};

/// Serves one accepted connection of the API origin to its end.
pub(crate) async fn serve(stream: TcpStream, context: Arc<Context>) {
    let connection = Arc::new(Connection::new(context.idle_close.subscribe()));
    let mut idle_close = context.idle_close.subscribe();
    let service = {
        let connection = connection.clone();
        service_fn(move |request| {
            let in_flight = connection.arrived();
            let answer = server::dispatch(context.clone(), connection.clone(), request);
            async move { answer.await.map(|answer| answer.map(|body| Written { body, _in_flight: in_flight })) }
        })
    };
    let mut served = server::connection_builder().serve_connection(TokioIo::new(stream), service);
    loop {
        let close_at = connection.close_at(*idle_close.borrow_and_update());
        if close_at.is_some_and(|at| at <= Instant::now()) {
            // An idle connection closes at once, with a FIN and no `Connection: close` (its answers are written).
            Pin::new(&mut served).graceful_shutdown();
            let _ = (&mut served).await;
            break;
        }
        // Biased: a written answer is looked at before the connection reads a next request.
        tokio::select! {
            biased;
            () = connection.changed() => {}
            Ok(()) = idle_close.changed() => {}
            () = tokio::time::sleep_until(close_at.unwrap_or_else(Instant::now)), if close_at.is_some() => {}
            _ = &mut served => break,
        }
    }
    if connection.ends_with_reset() {
        // Linger 0: closing the socket sends a reset instead of a FIN.
        let _ = served.into_parts().io.into_inner().set_zero_linger();
    }
}

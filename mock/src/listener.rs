//! The API origin's listener: accepts connections, keeps every connection's task so that a restart can close
//! them, and restarts on the same address ([`crate::MockServer::restart`]).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::connection;
use crate::server::Context;

/// A restart asked for: told once the new listener accepts, or why it could not be bound.
pub(crate) type Restart = std::sync::mpsc::Sender<io::Result<()>>;

/// Serves the API origin on `listener`, bound to `addr`, until the task is dropped or a restart cannot bind again.
pub(crate) async fn serve_api(
    mut listener: TcpListener,
    addr: SocketAddr,
    context: Arc<Context>,
    mut restarts: mpsc::UnboundedReceiver<Restart>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                context.state.lock().connections += 1;
                connections.spawn(connection::serve(stream, context.clone()));
            }
            Some(_) = connections.join_next() => {}
            Some(restarted) = restarts.recv() => {
                // As a server process exiting and starting again: every connection closed (a FIN; requests in
                // flight get no answer), the listener closed, a new one bound to the same address. The state is
                // the context's, so it survives.
                connections.shutdown().await;
                drop(listener);
                match TcpListener::bind(addr).await {
                    Ok(rebound) => listener = rebound,
                    Err(e) => {
                        let _ = restarted.send(Err(e));
                        return;
                    }
                }
                let _ = restarted.send(Ok(()));
            }
        }
    }
}

//! Serving HTTP/1.1 connections with limits that `axum::serve` lacks: a
//! deadline for a request's headers (a client sending them a byte at a
//! time is cut off), a bound on open connections below the process's file
//! limit (so accepting never fails with "too many open files"), and a
//! share of it per client address (so that one client's connections, half
//! open or idle, cannot starve everyone else and `/healthz`).

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// The limits a server keeps to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// How long a client has to send a request's headers, from the first
    /// byte it is awaited (a new connection, or a kept-alive one after its
    /// last answer).
    pub(crate) header_read_timeout: Duration,
    /// Connections open at once, every client together; beyond it, new
    /// connections wait in the system's queue until one closes.
    pub(crate) max_connections: usize,
    /// Connections open at once from one client address; beyond it, a new
    /// one is closed at once. 0: no such limit (behind a reverse proxy,
    /// which is then the only address and keeps its own limits).
    pub(crate) max_per_address: usize,
}

/// How many connections each client address holds.
#[derive(Debug, Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

/// One connection counted against its address, until dropped.
struct Slot {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl PerAddress {
    fn take(table: &Arc<PerAddress>, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut map = table
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let held = map.entry(ip).or_insert(0);
        if max > 0 && *held >= max {
            return None;
        }
        *held += 1;
        Some(Slot {
            table: Arc::clone(table),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self
            .table
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(held) = map.get_mut(&self.ip) {
            *held -= 1;
            if *held == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves,
/// then lets the connections under way finish (30 seconds at most). Each
/// request carries its client's address (`ConnectInfo<SocketAddr>`), as
/// the throttles need.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_address = Arc::new(PerAddress::default());
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&open).acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = PerAddress::take(&per_address, peer.ip(), limits.max_per_address) else {
            tracing::warn!("connection refused: its address holds too many already");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                    req.map(axum::body::Body::new)
                });
        let service = TowerToHyperService::new(service.map_err(|e: Infallible| match e {}));
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended on an error");
            }
            drop((permit, slot));
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after 30 s: closed");
    }
}

/// An accepting error: a connection that went away is nothing; anything
/// else (the process's file limit) waits a little before trying again.
async fn accept_failed(e: &std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept error");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// The file descriptors this process may open (its soft limit), as
/// `/proc/self/limits` says; 1024, the usual default, when it cannot be
/// read.
pub(crate) fn open_files_limit() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|soft| soft.parse().ok())
        })
        .unwrap_or(1024)
}

/// The default bound on connections: the file limit less what the
/// database, the logs and the PDFs need (128), between 64 and 16,384.
pub(crate) fn default_max_connections() -> usize {
    open_files_limit().saturating_sub(128).clamp(64, 16_384)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_its_share_and_gets_it_back_when_its_connections_close() {
        let table = Arc::new(PerAddress::default());
        let ip: IpAddr = [127, 0, 0, 1].into();
        let other: IpAddr = [127, 0, 0, 2].into();
        let held: Vec<Slot> = (0..3)
            .map(|_| PerAddress::take(&table, ip, 3).unwrap())
            .collect();
        assert!(PerAddress::take(&table, ip, 3).is_none());
        assert!(PerAddress::take(&table, other, 3).is_some());
        drop(held);
        let again = PerAddress::take(&table, ip, 3);
        assert!(again.is_some());
        drop(again);
        assert!(
            table.0.lock().unwrap().is_empty(),
            "no address left counted"
        );
    }

    #[test]
    fn the_default_bound_stays_under_the_file_limit() {
        let limit = open_files_limit();
        let max = default_max_connections();
        assert!(max >= 64);
        assert!(
            limit < 192 || max + 128 <= limit,
            "{max} for a limit of {limit}"
        );
    }
}

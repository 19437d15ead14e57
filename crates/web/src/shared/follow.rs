//! Several servers on one database: each keeps its own snapshots in
//! memory, and follows the writes the others make. The store raises a
//! cité's version in every transaction that changes its catalogue; a
//! server rebuilds a cité whose stored version is above its snapshot's,
//! when the store's change feed says so (PostgreSQL's `NOTIFY`) or, where
//! the feed is lost or cannot be used, when it compares every version.

use std::time::Duration;

use passerelle_store::{ChangeFeed, FeedEvent};

use crate::shared::state::AppState;

/// How a server learns of the other servers' writes.
pub enum Following {
    /// From the store's change feed, opened before the snapshots were read.
    Feed(Box<dyn ChangeFeed>),
    /// By comparing every cité's version at this interval (where `LISTEN`
    /// cannot be used, e.g. behind a transaction-pooling PgBouncer).
    Poll(Duration),
}

impl std::fmt::Debug for Following {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Following::Feed(_) => f.write_str("Following::Feed"),
            Following::Poll(every) => write!(f, "Following::Poll({every:?})"),
        }
    }
}

/// Each cité's version as this server built it and as the store holds it.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Step {
    pub(crate) cite: String,
    pub(crate) built: u64,
    pub(crate) stored: u64,
}

impl AppState {
    /// Follows the writes other servers make, for as long as the server
    /// runs (call from within the runtime). Whatever happens to the feed,
    /// the server catches up: a lost connection, or an error, is followed
    /// by a comparison of every version.
    pub fn follow(&self, following: Following) {
        let state = self.clone();
        tokio::spawn(async move {
            match following {
                Following::Feed(mut feed) => loop {
                    match feed.next().await {
                        Ok(FeedEvent::Changed { cite, version }) => {
                            state.catch_up(&cite, version).await;
                        }
                        Ok(FeedEvent::Resync) => state.resync().await,
                        Err(e) => {
                            metrics::counter!(crate::shared::metrics::FEED_RECONNECTS).increment(1);
                            tracing::warn!(cause = %crate::shared::error::chain("change feed", &e), "change feed lost, trying again");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                            state.resync().await;
                        }
                    }
                },
                Following::Poll(every) => loop {
                    tokio::time::sleep(every).await;
                    state.resync().await;
                },
            }
        });
    }

    /// Rebuilds `cite` if its snapshot is older than `version`.
    async fn catch_up(&self, cite: &str, version: u64) {
        let Some(tenant) = self.cites.get(cite) else {
            // Added by another server: it is served here after a restart.
            tracing::warn!(cite, "a cité this server does not serve changed");
            return;
        };
        if tenant.snapshot().version >= version {
            return; // this server's own write, or already caught up
        }
        if let Err(e) = self.rebuild_to(tenant, Some(version)).await {
            tracing::error!(cite, error = ?e, "could not catch up with another server's write");
        }
    }

    /// Compares every cité's version with the store's and rebuilds those
    /// behind.
    pub(crate) async fn resync(&self) {
        match self.steps().await {
            Ok(steps) => {
                for step in steps.iter().filter(|s| s.built < s.stored) {
                    self.catch_up(&step.cite, step.stored).await;
                }
            }
            Err(e) => tracing::warn!(error = ?e, "could not read the stored versions"),
        }
    }

    /// Each served cité's version, built and stored (none without a store).
    pub(crate) async fn steps(&self) -> Result<Vec<Step>, crate::shared::error::AppError> {
        let Some(editing) = self.editing() else {
            return Ok(Vec::new());
        };
        let stored = editing
            .store
            .versions()
            .await
            .map_err(|e| crate::shared::error::AppError::store("versions", e))?;
        Ok(self
            .cites
            .all()
            .iter()
            .map(|t| Step {
                cite: t.slug().to_owned(),
                built: t.snapshot().version,
                stored: stored
                    .iter()
                    .find(|(c, _)| c == t.slug())
                    .map_or(0, |(_, v)| *v),
            })
            .collect())
    }
}

//! What handlers read: an immutable snapshot of the catalogue, its search
//! index and its quality report, replaced as a whole after a write.

use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use passerelle_domain::{Action, Catalogue, Programme};
use passerelle_livret::Irregularity;
use passerelle_search::{SearchError, SearchIndex};

#[derive(Debug)]
pub struct Snapshot {
    pub catalogue: Catalogue,
    pub index: SearchIndex,
    /// The quality report of the booklet the catalogue was imported from.
    pub report: Vec<Irregularity>,
    /// The booklet's name, as shown with the report.
    pub report_source: String,
    /// When this snapshot was made (the pages' Last-Modified).
    pub loaded_at: SystemTime,
    /// Answers rendered from this snapshot, by URL.
    pub(crate) cache: crate::http::ResponseCache,
}

impl Snapshot {
    pub fn new(
        catalogue: Catalogue,
        report: Vec<Irregularity>,
        report_source: String,
    ) -> Result<Snapshot, SearchError> {
        let index = SearchIndex::build(&catalogue)?;
        Ok(Snapshot {
            catalogue,
            index,
            report,
            report_source,
            loaded_at: SystemTime::now(),
            cache: crate::http::ResponseCache::default(),
        })
    }

    pub fn programme(&self) -> Option<&Programme> {
        self.catalogue.current_programme()
    }

    pub fn action(&self, fiche: u32) -> Option<(&Programme, &Action)> {
        let p = self.programme()?;
        p.actions
            .iter()
            .find(|a| a.fiche.get() == fiche)
            .map(|a| (p, a))
    }
}

/// Shared by every handler; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    snapshot: Arc<RwLock<Arc<Snapshot>>>,
    /// Accounts and sessions; without them, signing in is unavailable.
    pub(crate) accounts: Option<Arc<dyn passerelle_store::AccountStore>>,
    /// Failed sign-ins, per account and per address.
    pub(crate) throttle: Arc<crate::auth::Throttle>,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub(crate) secure_cookies: bool,
}

impl AppState {
    pub fn new(snapshot: Snapshot) -> AppState {
        AppState {
            snapshot: Arc::new(RwLock::new(Arc::new(snapshot))),
            accounts: None,
            throttle: Arc::new(crate::auth::Throttle::default()),
            secure_cookies: false,
        }
    }

    /// Enables signing in against these accounts; `secure_cookies` when
    /// Passerelle is served over HTTPS (directly or behind a proxy).
    pub fn with_accounts(
        mut self,
        accounts: Arc<dyn passerelle_store::AccountStore>,
        secure_cookies: bool,
    ) -> AppState {
        self.accounts = Some(accounts);
        self.secure_cookies = secure_cookies;
        self
    }

    /// The current snapshot. Holding it does not block writers.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the snapshot after a write.
    pub fn replace(&self, snapshot: Snapshot) {
        let new = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut s) => *s = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
    }
}

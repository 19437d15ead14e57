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
    pub(crate) cache: crate::shared::http::ResponseCache,
    /// What the public sees, when it differs from `catalogue` (contact
    /// details kept for professionals): a snapshot of its own, index and
    /// cache included, so nothing hidden can leak through search.
    public: Option<Box<Snapshot>>,
}

impl Snapshot {
    pub fn new(
        catalogue: Catalogue,
        report: Vec<Irregularity>,
        report_source: String,
    ) -> Result<Snapshot, SearchError> {
        let public = catalogue.public_view();
        let public = if public == catalogue {
            None
        } else {
            Some(Box::new(Snapshot::single(
                public,
                report.clone(),
                report_source.clone(),
            )?))
        };
        let mut snapshot = Snapshot::single(catalogue, report, report_source)?;
        snapshot.public = public;
        Ok(snapshot)
    }

    fn single(
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
            cache: crate::shared::http::ResponseCache::default(),
            public: None,
        })
    }

    /// The snapshot this viewer may see: everything for professionals, the
    /// public view for everyone else.
    pub(crate) fn view(&self, viewer: &crate::shared::ctx::Viewer) -> &Snapshot {
        match &self.public {
            Some(public) if !viewer.is_professional() => public,
            _ => self,
        }
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
    pub(crate) throttle: Arc<crate::shared::ctx::Throttle>,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub(crate) secure_cookies: bool,
    /// Editing on the web; without it, the catalogue is read-only.
    pub(crate) editing: Option<Arc<Editing>>,
}

/// What editing needs: the store written to, the cité edited, where mail
/// goes, and the public address links in mail start with.
#[derive(Debug)]
pub struct Editing {
    pub(crate) store: Arc<dyn passerelle_store::CatalogueStore>,
    /// Registrations and contributions of events.
    pub(crate) participation: Arc<dyn passerelle_store::ParticipationStore>,
    /// Registrations are anonymised this many days after their event.
    pub(crate) retention_days: u32,
    pub(crate) cite: String,
    pub(crate) mailer: crate::shared::mail::Mailer,
    /// `https://passerelle.example.fr`, no trailing slash.
    pub(crate) base_url: String,
    /// Rebuilds one at a time, so the last one sees every write before it.
    rebuild: tokio::sync::Mutex<()>,
}

impl Editing {
    pub fn new<S>(
        store: Arc<S>,
        cite: impl Into<String>,
        mailer: crate::shared::mail::Mailer,
        base_url: impl Into<String>,
    ) -> Editing
    where
        S: passerelle_store::CatalogueStore + passerelle_store::ParticipationStore + 'static,
    {
        Editing {
            participation: store.clone(),
            retention_days: 365,
            store,
            cite: cite.into(),
            mailer,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            rebuild: tokio::sync::Mutex::new(()),
        }
    }

    /// Sets how many days after its event a registration is anonymised.
    pub fn retention_days(mut self, days: u32) -> Editing {
        self.retention_days = days;
        self
    }

    /// The mail written to the log (when no SMTP server is configured).
    pub fn logged_mail(&self) -> Vec<crate::shared::mail::Mail> {
        self.mailer.logged()
    }
}

impl AppState {
    pub fn new(snapshot: Snapshot) -> AppState {
        AppState {
            snapshot: Arc::new(RwLock::new(Arc::new(snapshot))),
            accounts: None,
            throttle: Arc::new(crate::shared::ctx::Throttle::default()),
            secure_cookies: false,
            editing: None,
        }
    }

    /// Enables editing: writes go to `editing.store`, and each write
    /// replaces the snapshot so that pages, cache and index follow.
    pub fn with_editing(mut self, editing: Editing) -> AppState {
        self.editing = Some(Arc::new(editing));
        self
    }

    /// The editing context, if editing is enabled.
    pub fn editing(&self) -> Option<&Editing> {
        self.editing.as_deref()
    }

    /// Reads the catalogue back from the store and replaces the snapshot.
    pub(crate) async fn rebuild(&self) -> Result<(), crate::shared::error::AppError> {
        use crate::shared::error::AppError;
        let Some(editing) = self.editing.as_ref() else {
            return Ok(());
        };
        let _one_at_a_time = editing.rebuild.lock().await;
        let entities = editing
            .store
            .entities(&editing.cite)
            .await
            .map_err(|e| AppError::Internal(format!("rebuild: {e}")))?;
        let catalogue = Catalogue::from_entities(entities)
            .map_err(|e| AppError::Internal(format!("rebuild: {e}")))?;
        let current = self.snapshot();
        let snapshot = Snapshot::new(
            catalogue,
            current.report.clone(),
            current.report_source.clone(),
        )?;
        self.replace(snapshot);
        Ok(())
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

//! What handlers read: an immutable snapshot of the catalogue, its search
//! index and its quality report, replaced as a whole after a write.

use std::sync::Arc;
use std::time::SystemTime;

use passerelle_domain::{Action, Catalogue, Programme};
use passerelle_livret::Irregularity;
use passerelle_search::{SearchError, SearchIndex};

use crate::shared::cites::{Cites, Tenant};

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
    /// Distinguishes this snapshot's cached answers from older ones'.
    pub(crate) generation: u64,
    /// The cité's stored version this snapshot was built at (0: not read
    /// from a store).
    pub(crate) version: u64,
    /// What the public sees, when it differs from `catalogue` (contact
    /// details kept for professionals): a snapshot of its own, index and
    /// cache included, so nothing hidden can leak through search.
    public: Option<Box<Snapshot>>,
    /// The catalogue's Markdown rendered to sanitised HTML, each text once
    /// per snapshot, keyed by its source's 64-bit hash and length (`true`
    /// for the inline form) rather than by a copy of it. Only the catalogue's
    /// own texts are kept here, so it is bounded by them.
    rendered: std::sync::RwLock<std::collections::HashMap<(u64, usize, bool), Arc<str>>>,
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
            // The report quotes the booklet, contact details included: the
            // public reads it without those kept for professionals.
            let masked = report
                .iter()
                .map(|i| Irregularity {
                    message: catalogue.public_text(&i.message),
                    ..i.clone()
                })
                .collect();
            Some(Box::new(Snapshot::single(
                public,
                masked,
                report_source.clone(),
            )?))
        };
        let mut snapshot = Snapshot::single(catalogue, report, report_source)?;
        snapshot.public = public;
        Ok(snapshot)
    }

    /// The same snapshot, marked as built at the cité's stored `version`.
    #[must_use]
    pub fn at_version(mut self, version: u64) -> Snapshot {
        self.version = version;
        self
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
            generation: crate::shared::cites::next_generation(),
            version: 0,
            public: None,
            rendered: std::sync::RwLock::default(),
        })
    }

    /// The snapshot this viewer may see: everything for this cité's
    /// professionals, the public view for everyone else.
    pub(crate) fn view(&self, viewer: &crate::shared::ctx::Viewer) -> &Snapshot {
        match &self.public {
            Some(public) if !viewer.is_professional(self.catalogue.cite.slug.as_str()) => public,
            _ => self,
        }
    }

    /// The catalogue as the public sees it (what mail and open data show).
    pub(crate) fn public_catalogue(&self) -> &passerelle_domain::Catalogue {
        self.public
            .as_deref()
            .map_or(&self.catalogue, |p| &p.catalogue)
    }

    /// A text of this catalogue as sanitised HTML, rendered once.
    pub(crate) fn markdown(&self, md: &str) -> Arc<str> {
        self.rendered_once(md, false)
    }

    /// One line of this catalogue (an objective) as inline HTML, rendered once.
    pub(crate) fn markdown_inline(&self, md: &str) -> Arc<str> {
        self.rendered_once(md, true)
    }

    fn rendered_once(&self, md: &str, inline: bool) -> Arc<str> {
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            md.hash(&mut h);
            h.finish()
        };
        let key = (hash, md.len(), inline);
        if let Some(html) = self.rendered.read().ok().and_then(|m| m.get(&key).cloned()) {
            return html;
        }
        let html: Arc<str> = if inline {
            crate::shared::text::markdown_inline(md)
        } else {
            crate::shared::text::markdown(md)
        }
        .into();
        if let Ok(mut m) = self.rendered.write() {
            m.insert(key, Arc::clone(&html));
        }
        html
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

/// A cité named in the configuration that the instance does not serve.
#[derive(Debug, thiserror::Error)]
#[error("aucune cité « {0} » sur ce serveur")]
pub struct UnknownCite(pub String);

/// Shared by every handler; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The cités served, each with its own snapshot.
    pub(crate) cites: Arc<Cites>,
    /// Rendered answers of every cité, under one memory budget.
    pub(crate) cache: Arc<crate::shared::http::ResponseCache>,
    /// Accounts and sessions; without them, signing in is unavailable.
    pub(crate) accounts: Option<Arc<dyn passerelle_store::AccountStore>>,
    /// Failed sign-ins, per account and per address.
    pub(crate) throttle: Arc<crate::shared::ctx::Throttle>,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub(crate) secure_cookies: bool,
    /// Signs the CSRF tokens of the forms anyone may send: the instance's
    /// key, shared by its servers through the store (`with_form_key`), or
    /// one of this process's own.
    pub(crate) form_key: Arc<[u8]>,
    /// Editing on the web; without it, the catalogue is read-only.
    pub(crate) editing: Option<Arc<Editing>>,
    /// The national review as the public sees it, computed again once a
    /// cité changes.
    pub(crate) national_review:
        Arc<crate::shared::derived::Derived<passerelle_domain::national::NationalReview>>,
    /// One search index over every cité, for the national search.
    pub(crate) national_index:
        Arc<crate::shared::derived::Derived<crate::shared::derived::NationalIndex>>,
    /// Typesets the PDFs, one at a time.
    pub(crate) typesetter: Arc<crate::shared::publish::Typesetter>,
    /// Session lifetimes and who needs a second factor.
    pub(crate) signin: Arc<crate::shared::signin::SignInPolicy>,
    /// Signing in with ProConnect, when configured.
    pub(crate) proconnect: Option<Arc<crate::shared::signin::ProConnect>>,
    /// `/.well-known/security.txt`, when configured.
    pub(crate) security_txt: Option<Arc<crate::shared::signin::SecurityTxt>>,
    /// `/metrics`, when configured.
    pub(crate) metrics: Option<Arc<crate::shared::metrics::MetricsAccess>>,
}

/// What an area computed from the store about one record (a call, say),
/// kept while the record's revision is the one it was read at: the
/// record's row is read fresh each time, the rest only when it changed.
/// Values are the area's own types (`Any`).
#[derive(Default)]
pub(crate) struct RevisionCache {
    map: std::sync::Mutex<std::collections::HashMap<(String, i64), Kept>>,
}

/// A value kept with the revision it was read at.
type Kept = (i64, Arc<dyn std::any::Any + Send + Sync>);

impl std::fmt::Debug for RevisionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevisionCache")
    }
}

impl RevisionCache {
    /// The most records kept; past it, the cache starts again empty.
    const MAX: usize = 2048;

    /// What was kept for `(cite, key)` at `revision`, if that is still it.
    pub(crate) fn get<T: std::any::Any + Send + Sync>(
        &self,
        cite: &str,
        key: i64,
        revision: i64,
    ) -> Option<Arc<T>> {
        let map = self.map.lock().ok()?;
        let (kept, value) = map.get(&(cite.to_owned(), key))?;
        if *kept != revision {
            return None;
        }
        Arc::clone(value).downcast::<T>().ok()
    }

    pub(crate) fn put<T: std::any::Any + Send + Sync>(
        &self,
        cite: &str,
        key: i64,
        revision: i64,
        value: Arc<T>,
    ) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= Self::MAX {
                map.clear();
            }
            map.insert((cite.to_owned(), key), (revision, value));
        }
    }
}

/// How long an invitation (or a sign-up link) stays valid.
pub(crate) const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

impl AppState {
    /// The accounts' store (404 on a server without accounts).
    pub(crate) fn account_store(
        &self,
    ) -> Result<Arc<dyn passerelle_store::AccountStore>, crate::shared::error::AppError> {
        self.accounts.clone().ok_or_else(|| {
            crate::shared::error::AppError::NotFound(
                "Les comptes ne sont pas ouverts sur ce serveur.".into(),
            )
        })
    }
}

/// What editing needs: the store written to, where mail goes, and the
/// public address links in mail start with.
#[derive(Debug)]
pub struct Editing {
    pub(crate) store: Arc<dyn passerelle_store::CatalogueStore>,
    /// Registrations and contributions of events.
    pub(crate) participation: Arc<dyn passerelle_store::ParticipationStore>,
    /// Registrations are anonymised this many days after their event.
    pub(crate) retention_days: u32,
    pub(crate) mailer: crate::shared::mail::Mailer,
    /// `https://passerelle.example.fr`, no trailing slash.
    pub(crate) base_url: String,
    /// Lists, subscribers, issues and the delivery queue.
    pub(crate) newsletter: Arc<dyn passerelle_store::NewsletterStore>,
    pub(crate) delivery: Delivery,
    /// Wakes the delivery worker when an issue is queued.
    pub(crate) queued: Arc<tokio::sync::Notify>,
    /// Referrals sent to the actions' operators.
    pub(crate) referrals: Arc<dyn passerelle_store::ReferralStore>,
    /// A closed referral's personal fields are erased this many days after.
    pub(crate) referral_retention_days: u32,
    /// Calls for projects, their applications and instruction.
    pub(crate) calls: Arc<dyn passerelle_store::CallStore>,
    /// What the calls' pages read of a call, by its revision.
    pub(crate) call_reads: RevisionCache,
    /// The programme's money: funding lines and envelopes.
    pub(crate) funding: Arc<dyn passerelle_store::FundingStore>,
    /// The whole store, for what belongs to none of the above (the
    /// connection pool's state, for the metrics).
    pub(crate) whole: Arc<dyn passerelle_store::Store>,
}

/// How the newsletter is delivered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delivery {
    /// Mails per second at most; 0 for no limit.
    pub rate: f64,
    /// Permanent failures after which an address is suspended.
    pub max_bounces: u32,
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery {
            rate: 10.0,
            max_bounces: 3,
        }
    }
}

impl Editing {
    pub fn new(
        store: Arc<dyn passerelle_store::Store>,
        mailer: crate::shared::mail::Mailer,
        base_url: impl Into<String>,
    ) -> Editing {
        Editing {
            participation: store.clone(),
            newsletter: store.clone(),
            referrals: store.clone(),
            calls: store.clone(),
            funding: store.clone(),
            whole: store.clone(),
            call_reads: RevisionCache::default(),
            referral_retention_days: passerelle_domain::referral::DEFAULT_RETENTION_DAYS,
            delivery: Delivery::default(),
            queued: Arc::new(tokio::sync::Notify::new()),
            retention_days: 365,
            store,
            mailer,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
        }
    }

    /// Sets how many days after its event a registration is anonymised.
    pub fn retention_days(mut self, days: u32) -> Editing {
        self.retention_days = days;
        self
    }

    /// Sets how many days after it closed a referral's personal fields are
    /// erased (at most [`passerelle_domain::referral::MAX_RETENTION_DAYS`]).
    pub fn referral_retention_days(mut self, days: u32) -> Editing {
        self.referral_retention_days = days.min(passerelle_domain::referral::MAX_RETENTION_DAYS);
        self
    }

    /// Sets how the newsletter is delivered.
    pub fn delivery(mut self, delivery: Delivery) -> Editing {
        self.delivery = delivery;
        self
    }

    /// The mail written to the log (when no SMTP server is configured).
    pub fn logged_mail(&self) -> Vec<crate::shared::mail::Mail> {
        self.mailer.logged()
    }
}

impl AppState {
    /// An instance serving one cité.
    pub fn new(snapshot: Snapshot) -> AppState {
        AppState::several(vec![snapshot])
    }

    /// An instance serving several cités; the first is the default one
    /// (whose API keeps the single-cité paths).
    ///
    /// # Panics
    /// When `snapshots` is empty.
    pub fn several(snapshots: Vec<Snapshot>) -> AppState {
        assert!(
            !snapshots.is_empty(),
            "an instance serves at least one cité"
        );
        AppState {
            cites: Arc::new(Cites::new(snapshots)),
            cache: Arc::default(),
            accounts: None,
            throttle: Arc::new(crate::shared::ctx::Throttle::default()),
            secure_cookies: false,
            form_key: passerelle_auth::new_token().into_bytes().into(),
            editing: None,
            national_review: Arc::default(),
            national_index: Arc::default(),
            typesetter: Arc::default(),
            signin: Arc::default(),
            proconnect: None,
            security_txt: None,
            metrics: None,
        }
    }

    /// Whether the national search can answer without waiting: always
    /// with one cité; with several, once its index has been built once.
    pub(crate) fn national_ready(&self) -> bool {
        self.cites.all().len() < 2 || self.national_index.latest().is_some()
    }

    /// With several cités, builds the national search index in the
    /// background (call from within the runtime, once serving): the first
    /// national search need not wait for it.
    pub fn prepare_national(&self) {
        if self.cites.all().len() < 2 || !self.national_index.start_building() {
            return;
        }
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            match crate::shared::derived::NationalIndex::build(&state) {
                Ok((g, index)) => state.national_index.store(g, Arc::new(index)),
                Err(e) => tracing::error!(error = %e, "national index not built"),
            }
            state.national_index.done_building();
        });
    }

    /// Enables editing: writes go to `editing.store`, and each write
    /// replaces the snapshot so that pages, cache and index follow.
    pub fn with_editing(mut self, editing: Editing) -> AppState {
        self.editing = Some(Arc::new(editing));
        self
    }

    /// Sets the memory the response cache may hold, in bytes (32 MiB by
    /// default); 0 keeps nothing.
    pub fn cache_budget(mut self, bytes: usize) -> AppState {
        self.cache = Arc::new(crate::shared::http::ResponseCache::with_budget(bytes));
        self
    }

    /// The editing context, if editing is enabled.
    pub fn editing(&self) -> Option<&Editing> {
        self.editing.as_deref()
    }

    /// A path of a cité as an absolute address, for mail: under the
    /// instance's base URL, and the cité's slug when it serves several.
    pub(crate) fn absolute_link(
        &self,
        editing: &Editing,
        slug: &str,
    ) -> impl Fn(&str) -> String + Sync + use<> {
        let root = if self.cites.several() {
            format!("{}/{slug}", editing.base_url)
        } else {
            editing.base_url.clone()
        };
        move |path: &str| format!("{root}{path}")
    }

    /// The editing context, or the French 404 of a read-only server.
    pub(crate) fn editing_open(&self) -> Result<&Arc<Editing>, crate::shared::error::AppError> {
        self.editing.as_ref().ok_or_else(|| {
            crate::shared::error::AppError::NotFound(
                "L'édition n'est pas ouverte sur ce serveur.".into(),
            )
        })
    }

    /// Reads a cité's catalogue back from the store and replaces its
    /// snapshot; the other cités are left alone.
    ///
    /// Writers of one cité coalesce: the cité's version is read first (it
    /// includes this caller's write), and a rebuild that waited for
    /// another's finds nothing to do when that one read this version or a
    /// later one.
    pub(crate) async fn rebuild(
        &self,
        tenant: &Tenant,
    ) -> Result<(), crate::shared::error::AppError> {
        let Some(editing) = self.editing.as_ref() else {
            return Ok(());
        };
        let version = editing
            .store
            .version(tenant.slug())
            .await
            .map_err(|e| crate::shared::error::AppError::store("rebuild", e))?;
        self.rebuild_to(tenant, Some(version)).await
    }

    /// Rebuilds a cité's snapshot unless it is at `version` already (a
    /// rebuild that waited for another may find its work done).
    pub(crate) async fn rebuild_to(
        &self,
        tenant: &Tenant,
        version: Option<u64>,
    ) -> Result<(), crate::shared::error::AppError> {
        use crate::shared::error::AppError;
        let Some(editing) = self.editing.as_ref() else {
            return Ok(());
        };
        let _one_at_a_time = tenant.rebuild.lock().await;
        if version.is_some_and(|v| tenant.snapshot().version >= v) {
            return Ok(());
        }
        let (entities, stored) = editing
            .store
            .entities_at_version(tenant.slug())
            .await
            .map_err(|e| AppError::store("rebuild", e))?;
        let catalogue = Catalogue::from_entities(entities)
            .map_err(|e| AppError::Internal(format!("rebuild: {e}")))?;
        let current = tenant.snapshot();
        let (report, source) = (current.report.clone(), current.report_source.clone());
        // Indexing is CPU work: off the async threads.
        let started = std::time::Instant::now();
        let snapshot = tokio::task::spawn_blocking(move || {
            Snapshot::new(catalogue, report, source).map(|s| s.at_version(stored))
        })
        .await
        .map_err(|e| AppError::Internal(format!("rebuild: {e}")))??;
        crate::shared::metrics::snapshot_built(tenant.slug(), started);
        tenant.replace(snapshot);
        Ok(())
    }

    /// Serves the cité `slug` at the root of `host`; `false` if there is no
    /// such cité. Call before the first request.
    pub fn map_host(mut self, host: &str, slug: &str) -> Result<AppState, UnknownCite> {
        if Arc::get_mut(&mut self.cites).is_some_and(|c| c.map_host(host, slug)) {
            Ok(self)
        } else {
            Err(UnknownCite(slug.to_owned()))
        }
    }

    /// Makes `slug` the default cité; `false` if there is no such cité.
    pub fn default_cite(mut self, slug: &str) -> Result<AppState, UnknownCite> {
        if Arc::get_mut(&mut self.cites).is_some_and(|c| c.set_default(slug)) {
            Ok(self)
        } else {
            Err(UnknownCite(slug.to_owned()))
        }
    }

    /// The cité `slug`, if served.
    pub fn tenant(&self, slug: &str) -> Option<Arc<Tenant>> {
        self.cites.get(slug).cloned()
    }

    /// The default cité: the only one, or the first.
    pub fn default_tenant(&self) -> Arc<Tenant> {
        Arc::clone(self.cites.default_tenant())
    }

    /// Enables signing in against these accounts; `secure_cookies` when
    /// Passerelle is served over HTTPS (directly or behind a proxy).
    /// Signs anonymous forms' CSRF tokens with the instance's key (from
    /// [`passerelle_store::AccountStore::server_key`]), so that every
    /// server of the instance accepts the others'.
    pub fn with_form_key(mut self, key: &str) -> AppState {
        self.form_key = key.as_bytes().into();
        self
    }

    /// Session lifetimes and the second factor's reach.
    pub fn with_signin_policy(mut self, policy: crate::shared::signin::SignInPolicy) -> AppState {
        self.signin = Arc::new(policy);
        self
    }

    /// Offers signing in with ProConnect.
    pub fn with_proconnect(mut self, proconnect: crate::shared::signin::ProConnect) -> AppState {
        self.proconnect = Some(Arc::new(proconnect));
        self
    }

    /// Serves `/.well-known/security.txt`.
    pub fn with_security_txt(mut self, file: crate::shared::signin::SecurityTxt) -> AppState {
        self.security_txt = Some(Arc::new(file));
        self
    }

    /// Serves `/metrics` to whom [`MetricsAccess`](crate::MetricsAccess) lets in.
    pub fn with_metrics(mut self, access: crate::shared::metrics::MetricsAccess) -> AppState {
        self.metrics = Some(Arc::new(access));
        self
    }

    pub fn with_accounts(
        mut self,
        accounts: Arc<dyn passerelle_store::AccountStore>,
        secure_cookies: bool,
    ) -> AppState {
        self.throttle = Arc::new(crate::shared::ctx::Throttle::in_store(accounts.clone()));
        self.accounts = Some(accounts);
        self.secure_cookies = secure_cookies;
        self
    }
}

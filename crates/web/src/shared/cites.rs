//! The cités an instance serves, and which one a request is for.
//!
//! Each cité is a [`Tenant`] with its own [`Snapshot`] (catalogue, search
//! index, quality report), replaced alone after a write in that cité, so the
//! cost of a write does not grow with the number of cités.
//!
//! [`place`] runs before routing and decides a request's cité:
//! - a host mapped to a cité in the configuration serves that cité at its root;
//! - with one cité, every path is that cité's (today's URLs);
//! - with several, `/{cite}/…` is the cité's and `/api/v1/cites/{cite}/…` its
//!   API; the instance's own pages (the national view, signing in, static
//!   files) stay at the root; the API's single-cité paths answer for the
//!   default cité; any other old single-cité URL is redirected (308) to the
//!   default cité's.
//!
//! The request then carries a [`Here`] (the cité and the root its links
//! start with) and its path without the cité's prefix, so areas route as if
//! the instance held one cité.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::shared::error::AppError;
use crate::shared::state::{AppState, Snapshot};

/// Paths of the instance itself, not of a cité, when it holds several
/// (besides the national view, `/`, `/recherche`, `/donnees`…, which [`place`] maps
/// itself: as a cité's path, `/` is that cité's home).
const INSTANCE_PATHS: &[&str] = &[
    "/healthz",
    "/readyz",
    "/metrics",
    "/accessibilite",
    "/connexion",
    "/deconnexion",
    "/compte",
    "/instance",
    "/instance/",
    "/mot-de-passe-oublie",
    "/static/",
    "/invitation/",
    "/reinitialisation/",
    "/compte/",
    "/api/v1/national/",
    "/api/v1/openapi.json",
];

/// Words a cité's slug may not be: the first segments of the instance's own
/// paths and of every area's, and the interface's languages (`/ar/…`), so
/// that `/{cite}/…` is never ambiguous.
pub const RESERVED_SLUGS: &[&str] = &[
    "accessibilite",
    "ar",
    "en",
    "pt",
    "tr",
    "actions",
    "admin",
    "annuaire",
    "api",
    "axes",
    "bilan",
    "bilans",
    "compte",
    "connexion",
    "deconnexion",
    "donnees",
    "financements",
    "flux",
    "healthz",
    "inscription",
    "instance",
    "invitation",
    "lettre",
    "livret",
    "metrics",
    "mot-de-passe-oublie",
    "national",
    "orienter",
    "orientation",
    "qualite",
    "readyz",
    "recherche",
    "reinitialisation",
    "revue",
    "revues",
    "seminaire",
    "synthese-financements",
    "static",
];

/// Every snapshot gets a number of its own, so that answers cached from an
/// older one are never served again.
static GENERATION: AtomicU64 = AtomicU64::new(1);

pub(crate) fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// One cité served by the instance.
#[derive(Debug)]
pub struct Tenant {
    slug: String,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Rebuilds one at a time, so the last one sees every write before it.
    pub(crate) rebuild: tokio::sync::Mutex<()>,
}

impl Tenant {
    pub(crate) fn new(snapshot: Snapshot) -> Tenant {
        Tenant {
            slug: snapshot.catalogue.cite.slug.to_string(),
            snapshot: RwLock::new(Arc::new(snapshot)),
            rebuild: tokio::sync::Mutex::new(()),
        }
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// The current snapshot. Holding it does not block writers.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the snapshot after a write in this cité.
    pub fn replace(&self, snapshot: Snapshot) {
        let new = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut s) => *s = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
    }
}

/// The cités of the instance, in the order they are listed.
#[derive(Debug)]
pub(crate) struct Cites {
    list: Vec<Arc<Tenant>>,
    by_slug: HashMap<String, usize>,
    by_host: HashMap<String, usize>,
    default: usize,
}

impl Cites {
    /// `snapshots` must not be empty; the first is the default cité.
    pub(crate) fn new(snapshots: Vec<Snapshot>) -> Cites {
        let list: Vec<Arc<Tenant>> = snapshots
            .into_iter()
            .map(|s| Arc::new(Tenant::new(s)))
            .collect();
        let by_slug = list
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        Cites {
            list,
            by_slug,
            by_host: HashMap::new(),
            default: 0,
        }
    }

    /// Serves `slug` at the root of `host` (unknown slugs are ignored).
    pub(crate) fn map_host(&mut self, host: &str, slug: &str) -> bool {
        match self.by_slug.get(slug) {
            Some(&i) => {
                self.by_host.insert(host.to_ascii_lowercase(), i);
                true
            }
            None => false,
        }
    }

    pub(crate) fn set_default(&mut self, slug: &str) -> bool {
        match self.by_slug.get(slug) {
            Some(&i) => {
                self.default = i;
                true
            }
            None => false,
        }
    }

    pub(crate) fn all(&self) -> &[Arc<Tenant>] {
        &self.list
    }

    pub(crate) fn get(&self, slug: &str) -> Option<&Arc<Tenant>> {
        self.by_slug.get(slug).map(|&i| &self.list[i])
    }

    pub(crate) fn default_tenant(&self) -> &Arc<Tenant> {
        &self.list[self.default]
    }

    /// Changes whenever any cité's snapshot does: generations only grow,
    /// and a new snapshot takes the newest.
    pub(crate) fn generation(&self) -> u64 {
        self.list
            .iter()
            .map(|t| t.snapshot().generation)
            .max()
            .unwrap_or(0)
    }

    /// When the newest snapshot of any cité was made.
    pub(crate) fn loaded_at(&self) -> std::time::SystemTime {
        self.list
            .iter()
            .map(|t| t.snapshot().loaded_at)
            .max()
            .unwrap_or(std::time::UNIX_EPOCH)
    }

    pub(crate) fn several(&self) -> bool {
        self.list.len() > 1
    }
}

/// The cité a request is for, and the root its links start with (`""` when
/// the cité is served at the root, `/roubaix` under a shared instance).
#[derive(Debug, Clone)]
pub(crate) struct Here {
    pub(crate) tenant: Arc<Tenant>,
    root: Arc<str>,
    /// `/api/v1`, or `/api/v1/cites/{cite}` when the request came through
    /// the cité's API: what the API's links start with.
    api_root: Arc<str>,
}

impl Here {
    pub(crate) fn new(tenant: Arc<Tenant>, root: &str) -> Here {
        Here {
            tenant,
            root: root.into(),
            api_root: "/api/v1".into(),
        }
    }

    /// The same cité, reached through its API's prefix.
    fn through_api(mut self) -> Here {
        self.api_root = format!("/api/v1/cites/{}", self.tenant.slug()).into();
        self
    }

    /// A path of this cité's API (`/actions/5`) as a link
    /// (`/api/v1/cites/roubaix/actions/5`, or `/api/v1/actions/5` through
    /// the default cité's paths).
    pub(crate) fn api_url(&self, path: &str) -> String {
        format!("{}{path}", self.api_root)
    }

    pub(crate) fn slug(&self) -> &str {
        self.tenant.slug()
    }

    /// `""` or `/{cite}`: what every link of this cité starts with.
    /// Whether the request came through the cité's API prefix
    /// (`/api/v1/cites/{cite}/…`).
    pub(crate) fn via_api(&self) -> bool {
        self.api_root.starts_with("/api/v1/cites/")
    }

    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    /// A path of this cité (`/actions/5`) as a link (`/roubaix/actions/5`).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.tenant.snapshot()
    }

    /// `303 See Other` to a path of this cité.
    pub(crate) fn see_other(&self, path: &str) -> Response {
        crate::shared::layout::see_other(&self.url(path))
    }
}

impl FromRequestParts<AppState> for Here {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Here>()
            .cloned()
            .ok_or_else(|| AppError::NotFound("Cette page appartient à une cité éducative : son adresse commence par le nom de la cité.".into()))
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for Here {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &AppState,
    ) -> Result<Option<Here>, Self::Rejection> {
        Ok(parts.extensions.get::<Here>().cloned())
    }
}

/// Middleware, before routing: finds the request's cité, puts a [`Here`] in
/// it and takes the cité's prefix off its path (see the module's doc).
pub(crate) async fn place(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cites = &state.cites;
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| {
            h.rsplit_once(':')
                .map_or(h, |(name, _)| name)
                .to_ascii_lowercase()
        });
    let at_root = |mut req: Request, tenant: &Arc<Tenant>| {
        req.extensions_mut()
            .insert(Here::new(Arc::clone(tenant), ""));
        next.clone().run(req)
    };
    if let Some(&i) = host.as_deref().and_then(|h| cites.by_host.get(h)) {
        return at_root(req, &cites.list[i]).await;
    }
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    if !cites.several() && !path.starts_with("/api/v1/cites/") {
        return at_root(req, cites.default_tenant()).await;
    }
    // `/api/v1/cites/{cite}/…`: the cité's API.
    if let Some(rest) = path.strip_prefix("/api/v1/cites/") {
        let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if !tail.is_empty() {
            return match cites.get(slug) {
                Some(tenant) => {
                    let root = if cites.several() {
                        format!("/{slug}")
                    } else {
                        String::new()
                    };
                    let here = Here::new(Arc::clone(tenant), &root).through_api();
                    forward(
                        req,
                        Some(here),
                        &format!("/api/v1/{tail}"),
                        query.as_deref(),
                        next,
                    )
                    .await
                }
                None => AppError::NotFound(format!("Aucune cité « {slug} » sur ce serveur."))
                    .api()
                    .into_response(),
            };
        }
    }
    // `/{cite}/…`: the cité's pages.
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if let Some(tenant) = cites.get(first) {
        let tail = &path[1 + first.len()..];
        let tail = if tail.is_empty() { "/" } else { tail };
        let here = Here::new(Arc::clone(tenant), &format!("/{first}"));
        return forward(req, Some(here), tail, query.as_deref(), next).await;
    }
    // The national view lives at the instance's root.
    match path.as_str() {
        "/" => return forward(req, None, "/national", query.as_deref(), next).await,
        "/recherche" => {
            return forward(req, None, "/national/recherche", query.as_deref(), next).await;
        }
        "/bilans" => {
            return forward(req, None, "/national/bilans", query.as_deref(), next).await;
        }
        "/revues" => {
            return forward(req, None, "/national/revues", query.as_deref(), next).await;
        }
        "/synthese-financements" => {
            let to = "/national/financements";
            return forward(req, None, to, query.as_deref(), next).await;
        }
        "/orientation" => {
            return forward(req, None, "/national/orientation", query.as_deref(), next).await;
        }
        "/donnees" => {
            return forward(req, None, "/national/donnees", query.as_deref(), next).await;
        }
        _ => {}
    }
    if let Some(file) = path.strip_prefix("/donnees/") {
        let to = format!("/national/donnees/{file}");
        return forward(req, None, &to, query.as_deref(), next).await;
    }
    if is_instance_path(&path) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        return at_root(req, cites.default_tenant()).await;
    }
    // An old single-cité URL: it now belongs to the default cité.
    let to = format!(
        "/{}{path}{}",
        cites.default_tenant().slug(),
        query.map(|q| format!("?{q}")).unwrap_or_default()
    );
    let mut res = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(v) = HeaderValue::from_str(&to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Whether a path belongs to the instance rather than to a cité (when the
/// instance holds several).
pub(crate) fn is_instance_path(path: &str) -> bool {
    INSTANCE_PATHS.iter().any(|p| {
        if p.ends_with('/') && p.len() > 1 {
            path.starts_with(p)
        } else {
            path == *p
        }
    })
}

async fn forward(
    mut req: Request,
    here: Option<Here>,
    path: &str,
    query: Option<&str>,
    next: Next,
) -> Response {
    let pq = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    let Ok(uri) = pq.parse::<Uri>() else {
        return AppError::NotFound("Adresse illisible.".into()).into_response();
    };
    *req.uri_mut() = uri;
    if let Some(here) = here {
        req.extensions_mut().insert(here);
    }
    next.run(req).await
}

//! The request context: who is asking ([`Viewer`], resolved once per request
//! by [`resolve`] from the session cookie or a personal API token), and the
//! extractors that hand a handler what it needs already checked, in the order
//! every mutating route follows:
//!
//! 1. [`Editor`]: editing is open on this server (404),
//! 2. [`SignedIn`]: someone is signed in (401),
//! 3. [`Posted`] (a form) or [`ApiWriter`] (the JSON API): the session's CSRF
//!    token came with the request (403; API tokens need none),
//! 4. the permission, from `Account::may` ([`SignedIn::may`],
//!    [`SignedIn::professional`], [`SignedIn::administrator`]; 403),
//!
//! then the handler reads the data (422) and saves at a version (409).
//! Reading handlers take [`Seen`], the snapshot as the viewer may see it.
//! Axum runs extractors in the order of the handler's arguments, so a
//! handler lists them in that order. [`Api`] wraps any of them to answer in
//! the API's JSON shape. Also here: cookies, the CSRF token of forms anyone
//! may send, and the throttle of failed attempts.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{RequestExt, body::Bytes};
use passerelle_auth::{same_secret, token_hash};
use passerelle_domain::{Account, EntityKind, Permission, Slug};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::shared::cites::Here;
use crate::shared::error::{ApiError, AppError};
use crate::shared::state::{AppState, Editing, Snapshot};

pub(crate) const SESSION_COOKIE: &str = "passerelle_session";
pub(crate) const LOGIN_CSRF_COOKIE: &str = "passerelle_csrf";
const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The client's address when the server knows it (not in in-process tests).
pub(crate) struct Peer(pub(crate) Option<std::net::IpAddr>);

impl Peer {
    /// The client's address as the throttles key it.
    pub(crate) fn key(&self) -> String {
        self.0
            .map_or_else(|| "inconnue".to_owned(), |ip| ip.to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Counts failures (a wrong password, a wrong event code, a contribution
/// posted) by key (`email:…`, `ip:…`) over a sliding window: in the
/// database when the server has one, so that every server of an instance
/// counts the same; in memory otherwise. When the database cannot be read,
/// the throttle blocks (it fails closed).
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    store: Option<Arc<dyn passerelle_store::AccountStore>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// Counts in this store.
    pub(crate) fn in_store(store: Arc<dyn passerelle_store::AccountStore>) -> Throttle {
        Throttle {
            store: Some(store),
            failures: Mutex::default(),
        }
    }

    fn window_secs() -> i64 {
        i64::try_from(WINDOW.as_secs()).unwrap_or(i64::MAX)
    }

    pub(crate) async fn blocked(&self, key: &str, max: u32) -> bool {
        if let Some(store) = &self.store {
            return match store
                .failures(key, Throttle::window_secs(), unix_now())
                .await
            {
                Ok(n) => n >= max,
                Err(e) => {
                    tracing::error!(cause = %crate::shared::error::chain("throttle", &e), "throttle unreadable: blocking");
                    true
                }
            };
        }
        let Ok(map) = self.failures.lock() else {
            return true;
        };
        map.get(key)
            .is_some_and(|(n, since)| *n >= max && since.elapsed() < WINDOW)
    }

    pub(crate) async fn fail(&self, key: String) {
        if let Some(store) = &self.store {
            if let Err(e) = store
                .record_failure(&key, Throttle::window_secs(), unix_now())
                .await
            {
                tracing::error!(cause = %crate::shared::error::chain("throttle", &e), "failure not counted");
            }
            return;
        }
        if let Ok(mut map) = self.failures.lock() {
            if map.len() > 100_000 {
                map.retain(|_, (_, since)| since.elapsed() < WINDOW);
            }
            let entry = map.entry(key).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    pub(crate) async fn clear(&self, key: &str) {
        if let Some(store) = &self.store {
            if let Err(e) = store.clear_failures(key).await {
                tracing::error!(cause = %crate::shared::error::chain("throttle", &e), "failures not cleared");
            }
            return;
        }
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age: i64,
    same_site: &str,
    secure: bool,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// Who is making a request: resolved once per request by [`resolve`], from
/// the session cookie or a personal API token (`Authorization: Bearer`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Viewer {
    pub(crate) account: Option<Account>,
    /// The session's CSRF token (none for API tokens, which are not sent by
    /// browsers on their own and so need none).
    pub(crate) csrf: Option<String>,
    /// Signed in with an API token.
    pub(crate) by_token: bool,
    /// The session's token hash (none for API tokens): `/compte` marks it
    /// among the account's sessions, and keeps it when ending the others.
    pub(crate) session: Option<String>,
}

impl Viewer {
    /// Sees a cité's internal pages (see `Account::is_professional`).
    pub(crate) fn is_professional(&self, cite: &str) -> bool {
        self.account
            .as_ref()
            .is_some_and(|a| a.is_professional(cite))
    }

    /// Whether a form's CSRF token is this session's.
    pub(crate) fn csrf_ok(&self, sent: &str) -> bool {
        self.csrf
            .as_deref()
            .is_some_and(|own| same_secret(own, sent))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default())
    }
}

/// Middleware: finds who is asking and puts a [`Viewer`] in the request.
pub(crate) async fn resolve(
    State(state): State<AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut viewer = Viewer::default();
    // The metrics' bearer token is the configuration's, no account's: it
    // signs nobody in (`shared::metrics` checks it).
    let metrics = req.uri().path() == "/metrics";
    if let Some(store) = state.accounts.as_ref().filter(|_| !metrics) {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if let Some(token) = bearer {
            match store.api_token(&token_hash(token), unix_now()).await {
                Ok(Some(account)) => {
                    viewer = Viewer {
                        account: Some(account),
                        csrf: None,
                        by_token: true,
                        session: None,
                    }
                }
                Ok(None) => {
                    return AppError::Unauthorized("jeton d'API inconnu, expiré ou révoqué".into())
                        .api()
                        .into_response();
                }
                Err(e) => {
                    return AppError::store("api token", e).api().into_response();
                }
            }
        } else if let Some(session) = current(&state, req.headers()).await {
            // A session waiting for its second factor signs nobody in.
            if !session.pending {
                if state.signin.requires_second_factor(&session.account)
                    && !session.second_factor
                    && !enrolment_path(req.uri().path())
                {
                    return enrolment_first(req.method());
                }
                viewer = Viewer {
                    account: Some(session.account),
                    csrf: Some(session.csrf),
                    by_token: false,
                    session: cookie(req.headers(), SESSION_COOKIE).map(|t| token_hash(&t)),
                };
            }
        }
    }
    req.extensions_mut().insert(viewer);
    next.run(req).await
}

/// The CSRF token of a form anyone may send (sign-in, registration, the
/// newsletter, a forgotten password, the day's code): the one in the
/// browser's cookie if this instance signed it, a new signed one
/// otherwise. The form carries it too, and [`anonymous_csrf_ok`] checks
/// both.
pub(crate) fn anonymous_csrf(key: &[u8], headers: &HeaderMap) -> String {
    cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|t| passerelle_auth::signed_by(key, t))
        .unwrap_or_else(|| passerelle_auth::signed_token(key))
}

/// The cookie holding [`anonymous_csrf`]'s token.
pub(crate) fn anonymous_csrf_cookie(token: &str, secure: bool) -> HeaderValue {
    set_cookie(LOGIN_CSRF_COOKIE, token, 12 * 3600, "Strict", secure)
}

/// Whether a form's token is the one in the browser's cookie, and was
/// signed by this instance (a cookie planted from a sibling subdomain was
/// not).
pub(crate) fn anonymous_csrf_ok(key: &[u8], headers: &HeaderMap, sent: &str) -> bool {
    cookie(headers, LOGIN_CSRF_COOKIE)
        .is_some_and(|c| passerelle_auth::signed_by(key, &c) && same_secret(&c, sent))
}

/// The live session of a request (one waiting for its second factor
/// included: callers look at `pending`).
pub(crate) async fn current(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<passerelle_store::Session> {
    let store = state.accounts.as_ref()?;
    let token = cookie(headers, SESSION_COOKIE)?;
    store
        .live_session(&token_hash(&token), unix_now(), state.signin.idle_secs)
        .await
        .ok()
        .flatten()
}

/// Where an account that needs a second factor, and has not passed one,
/// may still go: the enrolment, signing out, the style sheet.
fn enrolment_path(path: &str) -> bool {
    path.ends_with(crate::shared::signin::ENROLMENT)
        || path == "/deconnexion"
        || path.starts_with("/static/")
        || path.starts_with("/.well-known/")
}

/// An administrator without a second factor does nothing else: a page is
/// answered by the enrolment, anything else is refused.
fn enrolment_first(method: &axum::http::Method) -> Response {
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        let mut res =
            axum::response::Redirect::to(crate::shared::signin::ENROLMENT).into_response();
        *res.status_mut() = axum::http::StatusCode::SEE_OTHER;
        res
    } else {
        AppError::Forbidden(
            "Votre rôle demande une double authentification : activez-la d'abord (page « Double authentification »)."
                .into(),
        )
        .into_response()
    }
}

/// The snapshot as this request's viewer may see it: everything for
/// professionals, the public view (without the contact details kept for
/// professionals) for everyone else. Reading handlers start from it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    snapshot: Arc<Snapshot>,
    viewer: Viewer,
    /// The cité this is, and where its links start.
    pub(crate) here: Here,
}

impl Seen {
    /// Whether the viewer sees what is kept for professionals.
    pub(crate) fn is_professional(&self) -> bool {
        self.viewer.is_professional(self.here.slug())
    }

    /// The session's CSRF token when the viewer administers this cité (for
    /// the forms a public page offers its coordination).
    pub(crate) fn administrator_csrf(&self) -> Option<String> {
        self.viewer
            .account
            .as_ref()
            .filter(|a| a.is_administrator(self.here.slug()))
            .and(self.viewer.csrf.clone())
    }

    /// Whether the viewer sends referrals (*orientations*) in this cité: a
    /// member other than a contributor.
    pub(crate) fn may_refer(&self) -> bool {
        self.viewer.account.as_ref().is_some_and(|a| {
            a.role_in(self.here.slug())
                .is_some_and(|r| r != passerelle_domain::Role::Contributeur)
        })
    }

    /// The whole snapshot, whoever views it: for work done off the request
    /// (typesetting), which must apply the viewer's view itself.
    pub(crate) fn whole(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot)
    }
}

impl Deref for Seen {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        self.snapshot.view(&self.viewer)
    }
}

impl FromRequestParts<AppState> for Seen {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let here = Here::from_request_parts(parts, state).await?;
        let Ok(viewer) = Viewer::from_request_parts(parts, state).await;
        Ok(Seen {
            snapshot: here.snapshot(),
            viewer,
            here,
        })
    }
}

/// Editing is open on this server (404 otherwise): the store written to,
/// the mailer, and the cité the request is for.
#[derive(Debug, Clone)]
pub(crate) struct Editor {
    editing: Arc<Editing>,
    pub(crate) here: Here,
    /// Signs the CSRF tokens of the forms anyone may send.
    pub(crate) form_key: Arc<[u8]>,
    /// Cookies are marked `Secure`.
    pub(crate) secure_cookies: bool,
}

impl Editor {
    /// The cité edited (its slug, as the store keys it).
    pub(crate) fn cite(&self) -> &str {
        self.here.slug()
    }

    /// Reads this cité back from the store after a write.
    pub(crate) async fn rebuild(&self, state: &AppState) -> Result<(), AppError> {
        state.rebuild(&self.here.tenant).await
    }

    /// A link of this cité as mail carries it: `https://…/roubaix/actions/5`.
    pub(crate) fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.editing.base_url, self.here.url(path))
    }
}

impl Deref for Editor {
    type Target = Editing;

    fn deref(&self) -> &Editing {
        &self.editing
    }
}

impl FromRequestParts<AppState> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let editing = Arc::clone(state.editing_open()?);
        let here = Here::from_request_parts(parts, state).await?;
        Ok(Editor {
            editing,
            here,
            form_key: Arc::clone(&state.form_key),
            secure_cookies: state.secure_cookies,
        })
    }
}

/// Someone is signed in (401 otherwise), by session or API token.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub(crate) account: Account,
    pub(crate) viewer: Viewer,
    /// The cité the request is for; none on the instance's own pages.
    pub(crate) here: Option<Here>,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Ok(viewer) = Viewer::from_request_parts(parts, state).await;
        match viewer.account.clone() {
            Some(account) => Ok(SignedIn {
                account,
                viewer,
                here: parts.extensions.get::<Here>().cloned(),
            }),
            None => Err(AppError::Unauthorized(
                "Connectez-vous pour accéder à cet espace.".into(),
            )),
        }
    }
}

impl SignedIn {
    /// The slug of the request's cité; none on the instance's own pages,
    /// where no cité role applies.
    pub(crate) fn cite(&self) -> Option<&str> {
        self.here.as_ref().map(Here::slug)
    }

    /// Whether this account may do this to an entity of this kind in the
    /// request's cité (a referent: to the actions their organisation
    /// operates, read from the stored `body`). The one place is `Account::may`.
    pub(crate) fn may(
        &self,
        permission: Permission,
        kind: EntityKind,
        body: Option<&Value>,
    ) -> Result<(), AppError> {
        if self.allows(permission, kind, body) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "Votre compte ne permet pas cette modification dans cette cité.".into(),
            ))
        }
    }

    /// [`SignedIn::may`] as a yes or no, for what a page offers.
    pub(crate) fn allows(
        &self,
        permission: Permission,
        kind: EntityKind,
        body: Option<&Value>,
    ) -> bool {
        let operators = body.map(operators_of).unwrap_or_default();
        let refs: Vec<&Slug> = operators.iter().collect();
        self.cite()
            .is_some_and(|cite| self.account.may(cite, permission, kind, &refs))
    }

    /// A professional of the request's cité (its administrators, troïka and
    /// referents, or a national reader): internal pages.
    pub(crate) fn professional(&self) -> Result<&Account, AppError> {
        if self.is_professional() {
            Ok(&self.account)
        } else {
            Err(AppError::Forbidden(
                "Cet espace est réservé à l'équipe de coordination, à la troïka et aux référents de la cité."
                    .into(),
            ))
        }
    }

    pub(crate) fn is_professional(&self) -> bool {
        self.cite()
            .is_some_and(|cite| self.account.is_professional(cite))
    }

    /// An administrator of the request's cité; `refusal` tells anyone else
    /// why not.
    pub(crate) fn administrator(&self, refusal: &str) -> Result<&Account, AppError> {
        if self.is_administrator() {
            Ok(&self.account)
        } else {
            Err(AppError::Forbidden(refusal.to_owned()))
        }
    }

    pub(crate) fn is_administrator(&self) -> bool {
        self.cite()
            .is_some_and(|cite| self.account.is_administrator(cite))
    }

    /// Manages the accounts of the request's cité (its administrators, and
    /// the instance's); `refusal` tells anyone else why not.
    pub(crate) fn account_manager(&self, refusal: &str) -> Result<&Account, AppError> {
        if self
            .cite()
            .is_some_and(|cite| self.account.manages_accounts(cite))
        {
            Ok(&self.account)
        } else {
            Err(AppError::Forbidden(refusal.to_owned()))
        }
    }

    /// The layout of a page for this account, in the request's cité if any.
    pub(crate) fn meta(
        &self,
        title: impl Into<String>,
        nav: crate::shared::layout::Nav,
    ) -> crate::shared::layout::Meta {
        crate::shared::layout::Meta::at(title, self.here.as_ref(), nav)
    }

    /// `303 See Other` to a path of the request's cité (or of the instance).
    pub(crate) fn see_other(&self, path: &str) -> Response {
        match &self.here {
            Some(here) => here.see_other(path),
            None => crate::shared::layout::see_other(path),
        }
    }

    /// The session's CSRF token, for the forms of the page being built.
    pub(crate) fn csrf(&self) -> String {
        self.viewer.csrf.clone().unwrap_or_default()
    }
}

/// The organisations operating an action (for a referent's permission).
pub(crate) fn operators_of(body: &Value) -> Vec<Slug> {
    body.get("operators")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("organisation").and_then(Value::as_str))
        .filter_map(|o| Slug::parse(o).ok())
        .collect()
}

/// A professional (403 otherwise): the internal pages read with `GET`.
#[derive(Debug, Clone)]
pub(crate) struct Professional(pub(crate) SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for Professional {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let who = SignedIn::from_request_parts(parts, state).await?;
        who.professional()?;
        Ok(Professional(who))
    }
}

fn csrf_refused() -> AppError {
    AppError::Forbidden(
        "Le formulaire a expiré ou ne vient pas de Passerelle : rechargez la page et recommencez."
            .into(),
    )
}

/// Checks a CSRF token sent with a request against the session's — API
/// tokens need none (browsers never send them on their own).
fn check_csrf(viewer: &Viewer, sent: &str) -> Result<(), AppError> {
    if viewer.by_token || viewer.csrf_ok(sent) {
        Ok(())
    } else {
        Err(csrf_refused())
    }
}

/// A form (`application/x-www-form-urlencoded`) sent by someone signed in
/// (401), carrying its session's token in its `csrf` field (403), read as
/// `F` (422 when it cannot be).
#[derive(Debug)]
pub(crate) struct Posted<F> {
    pub(crate) who: SignedIn,
    pub(crate) form: F,
}

impl<F: DeserializeOwned + Send, S: Send + Sync> FromRequest<S> for Posted<F> {
    type Rejection = AppError;

    async fn from_request(mut req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let who = req.extract_parts::<SignedIn>().await?;
        let raw = Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::Unprocessable("formulaire".into(), e.body_text()))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw).unwrap_or_default();
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str());
        check_csrf(&who.viewer, sent)?;
        let form = serde_urlencoded::from_bytes(&raw)
            .map_err(|e| AppError::Unprocessable("formulaire".into(), e.to_string()))?;
        Ok(Posted { who, form })
    }
}

/// A file sent with a form (`multipart/form-data`): signed in (401), the
/// session's CSRF token in the form's `csrf` field (403), then the file of
/// its `fichier` field with its name (422 when there is none).
#[derive(Debug)]
pub(crate) struct PostedFile {
    pub(crate) who: SignedIn,
    pub(crate) name: String,
    pub(crate) bytes: Bytes,
    /// The form's other fields.
    pub(crate) fields: Vec<(String, String)>,
}

impl FromRequest<AppState> for PostedFile {
    type Rejection = AppError;

    async fn from_request(
        mut req: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, AppError> {
        let who = req.extract_parts::<SignedIn>().await?;
        let bad = |e: String| AppError::Unprocessable("fichier".into(), e);
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| bad(e.body_text()))?;
        let (mut csrf, mut file, mut fields) = (String::new(), None, Vec::new());
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| bad(e.body_text()))?
        {
            match field.name() {
                Some("csrf") => csrf = field.text().await.map_err(|e| bad(e.body_text()))?,
                Some("fichier") => {
                    let name = field.file_name().unwrap_or("tableur").to_owned();
                    let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
                    file = Some((name, bytes));
                }
                Some(other) if fields.len() < 64 => {
                    let name = other.to_owned();
                    let value = field.text().await.map_err(|e| bad(e.body_text()))?;
                    fields.push((name, value));
                }
                _ => {}
            }
        }
        check_csrf(&who.viewer, &csrf)?;
        let (name, bytes) = file
            .filter(|(_, b)| !b.is_empty())
            .ok_or_else(|| bad("choisissez le fichier du tableur".into()))?;
        Ok(PostedFile {
            who,
            name,
            bytes,
            fields,
        })
    }
}

/// A write through the JSON API: signed in (401), and for a browser
/// session its CSRF token in `X-CSRF-Token` (403).
#[derive(Debug, Clone)]
pub(crate) struct ApiWriter(pub(crate) SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for ApiWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let who = SignedIn::from_request_parts(parts, state)
            .await
            .map_err(AppError::api)?;
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        check_csrf(&who.viewer, sent).map_err(AppError::api)?;
        Ok(ApiWriter(who))
    }
}

/// Any extractor of this module, refusing in the API's JSON shape.
#[derive(Debug, Clone)]
pub(crate) struct Api<T>(pub(crate) T);

impl<S: Send + Sync, T: FromRequestParts<S, Rejection = AppError>> FromRequestParts<S> for Api<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        T::from_request_parts(parts, state)
            .await
            .map(Api)
            .map_err(AppError::api)
    }
}

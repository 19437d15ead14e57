//! Signing in and out: the sign-in form (protected by a double-submit CSRF
//! cookie), password checks throttled per account and per address, session
//! cookies (`HttpOnly`, `SameSite=Lax`, `Secure` over HTTPS), and the session
//! of a request.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use passerelle_auth::{new_token, same_secret, token_hash, verify_password};
use passerelle_domain::Account;
use serde::Deserialize;

use crate::error::AppError;
use crate::pages::{Meta, Nav};
use crate::state::AppState;

pub(crate) const SESSION_COOKIE: &str = "passerelle_session";
const LOGIN_CSRF_COOKIE: &str = "passerelle_csrf";
/// How long a session lasts.
const SESSION_SECONDS: i64 = 12 * 3600;
/// Failed attempts allowed per account, and per address, in a window.
const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
const MAX_FAILURES_PER_ADDRESS: u32 = 20;
const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The client's address when the server knows it (not in in-process tests).
pub(crate) struct Peer(pub(crate) Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Counts failed sign-ins by key (`email:…`, `ip:…`) over a sliding window.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    pub(crate) fn blocked(&self, key: &str, max: u32) -> bool {
        let Ok(map) = self.failures.lock() else {
            return true;
        };
        map.get(key)
            .is_some_and(|(n, since)| *n >= max && since.elapsed() < WINDOW)
    }

    pub(crate) fn fail(&self, key: String) {
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

    fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

fn unix_now() -> i64 {
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
}

impl Viewer {
    pub(crate) fn is_professional(&self) -> bool {
        self.account.as_ref().is_some_and(Account::is_professional)
    }

    /// Whether a form's CSRF token is this session's.
    pub(crate) fn csrf_ok(&self, sent: &str) -> bool {
        self.csrf
            .as_deref()
            .is_some_and(|own| same_secret(own, sent))
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
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
    if let Some(store) = state.accounts.as_ref() {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if let Some(token) = bearer {
            match store.api_token(&token_hash(token)).await {
                Ok(Some(account)) => {
                    viewer = Viewer {
                        account: Some(account),
                        csrf: None,
                        by_token: true,
                    }
                }
                Ok(None) => {
                    return crate::error::AppError::Unauthorized(
                        "jeton d'API inconnu ou révoqué".into(),
                    )
                    .api()
                    .into_response();
                }
                Err(e) => {
                    return AppError::Internal(format!("api token: {e}")).into_response();
                }
            }
        } else if let Some((account, csrf)) = current(&state, req.headers()).await {
            viewer = Viewer {
                account: Some(account),
                csrf: Some(csrf),
                by_token: false,
            };
        }
    }
    req.extensions_mut().insert(viewer);
    next.run(req).await
}

/// The CSRF token of a form anyone may send (sign-in, registration): the
/// one in the browser's cookie if it has one, a new one otherwise. The form
/// carries it too, and [`anonymous_csrf_ok`] compares the two.
pub(crate) fn anonymous_csrf(headers: &HeaderMap) -> String {
    cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|t| {
            t.len() >= 32
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .unwrap_or_else(new_token)
}

/// The cookie holding [`anonymous_csrf`]'s token.
pub(crate) fn anonymous_csrf_cookie(token: &str, secure: bool) -> HeaderValue {
    set_cookie(LOGIN_CSRF_COOKIE, token, 12 * 3600, "Strict", secure)
}

/// Whether a form's token is the one in the browser's cookie.
pub(crate) fn anonymous_csrf_ok(headers: &HeaderMap, sent: &str) -> bool {
    cookie(headers, LOGIN_CSRF_COOKIE).is_some_and(|c| !c.is_empty() && same_secret(&c, sent))
}

/// The signed-in account of a request, with its session's CSRF token.
pub(crate) async fn current(state: &AppState, headers: &HeaderMap) -> Option<(Account, String)> {
    let store = state.accounts.as_ref()?;
    let token = cookie(headers, SESSION_COOKIE)?;
    store
        .session(&token_hash(&token), unix_now())
        .await
        .ok()
        .flatten()
}

#[derive(Template)]
#[template(path = "signin.html")]
pub(crate) struct SignInPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) email: String,
    pub(crate) error: Option<String>,
    pub(crate) signed_in: Option<String>,
}

fn page(
    status: StatusCode,
    csrf: &str,
    email: &str,
    error: Option<String>,
    signed_in: Option<String>,
    secure: bool,
) -> Response {
    let page = SignInPage {
        meta: Meta::new("Se connecter", "Cité éducative", Nav::None),
        csrf: csrf.to_owned(),
        email: email.to_owned(),
        error,
        signed_in,
    };
    match page.render() {
        Ok(html) => {
            let mut res = (status, axum::response::Html(html)).into_response();
            res.headers_mut().insert(
                header::SET_COOKIE,
                set_cookie(LOGIN_CSRF_COOKIE, csrf, 3600, "Strict", secure),
            );
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// The sign-in form, or who is signed in (with a sign-out button).
pub(crate) async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if state.accounts.is_none() {
        return AppError::NotFound("La connexion n'est pas ouverte sur ce serveur.".into())
            .into_response();
    }
    match current(&state, &headers).await {
        Some((account, csrf)) => page(
            StatusCode::OK,
            &csrf,
            "",
            None,
            Some(account.name),
            state.secure_cookies,
        ),
        None => page(
            StatusCode::OK,
            &anonymous_csrf(&headers),
            "",
            None,
            None,
            state.secure_cookies,
        ),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignIn {
    email: String,
    password: String,
    csrf: String,
}

/// Checks the form's CSRF token, the throttle, then the password.
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let Some(store) = state.accounts.clone() else {
        return AppError::NotFound("La connexion n'est pas ouverte sur ce serveur.".into())
            .into_response();
    };
    let secure = state.secure_cookies;
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &form.csrf) {
        let msg = "Le formulaire a expiré : il a été rechargé, recommencez.".to_owned();
        return page(
            StatusCode::FORBIDDEN,
            &new_token(),
            &form.email,
            Some(msg),
            None,
            secure,
        );
    }
    let email = form.email.trim().to_lowercase();
    let account_key = format!("email:{email}");
    let address_key = format!(
        "ip:{}",
        peer.map_or_else(|| "inconnue".to_owned(), |ip| ip.to_string())
    );
    if state
        .throttle
        .blocked(&account_key, MAX_FAILURES_PER_ACCOUNT)
        || state
            .throttle
            .blocked(&address_key, MAX_FAILURES_PER_ADDRESS)
    {
        let msg = "Trop d'essais infructueux : réessayez dans un quart d'heure.".to_owned();
        let mut res = page(
            StatusCode::TOO_MANY_REQUESTS,
            &new_token(),
            &form.email,
            Some(msg),
            None,
            secure,
        );
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("900"));
        return res;
    }
    let found = match store.account(&email).await {
        Ok(found) => found,
        Err(e) => return AppError::Internal(format!("account lookup: {e}")).into_response(),
    };
    // Verify even for an unknown email, so that timing does not tell which exist.
    let hash = found.as_ref().map_or_else(
        || {
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aW52YWxpZGludmFsaWRpbnZhbGlkaW52YWxpZA"
                .to_owned()
        },
        |(_, h)| h.clone(),
    );
    let password = form.password;
    let valid = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let account = found.filter(|(a, _)| valid && a.active).map(|(a, _)| a);
    let Some(account) = account else {
        state.throttle.fail(account_key);
        state.throttle.fail(address_key);
        let msg = "Adresse électronique ou mot de passe incorrect.".to_owned();
        return page(
            StatusCode::UNAUTHORIZED,
            &new_token(),
            &form.email,
            Some(msg),
            None,
            secure,
        );
    };
    state.throttle.clear(&account_key);
    let token = new_token();
    if let Err(e) = store
        .create_session(
            &token_hash(&token),
            account.email.as_str(),
            &new_token(),
            unix_now() + SESSION_SECONDS,
        )
        .await
    {
        return AppError::Internal(format!("session: {e}")).into_response();
    }
    let mut res = Redirect::to("/connexion").into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &token, SESSION_SECONDS, "Lax", secure),
    );
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, "", 0, "Strict", secure),
    );
    res
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignOut {
    csrf: String,
}

/// Ends the session; the form must carry the session's CSRF token.
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignOut>,
) -> Response {
    let (Some(store), Some(token)) = (state.accounts.clone(), cookie(&headers, SESSION_COOKIE))
    else {
        return Redirect::to("/connexion").into_response();
    };
    match current(&state, &headers).await {
        Some((_, csrf)) if same_secret(&csrf, &form.csrf) => {}
        Some(_) => return (StatusCode::FORBIDDEN, "jeton de formulaire invalide").into_response(),
        None => return Redirect::to("/connexion").into_response(),
    }
    if let Err(e) = store.delete_session(&token_hash(&token)).await {
        return AppError::Internal(format!("sign out: {e}")).into_response();
    }
    let mut res = Redirect::to("/").into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, "Lax", state.secure_cookies),
    );
    res
}

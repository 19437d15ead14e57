//! Signing in and out: the sign-in form (protected by a double-submit CSRF
//! cookie) with the ProConnect button first when it is configured, password
//! checks throttled per account and per address, the session opened (its
//! cookie `HttpOnly`, `SameSite=Lax`, `Secure` over HTTPS; its device,
//! address and second factor kept with it), and signing out, through
//! ProConnect's logout when the session began there.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use passerelle_auth::{new_token, same_secret, token_hash, verify_password};

use serde::Deserialize;

use crate::shared::ctx::{
    LOGIN_CSRF_COOKIE, Peer, SESSION_COOKIE, anonymous_csrf, anonymous_csrf_ok, cookie, current,
    set_cookie, unix_now,
};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav};
use crate::shared::signin::requires_code;
use crate::shared::state::AppState;

/// Failed attempts allowed per account, and per address, in a window
/// (passwords and second-factor codes alike).
pub(crate) const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
const MAX_FAILURES_PER_ADDRESS: u32 = 20;

#[derive(Template)]
#[template(path = "accounts/signin.html")]
pub(crate) struct SignInPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) email: String,
    pub(crate) error: Option<String>,
    pub(crate) signed_in: Option<String>,
    /// The ProConnect button is shown.
    pub(crate) proconnect: bool,
}

fn page(
    status: StatusCode,
    csrf: &str,
    email: &str,
    error: Option<String>,
    signed_in: Option<String>,
    secure: bool,
    proconnect: bool,
) -> Response {
    let page = SignInPage {
        meta: Meta::instance("Se connecter", Nav::None),
        csrf: csrf.to_owned(),
        email: email.to_owned(),
        error,
        signed_in,
        proconnect,
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
    let proconnect = state.proconnect.is_some();
    match current(&state, &headers).await {
        Some(session) if session.pending => super::second_factor::to_code(),
        Some(session) => page(
            StatusCode::OK,
            &session.csrf,
            "",
            None,
            Some(session.account.name),
            state.secure_cookies,
            proconnect,
        ),
        None => page(
            StatusCode::OK,
            &anonymous_csrf(&state.form_key, &headers),
            "",
            None,
            None,
            state.secure_cookies,
            proconnect,
        ),
    }
}

/// Whether an account's failures (passwords or codes), or an address's,
/// reached their limit in the window.
pub(crate) async fn too_many_failures(
    state: &AppState,
    account_key: &str,
    address_key: &str,
) -> bool {
    state
        .throttle
        .blocked(account_key, MAX_FAILURES_PER_ACCOUNT)
        .await
        || state
            .throttle
            .blocked(address_key, MAX_FAILURES_PER_ADDRESS)
            .await
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
    peer: Peer,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let Some(store) = state.accounts.clone() else {
        return AppError::NotFound("La connexion n'est pas ouverte sur ce serveur.".into())
            .into_response();
    };
    let secure = state.secure_cookies;
    let proconnect = state.proconnect.is_some();
    if !anonymous_csrf_ok(&state.form_key, &headers, &form.csrf) {
        let msg = "Le formulaire a expiré : il a été rechargé, recommencez.".to_owned();
        return page(
            StatusCode::FORBIDDEN,
            &passerelle_auth::signed_token(&state.form_key),
            &form.email,
            Some(msg),
            None,
            secure,
            proconnect,
        );
    }
    let email = form.email.trim().to_lowercase();
    let account_key = format!("email:{email}");
    let address_key = format!("ip:{}", peer.key());
    if too_many_failures(&state, &account_key, &address_key).await {
        let msg = "Trop d'essais infructueux : réessayez dans un quart d'heure.".to_owned();
        let mut res = page(
            StatusCode::TOO_MANY_REQUESTS,
            &passerelle_auth::signed_token(&state.form_key),
            &form.email,
            Some(msg),
            None,
            secure,
            proconnect,
        );
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("900"));
        return res;
    }
    let found = match store.account(&email).await {
        Ok(found) => found,
        Err(e) => return AppError::store("account lookup", e).into_response(),
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
        state.throttle.fail(account_key).await;
        state.throttle.fail(address_key).await;
        let msg = "Adresse électronique ou mot de passe incorrect.".to_owned();
        return page(
            StatusCode::UNAUTHORIZED,
            &passerelle_auth::signed_token(&state.form_key),
            &form.email,
            Some(msg),
            None,
            secure,
            proconnect,
        );
    };
    state.throttle.clear(&account_key).await;
    let pending = match requires_code(&*store, &account).await {
        Ok(pending) => pending,
        Err(e) => return AppError::store("second factor", e).into_response(),
    };
    let opened = Opening {
        email: account.email.as_str(),
        pending,
        second_factor: false,
        id_token: None,
        method: "mot de passe",
    };
    match open_session(&state, &headers, &peer, &opened).await {
        Ok(cookie) => after_sign_in(&state, &account, &opened, cookie),
        Err(e) => e.into_response(),
    }
}

/// A session about to be opened.
pub(crate) struct Opening<'a> {
    pub(crate) email: &'a str,
    /// Waiting for a TOTP code.
    pub(crate) pending: bool,
    /// A second factor is already passed (ProConnect's `amr` says `mfa`).
    pub(crate) second_factor: bool,
    pub(crate) id_token: Option<&'a str>,
    /// For the activity log.
    pub(crate) method: &'a str,
}

/// Opens a session with its device and address; returns its cookie.
pub(crate) async fn open_session(
    state: &AppState,
    headers: &HeaderMap,
    peer: &Peer,
    opening: &Opening<'_>,
) -> Result<HeaderValue, AppError> {
    let store = super::pages::accounts(state)?;
    let token = new_token();
    let now = unix_now();
    let user_agent: String = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    let ip = peer.0.map(|ip| ip.to_string()).unwrap_or_default();
    store
        .open_session(&passerelle_store::NewSession {
            token_hash: &token_hash(&token),
            email: opening.email,
            csrf: &new_token(),
            now,
            expires_at: now + state.signin.absolute_secs,
            user_agent: &user_agent,
            ip: &ip,
            pending: opening.pending,
            second_factor: opening.second_factor,
            id_token: opening.id_token,
            method: opening.method,
        })
        .await
        .map_err(|e| AppError::store("session", e))?;
    Ok(set_cookie(
        SESSION_COOKIE,
        &token,
        state.signin.absolute_secs,
        "Lax",
        state.secure_cookies,
    ))
}

/// Where a new session goes: the TOTP code when it waits for one, the
/// enrolment when its role needs a second factor it has not, the signed-in
/// page otherwise.
pub(crate) fn after_sign_in(
    state: &AppState,
    account: &passerelle_domain::Account,
    opening: &Opening<'_>,
    cookie: HeaderValue,
) -> Response {
    let to = if opening.pending {
        super::second_factor::CODE
    } else if state.signin.requires_second_factor(account) && !opening.second_factor {
        super::ENROLMENT
    } else {
        "/connexion"
    };
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, "", 0, "Strict", state.secure_cookies),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
    let id_token = match current(&state, &headers).await {
        Some(session) if same_secret(&session.csrf, &form.csrf) => session.id_token,
        Some(_) => return (StatusCode::FORBIDDEN, "jeton de formulaire invalide").into_response(),
        None => return Redirect::to("/connexion").into_response(),
    };
    if let Err(e) = store.delete_session(&token_hash(&token)).await {
        return AppError::store("sign out", e).into_response();
    }
    // A session begun with ProConnect ends there too: otherwise the next
    // sign-in would be silent.
    let to = match id_token {
        Some(id_token) => super::proconnect::logout_url(&state, &id_token)
            .await
            .unwrap_or_else(|| "/".to_owned()),
        None => "/".to_owned(),
    };
    let mut res = Redirect::to(&to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, "Lax", state.secure_cookies),
    );
    res
}

//! Signing in and out: the sign-in form (protected by a double-submit CSRF
//! cookie), password checks throttled per account and per address, and the
//! session cookie (`HttpOnly`, `SameSite=Lax`, `Secure` over HTTPS).

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
use crate::shared::state::AppState;

/// How long a session lasts.
const SESSION_SECONDS: i64 = 12 * 3600;
/// Failed attempts allowed per account, and per address, in a window.
const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
const MAX_FAILURES_PER_ADDRESS: u32 = 20;

#[derive(Template)]
#[template(path = "accounts/signin.html")]
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
        meta: Meta::instance("Se connecter", Nav::None),
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
            &anonymous_csrf(&state.form_key, &headers),
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
    peer: Peer,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let Some(store) = state.accounts.clone() else {
        return AppError::NotFound("La connexion n'est pas ouverte sur ce serveur.".into())
            .into_response();
    };
    let secure = state.secure_cookies;
    if !anonymous_csrf_ok(&state.form_key, &headers, &form.csrf) {
        let msg = "Le formulaire a expiré : il a été rechargé, recommencez.".to_owned();
        return page(
            StatusCode::FORBIDDEN,
            &passerelle_auth::signed_token(&state.form_key),
            &form.email,
            Some(msg),
            None,
            secure,
        );
    }
    let email = form.email.trim().to_lowercase();
    let account_key = format!("email:{email}");
    let address_key = format!("ip:{}", peer.key());
    if state
        .throttle
        .blocked(&account_key, MAX_FAILURES_PER_ACCOUNT)
        .await
        || state
            .throttle
            .blocked(&address_key, MAX_FAILURES_PER_ADDRESS)
            .await
    {
        let msg = "Trop d'essais infructueux : réessayez dans un quart d'heure.".to_owned();
        let mut res = page(
            StatusCode::TOO_MANY_REQUESTS,
            &passerelle_auth::signed_token(&state.form_key),
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
        );
    };
    state.throttle.clear(&account_key).await;
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
        return AppError::store("session", e).into_response();
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
        return AppError::store("sign out", e).into_response();
    }
    let mut res = Redirect::to("/").into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, "Lax", state.secure_cookies),
    );
    res
}

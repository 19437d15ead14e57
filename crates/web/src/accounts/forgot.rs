//! A forgotten password: the form anyone may send (its own CSRF token),
//! throttled per address and per account, answered before the account is
//! looked up; the reset link mailed in the background.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passerelle_auth::{new_token, token_hash};
use passerelle_store::{LinkPurpose, OneTimeLink, StoreError};
use serde::Deserialize;

use super::pages::accounts;
use crate::shared::cites::Here;
use crate::shared::ctx::{
    Peer, anonymous_csrf, anonymous_csrf_cookie, anonymous_csrf_ok, unix_now,
};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::AppState;

/// How long a reset link stays valid.
const RESET_SECONDS: i64 = 3600;

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
pub(crate) struct ForgotPage {
    pub(crate) meta: Meta,
    /// The form's CSRF token (anyone may send it: not a session's).
    pub(crate) csrf: String,
    pub(crate) sent: bool,
    pub(crate) error: Option<String>,
}

/// The forgotten-password page with its CSRF cookie.
fn forgot_answer(
    state: &AppState,
    status: StatusCode,
    page: &ForgotPage,
) -> Result<Response, AppError> {
    let mut res = (status, render(page)?).into_response();
    res.headers_mut().append(
        axum::http::header::SET_COOKIE,
        anonymous_csrf_cookie(&page.csrf, state.secure_cookies),
    );
    Ok(no_store(res))
}

/// `GET /mot-de-passe-oublie`.
pub(crate) async fn forgot_form(
    State(state): State<AppState>,
    here: Option<Here>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    accounts(&state)?;
    let page = ForgotPage {
        meta: Meta::at("Mot de passe oublié", here.as_ref(), Nav::None),
        csrf: anonymous_csrf(&state.form_key, &headers),
        sent: false,
        error: None,
    };
    forgot_answer(&state, StatusCode::OK, &page)
}

#[derive(Debug, Deserialize)]
pub(crate) struct ForgotForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

/// Makes a reset link for the active account `email`, if there is one,
/// and mails it.
async fn mail_reset_link(
    store: &dyn passerelle_store::AccountStore,
    mailer: &crate::shared::mail::Mailer,
    base_url: &str,
    email: &str,
) -> Result<(), StoreError> {
    let Some((account, _)) = store.account(email).await? else {
        return Ok(());
    };
    if !account.active {
        return Ok(());
    }
    let token = new_token();
    let link = OneTimeLink {
        purpose: LinkPurpose::Reset,
        account: account.clone(),
        expires_at: unix_now() + RESET_SECONDS,
    };
    store
        .create_link(&token_hash(&token), &link, account.email.as_str())
        .await?;
    let mail = Mail {
        kind: MailKind::Reset,
        to: account.email.to_string(),
        subject: "Passerelle : nouveau mot de passe".into(),
        body: format!(
            "Bonjour {},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :\n{base_url}/reinitialisation/{token}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.\n",
            account.name
        ),
    };
    if let Err(e) = mailer.send(mail).await {
        tracing::error!(error = %e, "reset mail not sent");
    }
    Ok(())
}

/// `POST /mot-de-passe-oublie`: mails a reset link if the account exists;
/// the answer is the same either way, and leaves before the account is
/// looked up, so it tells nobody which exist. Throttled per address and
/// per account like signing in.
pub(crate) async fn forgot(
    State(state): State<AppState>,
    here: Option<Here>,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let store = accounts(&state)?;
    let ed = std::sync::Arc::clone(state.editing_open()?);
    if !anonymous_csrf_ok(&state.form_key, &headers, &f.csrf) {
        let page = ForgotPage {
            meta: Meta::at("Mot de passe oublié", here.as_ref(), Nav::None),
            csrf: anonymous_csrf(&state.form_key, &headers),
            sent: false,
            error: Some("Le formulaire a expiré : il a été rechargé, recommencez.".into()),
        };
        return forgot_answer(&state, StatusCode::FORBIDDEN, &page);
    }
    let address_key = format!("reset-ip:{}", peer.key());
    let email = f.email.trim().to_lowercase();
    let account_key = format!("reset:{email}");
    let mut page = ForgotPage {
        meta: Meta::at("Mot de passe oublié", here.as_ref(), Nav::None),
        csrf: f.csrf.clone(),
        sent: true,
        error: None,
    };
    if state.throttle.blocked(&address_key, 20).await
        || state.throttle.blocked(&account_key, 3).await
    {
        page.sent = false;
        page.error = Some("Trop de demandes : réessayez dans un quart d'heure.".into());
        return Ok(no_store(
            (StatusCode::TOO_MANY_REQUESTS, render(&page)?).into_response(),
        ));
    }
    state.throttle.fail(address_key).await;
    state.throttle.fail(account_key).await;
    // The answer leaves before the account is even looked up, so that its
    // time says nothing of whether the account exists.
    tokio::spawn(async move {
        if let Err(e) = mail_reset_link(&*store, &ed.mailer, &ed.base_url, &email).await {
            tracing::error!(cause = %crate::shared::error::chain("reset link", &e), "reset link not made");
        }
    });
    Ok(no_store(render(&page)?.into_response()))
}

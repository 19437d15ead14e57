//! The second factor (TOTP, RFC 6238): the code a session with a factor
//! waits for after the password (or after a ProConnect sign-in without
//! `mfa`), a recovery code in its stead, and the enrolment — a QR code drawn
//! here, the secret in text, a first code, then ten recovery codes shown
//! once. Changing a factor asks for the current one first. Codes are
//! throttled like passwords, and each works once.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passerelle_auth::totp;
use passerelle_auth::{same_secret, token_hash};
use passerelle_domain::Account;
use passerelle_store::{AccountStore, Session};
use serde::Deserialize;

use crate::shared::ctx::{Peer, SESSION_COOKIE, cookie, current, unix_now};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render, see_other};
use crate::shared::state::AppState;

/// The page asking for the code after the password.
pub(crate) const CODE: &str = "/connexion/code";

/// The way to the code page.
pub(crate) fn to_code() -> Response {
    no_store(see_other(CODE))
}

#[derive(Template)]
#[template(path = "accounts/code.html")]
pub(crate) struct CodePage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) error: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/enrol.html")]
pub(crate) struct EnrolPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    /// The QR code (SVG, drawn here).
    pub(crate) qr: String,
    /// The secret as typed into an app, grouped by four.
    pub(crate) secret_text: String,
    /// The secret, hexadecimal, sent back with the first code.
    pub(crate) secret: String,
    /// Replacing a factor: the current code is asked for.
    pub(crate) replacing: bool,
    /// The role demands it (the page says why).
    pub(crate) required: bool,
    pub(crate) error: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/recovery.html")]
pub(crate) struct RecoveryPage {
    pub(crate) meta: Meta,
    pub(crate) codes: Vec<String>,
}

/// The session of this request, whatever its state, with its token's hash.
async fn session_of(state: &AppState, headers: &HeaderMap) -> Option<(Session, String)> {
    let token = cookie(headers, SESSION_COOKIE)?;
    let session = current(state, headers).await?;
    Some((session, token_hash(&token)))
}

fn store(state: &AppState) -> Result<std::sync::Arc<dyn AccountStore>, AppError> {
    super::pages::accounts(state)
}

fn code_page(status: StatusCode, csrf: &str, error: Option<String>) -> Result<Response, AppError> {
    let page = CodePage {
        meta: Meta::instance("Double authentification", Nav::None),
        csrf: csrf.to_owned(),
        error,
    };
    Ok(no_store((status, render(&page)?).into_response()))
}

/// `GET /connexion/code`: the code, for a session waiting for one.
pub(crate) async fn code_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    match session_of(&state, &headers).await {
        Some((session, _)) if session.pending => code_page(StatusCode::OK, &session.csrf, None),
        Some(_) => Ok(see_other("/connexion")),
        None => Ok(see_other("/connexion")),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// Checks a code or a recovery code of `account` (each works once).
async fn check_code(
    store: &dyn AccountStore,
    account: &Account,
    code: &str,
) -> Result<bool, AppError> {
    let email = account.email.as_str();
    let Some(factor) = store
        .second_factor(email)
        .await
        .map_err(|e| AppError::store("second factor", e))?
        .filter(|f| f.confirmed)
    else {
        return Ok(false);
    };
    let now = unix_now();
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let Some(secret) = hex_bytes(&factor.secret) else {
            return Ok(false);
        };
        return match totp::matching_step(&secret, &digits, now) {
            Some(step) => store
                .use_totp_step(email, step)
                .await
                .map_err(|e| AppError::store("second factor", e)),
            None => Ok(false),
        };
    }
    store
        .use_recovery_code(email, &totp::recovery_hash(code), now)
        .await
        .map_err(|e| AppError::store("recovery code", e))
}

/// Throttles and checks a code; the error message when refused.
async fn throttled_check(
    state: &AppState,
    peer: &Peer,
    account: &Account,
    code: &str,
) -> Result<Option<String>, AppError> {
    let account_key = format!("code:{}", account.email.as_str().to_lowercase());
    let address_key = format!("ip:{}", peer.key());
    if super::signin::too_many_failures(state, &account_key, &address_key).await {
        return Ok(Some(
            "Trop d'essais infructueux : réessayez dans un quart d'heure.".into(),
        ));
    }
    if check_code(&*store(state)?, account, code).await? {
        state.throttle.clear(&account_key).await;
        return Ok(None);
    }
    state.throttle.fail(account_key).await;
    state.throttle.fail(address_key).await;
    Ok(Some(
        "Ce code est incorrect, expiré ou déjà utilisé : saisissez le code affiché maintenant par votre application, ou un code de secours.".into(),
    ))
}

/// `POST /connexion/code`: the session passes the second factor.
pub(crate) async fn code(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    let Some((session, hash)) = session_of(&state, &headers)
        .await
        .filter(|(s, _)| s.pending)
    else {
        return Ok(see_other("/connexion"));
    };
    if !same_secret(&session.csrf, &f.csrf) {
        return code_page(
            StatusCode::FORBIDDEN,
            &session.csrf,
            Some("Le formulaire a expiré : il a été rechargé, recommencez.".into()),
        );
    }
    if let Some(error) = throttled_check(&state, &peer, &session.account, &f.code).await? {
        return code_page(StatusCode::UNPROCESSABLE_ENTITY, &session.csrf, Some(error));
    }
    store(&state)?
        .pass_second_factor(&hash)
        .await
        .map_err(|e| AppError::store("second factor", e))?;
    Ok(no_store(see_other("/connexion")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

async fn enrol_page(
    state: &AppState,
    session: &Session,
    secret: Vec<u8>,
    error: Option<String>,
) -> Result<EnrolPage, AppError> {
    let replacing = store(state)?
        .second_factor(session.account.email.as_str())
        .await
        .map_err(|e| AppError::store("second factor", e))?
        .is_some_and(|f| f.confirmed);
    let uri = totp::otpauth_uri("Passerelle", session.account.email.as_str(), &secret);
    let qr = totp::qr_svg(&uri)
        .map(|svg| {
            // Inline: without the XML prolog, labelled for screen readers.
            let svg = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]).to_owned();
            svg.replacen(
                "<svg ",
                "<svg role=\"img\" aria-label=\"QR code à scanner avec votre application d'authentification\" ",
                1,
            )
        })
        .ok_or_else(|| AppError::Internal("QR code".into()))?;
    Ok(EnrolPage {
        meta: Meta::instance("Double authentification", Nav::None),
        csrf: session.csrf.clone(),
        qr,
        secret_text: totp::grouped(&secret),
        secret: hex(&secret),
        replacing,
        required: state.signin.requires_second_factor(&session.account) && !session.second_factor,
        error,
    })
}

/// `GET /connexion/second-facteur`: a new secret to enrol.
pub(crate) async fn enrol_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some((session, _)) = session_of(&state, &headers)
        .await
        .filter(|(s, _)| !s.pending)
    else {
        return Ok(see_other("/connexion"));
    };
    let page = enrol_page(&state, &session, totp::new_secret(), None).await?;
    Ok(no_store(render(&page)?.into_response()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct EnrolForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
    /// The current factor's code, when replacing it.
    #[serde(default)]
    current: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /connexion/second-facteur`: the first code confirms the new
/// secret; the recovery codes are shown once; the other sessions end.
pub(crate) async fn enrol(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<EnrolForm>,
) -> Result<Response, AppError> {
    let Some((session, hash)) = session_of(&state, &headers)
        .await
        .filter(|(s, _)| !s.pending)
    else {
        return Ok(see_other("/connexion"));
    };
    let secret = hex_bytes(&f.secret)
        .filter(|s| s.len() == 20)
        .ok_or_else(|| AppError::BadRequest("secret".into(), "secret illisible".into()))?;
    let again = |error: String, secret: Vec<u8>| {
        let state = state.clone();
        let session = session.clone();
        async move {
            let page = enrol_page(&state, &session, secret, Some(error)).await?;
            Ok::<_, AppError>(no_store(
                (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            ))
        }
    };
    if !same_secret(&session.csrf, &f.csrf) {
        return Err(AppError::Forbidden(
            "Le formulaire a expiré : rechargez la page.".into(),
        ));
    }
    let replacing = store(&state)?
        .second_factor(session.account.email.as_str())
        .await
        .map_err(|e| AppError::store("second factor", e))?
        .is_some_and(|f| f.confirmed);
    if replacing
        && let Some(error) = throttled_check(&state, &peer, &session.account, &f.current).await?
    {
        return again(format!("Code actuel : {error}"), secret).await;
    }
    let now = unix_now();
    let Some(step) = totp::matching_step(&secret, &f.code, now) else {
        return again(
            "Le code ne correspond pas : vérifiez que l'application affiche « Passerelle » et que l'heure du téléphone est juste, puis saisissez le code affiché maintenant.".into(),
            secret,
        )
        .await;
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    store(&state)?
        .confirm_enrolment(
            session.account.email.as_str(),
            &hex(&secret),
            step,
            &hashes,
            &hash,
            now,
        )
        .await
        .map_err(|e| AppError::store("second factor", e))?;
    let page = RecoveryPage {
        meta: Meta::instance("Vos codes de secours", Nav::None),
        codes,
    };
    Ok(no_store(render(&page)?.into_response()))
}

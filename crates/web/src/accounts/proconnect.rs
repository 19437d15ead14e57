//! Signing in with ProConnect (OpenID Connect, authorisation code flow with
//! PKCE). The sign-in under way (`state`, nonce, PKCE verifier) is kept in
//! the database, so that any server may receive the browser back, and
//! `state` is also bound to the browser by a cookie. Identities, not
//! emails, are the key: an (issuer, subject) signs in to the account it was
//! attached to; the first sign-in attaches it by the provider's verified
//! email to an account that exists (or a pending invitation), or to a new
//! account without a role when a cité's allow-list admits the email's
//! domain or the SIRET; anyone else is refused with a page saying whom to
//! ask. A known subject with a new email moves the account to it (and
//! tells both addresses), unless another account holds that email: then an
//! administrator decides (`/instance`). Logout goes through the provider's
//! `end_session_endpoint`, or the next sign-in would be silent.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use passerelle_auth::{new_token, same_secret, token_hash};
use passerelle_domain::{Account, Email};
use passerelle_oidc::{IdClaims, UserInfo};
use passerelle_store::{AccountStore, Identity};
use serde::Deserialize;

use super::signin::{Opening, after_sign_in, open_session};
use crate::shared::ctx::{Peer, cookie, set_cookie, unix_now};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::mail::{Mail, MailKind};
use crate::shared::signin::requires_code;
use crate::shared::state::AppState;

/// The cookie binding a sign-in under way to this browser.
const STATE_COOKIE: &str = "passerelle_oidc";

#[derive(Template)]
#[template(path = "accounts/refused.html")]
pub(crate) struct RefusedPage {
    pub(crate) meta: Meta,
    pub(crate) reason: String,
    /// Whom to ask: each cité's name and its coordination's addresses.
    pub(crate) contacts: Vec<(String, Vec<String>)>,
    /// The refusal is about who may enter, not a failure of the exchange.
    pub(crate) about_access: bool,
}

#[derive(Template)]
#[template(path = "accounts/logged_out.html")]
pub(crate) struct LoggedOutPage {
    pub(crate) meta: Meta,
}

fn refused(state: &AppState, status: StatusCode, reason: &str, about_access: bool) -> Response {
    let contacts = state
        .cites
        .all()
        .iter()
        .map(|t| {
            let cite = &t.snapshot().catalogue.cite;
            (
                cite.name.clone(),
                cite.contact_emails
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            )
        })
        .collect();
    let page = RefusedPage {
        meta: Meta::instance("Connexion refusée", Nav::None),
        reason: reason.to_owned(),
        contacts,
        about_access,
    };
    let mut res = match render(&page) {
        Ok(html) => (status, html).into_response(),
        Err(e) => return e.into_response(),
    };
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(STATE_COOKIE, "", 0, "Lax", state.secure_cookies),
    );
    no_store(res)
}

fn store(state: &AppState) -> Result<std::sync::Arc<dyn AccountStore>, AppError> {
    super::pages::accounts(state)
}

/// `GET /connexion/proconnect`: off to ProConnect.
pub(crate) async fn start(State(state): State<AppState>) -> Result<Response, AppError> {
    let pc = state
        .proconnect
        .as_ref()
        .ok_or_else(|| AppError::NotFound("ProConnect n'est pas configuré ici.".into()))?;
    let provider = match pc.provider().await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "ProConnect discovery failed");
            return Ok(refused(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                "ProConnect ne répond pas pour l'instant : réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe Passerelle si vous en avez un.",
                false,
            ));
        }
    };
    let (oidc_state, nonce, verifier) = (new_token(), new_token(), new_token());
    store(&state)?
        .save_oidc_request(&token_hash(&oidc_state), &nonce, &verifier, unix_now())
        .await
        .map_err(|e| AppError::store("oidc request", e))?;
    let mut res =
        Redirect::to(&provider.authorize_url(&oidc_state, &nonce, &verifier)).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            STATE_COOKIE,
            &oidc_state,
            passerelle_store::signin::OIDC_REQUEST_SECONDS,
            "Lax",
            state.secure_cookies,
        ),
    );
    Ok(no_store(res))
}

#[derive(Debug, Deserialize)]
pub(crate) struct Callback {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// What the provider said of the person, once verified.
struct Verified {
    id_token: String,
    claims: IdClaims,
    info: UserInfo,
}

/// `GET /connexion/proconnect/retour`: the browser is back with a code.
pub(crate) async fn callback(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Result<Response, AppError> {
    let pc = state
        .proconnect
        .clone()
        .ok_or_else(|| AppError::NotFound("ProConnect n'est pas configuré ici.".into()))?;
    let accounts = store(&state)?;
    let sent = q.state.unwrap_or_default();
    let bound = cookie(&headers, STATE_COOKIE).is_some_and(|c| same_secret(&c, &sent));
    // Taken whatever happens next: a `state` serves once.
    let request = accounts
        .take_oidc_request(&token_hash(&sent), unix_now())
        .await
        .map_err(|e| AppError::store("oidc request", e))?;
    let Some((nonce, verifier)) = request.filter(|_| bound && !sent.is_empty()) else {
        note(&*accounts, "expired-or-replayed-state").await;
        return Ok(refused(
            &state,
            StatusCode::BAD_REQUEST,
            "Cette connexion a expiré, a déjà servi ou n'a pas été commencée dans ce navigateur : recommencez depuis la page de connexion.",
            false,
        ));
    };
    if let Some(error) = q.error {
        note(&*accounts, &format!("provider error {error}")).await;
        return Ok(refused(
            &state,
            StatusCode::BAD_REQUEST,
            &format!(
                "ProConnect a interrompu la connexion ({error}). Recommencez depuis la page de connexion."
            ),
            false,
        ));
    }
    let code = q.code.unwrap_or_default();
    let verified = match pc.provider().await {
        Ok(provider) => tokio::task::spawn_blocking(move || {
            let tokens = provider.exchange(&code, &verifier)?;
            let claims = provider.verify_id_token(&tokens.id_token, &nonce)?;
            let info = provider.userinfo(&tokens.access_token, &claims.sub)?;
            Ok::<_, passerelle_oidc::OidcError>(Verified {
                id_token: tokens.id_token,
                claims,
                info,
            })
        })
        .await
        .map_err(|e| AppError::Internal(format!("proconnect: {e}")))?,
        Err(e) => Err(e),
    };
    let verified = match verified {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "ProConnect sign-in refused");
            note(&*accounts, &e.to_string()).await;
            return Ok(refused(
                &state,
                StatusCode::BAD_REQUEST,
                &format!("La connexion avec ProConnect a échoué : {e}. Personne n'a été connecté."),
                false,
            ));
        }
    };
    let account = match resolve_account(&state, &pc, &*accounts, &verified).await? {
        Ok(account) => account,
        Err((status, reason)) => return Ok(refused(&state, status, &reason, true)),
    };
    let second_factor = verified.claims.multi_factor();
    let pending = !second_factor
        && requires_code(&*accounts, &account)
            .await
            .map_err(|e| AppError::store("second factor", e))?;
    let opening = Opening {
        email: account.email.as_str(),
        pending,
        second_factor,
        id_token: Some(&verified.id_token),
        method: if second_factor {
            "ProConnect (double authentification)"
        } else {
            "ProConnect"
        },
    };
    let session = open_session(&state, &headers, &peer, &opening).await?;
    let mut res = after_sign_in(&state, &account, &opening, session);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(STATE_COOKIE, "", 0, "Lax", state.secure_cookies),
    );
    Ok(res)
}

/// A refused or failed sign-in, in the activity log (nothing personal:
/// the reason only).
async fn note(accounts: &dyn AccountStore, reason: &str) {
    if let Err(e) = accounts
        .note_activity("proconnect", "proconnect-refused", "", reason)
        .await
    {
        tracing::error!(cause = %crate::shared::error::chain("activity", &e), "refusal not logged");
    }
}

type Refusal = (StatusCode, String);

/// The account this identity signs in to: attached before, or attached
/// now (an account of that email, a pending invitation, or a cité's
/// allow-list), or a refusal.
async fn resolve_account(
    state: &AppState,
    pc: &crate::shared::signin::ProConnect,
    accounts: &dyn AccountStore,
    v: &Verified,
) -> Result<Result<Account, Refusal>, AppError> {
    let db = |e| AppError::store("proconnect account", e);
    let email = v
        .info
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .and_then(|e| Email::parse(&e).ok());
    let Some(email) = email.filter(|_| v.info.email_verified != Some(false)) else {
        note(accounts, "no verified email").await;
        return Ok(Err((
            StatusCode::FORBIDDEN,
            "ProConnect n'a pas transmis d'adresse électronique vérifiée : Passerelle ne peut pas savoir qui vous êtes.".into(),
        )));
    };
    let identity = Identity {
        issuer: &v.claims.iss,
        subject: &v.claims.sub,
        idp_id: v
            .claims
            .idp_id
            .as_deref()
            .or(v.info.idp_id.as_deref())
            .unwrap_or(""),
        siret: v.info.siret.as_deref().unwrap_or(""),
    };
    let now = unix_now();
    let known = accounts
        .identity_account(identity.issuer, identity.subject)
        .await
        .map_err(db)?;
    match known {
        Some(known) if !known.eq_ignore_ascii_case(email.as_str()) => {
            if accounts
                .account(email.as_str())
                .await
                .map_err(db)?
                .is_some()
            {
                accounts
                    .record_identity_conflict(&identity, &known, email.as_str(), now)
                    .await
                    .map_err(db)?;
                return Ok(Err((
                    StatusCode::CONFLICT,
                    "Votre adresse électronique a changé chez ProConnect, et un autre compte Passerelle utilise déjà la nouvelle. Un administrateur de Passerelle doit décider lequel garder : il en a été informé. Vous pourrez vous connecter ensuite.".into(),
                )));
            }
            accounts
                .change_email(&known, email.as_str(), "proconnect")
                .await
                .map_err(db)?;
            tell_email_changed(state, &known, email.as_str()).await;
        }
        Some(_) => {}
        None => {
            let exists = accounts
                .account(email.as_str())
                .await
                .map_err(db)?
                .is_some();
            if !exists
                && accounts
                    .accept_invitation_of(email.as_str(), now)
                    .await
                    .map_err(db)?
                    .is_none()
            {
                let Some(cite) = pc.admitting_cite(email.as_str(), identity_siret(&identity))
                else {
                    note(accounts, "not invited nor allow-listed").await;
                    return Ok(Err((
                        StatusCode::FORBIDDEN,
                        "Votre identité ProConnect est bien reconnue, mais aucun compte Passerelle ne vous attend : ni invitation à votre adresse, ni accès ouvert aux adresses de votre organisation.".into(),
                    )));
                };
                let name = match v.info.display_name() {
                    n if n.is_empty() => email.as_str().split('@').next().unwrap_or("").to_owned(),
                    n => n,
                };
                let account = Account {
                    email: email.clone(),
                    name,
                    active: true,
                    instance_role: None,
                    memberships: Vec::new(),
                };
                accounts
                    .provision_account(&account, cite, "proconnect")
                    .await
                    .map_err(db)?;
            }
        }
    }
    accounts
        .attach_identity(&identity, email.as_str(), now)
        .await
        .map_err(db)?;
    match accounts.account(email.as_str()).await.map_err(db)? {
        Some((account, _)) if account.active => Ok(Ok(account)),
        _ => Ok(Err((
            StatusCode::FORBIDDEN,
            "Votre compte Passerelle est désactivé.".into(),
        ))),
    }
}

fn identity_siret<'a>(identity: &Identity<'a>) -> Option<&'a str> {
    Some(identity.siret).filter(|s| !s.is_empty())
}

/// Tells both addresses that the account moved (the old one in case it
/// was not its owner's doing).
async fn tell_email_changed(state: &AppState, old: &str, new: &str) {
    let Some(ed) = state.editing.as_ref() else {
        return;
    };
    for to in [old, new] {
        let mail = Mail {
            kind: MailKind::Role,
            to: to.to_owned(),
            subject: "Passerelle : votre adresse a changé".into(),
            body: format!(
                "Bonjour,\n\nVotre compte Passerelle utilise désormais l'adresse {new} au lieu de {old} : c'est la nouvelle adresse que ProConnect a transmise lors de votre dernière connexion.\n\nSi vous n'êtes pas à l'origine de ce changement, répondez à ce message pour le signaler.\n\n{}/compte\n",
                ed.base_url
            ),
        };
        if let Err(e) = ed.mailer.send(mail).await {
            tracing::error!(error = %e, "email change notice not sent");
        }
    }
}

/// Where a session begun with ProConnect goes to end there too.
pub(crate) async fn logout_url(state: &AppState, id_token: &str) -> Option<String> {
    let provider = state.proconnect.as_ref()?.provider().await.ok()?;
    provider.logout_url(id_token, &new_token())
}

/// `GET /deconnexion/proconnect`: back from ProConnect's logout.
pub(crate) async fn logged_out() -> Result<Response, AppError> {
    let page = LoggedOutPage {
        meta: Meta::instance("Vous êtes déconnecté(e)", Nav::None),
    };
    let mut res = render(&page)?.into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

//! An operator's account, to apply: the form anyone may send (its own
//! CSRF token), throttled per address and per email, answered the same
//! whether the address has an account or not, before anything is looked
//! up; the link (7 days, once) that proves the address creates the
//! account, with no role — applying needs none.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passerelle_auth::{new_token, token_hash};
use passerelle_domain::{Account, Email};
use passerelle_store::{LinkPurpose, OneTimeLink, StoreError};
use serde::Deserialize;

use crate::shared::cites::Here;
use crate::shared::ctx::{
    Peer, anonymous_csrf, anonymous_csrf_cookie, anonymous_csrf_ok, unix_now,
};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::{AppState, INVITATION_SECONDS};

#[derive(Template)]
#[template(path = "calls/signup.html")]
pub(crate) struct SignupPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) sent: bool,
    pub(crate) error: Option<String>,
    pub(crate) name: String,
    pub(crate) email: String,
}

fn answer(state: &AppState, status: StatusCode, page: &SignupPage) -> Result<Response, AppError> {
    let mut res = (status, render(page)?).into_response();
    res.headers_mut().append(
        axum::http::header::SET_COOKIE,
        anonymous_csrf_cookie(&page.csrf, state.secure_cookies),
    );
    Ok(no_store(res))
}

fn page(here: &Here, csrf: String) -> SignupPage {
    SignupPage {
        meta: Meta::new("Créer un compte de porteur de projet", here, Nav::None),
        csrf,
        sent: false,
        error: None,
        name: String::new(),
        email: String::new(),
    }
}

/// `GET /inscription`.
pub(crate) async fn form(
    State(state): State<AppState>,
    here: Here,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    state.account_store()?;
    state.editing_open()?;
    let p = page(&here, anonymous_csrf(&state.form_key, &headers));
    answer(&state, StatusCode::OK, &p)
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

/// Mails the link that creates the account, or, to an address that has
/// one already, how to sign in.
async fn mail_link(
    store: &dyn passerelle_store::AccountStore,
    mailer: &crate::shared::mail::Mailer,
    base_url: &str,
    calls_url: &str,
    account: Account,
) -> Result<(), StoreError> {
    let mail = if store.account(account.email.as_str()).await?.is_some() {
        Mail {
            kind: MailKind::Application,
            to: account.email.to_string(),
            subject: "Passerelle : vous avez déjà un compte".into(),
            body: format!(
                "Bonjour,\n\nQuelqu'un (sans doute vous) a demandé à créer un compte Passerelle avec cette adresse, qui en a déjà un. Connectez-vous avec lui pour candidater :\n{base_url}/connexion\n\nMot de passe oublié ? {base_url}/mot-de-passe-oublie\n\nLes appels à projets : {calls_url}\n"
            ),
        }
    } else {
        let token = new_token();
        let link = OneTimeLink {
            purpose: LinkPurpose::Invitation,
            account: account.clone(),
            expires_at: unix_now() + INVITATION_SECONDS,
        };
        store
            .create_link(&token_hash(&token), &link, account.email.as_str())
            .await?;
        Mail {
            kind: MailKind::Invitation,
            to: account.email.to_string(),
            subject: "Passerelle : confirmez votre adresse".into(),
            body: format!(
                "Bonjour {},\n\nPour créer votre compte de porteur de projet et choisir votre mot de passe, ouvrez ce lien (valable 7 jours, une seule fois) :\n{base_url}/invitation/{token}\n\nEnsuite, connectez-vous et ouvrez l'appel auquel vous voulez candidater :\n{calls_url}\n\nSi vous n'avez rien demandé, ignorez ce message : aucun compte ne sera créé.\n",
                account.name
            ),
        }
    };
    if let Err(e) = mailer.send(mail).await {
        tracing::error!(error = %e, "sign-up mail not sent");
    }
    Ok(())
}

/// `POST /inscription`: the same answer whatever the address, sent
/// before it is looked up.
pub(crate) async fn send(
    State(state): State<AppState>,
    here: Here,
    peer: Peer,
    headers: HeaderMap,
    Form(f): Form<SignupForm>,
) -> Result<Response, AppError> {
    let store = state.account_store()?;
    let ed = std::sync::Arc::clone(state.editing_open()?);
    let mut p = page(&here, f.csrf.clone());
    p.name = f.name.trim().to_owned();
    p.email = f.email.trim().to_owned();
    if !anonymous_csrf_ok(&state.form_key, &headers, &f.csrf) {
        p.csrf = anonymous_csrf(&state.form_key, &headers);
        p.error = Some("Le formulaire a expiré : il a été rechargé, recommencez.".into());
        return answer(&state, StatusCode::FORBIDDEN, &p);
    }
    let email = match Email::parse(&p.email.to_lowercase()) {
        Ok(e) => e,
        Err(_) => {
            p.error = Some(format!(
                "« {} » n'est pas une adresse électronique.",
                p.email
            ));
            return answer(&state, StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    if p.name.is_empty() || p.name.chars().count() > 120 {
        p.error = Some("Indiquez votre nom (120 caractères au plus).".into());
        return answer(&state, StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let address_key = format!("signup-ip:{}", peer.key());
    let email_key = format!("signup:{email}");
    if state.throttle.blocked(&address_key, 20).await || state.throttle.blocked(&email_key, 3).await
    {
        p.error = Some("Trop de demandes : réessayez dans un quart d'heure.".into());
        return answer(&state, StatusCode::TOO_MANY_REQUESTS, &p);
    }
    state.throttle.fail(address_key).await;
    state.throttle.fail(email_key).await;
    let account = Account {
        email,
        name: p.name.clone(),
        active: true,
        instance_role: None,
        memberships: Vec::new(),
    };
    let base_url = ed.base_url.clone();
    let calls_url = state.absolute_link(&ed, here.slug())("/appels");
    tokio::spawn(async move {
        if let Err(e) = mail_link(&*store, &ed.mailer, &base_url, &calls_url, account).await {
            tracing::error!(cause = %crate::shared::error::chain("sign-up link", &e), "sign-up link not made");
        }
    });
    p.sent = true;
    answer(&state, StatusCode::OK, &p)
}

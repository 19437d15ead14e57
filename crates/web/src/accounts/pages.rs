//! Accounts on the web: administrators invite people by a one-time link and
//! change roles; anyone resets a forgotten password by a one-time, expiring
//! link; everyone manages their personal API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_auth::{hash_password, new_token, token_hash};
use passerelle_domain::{Account, Email, Role, Slug};
use passerelle_store::{ApiTokenInfo, LinkPurpose, OneTimeLink, StoreError};
use serde::Deserialize;

use crate::shared::cites::Here;
use crate::shared::ctx::{Editor, Peer, Posted, SignedIn, unix_now};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render, see_other, site_name};
use crate::shared::mail::Mail;
use crate::shared::state::AppState;

/// How long an invitation stays valid.
const INVITATION_SECONDS: i64 = 7 * 24 * 3600;
/// How long a reset link stays valid.
const RESET_SECONDS: i64 = 3600;

fn accounts(
    state: &AppState,
) -> Result<std::sync::Arc<dyn passerelle_store::AccountStore>, AppError> {
    state
        .accounts
        .clone()
        .ok_or_else(|| AppError::NotFound("Les comptes ne sont pas ouverts sur ce serveur.".into()))
}

/// Who may manage accounts, and what others are told.
const ACCOUNTS_REFUSAL: &str = "La gestion des comptes est réservée aux administrateurs.";

/// The account store's errors: all internal (an account that is not there
/// is looked for, and answered, by the handler).
fn store_error(e: StoreError) -> AppError {
    AppError::Internal(format!("accounts: {e}"))
}

#[derive(Debug)]
pub(crate) struct AccountRow {
    pub(crate) account: Account,
    pub(crate) organisation: String,
}

#[derive(Debug)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
}

#[derive(Template)]
#[template(path = "accounts/accounts.html")]
pub(crate) struct AccountsPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) rows: Vec<AccountRow>,
    pub(crate) roles: Vec<Choice>,
    pub(crate) organisations: Vec<Choice>,
    pub(crate) notice: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) typed: InviteForm,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct InviteForm {
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) role: String,
    #[serde(default)]
    pub(crate) organisation: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoticeQuery {
    #[serde(default)]
    fait: Option<String>,
}

async fn accounts_page(
    state: &AppState,
    who: &SignedIn,
    notice: Option<String>,
    error: Option<String>,
    typed: InviteForm,
) -> Result<AccountsPage, AppError> {
    let store = accounts(state)?;
    let here = who.here.as_ref().ok_or_else(|| {
        AppError::NotFound("Les comptes se gèrent dans l'espace d'une cité.".into())
    })?;
    let snapshot = here.snapshot();
    let cat = &snapshot.catalogue;
    let rows = store
        .accounts()
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|a| AccountRow {
            organisation: a
                .organisation
                .as_ref()
                .and_then(|o| cat.organisation(o))
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            account: a,
        })
        .collect();
    Ok(AccountsPage {
        meta: Meta::new("Comptes et invitations", here, Nav::None),
        csrf: who.csrf(),
        rows,
        roles: Role::ALL
            .iter()
            .map(|r| Choice {
                value: r.key().into(),
                label: r.label().into(),
            })
            .collect(),
        organisations: cat
            .organisations
            .iter()
            .map(|o| Choice {
                value: o.slug.to_string(),
                label: o.name.clone(),
            })
            .collect(),
        notice,
        error,
        typed,
    })
}

/// `GET /admin/comptes`.
pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    who.administrator(ACCOUNTS_REFUSAL)?;
    let notice = q.fait.map(|_| "C'est fait.".to_owned());
    let page = accounts_page(&state, &who, notice, None, InviteForm::default()).await?;
    Ok(no_store(render(&page)?.into_response()))
}

fn parse_account(f: &InviteForm) -> Result<Account, String> {
    let email = Email::parse(f.email.trim())
        .map_err(|_| "L'adresse électronique n'est pas valide.".to_owned())?;
    let role = Role::from_key(&f.role).ok_or("Choisissez un rôle.")?;
    let organisation = if f.organisation.is_empty() {
        None
    } else {
        Some(
            Slug::parse(&f.organisation)
                .map_err(|_| "Choisissez une organisation de la liste.".to_owned())?,
        )
    };
    if role == Role::Referent && organisation.is_none() {
        return Err("Un référent représente une organisation : choisissez-la.".into());
    }
    let name = passerelle_domain::text::squash_spaces(&f.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err("Indiquez le nom de la personne (200 caractères au plus).".into());
    }
    Ok(Account {
        email,
        name,
        role,
        organisation,
        active: true,
    })
}

/// `POST /admin/comptes/inviter`: records a one-time link and mails it.
pub(crate) async fn invite(
    State(state): State<AppState>,
    ed: Editor,
    Posted { who, form: f }: Posted<InviteForm>,
) -> Result<Response, AppError> {
    let admin = who.administrator(ACCOUNTS_REFUSAL)?;
    let store = accounts(&state)?;
    let account = match parse_account(&f) {
        Ok(a) => a,
        Err(e) => {
            let page = accounts_page(&state, &who, None, Some(e), f).await?;
            return Ok(no_store(
                (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            ));
        }
    };
    if store
        .account(account.email.as_str())
        .await
        .map_err(store_error)?
        .is_some()
    {
        let e = "Un compte existe déjà pour cette adresse.".to_owned();
        let page = accounts_page(&state, &who, None, Some(e), f).await?;
        return Ok(no_store(
            (StatusCode::CONFLICT, render(&page)?).into_response(),
        ));
    }
    let token = new_token();
    let link = OneTimeLink {
        purpose: LinkPurpose::Invitation,
        account: account.clone(),
        expires_at: unix_now() + INVITATION_SECONDS,
    };
    store
        .create_link(&token_hash(&token), &link, admin.email.as_str())
        .await
        .map_err(store_error)?;
    let url = format!("{}/invitation/{token}", ed.base_url);
    let mail = Mail {
        to: account.email.to_string(),
        subject: "Invitation à Passerelle".into(),
        body: format!(
            "Bonjour {},\n\n{} vous invite à rejoindre Passerelle ({}) en tant que : {}.\n\nPour choisir votre mot de passe, ouvrez ce lien (valable 7 jours, une seule fois) :\n{url}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n",
            account.name,
            admin.name,
            site_name(who.here.as_ref()),
            account.role.label()
        ),
    };
    ed.mailer
        .send(mail)
        .await
        .map_err(|e| AppError::Internal(format!("mail: {e}")))?;
    Ok(who.see_other("/admin/comptes?fait=1"))
}

#[derive(Debug, Deserialize)]
pub(crate) struct UpdateForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    active: Option<String>,
}

/// `POST /admin/comptes/modifier`: role, organisation, active.
pub(crate) async fn update(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<UpdateForm>,
) -> Result<Response, AppError> {
    let admin = who.administrator(ACCOUNTS_REFUSAL)?;
    let store = accounts(&state)?;
    let (mut account, _) = store
        .account(&f.email)
        .await
        .map_err(store_error)?
        .ok_or_else(|| AppError::NotFound("Ce compte n'existe pas.".into()))?;
    let role = Role::from_key(&f.role)
        .ok_or_else(|| AppError::Unprocessable("role".into(), "rôle inconnu".into()))?;
    let organisation = if f.organisation.is_empty() {
        None
    } else {
        Some(Slug::parse(&f.organisation).map_err(|_| {
            AppError::Unprocessable("organisation".into(), "organisation inconnue".into())
        })?)
    };
    let active = f.active.is_some();
    let demotes_last_admin = account.is_administrator()
        && (role != Role::Administrateur || !active)
        && store.count_administrators().await.map_err(store_error)? <= 1;
    if demotes_last_admin {
        return Err(AppError::Conflict(
            "C'est le dernier administrateur : nommez-en un autre d'abord.".into(),
        ));
    }
    account.role = role;
    account.organisation = organisation;
    account.active = active;
    store
        .update_account(&account, admin.email.as_str())
        .await
        .map_err(store_error)?;
    Ok(who.see_other("/admin/comptes?fait=1"))
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
pub(crate) struct PasswordPage {
    pub(crate) meta: Meta,
    pub(crate) heading: String,
    pub(crate) intro: String,
    pub(crate) action: String,
    pub(crate) ask_name: bool,
    pub(crate) name: String,
    pub(crate) error: Option<String>,
}

fn link_purpose(invitation: bool) -> LinkPurpose {
    if invitation {
        LinkPurpose::Invitation
    } else {
        LinkPurpose::Reset
    }
}

async fn link_page(
    state: &AppState,
    here: Option<&Here>,
    token: &str,
    invitation: bool,
) -> Result<PasswordPage, AppError> {
    let store = accounts(state)?;
    let link = store
        .link(&token_hash(token), link_purpose(invitation), unix_now())
        .await
        .map_err(store_error)?
        .ok_or_else(|| {
            AppError::NotFound(
                "Ce lien n'est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau."
                    .into(),
            )
        })?;
    let (heading, intro, action) = if invitation {
        (
            "Rejoindre Passerelle",
            format!(
                "Vous êtes invité(e) en tant que : {}. Choisissez votre mot de passe ({} caractères au moins) ; votre identifiant sera {}.",
                link.account.role.label(),
                passerelle_auth::MIN_PASSWORD_CHARS,
                link.account.email
            ),
            format!("/invitation/{token}"),
        )
    } else {
        (
            "Choisir un nouveau mot de passe",
            format!(
                "Pour le compte {}. {} caractères au moins.",
                link.account.email,
                passerelle_auth::MIN_PASSWORD_CHARS
            ),
            format!("/reinitialisation/{token}"),
        )
    };
    Ok(PasswordPage {
        meta: Meta::at(heading, here, Nav::None),
        heading: heading.into(),
        intro,
        action,
        ask_name: invitation,
        name: link.account.name,
        error: None,
    })
}

/// `GET /invitation/{token}` and `GET /reinitialisation/{token}`.
pub(crate) async fn invitation_form(
    State(state): State<AppState>,
    here: Option<Here>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(no_store(
        render(&link_page(&state, here.as_ref(), &token, true).await?)?.into_response(),
    ))
}

pub(crate) async fn reset_form(
    State(state): State<AppState>,
    here: Option<Here>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(no_store(
        render(&link_page(&state, here.as_ref(), &token, false).await?)?.into_response(),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

async fn use_link(
    state: AppState,
    here: Option<Here>,
    token: String,
    f: PasswordForm,
    invitation: bool,
) -> Result<Response, AppError> {
    let store = accounts(&state)?;
    // The link is the proof: no session, so no CSRF token; a forged form
    // would need the secret link itself.
    let mut page = link_page(&state, here.as_ref(), &token, invitation).await?;
    let email = store
        .link(&token_hash(&token), link_purpose(invitation), unix_now())
        .await
        .map_err(store_error)?
        .map(|l| l.account.email.to_string())
        .unwrap_or_default();
    if f.password != f.confirmation {
        page.error = Some("Les deux mots de passe diffèrent.".into());
        return Ok(no_store(
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
        ));
    }
    let hashed = {
        let password = f.password.clone();
        let email = email.clone();
        tokio::task::spawn_blocking(move || hash_password(&password, &email))
            .await
            .map_err(|e| AppError::Internal(format!("hashing: {e}")))?
    };
    let hash = match hashed {
        Ok(h) => h,
        Err(e) => {
            page.error = Some(format!("Mot de passe refusé : {e}."));
            return Ok(no_store(
                (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            ));
        }
    };
    match store
        .use_link(
            &token_hash(&token),
            link_purpose(invitation),
            unix_now(),
            &hash,
        )
        .await
    {
        Ok(_) => Ok(see_other("/connexion?bienvenue=1")),
        Err(StoreError::InvalidLink) => {
            Err(AppError::NotFound("Ce lien n'est plus valable.".into()))
        }
        Err(StoreError::DuplicateAccount(_)) => Err(AppError::Conflict(
            "Un compte existe déjà pour cette adresse : connectez-vous.".into(),
        )),
        Err(e) => Err(store_error(e)),
    }
}

/// `POST /invitation/{token}`: creates the account.
pub(crate) async fn accept_invitation(
    State(state): State<AppState>,
    here: Option<Here>,
    Path(token): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    use_link(state, here, token, f, true).await
}

/// `POST /reinitialisation/{token}`: replaces the password.
pub(crate) async fn reset(
    State(state): State<AppState>,
    here: Option<Here>,
    Path(token): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    use_link(state, here, token, f, false).await
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
pub(crate) struct ForgotPage {
    pub(crate) meta: Meta,
    pub(crate) sent: bool,
    pub(crate) error: Option<String>,
}

/// `GET /mot-de-passe-oublie`.
pub(crate) async fn forgot_form(
    State(state): State<AppState>,
    here: Option<Here>,
) -> Result<Response, AppError> {
    accounts(&state)?;
    let page = ForgotPage {
        meta: Meta::at("Mot de passe oublié", here.as_ref(), Nav::None),
        sent: false,
        error: None,
    };
    Ok(no_store(render(&page)?.into_response()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /mot-de-passe-oublie`: mails a reset link if the account exists;
/// the answer is the same either way, so it tells nobody which exist.
/// Throttled per address and per account like signing in.
pub(crate) async fn forgot(
    State(state): State<AppState>,
    here: Option<Here>,
    Peer(peer): Peer,
    Form(f): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let store = accounts(&state)?;
    let ed = state.editing_open()?;
    let address_key = format!(
        "reset-ip:{}",
        peer.map_or_else(|| "inconnue".to_owned(), |ip| ip.to_string())
    );
    let email = f.email.trim().to_lowercase();
    let account_key = format!("reset:{email}");
    let mut page = ForgotPage {
        meta: Meta::at("Mot de passe oublié", here.as_ref(), Nav::None),
        sent: true,
        error: None,
    };
    if state.throttle.blocked(&address_key, 20) || state.throttle.blocked(&account_key, 3) {
        page.sent = false;
        page.error = Some("Trop de demandes : réessayez dans un quart d'heure.".into());
        return Ok(no_store(
            (StatusCode::TOO_MANY_REQUESTS, render(&page)?).into_response(),
        ));
    }
    state.throttle.fail(address_key);
    state.throttle.fail(account_key);
    if let Some((account, _)) = store.account(&email).await.map_err(store_error)?
        && account.active
    {
        let token = new_token();
        let link = OneTimeLink {
            purpose: LinkPurpose::Reset,
            account: account.clone(),
            expires_at: unix_now() + RESET_SECONDS,
        };
        store
            .create_link(&token_hash(&token), &link, account.email.as_str())
            .await
            .map_err(store_error)?;
        let mail = Mail {
            to: account.email.to_string(),
            subject: "Passerelle : nouveau mot de passe".into(),
            body: format!(
                "Bonjour {},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :\n{}/reinitialisation/{token}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.\n",
                account.name, ed.base_url
            ),
        };
        if let Err(e) = ed.mailer.send(mail).await {
            tracing::error!(error = %e, "reset mail not sent");
        }
    }
    Ok(no_store(render(&page)?.into_response()))
}

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
pub(crate) struct TokensPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) account: Account,
    pub(crate) tokens: Vec<ApiTokenInfo>,
    /// A token just created: shown once.
    pub(crate) created: Option<String>,
    pub(crate) error: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    who: &SignedIn,
    created: Option<String>,
    error: Option<String>,
) -> Result<TokensPage, AppError> {
    let account = who.account.clone();
    let tokens = accounts(state)?
        .api_tokens(account.email.as_str())
        .await
        .map_err(store_error)?;
    Ok(TokensPage {
        meta: who.meta("Mon compte", Nav::None),
        csrf: who.csrf(),
        account,
        tokens,
        created,
        error,
    })
}

/// `GET /compte`.
pub(crate) async fn tokens(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    Ok(no_store(
        render(&tokens_page(&state, &who, None, None).await?)?.into_response(),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    label: String,
}

/// `POST /compte/jetons`: a new token, shown once.
pub(crate) async fn create_token(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<TokenForm>,
) -> Result<Response, AppError> {
    let account = &who.account;
    if who.viewer.by_token {
        return Err(AppError::Forbidden(
            "Un jeton d'API ne crée pas d'autres jetons.".into(),
        ));
    }
    let label = passerelle_domain::text::squash_spaces(&f.label);
    if label.is_empty() || label.chars().count() > 100 {
        let page = tokens_page(
            &state,
            &who,
            None,
            Some("Donnez au jeton un nom (100 caractères au plus).".into()),
        )
        .await?;
        return Ok(no_store(
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
        ));
    }
    let token = new_token();
    match accounts(&state)?
        .create_api_token(&token_hash(&token), account.email.as_str(), &label)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Database(_)) => {
            let page = tokens_page(
                &state,
                &who,
                None,
                Some("Vous avez déjà un jeton de ce nom.".into()),
            )
            .await?;
            return Ok(no_store(
                (StatusCode::CONFLICT, render(&page)?).into_response(),
            ));
        }
        Err(e) => return Err(store_error(e)),
    }
    let page = tokens_page(&state, &who, Some(token), None).await?;
    Ok(no_store(
        (StatusCode::CREATED, render(&page)?).into_response(),
    ))
}

/// `POST /compte/jetons/revoquer`.
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<TokenForm>,
) -> Result<Response, AppError> {
    let account = &who.account;
    accounts(&state)?
        .revoke_api_token(account.email.as_str(), &f.label)
        .await
        .map_err(store_error)?;
    Ok(see_other("/compte"))
}

//! Accounts on the web: administrators invite people by a one-time link and
//! change roles; anyone resets a forgotten password by a one-time, expiring
//! link; everyone manages their personal API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_auth::{hash_password, new_token, token_hash};

use passerelle_domain::{Account, Email, InstanceRole, Membership, Role, Slug};
use passerelle_store::{LinkPurpose, OneTimeLink, StoreError};
use serde::Deserialize;

use crate::shared::cites::Here;
use crate::shared::ctx::{Editor, Posted, SignedIn, unix_now};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render, see_other, site_name};
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::AppState;

use crate::shared::state::INVITATION_SECONDS;

pub(crate) fn accounts(
    state: &AppState,
) -> Result<std::sync::Arc<dyn passerelle_store::AccountStore>, AppError> {
    state.account_store()
}

/// Who may manage accounts, and what others are told.
const ACCOUNTS_REFUSAL: &str =
    "La gestion des comptes d'une cité est réservée à ses administrateurs.";

/// The account store's errors: all internal (an account that is not there
/// is looked for, and answered, by the handler).
pub(crate) fn store_error(e: StoreError) -> AppError {
    AppError::store("accounts", e)
}

/// An account as a cité's list shows it: its role in this cité only.
#[derive(Debug)]
pub(crate) struct AccountRow {
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) role: String,
    pub(crate) organisation: Option<String>,
    pub(crate) organisation_name: String,
    pub(crate) active: bool,
    /// Whether this page may deactivate the account: it holds a role in this
    /// cité only, or the one asking administers the instance.
    pub(crate) may_deactivate: bool,
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
    /// Accounts made by a ProConnect sign-in this cité's allow-list let
    /// in, waiting for a role: (email, name).
    pub(crate) awaiting: Vec<(String, String)>,
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

impl NoticeQuery {
    /// The page is shown after something was done (`?fait=1`).
    pub(crate) fn done(&self) -> bool {
        self.fait.is_some()
    }
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
    let cite = here.slug();
    let instance_admin = who.account.is(InstanceRole::Administrateur);
    let rows = store
        .accounts()
        .await
        .map_err(store_error)?
        .into_iter()
        .filter_map(|a| {
            // Inactive accounts keep their memberships: read them directly.
            let m = a.memberships.iter().find(|m| m.cite == cite)?;
            Some(AccountRow {
                email: a.email.to_string(),
                name: a.name.clone(),
                role: m.role.key().to_owned(),
                organisation: m.organisation.as_ref().map(ToString::to_string),
                organisation_name: m
                    .organisation
                    .as_ref()
                    .and_then(|o| cat.organisation(o))
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                active: a.active,
                may_deactivate: instance_admin || only_here(&a, cite),
            })
        })
        .collect();
    let awaiting = store
        .awaiting_accounts(cite)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|a| (a.email.to_string(), a.name))
        .collect();
    Ok(AccountsPage {
        awaiting,
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

/// Holds a role in this cité and nowhere else, and none on the instance.
fn only_here(account: &Account, cite: &str) -> bool {
    account.instance_role.is_none() && account.memberships.iter().all(|m| m.cite == cite)
}

/// `GET /admin/comptes`: the accounts holding a role in this cité.
pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    who.account_manager(ACCOUNTS_REFUSAL)?;
    let notice = q.done().then(|| "C'est fait.".to_owned());
    let page = accounts_page(&state, &who, notice, None, InviteForm::default()).await?;
    Ok(no_store(render(&page)?.into_response()))
}

fn parse_account(f: &InviteForm, cite: &str) -> Result<Account, String> {
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
    Ok(Account::member(
        email,
        name,
        Membership::new(cite, role, organisation),
    ))
}

/// What an invitation offers, in words: `Référent d'un opérateur (Cité
/// éducative de Roubaix)`, or an instance role.
pub(crate) fn offered(account: &Account, cite_name: &str) -> String {
    match (account.memberships.first(), account.instance_role) {
        (Some(m), _) => format!("{} ({cite_name})", m.role.label()),
        (None, Some(r)) => r.label().to_owned(),
        (None, None) => "porteur de projet (pour candidater aux appels à projets)".to_owned(),
    }
}

/// Invites someone to a role (one membership, or an instance role): an
/// account that exists gets the role at once and a mail saying so; anyone
/// else gets a one-time link to create their account. Refuses (as a
/// message) a role the account already holds.
pub(crate) async fn invite_to(
    state: &AppState,
    editing: &crate::shared::state::Editing,
    actor: &Account,
    account: Account,
    cite_name: &str,
) -> Result<Result<(), String>, AppError> {
    let store = accounts(state)?;
    let what = offered(&account, cite_name);
    let site = if account.memberships.is_empty() {
        crate::shared::layout::INSTANCE_NAME.to_owned()
    } else {
        cite_name.to_owned()
    };
    if let Some((mut existing, _)) = store
        .account(account.email.as_str())
        .await
        .map_err(store_error)?
    {
        if let Some(m) = account.memberships.first() {
            if existing.memberships.iter().any(|e| e.cite == m.cite) {
                return Ok(Err(
                    "Ce compte a déjà un rôle dans cette cité : modifiez-le dans la liste.".into(),
                ));
            }
            store
                .set_membership(
                    existing.email.as_str(),
                    &m.cite,
                    Some(m),
                    actor.email.as_str(),
                )
                .await
                .map_err(store_error)?;
        } else if let Some(r) = account.instance_role {
            if existing.instance_role == Some(r) {
                return Ok(Err("Ce compte a déjà ce rôle.".into()));
            }
            existing.instance_role = Some(r);
            store
                .update_account(&existing, actor.email.as_str())
                .await
                .map_err(store_error)?;
        }
        let mail = Mail {
            kind: MailKind::Role,
            to: existing.email.to_string(),
            subject: "Passerelle : un nouveau rôle".into(),
            body: format!(
                "Bonjour {},\n\n{} vous a donné dans Passerelle ({site}) le rôle : {what}.\n\nConnectez-vous avec votre compte habituel :\n{}/connexion\n\nSi vous n'attendiez pas ce message, répondez-y pour le signaler.\n",
                existing.name, actor.name, editing.base_url
            ),
        };
        editing
            .mailer
            .send(mail)
            .await
            .map_err(|e| AppError::Internal(format!("mail: {e}")))?;
        return Ok(Ok(()));
    }
    let token = new_token();
    let link = OneTimeLink {
        purpose: LinkPurpose::Invitation,
        account: account.clone(),
        expires_at: unix_now() + INVITATION_SECONDS,
    };
    store
        .create_link(&token_hash(&token), &link, actor.email.as_str())
        .await
        .map_err(store_error)?;
    let url = format!("{}/invitation/{token}", editing.base_url);
    let mail = Mail {
        kind: MailKind::Invitation,
        to: account.email.to_string(),
        subject: "Invitation à Passerelle".into(),
        body: format!(
            "Bonjour {},\n\n{} vous invite à rejoindre Passerelle ({site}) en tant que : {what}.\n\nPour choisir votre mot de passe, ouvrez ce lien (valable 7 jours, une seule fois) :\n{url}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n",
            account.name, actor.name,
        ),
    };
    editing
        .mailer
        .send(mail)
        .await
        .map_err(|e| AppError::Internal(format!("mail: {e}")))?;
    Ok(Ok(()))
}

/// `POST /admin/comptes/inviter`: a role in this cité, by a one-time link
/// to a new account, or at once to an account that exists.
pub(crate) async fn invite(
    State(state): State<AppState>,
    ed: Editor,
    Posted { who, form: f }: Posted<InviteForm>,
) -> Result<Response, AppError> {
    let admin = who.account_manager(ACCOUNTS_REFUSAL)?.clone();
    let refused = |e: String, status: StatusCode, f: InviteForm| {
        let state = state.clone();
        let who = who.clone();
        async move {
            let page = accounts_page(&state, &who, None, Some(e), f).await?;
            Ok::<_, AppError>(no_store((status, render(&page)?).into_response()))
        }
    };
    let account = match parse_account(&f, ed.cite()) {
        Ok(a) => a,
        Err(e) => return refused(e, StatusCode::UNPROCESSABLE_ENTITY, f).await,
    };
    let cite_name = site_name(Some(&ed.here));
    match invite_to(&state, &ed, &admin, account, &cite_name).await? {
        Ok(()) => Ok(who.see_other("/admin/comptes?fait=1")),
        Err(e) => refused(e, StatusCode::CONFLICT, f).await,
    }
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

/// `POST /admin/comptes/modifier`: an account's role in this cité (none:
/// taken away from the cité), its organisation, and whether it is active.
pub(crate) async fn update(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<UpdateForm>,
) -> Result<Response, AppError> {
    let admin = who.account_manager(ACCOUNTS_REFUSAL)?;
    let cite = who.cite().unwrap_or_default().to_owned();
    let store = accounts(&state)?;
    let not_here = || AppError::NotFound("Ce compte n'a pas de rôle dans cette cité.".into());
    let (mut account, _) = store
        .account(&f.email)
        .await
        .map_err(store_error)?
        .ok_or_else(not_here)?;
    let held = account
        .memberships
        .iter()
        .find(|m| m.cite == cite)
        .cloned()
        .ok_or_else(not_here)?;
    let role = if f.role.is_empty() {
        None
    } else {
        Some(
            Role::from_key(&f.role)
                .ok_or_else(|| AppError::Unprocessable("role".into(), "rôle inconnu".into()))?,
        )
    };
    let organisation = if f.organisation.is_empty() {
        None
    } else {
        Some(Slug::parse(&f.organisation).map_err(|_| {
            AppError::Unprocessable("organisation".into(), "organisation inconnue".into())
        })?)
    };
    if role == Some(Role::Referent) && organisation.is_none() {
        return Err(AppError::Unprocessable(
            "organisation".into(),
            "un référent représente une organisation : choisissez-la".into(),
        ));
    }
    let active = f.active.is_some();
    let deactivates = account.active && !active;
    if account.active != active
        && !(admin.is(InstanceRole::Administrateur) || only_here(&account, &cite))
    {
        return Err(AppError::Forbidden(
            "Ce compte a aussi un rôle ailleurs : retirez-le de la cité au lieu de le désactiver."
                .into(),
        ));
    }
    let demotes_last_admin = held.role == Role::Administrateur
        && account.active
        && (role != Some(Role::Administrateur) || deactivates)
        && store
            .count_administrators(&cite)
            .await
            .map_err(store_error)?
            <= 1;
    if demotes_last_admin {
        return Err(AppError::Conflict(
            "C'est le dernier administrateur de la cité : nommez-en un autre d'abord.".into(),
        ));
    }
    let membership = role.map(|role| Membership::new(cite.clone(), role, organisation));
    if membership.as_ref() != Some(&held) {
        store
            .set_membership(
                account.email.as_str(),
                &cite,
                membership.as_ref(),
                admin.email.as_str(),
            )
            .await
            .map_err(store_error)?;
    }
    if account.active != active {
        account.active = active;
        store
            .update_account(&account, admin.email.as_str())
            .await
            .map_err(store_error)?;
    }
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

/// The name of the cité an invitation is to (its slug if it is gone).
fn invited_to(state: &AppState, account: &Account) -> String {
    account
        .memberships
        .first()
        .map(|m| {
            state.cites.get(&m.cite).map_or_else(
                || m.cite.clone(),
                |t| t.snapshot().catalogue.cite.name.clone(),
            )
        })
        .unwrap_or_default()
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
    let min = password_strength(&*store, &link, invitation)
        .await?
        .min_chars();
    let (heading, intro, action) = if invitation {
        (
            "Rejoindre Passerelle",
            format!(
                "Vous êtes invité(e) en tant que : {}. Choisissez votre mot de passe ({} caractères au moins) ; votre identifiant sera {}.",
                offered(&link.account, &invited_to(state, &link.account)),
                min,
                link.account.email
            ),
            format!("/invitation/{token}"),
        )
    } else {
        // A reset also ends the account's sessions and revokes its personal
        // API tokens: someone who knew the old password may have made one.
        let tokens = store
            .api_tokens(link.account.email.as_str())
            .await
            .map_err(store_error)?;
        let revoked = match tokens.len() {
            0 => String::new(),
            n => format!(
                " {} : {}. Vous pourrez en créer de nouveaux sur la page « Mon compte ».",
                if n == 1 {
                    "Votre jeton d'API personnel sera révoqué".to_owned()
                } else {
                    format!("Vos {n} jetons d'API personnels seront révoqués")
                },
                tokens
                    .iter()
                    .map(|t| format!("« {} »", t.label))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        (
            "Choisir un nouveau mot de passe",
            format!(
                "Pour le compte {}. {} caractères au moins. Vos sessions ouvertes seront fermées.{revoked}",
                link.account.email, min
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

/// The strength the password chosen through a link needs: the invited
/// role's, or the account's own for a reset.
async fn password_strength(
    store: &dyn passerelle_store::AccountStore,
    link: &OneTimeLink,
    invitation: bool,
) -> Result<passerelle_auth::Strength, AppError> {
    if invitation {
        return Ok(crate::shared::signin::strength(&link.account));
    }
    Ok(store
        .account(link.account.email.as_str())
        .await
        .map_err(store_error)?
        .map_or(passerelle_auth::Strength::Everyone, |(a, _)| {
            crate::shared::signin::strength(&a)
        }))
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
    let link = store
        .link(&token_hash(&token), link_purpose(invitation), unix_now())
        .await
        .map_err(store_error)?;
    let email = link
        .as_ref()
        .map(|l| l.account.email.to_string())
        .unwrap_or_default();
    let strength = match &link {
        Some(link) => password_strength(&*store, link, invitation).await?,
        None => passerelle_auth::Strength::Everyone,
    };
    if f.password != f.confirmation {
        page.error = Some("Les deux mots de passe diffèrent.".into());
        return Ok(no_store(
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
        ));
    }
    let hashed = {
        let password = f.password.clone();
        let email = email.clone();
        tokio::task::spawn_blocking(move || hash_password(&password, &email, strength))
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

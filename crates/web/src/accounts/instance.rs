//! The instance's own administration (`/instance`): the cités it serves,
//! their administrators, and the instance roles (its administrators, the
//! national readers). For the instance's administrators only; a cité's
//! administrators manage their cité's accounts on `/admin/comptes`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::{Account, Email, InstanceRole, Membership, Role};
use serde::Deserialize;

use super::pages::{Choice, NoticeQuery, invite_to};
use crate::shared::ctx::{Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

const REFUSAL: &str = "Cette page est réservée aux administrateurs de l'instance.";

/// A cité as the instance's page lists it.
#[derive(Debug)]
pub(crate) struct CiteRow {
    pub(crate) slug: String,
    pub(crate) name: String,
    /// Where its accounts are managed.
    pub(crate) accounts_href: String,
    /// Its active administrators: `Name (email)`.
    pub(crate) administrators: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct InstanceRow {
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) role: String,
}

#[derive(Template)]
#[template(path = "accounts/instance.html")]
pub(crate) struct InstancePage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) cites: Vec<CiteRow>,
    pub(crate) people: Vec<InstanceRow>,
    pub(crate) roles: Vec<Choice>,
    pub(crate) notice: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) typed: InstanceForm,
    /// ProConnect identities whose new email is another account's.
    pub(crate) conflicts: Vec<ConflictRow>,
}

/// An identity two accounts claim, as `/instance` shows it.
#[derive(Debug)]
pub(crate) struct ConflictRow {
    pub(crate) id: i64,
    pub(crate) account_email: String,
    pub(crate) claimed_email: String,
    pub(crate) seen: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct InstanceForm {
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) name: String,
    /// A cité's slug (naming its administrator) or an instance role's key.
    #[serde(default)]
    pub(crate) cite: String,
    #[serde(default)]
    pub(crate) role: String,
}

fn instance_admin(who: &SignedIn) -> Result<&Account, AppError> {
    if who.account.is(InstanceRole::Administrateur) {
        Ok(&who.account)
    } else {
        Err(AppError::Forbidden(REFUSAL.into()))
    }
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    notice: Option<String>,
    error: Option<String>,
    typed: InstanceForm,
) -> Result<InstancePage, AppError> {
    let store = super::pages::accounts(state)?;
    let all = store
        .accounts()
        .await
        .map_err(|e| AppError::store("accounts", e))?;
    let tenants = state.cites.all();
    let several = tenants.len() > 1;
    let cites = tenants
        .iter()
        .map(|t| {
            let slug = t.slug().to_owned();
            let root = if several {
                format!("/{slug}")
            } else {
                String::new()
            };
            CiteRow {
                name: t.snapshot().catalogue.cite.name.clone(),
                accounts_href: format!("{root}/admin/comptes"),
                administrators: all
                    .iter()
                    .filter(|a| a.is_administrator(&slug))
                    .map(|a| format!("{} ({})", a.name, a.email))
                    .collect(),
                slug,
            }
        })
        .collect();
    let people = all
        .iter()
        .filter_map(|a| {
            Some(InstanceRow {
                role: a.instance_role?.label().to_owned(),
                email: a.email.to_string(),
                name: a.name.clone(),
            })
        })
        .collect();
    let conflicts = store
        .identity_conflicts()
        .await
        .map_err(|e| AppError::store("identity conflicts", e))?
        .into_iter()
        .map(|c| ConflictRow {
            id: c.id,
            account_email: c.account_email,
            claimed_email: c.claimed_email,
            seen: crate::shared::text::paris_moment(c.seen_at),
        })
        .collect();
    Ok(InstancePage {
        conflicts,
        meta: Meta::instance("Administration de l'instance", Nav::None),
        csrf: who.csrf(),
        cites,
        people,
        roles: InstanceRole::ALL
            .iter()
            .map(|r| Choice {
                value: r.key().into(),
                label: r.label().into(),
            })
            .collect(),
        notice,
        error,
        typed,
    })
}

/// `GET /instance`.
pub(crate) async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    instance_admin(&who)?;
    let notice = q.done().then(|| "C'est fait.".to_owned());
    let page = page(&state, &who, notice, None, InstanceForm::default()).await?;
    Ok(no_store(render(&page)?.into_response()))
}

fn person(f: &InstanceForm) -> Result<(Email, String), String> {
    let email = Email::parse(f.email.trim())
        .map_err(|_| "L'adresse électronique n'est pas valide.".to_owned())?;
    let name = passerelle_domain::text::squash_spaces(&f.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err("Indiquez le nom de la personne (200 caractères au plus).".into());
    }
    Ok((email, name))
}

/// `POST /instance/inviter`: names a cité's administrator (`cite`), or gives
/// an instance role (`role`); by invitation, or at once to an existing account.
pub(crate) async fn invite(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<InstanceForm>,
) -> Result<Response, AppError> {
    let actor = instance_admin(&who)?.clone();
    let editing = std::sync::Arc::clone(state.editing_open()?);
    let wanted = person(&f).and_then(|(email, name)| {
        if f.cite.is_empty() {
            let role = InstanceRole::from_key(&f.role).ok_or("Choisissez un rôle.")?;
            Ok((
                Account {
                    email,
                    name,
                    active: true,
                    instance_role: Some(role),
                    memberships: Vec::new(),
                },
                String::new(),
            ))
        } else {
            let tenant = state
                .cites
                .get(&f.cite)
                .ok_or("Choisissez une cité de la liste.")?;
            Ok((
                Account::member(
                    email,
                    name,
                    Membership::new(tenant.slug(), Role::Administrateur, None),
                ),
                tenant.snapshot().catalogue.cite.name.clone(),
            ))
        }
    });
    let outcome = match wanted {
        Ok((account, cite_name)) => {
            invite_to(&state, &editing, &actor, account, &cite_name).await?
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(who.see_other("/instance?fait=1")),
        Err(e) => {
            let status = if e.contains("déjà") {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = page(&state, &who, None, Some(e), f).await?;
            Ok(no_store((status, render(&page)?).into_response()))
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct WithdrawForm {
    #[serde(default)]
    email: String,
}

/// `POST /instance/retirer`: takes an account's instance role away (not the
/// last administrator's of the instance).
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<WithdrawForm>,
) -> Result<Response, AppError> {
    let actor = instance_admin(&who)?;
    let store = super::pages::accounts(&state)?;
    let internal = |e| AppError::store("accounts", e);
    let (mut account, _) = store
        .account(&f.email)
        .await
        .map_err(internal)?
        .filter(|(a, _)| a.instance_role.is_some())
        .ok_or_else(|| AppError::NotFound("Ce compte n'a pas de rôle sur l'instance.".into()))?;
    if account.instance_role == Some(InstanceRole::Administrateur) {
        let admins = store
            .accounts()
            .await
            .map_err(internal)?
            .iter()
            .filter(|a| a.is(InstanceRole::Administrateur))
            .count();
        if admins <= 1 {
            return Err(AppError::Conflict(
                "C'est le dernier administrateur de l'instance : nommez-en un autre d'abord."
                    .into(),
            ));
        }
    }
    account.instance_role = None;
    store
        .update_account(&account, actor.email.as_str())
        .await
        .map_err(internal)?;
    Ok(who.see_other("/instance?fait=1"))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ConflictForm {
    #[serde(default)]
    id: i64,
}

/// `POST /instance/identites`: an administrator settled an identity two
/// accounts claimed (after deactivating or merging one by hand).
pub(crate) async fn resolve_conflict(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<ConflictForm>,
) -> Result<Response, AppError> {
    let actor = instance_admin(&who)?;
    let done = super::pages::accounts(&state)?
        .resolve_identity_conflict(f.id, actor.email.as_str(), crate::shared::ctx::unix_now())
        .await
        .map_err(|e| AppError::store("identity conflicts", e))?;
    if !done {
        return Err(AppError::NotFound("Ce cas est déjà réglé.".into()));
    }
    Ok(who.see_other("/instance?fait=1"))
}

#[derive(Debug, Deserialize)]
pub(crate) struct FactorForm {
    #[serde(default)]
    email: String,
}

/// `POST /instance/second-facteur`: removes a person's second factor (a
/// lost phone); their sessions end, and they enrol again at their next
/// sign-in.
pub(crate) async fn remove_second_factor(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<FactorForm>,
) -> Result<Response, AppError> {
    let actor = instance_admin(&who)?;
    let removed = super::pages::accounts(&state)?
        .remove_second_factor(f.email.trim(), actor.email.as_str())
        .await
        .map_err(|e| AppError::store("second factor", e))?;
    if !removed {
        return Err(AppError::NotFound(
            "Ce compte n'a pas de double authentification.".into(),
        ));
    }
    Ok(who.see_other("/instance?fait=1"))
}

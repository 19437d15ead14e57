//! Personal API tokens, on the account's own page (`/compte`), with the
//! roles the account holds.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_auth::{new_token, token_hash};
use passerelle_domain::{Account, InstanceRole};
use passerelle_store::{ApiTokenInfo, StoreError};
use serde::Deserialize;

use super::pages::{accounts, store_error};
use crate::shared::ctx::{Posted, SignedIn, unix_now};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render, see_other};
use crate::shared::state::AppState;

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
pub(crate) struct TokensPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) account: Account,
    /// The account's roles, in words: one per cité (with its workspace), and
    /// the instance's.
    pub(crate) roles: Vec<(String, Option<String>)>,
    pub(crate) instance_admin: bool,
    pub(crate) tokens: Vec<TokenView>,
    pub(crate) validities: [(Option<u32>, &'static str); 4],
    /// A token just created: shown once.
    pub(crate) created: Option<String>,
    pub(crate) error: Option<String>,
    /// Sessions, second factor, password.
    pub(crate) security: super::security::SecurityView,
}

async fn tokens_page(
    state: &AppState,
    who: &SignedIn,
    created: Option<String>,
    error: Option<String>,
) -> Result<TokensPage, AppError> {
    let security = super::security::security_view(state, who, None, None).await?;
    let mut page = tokens_page_with(state, who, security).await?;
    page.created = created;
    page.error = error;
    Ok(page)
}

/// The page, with its security section as given.
pub(crate) async fn tokens_page_with(
    state: &AppState,
    who: &SignedIn,
    security: super::security::SecurityView,
) -> Result<TokensPage, AppError> {
    let account = who.account.clone();
    let tokens = accounts(state)?
        .api_tokens(account.email.as_str())
        .await
        .map_err(store_error)?
        .into_iter()
        .map(token_view)
        .collect();
    let several = state.cites.all().len() > 1;
    let roles = account
        .instance_role
        .map(|r| (r.label().to_owned(), None))
        .into_iter()
        .chain(account.memberships.iter().map(|m| {
            let tenant = state.cites.get(&m.cite);
            let name = tenant.map_or_else(
                || m.cite.clone(),
                |t| t.snapshot().catalogue.cite.name.clone(),
            );
            // The cité's workspace, when it is still served here.
            let workspace = tenant.map(|t| {
                if several {
                    format!("/{}/admin", t.slug())
                } else {
                    "/admin".to_owned()
                }
            });
            (format!("{name} : {}", m.role.label()), workspace)
        }))
        .collect();
    Ok(TokensPage {
        meta: who.meta("Mon compte", Nav::None),
        csrf: who.csrf(),
        roles,
        instance_admin: account.is(InstanceRole::Administrateur),
        account,
        tokens,
        validities: VALIDITIES,
        created: None,
        error: None,
        security,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    fait: Option<String>,
}

/// `GET /compte`.
pub(crate) async fn tokens(
    State(state): State<AppState>,
    who: SignedIn,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let notice = match done.fait.as_deref() {
        Some("session") => Some("La session a été fermée.".to_owned()),
        Some("sessions") => Some("Vos autres sessions ont été fermées.".to_owned()),
        Some("mot-de-passe") => {
            Some("Votre mot de passe a été changé, et vos autres sessions fermées.".to_owned())
        }
        _ => None,
    };
    let security = super::security::security_view(&state, &who, notice, None).await?;
    Ok(no_store(
        render(&tokens_page_with(&state, &who, security).await?)?.into_response(),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    label: String,
    /// How many days the new token is valid; empty: until revoked.
    #[serde(default)]
    days: String,
}

/// The validities offered for a new token, in days (`None`: until revoked).
pub(crate) const VALIDITIES: [(Option<u32>, &str); 4] = [
    (Some(30), "30 jours"),
    (Some(90), "90 jours"),
    (Some(365), "un an"),
    (None, "jusqu'à ce que je le révoque"),
];

/// A token as `/compte` lists it: its name, when it was made, until when
/// it works.
pub(crate) struct TokenView {
    pub(crate) label: String,
    pub(crate) created_at: String,
    pub(crate) validity: String,
}

fn token_view(t: ApiTokenInfo) -> TokenView {
    let validity = match t.expires_at {
        None => "valable jusqu'à sa révocation".to_owned(),
        Some(at) => match time::OffsetDateTime::from_unix_timestamp(at) {
            Ok(d) => {
                let day = crate::shared::text::paris_date(d).french();
                if at <= unix_now() {
                    format!("expiré le {day}")
                } else {
                    format!("valable jusqu'au {day}")
                }
            }
            Err(_) => "expiré".to_owned(),
        },
    };
    TokenView {
        label: t.label,
        created_at: t.created_at,
        validity,
    }
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
    let days = match f.days.trim() {
        "" => None,
        typed => match typed.parse::<u32>() {
            Ok(d) if VALIDITIES.iter().any(|(v, _)| *v == Some(d)) => Some(d),
            _ => {
                let msg = "Choisissez la durée de validité du jeton dans la liste.";
                let page = tokens_page(&state, &who, None, Some(msg.into())).await?;
                return Ok(no_store(
                    (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
                ));
            }
        },
    };
    let expires_at = days.map(|d| unix_now() + i64::from(d) * 86_400);
    let token = new_token();
    match accounts(&state)?
        .create_api_token(
            &token_hash(&token),
            account.email.as_str(),
            &label,
            expires_at,
        )
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

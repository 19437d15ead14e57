//! The account's own security, on `/compte`: its sessions (device as the
//! browser names itself, address, start, last use) with "end this session"
//! and "end all other sessions", its second factor, and changing its
//! password (the current one asked again; the other sessions end).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_auth::{hash_password, verify_password};
use serde::Deserialize;

use super::pages::{accounts, store_error};
use crate::shared::ctx::{Posted, SignedIn, unix_now};
use crate::shared::error::AppError;
use crate::shared::layout::{no_store, render, see_other};
use crate::shared::signin::strength;
use crate::shared::state::AppState;
use crate::shared::text::paris_moment;

/// A session as `/compte` lists it.
#[derive(Debug)]
pub(crate) struct SessionRow {
    pub(crate) id: String,
    pub(crate) device: String,
    pub(crate) ip: String,
    pub(crate) started: String,
    pub(crate) last_seen: String,
    pub(crate) by_proconnect: bool,
    /// The session this page is seen in.
    pub(crate) current: bool,
}

/// What `/compte` shows of the account's security.
#[derive(Debug)]
pub(crate) struct SecurityView {
    pub(crate) sessions: Vec<SessionRow>,
    /// A second factor is enrolled.
    pub(crate) second_factor: bool,
    pub(crate) recovery_left: u32,
    /// The account signs in with a password (not with ProConnect only).
    pub(crate) has_password: bool,
    pub(crate) min_password: usize,
    pub(crate) notice: Option<String>,
    pub(crate) password_error: Option<String>,
    /// How long sessions last, in words.
    pub(crate) lifetimes: String,
}

/// A browser's `User-Agent` in a few words a person recognises.
pub(crate) fn device(user_agent: &str) -> String {
    if user_agent.is_empty() {
        return "appareil inconnu".into();
    }
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map_or("navigateur", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} sur {system}"),
        None => browser.to_owned(),
    }
}

fn hours(secs: i64) -> String {
    match secs {
        s if s % 3600 == 0 && s >= 3600 => match s / 3600 {
            1 => "une heure".to_owned(),
            h => format!("{h} heures"),
        },
        s => format!("{} minutes", s / 60),
    }
}

pub(crate) async fn security_view(
    state: &AppState,
    who: &SignedIn,
    notice: Option<String>,
    password_error: Option<String>,
) -> Result<SecurityView, AppError> {
    let store = accounts(state)?;
    let email = who.account.email.as_str();
    let current = who.viewer.session.as_deref().unwrap_or("");
    let sessions = store
        .sessions_of(email, unix_now(), state.signin.idle_secs)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|s| SessionRow {
            current: current.starts_with(&s.id),
            device: device(&s.user_agent),
            ip: if s.ip.is_empty() {
                "inconnue".into()
            } else {
                s.ip
            },
            started: paris_moment(s.started_at),
            last_seen: paris_moment(s.last_seen_at),
            by_proconnect: s.by_proconnect,
            id: s.id,
        })
        .collect();
    let factor = store.second_factor(email).await.map_err(store_error)?;
    let second_factor = factor.is_some_and(|f| f.confirmed);
    let recovery_left = if second_factor {
        store
            .recovery_codes_left(email)
            .await
            .map_err(store_error)?
    } else {
        0
    };
    let has_password = store
        .account(email)
        .await
        .map_err(store_error)?
        .is_some_and(|(_, hash)| !hash.is_empty());
    Ok(SecurityView {
        sessions,
        second_factor,
        recovery_left,
        has_password,
        min_password: strength(&who.account).min_chars(),
        notice,
        password_error,
        lifetimes: format!(
            "Une session se ferme après {} sans activité, et au plus tard {} après la connexion.",
            hours(state.signin.idle_secs),
            hours(state.signin.absolute_secs)
        ),
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct EndForm {
    #[serde(default)]
    id: String,
}

/// `POST /compte/sessions/fermer`: ends one of one's sessions.
pub(crate) async fn end_one(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<EndForm>,
) -> Result<Response, AppError> {
    let ended = accounts(&state)?
        .end_session_of(who.account.email.as_str(), &f.id)
        .await
        .map_err(store_error)?;
    if !ended {
        return Err(AppError::NotFound(
            "Cette session n'existe plus (déjà fermée ou expirée).".into(),
        ));
    }
    Ok(see_other("/compte?fait=session#sessions"))
}

/// `POST /compte/sessions/fermer-les-autres`: ends every session but this one.
pub(crate) async fn end_others(
    State(state): State<AppState>,
    Posted { who, form: _ }: Posted<EndForm>,
) -> Result<Response, AppError> {
    let keep =
        who.viewer.session.clone().ok_or_else(|| {
            AppError::Forbidden("Un jeton d'API ne ferme pas les sessions.".into())
        })?;
    accounts(&state)?
        .end_other_sessions(who.account.email.as_str(), &keep)
        .await
        .map_err(store_error)?;
    Ok(see_other("/compte?fait=sessions#sessions"))
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

/// `POST /compte/mot-de-passe`: the current password, then the new one
/// twice; the other sessions end.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    Posted { who, form: f }: Posted<PasswordForm>,
) -> Result<Response, AppError> {
    let keep = who.viewer.session.clone().ok_or_else(|| {
        AppError::Forbidden("Un jeton d'API ne change pas le mot de passe.".into())
    })?;
    let store = accounts(&state)?;
    let email = who.account.email.to_string();
    let account_key = format!("email:{}", email.to_lowercase());
    let refuse = |message: String| {
        let state = state.clone();
        let who = who.clone();
        async move {
            let page = super::tokens::tokens_page_with(
                &state,
                &who,
                security_view(&state, &who, None, Some(message)).await?,
            )
            .await?;
            Ok::<_, AppError>(no_store(
                (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            ))
        }
    };
    if state
        .throttle
        .blocked(&account_key, super::signin::MAX_FAILURES_PER_ACCOUNT)
        .await
    {
        return refuse("Trop d'essais infructueux : réessayez dans un quart d'heure.".into()).await;
    }
    let hash = store
        .account(&email)
        .await
        .map_err(store_error)?
        .map(|(_, h)| h)
        .unwrap_or_default();
    let current = f.current.clone();
    let valid = tokio::task::spawn_blocking(move || verify_password(&current, &hash))
        .await
        .unwrap_or(false);
    if !valid {
        state.throttle.fail(account_key).await;
        return refuse("Le mot de passe actuel est incorrect.".into()).await;
    }
    if f.password != f.confirmation {
        return refuse("Les deux nouveaux mots de passe diffèrent.".into()).await;
    }
    let strength = strength(&who.account);
    let (password, mail) = (f.password.clone(), email.clone());
    let hashed = tokio::task::spawn_blocking(move || hash_password(&password, &mail, strength))
        .await
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))?;
    let new_hash = match hashed {
        Ok(h) => h,
        Err(e) => return refuse(format!("Mot de passe refusé : {e}.")).await,
    };
    store
        .change_password(&email, &new_hash, &keep)
        .await
        .map_err(store_error)?;
    state.throttle.clear(&account_key).await;
    Ok(see_other("/compte?fait=mot-de-passe#securite"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_named_as_people_know_them() {
        assert_eq!(
            device(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
            ),
            "Chrome sur Linux"
        );
        assert_eq!(
            device(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
            ),
            "Safari sur iPhone"
        );
        assert_eq!(
            device(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
            ),
            "Firefox sur Windows"
        );
        assert_eq!(device(""), "appareil inconnu");
        assert_eq!(hours(3600), "une heure");
        assert_eq!(hours(12 * 3600), "12 heures");
        assert_eq!(hours(1800), "30 minutes");
    }
}

//! The history of an entity (with "restore this version") and the activity
//! log.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use passerelle_domain::Permission;
use passerelle_store::{HistoryEvent, StoreError};

use super::admin::{VersionForm, french_time, no_store, see_other};
use super::{Meta, Nav, render};
use crate::auth::Viewer;
use crate::edit::diff::{DiffLine, diff};
use crate::edit::form;
use crate::edit::{
    allow, check_csrf, edit_url, editing, key_from_url, kind_of, professional, signed_in,
    store_error, title_of,
};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug)]
pub(crate) struct VersionView {
    pub(crate) version: u64,
    pub(crate) actor: String,
    pub(crate) at: String,
    pub(crate) event: &'static str,
    pub(crate) lines: Vec<DiffLine>,
    pub(crate) restorable: bool,
}

#[derive(Template)]
#[template(path = "history.html")]
pub(crate) struct HistoryPage {
    pub(crate) meta: Meta,
    pub(crate) title: String,
    pub(crate) edit: Option<String>,
    pub(crate) restore_action: String,
    pub(crate) csrf: String,
    pub(crate) current: u64,
    pub(crate) versions: Vec<VersionView>,
}

/// `GET /admin/{kind}/{key}/historique`: every version, newest first, with
/// what it changed; "restore this version" for those who may edit.
pub(crate) async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((segment, key)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let ed = editing(&state)?;
    let account = professional(&viewer)?.clone();
    let kind = kind_of(&segment)?;
    let key = key_from_url(&key);
    let stored = crate::edit::stored(ed, kind, &key).await?;
    let history = ed
        .store
        .history(&ed.cite, kind, &key)
        .await
        .map_err(store_error)?;
    let fields = form::fields(kind, &state.snapshot().catalogue, true);
    let may_edit = allow(&account, Permission::Edit, kind, Some(&stored.entity.body)).is_ok();
    let mut versions: Vec<VersionView> = history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let before = i.checked_sub(1).and_then(|p| history[p].body.as_ref());
            VersionView {
                version: h.version,
                actor: h.actor.clone(),
                at: french_time(&h.at),
                event: match h.event {
                    HistoryEvent::Archive => "archivée",
                    HistoryEvent::Unarchive => "désarchivée",
                    HistoryEvent::Save if i == 0 => "créée",
                    HistoryEvent::Save if h.body.is_none() => "supprimée",
                    HistoryEvent::Save => "modifiée",
                },
                lines: if h.event == HistoryEvent::Save {
                    diff(&fields, before, h.body.as_ref())
                } else {
                    Vec::new()
                },
                restorable: may_edit
                    && h.version != stored.version
                    && h.body.is_some()
                    && h.body.as_ref() != Some(&stored.entity.body),
            }
        })
        .collect();
    versions.reverse();
    let title = title_of(kind, &stored.entity.body);
    let page = HistoryPage {
        meta: Meta::new(
            format!("Historique : {title}"),
            &state.snapshot().catalogue.cite.name,
            Nav::None,
        ),
        title,
        edit: may_edit.then(|| edit_url(kind, &key)),
        restore_action: format!("{}/restaurer", edit_url(kind, &key)),
        csrf: viewer.csrf.clone().unwrap_or_default(),
        current: stored.version,
        versions,
    };
    Ok(no_store(render(&page)?.into_response()))
}

/// `POST /admin/{kind}/{key}/restaurer`: saves an old version's body as the
/// new version (the history keeps everything in between).
pub(crate) async fn restore(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((segment, key)): Path<(String, String)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, AppError> {
    let ed = editing(&state)?;
    let account = signed_in(&viewer)?.clone();
    check_csrf(&viewer, &f.csrf)?;
    let kind = kind_of(&segment)?;
    let key = key_from_url(&key);
    let stored = crate::edit::stored(ed, kind, &key).await?;
    allow(&account, Permission::Edit, kind, Some(&stored.entity.body))?;
    let wanted = f.restore.unwrap_or(0);
    let history = ed
        .store
        .history(&ed.cite, kind, &key)
        .await
        .map_err(store_error)?;
    let body = history
        .into_iter()
        .find(|h| h.version == wanted)
        .and_then(|h| h.body)
        .ok_or_else(|| AppError::NotFound(format!("La version {wanted} n'existe pas.")))?;
    // A referent may not restore a version that hands the action to others
    // and back: the version restored must be theirs to edit too.
    allow(&account, Permission::Edit, kind, Some(&body))?;
    let e = passerelle_domain::Entity {
        kind,
        key: key.clone(),
        body,
    };
    match ed
        .store
        .save(&ed.cite, &e, f.version, account.email.as_str())
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { .. }) => {
            return Err(AppError::Conflict(
                "Cette fiche a été modifiée entre-temps : rechargez l'historique et recommencez."
                    .into(),
            ));
        }
        Err(e) => return Err(store_error(e)),
    }
    state.rebuild().await?;
    Ok(see_other(&format!("{}/historique", edit_url(kind, &key))))
}

#[derive(Debug)]
pub(crate) struct ActivityView {
    pub(crate) at: String,
    pub(crate) actor: String,
    pub(crate) action: String,
    pub(crate) target: String,
    pub(crate) detail: String,
}

#[derive(Template)]
#[template(path = "activity.html")]
pub(crate) struct ActivityPage {
    pub(crate) meta: Meta,
    pub(crate) lines: Vec<ActivityView>,
}

/// `GET /admin/activite`: the append-only log, for administrators.
pub(crate) async fn activity(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let ed = editing(&state)?;
    let account = signed_in(&viewer)?;
    if !account.is_administrator() {
        return Err(AppError::Forbidden(
            "Le journal d'activité est réservé aux administrateurs.".into(),
        ));
    }
    let lines = ed
        .store
        .activity(500)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|a| ActivityView {
            at: french_time(&a.at),
            actor: a.actor,
            action: a.action,
            target: a.target,
            detail: a.detail,
        })
        .collect();
    let page = ActivityPage {
        meta: Meta::new(
            "Journal d'activité",
            &state.snapshot().catalogue.cite.name,
            Nav::None,
        ),
        lines,
    };
    Ok(no_store(render(&page)?.into_response()))
}

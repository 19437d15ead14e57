//! The history of an entity (with "restore this version") and the activity
//! log.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use passerelle_domain::Permission;
use passerelle_store::{HistoryEvent, StoreError};

use super::entities::{edit_url, key_from_url, kind_of, title_of};
use super::form;
use super::form::diff::{DiffLine, diff};
use super::pages::{VersionForm, french_time};
use crate::shared::ctx::{Editor, Posted, Professional, SignedIn};
use crate::shared::entities::stored;
use crate::shared::error::{AppError, store_error};
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

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
#[template(path = "admin/history.html")]
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
    ed: Editor,
    Professional(who): Professional,
    Path((segment, key)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    let key = key_from_url(&key);
    let stored = stored(&ed, kind, &key).await?;
    let history = ed
        .store
        .history(ed.cite(), kind, &key)
        .await
        .map_err(store_error)?;
    let fields = form::fields(kind, &ed.here.snapshot().catalogue, true);
    let may_edit = who
        .may(Permission::Edit, kind, Some(&stored.entity.body))
        .is_ok();
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
        meta: Meta::new(format!("Historique : {title}"), &ed.here, Nav::None),
        title,
        edit: may_edit.then(|| edit_url(kind, &key)),
        restore_action: format!("{}/restaurer", edit_url(kind, &key)),
        csrf: who.csrf(),
        current: stored.version,
        versions,
    };
    Ok(no_store(render(&page)?.into_response()))
}

/// `POST /admin/{kind}/{key}/restaurer`: saves an old version's body as the
/// new version (the history keeps everything in between).
pub(crate) async fn restore(
    State(state): State<AppState>,
    ed: Editor,
    Path((segment, key)): Path<(String, String)>,
    Posted { who, form: f }: Posted<VersionForm>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    let key = key_from_url(&key);
    let stored = stored(&ed, kind, &key).await?;
    who.may(Permission::Edit, kind, Some(&stored.entity.body))?;
    let wanted = f.restore.unwrap_or(0);
    let history = ed
        .store
        .history(ed.cite(), kind, &key)
        .await
        .map_err(store_error)?;
    let body = history
        .into_iter()
        .find(|h| h.version == wanted)
        .and_then(|h| h.body)
        .ok_or_else(|| AppError::NotFound(format!("La version {wanted} n'existe pas.")))?;
    // A referent may not restore a version that hands the action to others
    // and back: the version restored must be theirs to edit too.
    who.may(Permission::Edit, kind, Some(&body))?;
    let e = passerelle_domain::Entity {
        kind,
        key: key.clone(),
        body,
    };
    match ed
        .store
        .save(ed.cite(), &e, f.version, who.account.email.as_str())
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
    ed.rebuild(&state).await?;
    Ok(ed
        .here
        .see_other(&format!("{}/historique", edit_url(kind, &key))))
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
#[template(path = "admin/activity.html")]
pub(crate) struct ActivityPage {
    pub(crate) meta: Meta,
    pub(crate) lines: Vec<ActivityView>,
}

/// `GET /admin/activite`: the append-only log, for administrators.
pub(crate) async fn activity(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    who.administrator("Le journal d'activité est réservé aux administrateurs.")?;
    let lines = ed
        .store
        .activity(Some(ed.cite()), 500)
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
        meta: Meta::new("Journal d'activité", &ed.here, Nav::None),
        lines,
    };
    Ok(no_store(render(&page)?.into_response()))
}

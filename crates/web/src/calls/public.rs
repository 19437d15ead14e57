//! The public pages: the calls open, to come and closed, a call's page
//! (its text, deadlines, documents and grid), and the Atom feed that
//! announces each call.

use askama::Template;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use passerelle_store::calls::StoredCall;

use super::{call_of, not_found, now, store_error};
use crate::shared::cites::Here;
use crate::shared::ctx::{Editor, Viewer};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::state::AppState;

/// A call as a list shows it.
pub(crate) struct Item {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) funds: String,
    /// `Note d'intention : jusqu'au 3 mars 2027 à 12h00`…
    pub(crate) deadlines: Vec<String>,
    pub(crate) opens: String,
}

fn deadlines(call: &StoredCall, at: i64) -> Vec<String> {
    call.call
        .deadlines_after(at)
        .into_iter()
        .map(|(kind, d)| {
            let step = if call.call.steps.len() > 1 {
                format!("{} : ", passerelle_domain::text::capitalized(kind.label()))
            } else {
                String::new()
            };
            format!("{step}jusqu'au {}", d.french())
        })
        .collect()
}

fn item(call: &StoredCall, at: i64) -> Item {
    Item {
        href: format!("/appels/{}", call.id),
        title: call.call.title.clone(),
        funds: call.call.funds.clone(),
        deadlines: deadlines(call, at),
        opens: call
            .call
            .steps
            .first()
            .map(|s| s.opens.french())
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "calls/list.html")]
pub(crate) struct ListPage {
    pub(crate) meta: Meta,
    pub(crate) open: Vec<Item>,
    pub(crate) coming: Vec<Item>,
    pub(crate) closed: Vec<Item>,
    pub(crate) admin: bool,
}

/// The published calls of the cité (none on a server without a store to
/// write to).
pub(crate) async fn published(state: &AppState, here: &Here) -> Result<Vec<StoredCall>, AppError> {
    let Some(editing) = state.editing() else {
        return Ok(Vec::new());
    };
    Ok(editing
        .calls
        .calls(here.slug())
        .await
        .map_err(store_error)?
        .into_iter()
        .filter(|c| c.published_at.is_some())
        .collect())
}

/// `GET /appels`.
pub(crate) async fn list(
    AxumState(state): AxumState<AppState>,
    here: Here,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let at = now();
    let calls = published(&state, &here).await?;
    let (mut open, mut coming, mut closed) = (Vec::new(), Vec::new(), Vec::new());
    for c in &calls {
        if c.call.is_open(at) {
            open.push(item(c, at));
        } else if c.call.is_over(at) {
            closed.push(item(c, at));
        } else {
            coming.push(item(c, at));
        }
    }
    let mut meta = Meta::new("Appels à projets", &here, Nav::None);
    meta.description = format!(
        "Les appels à projets de la cité éducative de {} : dates limites, pièces demandées, grille de notation.",
        here.snapshot().catalogue.cite.name
    );
    Ok(render(&ListPage {
        meta,
        open,
        coming,
        closed,
        admin: viewer
            .account
            .as_ref()
            .is_some_and(|a| a.is_administrator(here.slug())),
    })?
    .into_response())
}

/// A step as a call's page shows it.
pub(crate) struct StepView {
    pub(crate) label: String,
    pub(crate) opens: String,
    pub(crate) deadlines: Vec<String>,
}

#[derive(Template)]
#[template(path = "calls/call.html")]
pub(crate) struct CallPage {
    pub(crate) meta: Meta,
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) axes: Vec<String>,
    pub(crate) priorities: Vec<String>,
    /// The seminar's contributions it answers, as shown.
    pub(crate) contributions: Vec<String>,
    pub(crate) eligible: String,
    pub(crate) funds: String,
    pub(crate) documents: Vec<String>,
    pub(crate) steps: Vec<StepView>,
    pub(crate) grid: Vec<(String, u32, u32, String)>,
    pub(crate) open: bool,
    pub(crate) draft: bool,
    /// Where the signed-in viewer starts an application, with the session's
    /// CSRF token; `None` for the anonymous (offered to sign up or in).
    pub(crate) apply: Option<(String, String)>,
}

/// `GET /appels/{id}`: a published call (its draft, for its instructors).
pub(crate) async fn show(
    ed: Editor,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let call = call_of(&ed, &id).await?;
    let instructor = viewer
        .account
        .as_ref()
        .is_some_and(|a| super::instructs(a, ed.cite()));
    if call.published_at.is_none() && !instructor {
        return Err(not_found());
    }
    let at = now();
    let snapshot = ed.here.snapshot();
    let axes = snapshot
        .programme()
        .map(|p| {
            p.axes
                .iter()
                .filter(|a| call.call.axes.contains(&a.number))
                .map(|a| format!("Axe {} : {}", a.number, a.title))
                .collect()
        })
        .unwrap_or_default();
    let c = &call.call;
    let page = CallPage {
        meta: Meta::new(
            format!("Appel à projets : {}", c.title),
            &ed.here,
            Nav::None,
        ),
        title: c.title.clone(),
        text: crate::shared::text::markdown(&c.text),
        axes,
        priorities: c.priorities.clone(),
        contributions: super::seminar_contributions(&ed)
            .await?
            .into_iter()
            .filter(|x| c.contributions.contains(&x.id))
            .map(|x| x.text)
            .collect(),
        eligible: c.eligible.clone(),
        funds: c.funds.clone(),
        documents: c.documents.clone(),
        steps: c
            .steps
            .iter()
            .map(|s| StepView {
                label: passerelle_domain::text::capitalized(s.kind.label()),
                opens: s.opens.french(),
                deadlines: s.deadlines.iter().map(|d| d.french()).collect(),
            })
            .collect(),
        grid: c
            .grid
            .iter()
            .map(|g| (g.label.clone(), g.weight, g.max, g.guidance.clone()))
            .collect(),
        open: c.is_open(at) && call.published_at.is_some(),
        draft: call.published_at.is_none(),
        apply: viewer
            .csrf
            .clone()
            .filter(|_| viewer.account.is_some())
            .map(|csrf| (format!("/appels/{}/candidater", call.id), csrf)),
    };
    Ok(crate::shared::layout::no_store(
        render(&page)?.into_response(),
    ))
}

/// `GET /flux/appels.atom`: one entry per published call.
pub(crate) async fn feed(
    AxumState(state): AxumState<AppState>,
    here: Here,
) -> Result<Response, AppError> {
    let at = now();
    let calls = published(&state, &here).await?;
    let base_url = format!(
        "{}{}",
        crate::shared::publish::base_url(&state),
        here.root()
    );
    let dates = crate::shared::publish::dates(&state, &here).await?;
    let snapshot = here.snapshot();
    let published = passerelle_opendata::Published {
        catalogue: &snapshot.catalogue,
        base_url: &base_url,
        dates: &dates,
        subsidies: &[],
    };
    let rfc = passerelle_store::rows::rfc3339;
    let items: Vec<passerelle_opendata::atom::CallItem> = calls
        .iter()
        .map(|c| passerelle_opendata::atom::CallItem {
            id: c.id,
            title: c.call.title.clone(),
            text: c.call.text.clone(),
            deadlines: {
                let d = deadlines(c, at);
                if d.is_empty() {
                    "Appel clos.".to_owned()
                } else {
                    format!("Dates limites : {}.", d.join(" ; "))
                }
            },
            published: rfc(c.published_at.unwrap_or(0)),
            updated: rfc(c.published_at.unwrap_or(0)),
        })
        .collect();
    let body = passerelle_opendata::atom::calls(&published, &items, &rfc(at));
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(res)
}

//! Orienting a family who moves (`/orientation`): the cité they move to,
//! then that cité's own orientation with the same answers (who, age, needs).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};

use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render, see_other};
use crate::shared::params;
use crate::shared::state::AppState;
use crate::shared::text::fr;

#[derive(Template)]
#[template(path = "national/orient.html")]
pub(crate) struct OrientPage {
    pub(crate) meta: Meta,
    /// (slug, label with its communes).
    pub(crate) cites: Vec<(String, String)>,
    /// (key, label) of the needs.
    pub(crate) needs: Vec<(&'static str, &'static str)>,
    pub(crate) error: Option<String>,
}

/// The answers a cité's orientation reads, passed on as they are.
const KEPT: [&str; 4] = ["qui", "age", "lieu", "besoin"];

/// `GET /orientation` when the instance holds several cités: the form, or,
/// with `cite`, the way into that cité's orientation.
pub(crate) async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let pairs = params::pairs(raw.as_deref())?;
    let chosen = params::get(&pairs, "cite").unwrap_or("");
    let mut error = None;
    if !chosen.is_empty() {
        if state.cites.get(chosen).is_some() {
            let kept: Vec<(&str, String)> = pairs
                .iter()
                .filter(|(k, v)| KEPT.contains(&k.as_str()) && !v.is_empty())
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            let query = params::encode(&kept);
            let to = if query.is_empty() {
                format!("/{chosen}/orienter")
            } else {
                format!("/{chosen}/orienter?{query}")
            };
            return Ok(see_other(&to));
        }
        error = Some("Cette cité n'est pas servie ici : choisissez-la dans la liste.".to_owned());
    }
    let cites = state
        .cites
        .all()
        .iter()
        .map(|t| {
            let s = t.snapshot();
            let c = &s.catalogue.cite;
            let label = if c.communes.is_empty() {
                fr(&c.name)
            } else {
                fr(&format!("{} ({})", c.name, c.communes.join(", ")))
            };
            (t.slug().to_owned(), label)
        })
        .collect();
    let page = OrientPage {
        meta: Meta::national("Orienter une famille qui déménage", Nav::Orient),
        cites,
        needs: passerelle_domain::Theme::ALL
            .iter()
            .map(|t| (t.key(), t.label()))
            .collect(),
        error,
    };
    let status = if page.error.is_some() {
        axum::http::StatusCode::NOT_FOUND
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

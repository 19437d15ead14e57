//! The national JSON API: the cités, and the search across them.

use axum::Json;
use axum::extract::{RawQuery, State};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::shared::ctx::Viewer;
use crate::shared::error::{ApiError, AppError};
use crate::shared::params;
use crate::shared::state::AppState;

use super::pages;

#[derive(OpenApi)]
#[openapi(
    paths(cites, national_actions, super::review::aggregated_review),
    components(schemas(CiteView, NationalAction, super::review::NationalReviewView)),
    tags((name = "national", description = "Toutes les cités de l'instance"))
)]
pub(crate) struct Doc;

/// A cité of the instance.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CiteView {
    /// Its slug: its pages are under `/{slug}/`, its API under `/api/v1/cites/{slug}/`.
    slug: String,
    name: String,
    /// The programme's national identifier (`cite-042`), when entered.
    national_id: Option<String>,
    communes: Vec<String>,
    qpv: Vec<String>,
    /// The current programme's title.
    programme: Option<String>,
    actions: usize,
}

/// An action found across the cités.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NationalAction {
    /// The cité's slug.
    cite: String,
    cite_name: String,
    fiche: u32,
    title: String,
    /// Its page, in its cité.
    href: String,
}

/// What the national search takes (the same text and age as `/api/v1/actions`).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(
    dead_code,
    reason = "describes the query string for the OpenAPI document; parsed by `params`"
)]
pub(crate) struct NationalQuery {
    /// Words to look for (French full text).
    #[param(max_length = 200)]
    q: Option<String>,
    /// An age in years (`10`) or an age band (`6-10`), 0 to 120.
    #[param(pattern = "^(120|1[01][0-9]|[1-9]?[0-9])(-(120|1[01][0-9]|[1-9]?[0-9]))?$")]
    age: Option<String>,
    /// Only this cité (its slug; see `/api/v1/national/cites`).
    #[param(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120)]
    cite: Option<String>,
    /// How many actions to return, the best first (100 by default).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// How many of the best to skip (for the next page).
    #[param(minimum = 0, maximum = 1000000)]
    offset: Option<u32>,
}

/// Refuses what the document declares invalid: more than 200 characters of
/// text, an empty age, a cité that is not a slug.
fn refuse_out_of_schema(pairs: &[(String, String)]) -> Result<(), ApiError> {
    let bad = |name: &str, why: &str| Err(AppError::BadRequest(name.into(), why.into()).api());
    if params::get(pairs, "q").is_some_and(|q| q.chars().count() > 200) {
        return bad("q", "200 caractères au plus");
    }
    if pairs
        .iter()
        .any(|(k, v)| (k == "age" || k == "cite") && v.trim().is_empty())
    {
        return bad("age", "valeur vide");
    }
    if let Some(c) = params::get(pairs, "cite")
        && (c.chars().count() > 120 || passerelle_domain::Slug::parse(c).is_err())
    {
        return bad(
            "cite",
            "identifiant de cité invalide (minuscules, chiffres et tirets)",
        );
    }
    Ok(())
}

/// The cités served, in order (the default one first).
#[utoipa::path(get, path = "/api/v1/national/cites", tag = "national",
    responses((status = 200, body = [CiteView])))]
pub(crate) async fn cites(State(state): State<AppState>, viewer: Viewer) -> Json<Vec<CiteView>> {
    Json(
        pages::cites(&state)
            .iter()
            .map(|(_, s)| {
                let c = &s.view(&viewer).catalogue;
                CiteView {
                    slug: c.cite.slug.to_string(),
                    name: c.cite.name.clone(),
                    national_id: c.cite.national_id.clone(),
                    communes: c.cite.communes.clone(),
                    qpv: c.cite.qpv.clone(),
                    programme: c.current_programme().map(|p| p.title.clone()),
                    actions: c.actions().count(),
                }
            })
            .collect(),
    )
}

/// Searches every cité for `q` and `age`; `cite` keeps one cité.
#[utoipa::path(get, path = "/api/v1/national/actions", tag = "national",
    params(NationalQuery),
    responses((status = 200, body = [NationalAction]), (status = 400, body = crate::ErrorBody)))]
pub(crate) async fn national_actions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<NationalAction>>, ApiError> {
    let pairs = params::pairs(raw.as_deref()).map_err(|e| e.api())?;
    refuse_out_of_schema(&pairs)?;
    let (q, filter) = params::filter(&pairs, params::API).map_err(|e| e.api())?;
    let chosen = params::get(&pairs, "cite").unwrap_or("");
    // A number given empty (`offset=`) is refused like any other that is
    // not one: only an absent one takes its default.
    let number = |name: &str, default: usize, range: std::ops::RangeInclusive<usize>| match pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
    {
        None => Ok(default),
        Some(v) => v.parse().ok().filter(|n| range.contains(n)).ok_or_else(|| {
            AppError::BadRequest(
                name.into(),
                format!("un nombre de {} à {}", range.start(), range.end()),
            )
            .api()
        }),
    };
    let limit = number("limit", 100, 1..=500)?;
    let offset = number("offset", 0, 0..=1_000_000)?;
    let found = pages::search_all(&state, &q, &filter)
        .await
        .map_err(|e| e.api())?;
    Ok(Json(
        found
            .ranked(chosen)
            .skip(offset)
            .take(limit)
            .filter_map(|(slug, h)| {
                let f = found.found(h)?;
                Some(NationalAction {
                    cite: slug.to_owned(),
                    cite_name: f.cite,
                    fiche: f.fiche,
                    title: f.title,
                    href: f.href,
                })
            })
            .collect(),
    ))
}

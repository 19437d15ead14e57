//! The review under `/api/v1/review`: statuses, indicators with targets and
//! the values validated by the coordination (professionals signed in also
//! get those waiting), decisions, and the coverage matrix.

use axum::Json;
use axum::extract::RawQuery;
use passerelle_domain::review::{CoverageRow, coverage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::pages::{cell_href, coverage_columns, visible, years};
use crate::shared::ctx::Seen;
use crate::shared::ctx::Viewer;
use crate::shared::error::{ApiError, AppError, ErrorBody};
use crate::shared::state::Snapshot;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReviewView {
    pub(crate) programme: String,
    pub(crate) years: Vec<i32>,
    pub(crate) actions: Vec<ActionReviewView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ActionReviewView {
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) axis: u8,
    pub(crate) statuses: Vec<StatusView>,
    pub(crate) indicators: Vec<IndicatorView>,
    /// `maintenir`, `modifier` or `abandonner`, once decided.
    pub(crate) decision: Option<String>,
    /// The action of the previous programme it continues.
    pub(crate) predecessor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StatusView {
    pub(crate) year: i32,
    /// `prevue`, `en-cours`, `realisee`, `suspendue` or `abandonnee`.
    pub(crate) status: String,
    /// Markdown.
    pub(crate) text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IndicatorView {
    pub(crate) label: String,
    pub(crate) unit: String,
    pub(crate) target_min: Option<f64>,
    pub(crate) target_max: Option<f64>,
    pub(crate) source: String,
    pub(crate) values: Vec<ValueView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ValueView {
    pub(crate) year: i32,
    pub(crate) value: f64,
    pub(crate) validated: bool,
}

fn programme(seen: &Seen, viewer: &Viewer) -> Result<ReviewView, ApiError> {
    let s: &Snapshot = seen;
    let p = s
        .catalogue
        .current_programme()
        .ok_or_else(|| AppError::NotFound("aucun programme".into()).api())?;
    let all = viewer.is_professional(seen.here.slug());
    let years = years(p);
    Ok(ReviewView {
        programme: p.title.clone(),
        years: years.clone(),
        actions: p
            .actions
            .iter()
            .map(|a| ActionReviewView {
                fiche: a.fiche.get(),
                title: a.title.clone(),
                axis: a.axis,
                statuses: a
                    .review
                    .years
                    .iter()
                    .map(|y| StatusView {
                        year: y.year,
                        status: y.status.key().into(),
                        text: y.text.clone(),
                    })
                    .collect(),
                indicators: a
                    .review
                    .indicators
                    .iter()
                    .map(|i| IndicatorView {
                        label: i.label.clone(),
                        unit: i.unit.clone(),
                        target_min: i.target.and_then(|t| t.min),
                        target_max: i.target.and_then(|t| t.max),
                        source: i.source.clone(),
                        values: years
                            .iter()
                            .filter_map(|y| {
                                visible(i, *y, all).map(|(value, validated)| ValueView {
                                    year: *y,
                                    value,
                                    validated,
                                })
                            })
                            .collect(),
                    })
                    .collect(),
                decision: a.review.decision.map(|d| d.key().to_owned()),
                predecessor: a.predecessor.clone(),
            })
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/review", tag = "review",
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody)))]
pub(crate) async fn review(viewer: Viewer, seen: Seen) -> Result<Json<ReviewView>, ApiError> {
    Ok(Json(programme(&seen, &viewer)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CoverageQuery {
    /// One axis; all axes when absent.
    #[param(minimum = 1, maximum = 255)]
    axis: Option<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CoverageView {
    pub(crate) axis: Option<u8>,
    /// Territory slugs of the columns; `null` is the whole city.
    pub(crate) columns: Vec<Option<String>>,
    pub(crate) rows: Vec<CoverageRowView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CoverageRowView {
    /// `0-2` … `19-25`, `parents`, `professionnels`.
    pub(crate) audience: String,
    pub(crate) label: String,
    pub(crate) cells: Vec<CoverageCell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CoverageCell {
    pub(crate) count: usize,
    pub(crate) fiches: Vec<u32>,
    /// The search page listing them.
    pub(crate) url: String,
}

#[utoipa::path(get, path = "/api/v1/review/coverage", tag = "review", params(CoverageQuery),
    responses((status = 200, body = CoverageView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn coverage_view(
    s: Seen,
    RawQuery(raw): RawQuery,
) -> Result<Json<CoverageView>, ApiError> {
    let pairs = crate::shared::params::pairs(raw.as_deref()).map_err(AppError::api)?;
    if let Some((name, _)) = pairs.iter().find(|(k, v)| k == "axis" && v.is_empty()) {
        return Err(AppError::BadRequest(name.clone(), "valeur vide".into()).api());
    }
    let q = CoverageQuery {
        axis: crate::shared::params::number::<u8>(&pairs, "axis", "un numéro d'axe")
            .map_err(AppError::api)?,
    };
    let c = &s.catalogue;
    let p = c
        .current_programme()
        .ok_or_else(|| AppError::NotFound("aucun programme".into()).api())?;
    if let Some(n) = q.axis
        && !p.axes.iter().any(|a| a.number == n)
    {
        return Err(AppError::NotFound(format!("le programme n'a pas d'axe {n}")).api());
    }
    let columns: Vec<_> = coverage_columns(c).into_iter().map(|(t, _)| t).collect();
    let matrix = coverage(c, p, q.axis, &columns);
    Ok(Json(CoverageView {
        axis: q.axis,
        columns: columns
            .iter()
            .map(|t| t.as_ref().map(ToString::to_string))
            .collect(),
        rows: matrix
            .into_iter()
            .map(|(row, cells)| CoverageRowView {
                audience: match row {
                    CoverageRow::Ages(a, b) => format!("{a}-{b}"),
                    CoverageRow::Audience(k) => k.key().to_owned(),
                },
                label: row.label(),
                cells: cells
                    .into_iter()
                    .zip(&columns)
                    .map(|(fiches, t)| CoverageCell {
                        count: fiches.len(),
                        url: s.here.url(&cell_href(row, q.axis, t.as_ref())),
                        fiches,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// The review's part of the OpenAPI document (assembled in `openapi.rs`).
#[derive(OpenApi)]
#[openapi(
    paths(review, coverage_view),
    components(schemas(ReviewView, ActionReviewView, StatusView, IndicatorView, ValueView, CoverageView, CoverageRowView, CoverageCell, ErrorBody)),
    tags((name = "review", description = "The review (bilan): statuses, indicators, coverage."))
)]
pub(crate) struct Doc;

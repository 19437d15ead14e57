//! The national review (`/bilans`, `/api/v1/national/review`): every cité's
//! actions by status and coverage by age band, the actions by theme, the
//! indicators summed where their label and unit agree. Values awaiting
//! validation count only for a viewer who may see them in their cité.

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use passerelle_domain::ActionStatus;
use passerelle_domain::national::{NationalReview, national_review};
use passerelle_domain::review::CoverageRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::shared::ctx::Viewer;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::state::AppState;
use crate::shared::text::fr;

/// The figures, each cité's snapshot as this viewer may see it; for an
/// anonymous viewer, computed once per generation of the snapshots.
fn figures(state: &AppState, viewer: &Viewer) -> (Arc<NationalReview>, Vec<String>) {
    let snapshots = super::pages::cites(state);
    let roots: Vec<String> = snapshots.iter().map(|(root, _)| root.clone()).collect();
    let generation = state.cites.generation();
    let public = viewer.account.is_none();
    if public && let Some(review) = state.national_review.current(generation) {
        return (review, roots);
    }
    let views: Vec<_> = snapshots
        .iter()
        .map(|(_, s)| {
            let view = s.view(viewer);
            let slug = view.catalogue.cite.slug.as_str();
            (&view.catalogue, viewer.is_professional(slug))
        })
        .collect();
    let review = Arc::new(national_review(&views));
    if public {
        state.national_review.store(generation, Arc::clone(&review));
    }
    (review, roots)
}

/// A figure and where it leads.
pub(crate) struct Cell {
    pub(crate) n: usize,
    pub(crate) href: String,
}

/// Figures that all lead to the same page.
fn cells(counts: &[usize], href: &str) -> Vec<Cell> {
    counts
        .iter()
        .map(|n| Cell {
            n: *n,
            href: href.to_owned(),
        })
        .collect()
}

pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) actions: usize,
    pub(crate) statuses: Vec<Cell>,
    pub(crate) coverage: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "national/review.html")]
pub(crate) struct ReviewPage {
    pub(crate) meta: Meta,
    pub(crate) statuses: Vec<&'static str>,
    pub(crate) bands: Vec<String>,
    pub(crate) rows: Vec<Row>,
    pub(crate) totals: Vec<usize>,
    pub(crate) actions: usize,
    /// (theme, actions, realised, cités).
    pub(crate) themes: Vec<(&'static str, usize, usize, usize)>,
    /// (label, unit, total, actions, cités).
    pub(crate) indicators: Vec<(String, String, String, usize, usize)>,
}

/// `GET /bilans` when the instance holds several cités.
pub(crate) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Html<String>, AppError> {
    let (review, roots) = figures(&state, &viewer);
    let mut totals = vec![0usize; 6];
    let rows = review
        .cites
        .iter()
        .zip(&roots)
        .map(|(c, root)| {
            for (t, n) in totals.iter_mut().zip(c.statuses) {
                *t += n;
            }
            Row {
                name: fr(&c.name),
                href: format!("{root}/bilan"),
                actions: c.actions,
                statuses: cells(&c.statuses, &format!("{root}/bilan")),
                coverage: cells(&c.coverage, &format!("{root}/bilan/couverture")),
            }
        })
        .collect();
    let mut statuses: Vec<&'static str> = ActionStatus::ALL.iter().map(|s| s.label()).collect();
    statuses.push("Non renseigné");
    render(&ReviewPage {
        meta: Meta::national("Le bilan de toutes les cités", Nav::Review).describe(
            "Les actions de chaque cité par statut et par tranche d'âge, par thème, et les indicateurs additionnés.",
        ),
        statuses,
        bands: CoverageRow::ALL.iter().map(|r| r.label()).collect(),
        rows,
        actions: review.cites.iter().map(|c| c.actions).sum(),
        totals,
        themes: review
            .themes
            .iter()
            .map(|t| (t.theme.label(), t.actions, t.realised, t.cites))
            .collect(),
        indicators: review
            .indicators
            .iter()
            .map(|i| {
                (
                    fr(&i.label),
                    fr(&i.unit),
                    passerelle_domain::review::number(i.total),
                    i.actions,
                    i.cites,
                )
            })
            .collect(),
    })
}

/// A count under a key (a status, an age band or public).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Count {
    /// `realisee`, `0-2`, `parents`…; `non-renseigne` for actions without a status yet.
    key: String,
    label: String,
    count: usize,
}

/// One cité's figures.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CiteReviewView {
    slug: String,
    name: String,
    actions: usize,
    statuses: Vec<Count>,
    coverage: Vec<Count>,
}

/// A theme's figures across the cités.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ThemeReviewView {
    theme: String,
    label: String,
    actions: usize,
    realised: usize,
    cites: usize,
}

/// An indicator summed across the cités that measure it with the same
/// label and unit.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SummedIndicatorView {
    label: String,
    unit: String,
    total: f64,
    actions: usize,
    cites: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NationalReviewView {
    cites: Vec<CiteReviewView>,
    themes: Vec<ThemeReviewView>,
    indicators: Vec<SummedIndicatorView>,
}

fn view(review: &NationalReview) -> NationalReviewView {
    let statuses = |counts: &[usize; 6]| {
        ActionStatus::ALL
            .iter()
            .map(|s| (s.key().to_owned(), s.label().to_owned()))
            .chain(std::iter::once((
                "non-renseigne".to_owned(),
                "Non renseigné".to_owned(),
            )))
            .zip(counts)
            .map(|((key, label), n)| Count {
                key,
                label,
                count: *n,
            })
            .collect()
    };
    let coverage = |counts: &[usize; 8]| {
        CoverageRow::ALL
            .iter()
            .zip(counts)
            .map(|(row, n)| Count {
                key: match row {
                    CoverageRow::Ages(a, b) => format!("{a}-{b}"),
                    CoverageRow::Audience(k) => k.key().to_owned(),
                },
                label: row.label(),
                count: *n,
            })
            .collect()
    };
    NationalReviewView {
        cites: review
            .cites
            .iter()
            .map(|c| CiteReviewView {
                slug: c.slug.clone(),
                name: c.name.clone(),
                actions: c.actions,
                statuses: statuses(&c.statuses),
                coverage: coverage(&c.coverage),
            })
            .collect(),
        themes: review
            .themes
            .iter()
            .map(|t| ThemeReviewView {
                theme: t.theme.key().to_owned(),
                label: t.theme.label().to_owned(),
                actions: t.actions,
                realised: t.realised,
                cites: t.cites,
            })
            .collect(),
        indicators: review
            .indicators
            .iter()
            .map(|i| SummedIndicatorView {
                label: i.label.clone(),
                unit: i.unit.clone(),
                total: i.total,
                actions: i.actions,
                cites: i.cites,
            })
            .collect(),
    }
}

/// `GET /api/v1/national/review`: the review aggregated, per cité (actions
/// by status, coverage by age band and public), per theme, and the
/// indicators summed where label and unit agree.
#[utoipa::path(get, path = "/api/v1/national/review", tag = "national",
    responses((status = 200, body = NationalReviewView)))]
pub(crate) async fn aggregated_review(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Json<NationalReviewView> {
    Json(view(&figures(&state, &viewer).0))
}

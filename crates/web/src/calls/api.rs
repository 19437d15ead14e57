//! The calls through the JSON API: the published calls, and the whole of
//! one call — its text, steps and grid for anyone; with, for its
//! instructors (a personal token or a session), every application
//! submitted, its scores, the decision and the amounts proposed, in cents.

use axum::Json;
use axum::extract::Path;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::{not_found, now, store_error};
use crate::shared::ctx::{Api, Editor, Viewer};
use crate::shared::error::{ApiError, AppError, ErrorBody};

fn instant(unix: i64) -> String {
    passerelle_store::rows::rfc3339(unix)
}

/// A call in a list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CallSummary {
    pub(crate) id: i64,
    pub(crate) title: String,
    /// The programme or years it funds.
    pub(crate) funds: String,
    /// Whether it takes applications now.
    pub(crate) open: bool,
    /// The deadlines still to come (RFC 3339, UTC), soonest first.
    pub(crate) deadlines: Vec<String>,
    /// RFC 3339, UTC.
    pub(crate) published_at: String,
}

/// A step of a call.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StepView {
    /// `intention` or `dossier`.
    pub(crate) kind: String,
    /// RFC 3339, UTC (the call gives it in Paris time).
    pub(crate) opens: String,
    pub(crate) deadlines: Vec<String>,
}

/// A criterion of the scoring grid.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CriterionView {
    /// Stable: exports and scores name it.
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) weight: u32,
    /// Scores go from 0 to this.
    pub(crate) max: u32,
    pub(crate) guidance: String,
}

/// One reviewer's score of one criterion.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ScoreView {
    pub(crate) reviewer: String,
    pub(crate) criterion: String,
    pub(crate) value: u32,
    pub(crate) comment: String,
}

/// An amount proposed for a funder line.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AmountView {
    pub(crate) funder: String,
    /// In euro cents.
    pub(crate) cents: i64,
}

/// A committee's decision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DecisionView {
    /// `retenue`, `refusee` or `sans-suite`.
    pub(crate) state: String,
    pub(crate) reason: String,
    pub(crate) committee: i64,
    pub(crate) amounts: Vec<AmountView>,
    /// RFC 3339, UTC.
    pub(crate) at: String,
    pub(crate) by: String,
}

/// An application submitted to the call.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApplicationView {
    pub(crate) id: i64,
    /// `deposee`, `en-instruction`, `a-completer`, `retenue`, `refusee`, `sans-suite`…
    pub(crate) state: String,
    /// `intention` or `dossier`.
    pub(crate) step: String,
    pub(crate) applicant: String,
    /// RFC 3339, UTC.
    pub(crate) submitted_at: Option<String>,
    /// The form as the applicant filled it (the project, the structure,
    /// the budget's lines as typed).
    #[schema(value_type = Object)]
    pub(crate) form: serde_json::Value,
    /// The budget's totals, in cents.
    pub(crate) charges_cents: i64,
    pub(crate) products_cents: i64,
    pub(crate) scores: Vec<ScoreView>,
    /// The mean of the reviewers' weighted scores, on 100.
    pub(crate) mean: Option<u32>,
    pub(crate) spread: u32,
    pub(crate) decision: Option<DecisionView>,
}

/// The whole of a call.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CallView {
    #[serde(flatten)]
    pub(crate) summary: CallSummary,
    /// Markdown.
    pub(crate) text: String,
    pub(crate) axes: Vec<u8>,
    pub(crate) priorities: Vec<String>,
    pub(crate) eligible: String,
    pub(crate) documents: Vec<String>,
    pub(crate) steps: Vec<StepView>,
    pub(crate) grid: Vec<CriterionView>,
    /// For the cité's instructors only: the applications submitted.
    pub(crate) applications: Option<Vec<ApplicationView>>,
}

fn summary(c: &passerelle_store::calls::StoredCall, at: i64) -> CallSummary {
    CallSummary {
        id: c.id,
        title: c.call.title.clone(),
        funds: c.call.funds.clone(),
        open: c.call.is_open(at),
        deadlines: c
            .call
            .deadlines_after(at)
            .into_iter()
            .map(|(_, d)| instant(d.unix()))
            .collect(),
        published_at: c.published_at.map(instant).unwrap_or_default(),
    }
}

#[utoipa::path(get, path = "/api/v1/appels", tag = "calls", operation_id = "calls_list",
    responses((status = 200, description = "The published calls for projects, newest first", body = Vec<CallSummary>)))]
pub(crate) async fn list(
    axum::extract::State(state): axum::extract::State<crate::shared::state::AppState>,
    Api(here): Api<crate::shared::cites::Here>,
) -> Result<Json<Vec<CallSummary>>, ApiError> {
    let at = now();
    let calls = super::public::published(&state, &here)
        .await
        .map_err(AppError::api)?;
    Ok(Json(calls.iter().map(|c| summary(c, at)).collect()))
}

#[utoipa::path(get, path = "/api/v1/appels/{id}", tag = "calls", operation_id = "call_whole",
    params(("id" = i64, Path, example = 1)),
    security((), ("token" = [])),
    responses((status = 200, description = "The call; with its applications, scores and decisions for the cité's instructors", body = CallView),
        (status = 404, description = "No published call of this number", body = ErrorBody)))]
pub(crate) async fn one(
    Api(ed): Api<Editor>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<CallView>, ApiError> {
    let api = AppError::api;
    let id: i64 = id.parse().map_err(|_| api(not_found()))?;
    let c = ed
        .calls
        .call(ed.cite(), id)
        .await
        .map_err(|e| api(store_error(e)))?
        .ok_or_else(|| api(not_found()))?;
    let instructor = viewer
        .account
        .as_ref()
        .is_some_and(|a| super::instructs(a, ed.cite()));
    if c.published_at.is_none() && !instructor {
        return Err(api(not_found()));
    }
    let applications = if instructor {
        let read = super::instruct::submitted(&ed, &c).await.map_err(api)?;
        let (apps, scores) = (&read.apps, &read.scores);
        let decisions = ed
            .calls
            .decisions(ed.cite(), c.id)
            .await
            .map_err(|e| api(store_error(e)))?;
        Some(
            apps.iter()
                .map(|a| {
                    let theirs: Vec<passerelle_domain::call::Score> = scores
                        .iter()
                        .filter(|(x, _)| *x == a.id)
                        .map(|(_, s)| s.clone())
                        .collect();
                    let s = passerelle_domain::call::scored(&c.call.grid, &c.reviewers, &theirs);
                    let balance = passerelle_domain::call::Balance::of(&a.form.budget_lines().0);
                    ApplicationView {
                        id: a.id,
                        state: a.state.key().to_owned(),
                        step: a.step.key().to_owned(),
                        applicant: a.applicant.clone(),
                        submitted_at: a.submitted_at.map(instant),
                        form: serde_json::to_value(&a.form).unwrap_or_default(),
                        charges_cents: balance.charges.0,
                        products_cents: balance.products.0,
                        scores: theirs
                            .iter()
                            .map(|s| ScoreView {
                                reviewer: s.reviewer.clone(),
                                criterion: s.criterion.clone(),
                                value: s.value,
                                comment: s.comment.clone(),
                            })
                            .collect(),
                        mean: s.mean,
                        spread: s.spread,
                        decision: decisions.iter().find(|d| d.application == a.id).map(|d| {
                            DecisionView {
                                state: d.state.key().to_owned(),
                                reason: d.reason.clone(),
                                committee: d.committee,
                                amounts: d
                                    .amounts
                                    .iter()
                                    .map(|(f, cents)| AmountView {
                                        funder: f.clone(),
                                        cents: cents.0,
                                    })
                                    .collect(),
                                at: instant(d.at),
                                by: d.actor.clone(),
                            }
                        }),
                    }
                })
                .collect(),
        )
    } else {
        None
    };
    let call = &c.call;
    Ok(Json(CallView {
        summary: summary(&c, now()),
        text: call.text.clone(),
        axes: call.axes.clone(),
        priorities: call.priorities.clone(),
        eligible: call.eligible.clone(),
        documents: call.documents.clone(),
        steps: call
            .steps
            .iter()
            .map(|s| StepView {
                kind: s.kind.key().to_owned(),
                opens: instant(s.opens.unix()),
                deadlines: s.deadlines.iter().map(|d| instant(d.unix())).collect(),
            })
            .collect(),
        grid: call
            .grid
            .iter()
            .map(|g| CriterionView {
                key: g.key.clone(),
                label: g.label.clone(),
                weight: g.weight,
                max: g.max,
                guidance: g.guidance.clone(),
            })
            .collect(),
        applications,
    }))
}

/// The calls part of the OpenAPI document (assembled in `openapi.rs`).
#[derive(OpenApi)]
#[openapi(
    paths(list, one),
    components(schemas(CallSummary, CallView, StepView, CriterionView, ApplicationView, ScoreView, DecisionView, AmountView, ErrorBody)),
    tags((name = "calls", description = "Appels à projets: the published calls, and the whole of a call with its applications, scores and decisions for the cité's instructors."))
)]
pub(crate) struct Doc;

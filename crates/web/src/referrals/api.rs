//! The referrals through the JSON API, for operators (and professionals)
//! with their own tools: the list of one's referrals, one referral, and the
//! operator's answer — with a personal token (`Authorization: Bearer …`)
//! or a browser session. The same rules as the pages: who may open a
//! referral (404 for anyone else), who may answer it (403), in which
//! states (409), an administrator's opening recorded.

use axum::Json;
use axum::extract::{Path, State as AxumState};
use passerelle_domain::referral::{HistoryLine, Referral};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::{ANSWERS, Access, apply, mine, opened, operator_answer, store_error};
use crate::shared::ctx::{Api, ApiWriter, Editor, SignedIn, unix_now};
use crate::shared::error::{ApiError, AppError, ErrorBody};
use crate::shared::state::AppState;

/// A referral in a list: no personal field (open it to read them).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReferralSummary {
    pub(crate) id: i64,
    /// The action's fiche number.
    pub(crate) fiche: u32,
    pub(crate) action: String,
    /// `envoyee`, `acceptee`, `refusee`, `a-completer`, `expiree` or `annulee`.
    pub(crate) state: String,
    /// The state in French.
    pub(crate) state_label: String,
    /// RFC 3339, UTC.
    pub(crate) sent_at: String,
    /// When it entered its state (RFC 3339, UTC).
    pub(crate) since: String,
    /// How the asker stands to it: `sender` (sent it) or `operator` (answers it).
    pub(crate) role: String,
}

/// One line of a referral's history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HistoryView {
    /// RFC 3339, UTC.
    pub(crate) at: String,
    /// The account's email, `lien` for the mailed link, `horloge` for the clock.
    pub(crate) actor: String,
    /// `envoyee`, `acceptee`, `refusee`, `precisions-demandees`, `completee`,
    /// `annulee`, `expiree`, `consultee`, `lien-renouvele` or `relance`.
    pub(crate) event: String,
    /// The state after it.
    pub(crate) state: String,
    /// Its text (the next step, the reason, the question, the answer); empty once erased.
    pub(crate) note: String,
}

/// A referral, opened by its sender, its action's operator or an
/// administrator (whose opening is recorded).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReferralView {
    #[serde(flatten)]
    pub(crate) summary: ReferralSummary,
    /// RFC 3339, UTC; absent while open.
    pub(crate) closed_at: Option<String>,
    /// When the personal fields were erased (RFC 3339, UTC).
    pub(crate) erased_at: Option<String>,
    /// The family's request: `child` (first name or initials), `age`,
    /// `place`, `need`, `message`, `contact_by` (`Phone`, `Email`,
    /// `Professional`), `family_phone` or `family_email` when chosen, and
    /// `consent` (who recorded it, when, in which language, whether a
    /// parent gave it). Absent once erased.
    #[schema(value_type = Option<Object>)]
    pub(crate) details: Option<serde_json::Value>,
    /// Oldest first.
    pub(crate) history: Vec<HistoryView>,
    /// The answers the asker may give now (`accepter`, `refuser`, `preciser`).
    pub(crate) answers: Vec<String>,
}

/// The operator's answer.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AnswerRequest {
    /// `accepter` (with the next step), `refuser` (with the reason, for the
    /// professional only) or `preciser` (with the question).
    #[schema(example = "accepter")]
    pub(crate) decision: String,
    /// The next step (date, place, who calls whom), the reason or the question.
    #[schema(example = "Premier atelier mardi 14 h au centre social ; nous appelons la famille.")]
    pub(crate) text: String,
}

fn instant(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn summary(ed: &Editor, r: &Referral, how: Access) -> ReferralSummary {
    ReferralSummary {
        id: r.id,
        fiche: r.fiche,
        action: ed
            .here
            .snapshot()
            .action(r.fiche)
            .map_or_else(|| format!("fiche n° {}", r.fiche), |(_, a)| a.title.clone()),
        state: r.state.key().to_owned(),
        state_label: r.state.label().to_owned(),
        sent_at: instant(r.sent_at),
        since: instant(r.since),
        role: match how {
            Access::Sender => "sender",
            Access::Operator => "operator",
            Access::Support => "support",
        }
        .to_owned(),
    }
}

fn history(h: &HistoryLine) -> HistoryView {
    HistoryView {
        at: instant(h.at),
        actor: h.actor.clone(),
        event: h.event.clone(),
        state: h.state.key().to_owned(),
        note: h.note.clone(),
    }
}

fn view(ed: &Editor, r: &Referral, how: Access) -> ReferralView {
    let answers = if how == Access::Operator && r.details.is_some() {
        ANSWERS
            .into_iter()
            .filter(|d| operator_answer(d, "").is_some_and(|e| e.next(r.state).is_some()))
            .map(str::to_owned)
            .collect()
    } else {
        Vec::new()
    };
    ReferralView {
        summary: summary(ed, r, how),
        closed_at: r.closed_at.map(instant),
        erased_at: r.erased_at.map(instant),
        details: r
            .details
            .as_ref()
            .and_then(|d| serde_json::to_value(d).ok()),
        history: r.history.iter().map(history).collect(),
        answers,
    }
}

fn api(e: AppError) -> ApiError {
    e.api()
}

#[utoipa::path(get, path = "/api/v1/orientations", tag = "referrals",
    security(("token" = [])),
    responses((status = 200, description = "The referrals the account sent, then those sent to the actions it operates, newest first", body = Vec<ReferralSummary>),
        (status = 401, body = ErrorBody)))]
pub(crate) async fn list(
    Api(ed): Api<Editor>,
    Api(who): Api<SignedIn>,
) -> Result<Json<Vec<ReferralSummary>>, ApiError> {
    let (sent, received) = mine(&ed, &who).await.map_err(api)?;
    Ok(Json(
        sent.iter()
            .map(|r| summary(&ed, r, Access::Sender))
            .chain(received.iter().map(|r| summary(&ed, r, Access::Operator)))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/orientations/{id}", tag = "referrals",
    params(("id" = i64, Path, example = 1)),
    security(("token" = [])),
    responses((status = 200, body = ReferralView), (status = 401, body = ErrorBody),
        (status = 404, description = "No such referral, or the account may not open it", body = ErrorBody)))]
pub(crate) async fn one(
    Api(ed): Api<Editor>,
    Api(who): Api<SignedIn>,
    Path(id): Path<String>,
) -> Result<Json<ReferralView>, ApiError> {
    let (mut r, _, how) = opened(&ed, &who, &id).await.map_err(api)?;
    if how == Access::Support {
        ed.referrals
            .note_access(ed.cite(), r.id, who.account.email.as_str(), unix_now())
            .await
            .map_err(|e| api(store_error(e)))?;
        let (again, _, _) = opened(&ed, &who, &id).await.map_err(api)?;
        r = again;
    }
    Ok(Json(view(&ed, &r, how)))
}

#[utoipa::path(post, path = "/api/v1/orientations/{id}/reponse", tag = "referrals",
    params(("id" = i64, Path, example = 1)),
    request_body = AnswerRequest, security(("token" = [])),
    responses((status = 200, description = "Answered: the referral as it now is", body = ReferralView),
        (status = 401, body = ErrorBody), (status = 403, description = "Not the action's operator", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The referral's state does not allow this answer (any more)", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub(crate) async fn answer(
    AxumState(state): AxumState<AppState>,
    Api(ed): Api<Editor>,
    ApiWriter(who): ApiWriter,
    Path(id): Path<String>,
    raw: axum::body::Bytes,
) -> Result<Json<ReferralView>, ApiError> {
    let (r, _, how) = opened(&ed, &who, &id).await.map_err(api)?;
    if how != Access::Operator {
        return Err(api(AppError::Forbidden(
            "Seul l'opérateur de l'action répond à une orientation.".into(),
        )));
    }
    let req: AnswerRequest = serde_json::from_slice(&raw).map_err(|e| {
        api(AppError::Unprocessable(
            "body".into(),
            format!("JSON non conforme : {e}"),
        ))
    })?;
    let event = operator_answer(&req.decision, &req.text).ok_or_else(|| {
        api(AppError::Unprocessable(
            "decision".into(),
            "« accepter », « refuser » ou « preciser » est attendu".into(),
        ))
    })?;
    event
        .check()
        .map_err(|m| api(AppError::Unprocessable("text".into(), m)))?;
    if r.details.is_none()
        || apply(
            &state,
            &ed,
            &r,
            &event,
            who.account.email.as_str(),
            unix_now(),
        )
        .await
        .map_err(api)?
        .is_none()
    {
        return Err(api(AppError::Conflict(format!(
            "Cette orientation est {} : la réponse n'a pas été enregistrée.",
            r.state.label()
        ))));
    }
    let (r, _, how) = opened(&ed, &who, &id).await.map_err(api)?;
    Ok(Json(view(&ed, &r, how)))
}

/// The referrals part of the OpenAPI document (assembled in `openapi.rs`).
#[derive(OpenApi)]
#[openapi(
    paths(list, one, answer),
    components(schemas(ReferralSummary, ReferralView, HistoryView, AnswerRequest, ErrorBody)),
    tags((name = "referrals", description = "Orientations: a professional's referrals and the operator's answers, with a personal token."))
)]
pub(crate) struct Doc;

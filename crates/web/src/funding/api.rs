//! The money through the JSON API, for an account allowed to see it (a
//! personal token or a session): the funding lines of a year — all of
//! them for the cité's administrators and troïka and the national
//! readers, a referent's own actions' for a referent — and the envelopes
//! with their situation. Amounts are integers in euro cents.

use axum::Json;
use axum::extract::RawQuery;
use passerelle_domain::MoneyView;
use passerelle_domain::funding::{FundingLine, situation};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::{covers, store_error};
use crate::shared::ctx::{Api, Editor, Viewer};
use crate::shared::error::{ApiError, AppError, ErrorBody};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct YearQuery {
    /// The year (all years when absent).
    #[param(minimum = 1900, maximum = 2100)]
    pub(crate) year: Option<i32>,
}

/// The year asked (400 for one that is not a year).
fn year_of(raw: Option<&str>) -> Result<YearQuery, ApiError> {
    let pairs = crate::shared::params::pairs(raw).map_err(AppError::api)?;
    if pairs.iter().any(|(k, v)| k == "year" && v.is_empty()) {
        return Err(AppError::BadRequest("year".into(), "valeur vide".into()).api());
    }
    let year =
        crate::shared::params::number::<i32>(&pairs, "year", "une année").map_err(AppError::api)?;
    if let Some(y) = year.filter(|y| !(1900..=2100).contains(y)) {
        return Err(AppError::BadRequest(
            "year".into(),
            format!("{y} n'est pas une année du programme"),
        )
        .api());
    }
    Ok(YearQuery { year })
}

/// A payment of a line.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PaymentView {
    /// `YYYY-MM-DD`.
    pub(crate) date: String,
    pub(crate) amount_cents: i64,
    /// `acompte` or `solde`.
    pub(crate) kind: String,
}

/// A funding line: one action, year and funder.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LineView {
    pub(crate) fiche: u32,
    pub(crate) year: i32,
    /// `etat`, `commune`, `caf`, `departement`, `region`,
    /// `fonds-cite:<collège>`, `autre:<name>`.
    pub(crate) funder: String,
    /// As pages name it.
    pub(crate) funder_label: String,
    /// The scheme (*dispositif*).
    pub(crate) scheme: String,
    /// `numeraire` or `en-nature`.
    pub(crate) nature: String,
    pub(crate) requested_cents: i64,
    pub(crate) proposed_cents: i64,
    pub(crate) voted_cents: i64,
    pub(crate) committed_cents: i64,
    /// The sum of the payments.
    pub(crate) paid_cents: i64,
    pub(crate) rest_to_pay_cents: i64,
    /// `YYYY-MM-DD`.
    pub(crate) decision_date: Option<String>,
    pub(crate) decision_reference: Option<String>,
    pub(crate) convention_reference: Option<String>,
    /// `YYYY-MM-DD`.
    pub(crate) convention_date: Option<String>,
    pub(crate) payments: Vec<PaymentView>,
}

/// An envelope and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EnvelopeView {
    pub(crate) year: i32,
    /// As [`LineView::funder`].
    pub(crate) source: String,
    pub(crate) source_label: String,
    pub(crate) amount_cents: i64,
    /// Proposed (*programmé*).
    pub(crate) programmed_cents: i64,
    pub(crate) voted_cents: i64,
    pub(crate) committed_cents: i64,
    pub(crate) paid_cents: i64,
    /// The envelope less what is voted (negative when overspent).
    pub(crate) rest_cents: i64,
}

fn line_view(l: &FundingLine) -> LineView {
    LineView {
        fiche: l.fiche,
        year: l.year,
        funder: l.funder.key(),
        funder_label: l.funder.label(),
        scheme: l.scheme.clone(),
        nature: l.nature.key().into(),
        requested_cents: l.requested.0,
        proposed_cents: l.proposed.0,
        voted_cents: l.voted.0,
        committed_cents: l.committed.0,
        paid_cents: l.paid().0,
        rest_to_pay_cents: l.rest_to_pay().0,
        decision_date: l.decision.as_ref().map(|d| d.0.iso()),
        decision_reference: l.decision.as_ref().map(|d| d.1.clone()),
        convention_reference: l.convention.as_ref().map(|c| c.reference.clone()),
        convention_date: l.convention.as_ref().map(|c| c.date.iso()),
        payments: l
            .payments
            .iter()
            .map(|p| PaymentView {
                date: p.date.iso(),
                amount_cents: p.amount.0,
                kind: p.kind.key().into(),
            })
            .collect(),
    }
}

/// What the viewer sees of the cité's money: 401 signed out, 403 nothing.
fn view_of(viewer: &Viewer, cite: &str) -> Result<MoneyView, ApiError> {
    let Some(account) = &viewer.account else {
        return Err(AppError::api(AppError::Unauthorized(
            "Un jeton d'API ou une session est nécessaire pour lire les financements.".into(),
        )));
    };
    match account.money_view(cite) {
        MoneyView::None => Err(AppError::api(AppError::Forbidden(
            "Ce compte ne voit pas les financements de cette cité.".into(),
        ))),
        view => Ok(view),
    }
}

#[utoipa::path(get, path = "/api/v1/funding", tag = "funding", operation_id = "funding_lines",
    params(YearQuery),
    security(("token" = [])),
    responses((status = 200, description = "The funding lines of the year that the account sees, by action and funder; amounts in cents", body = Vec<LineView>),
        (status = 400, description = "A year that is not one", body = ErrorBody),
        (status = 401, description = "Signed out", body = ErrorBody),
        (status = 403, description = "This account sees no money of this cité", body = ErrorBody)))]
pub(crate) async fn lines(
    Api(ed): Api<Editor>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<LineView>>, ApiError> {
    let year = year_of(raw.as_deref())?.year;
    let view = view_of(&viewer, ed.cite())?;
    let catalogue = &ed.here.snapshot().catalogue;
    let lines = ed
        .funding
        .funding_lines(ed.cite(), year)
        .await
        .map_err(|e| AppError::api(store_error(e)))?;
    Ok(Json(
        lines
            .iter()
            .filter(|s| covers(&view, catalogue, s.line.fiche))
            .map(|s| line_view(&s.line))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/envelopes", tag = "funding", operation_id = "funding_envelopes",
    params(YearQuery),
    security(("token" = [])),
    responses((status = 200, description = "The envelopes of the year with what is programmed, voted, committed and paid of them; amounts in cents", body = Vec<EnvelopeView>),
        (status = 400, description = "A year that is not one", body = ErrorBody),
        (status = 401, description = "Signed out", body = ErrorBody),
        (status = 403, description = "This account does not see the envelopes of this cité", body = ErrorBody)))]
pub(crate) async fn envelopes(
    Api(ed): Api<Editor>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<EnvelopeView>>, ApiError> {
    let year = year_of(raw.as_deref())?.year;
    if view_of(&viewer, ed.cite())? != MoneyView::All {
        return Err(AppError::api(AppError::Forbidden(
            "Les enveloppes sont réservées à l'équipe de coordination, à la troïka et au niveau national.".into(),
        )));
    }
    let (lines, envelopes) = super::year_money(&ed, ed.cite(), year)
        .await
        .map_err(AppError::api)?;
    Ok(Json(
        envelopes
            .iter()
            .map(|e| {
                let s = situation(&envelopes, &lines, e.year, &e.source);
                EnvelopeView {
                    year: e.year,
                    source: e.source.key(),
                    source_label: e.source.label(),
                    amount_cents: e.amount.0,
                    programmed_cents: s.programmed.0,
                    voted_cents: s.voted.0,
                    committed_cents: s.committed.0,
                    paid_cents: s.paid.0,
                    rest_cents: s.rest.0,
                }
            })
            .collect(),
    ))
}

#[derive(OpenApi)]
#[openapi(
    paths(lines, envelopes),
    components(schemas(LineView, PaymentView, EnvelopeView, ErrorBody)),
    tags((name = "funding", description = "Financements: the funding lines (one per action, year and funder) and the envelopes with their situation, amounts in euro cents; for the accounts allowed to see a cité's money."))
)]
pub(crate) struct Doc;

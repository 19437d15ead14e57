//! The operator's financial report of a line (*compte rendu financier*):
//! the referent of the action (or the coordination, on their behalf)
//! fills the *réalisé* against the forecast per budget post, explains each
//! gap above 15 %, tells the year in a few lines, and submits it once;
//! the action's indicators of the year are the review's, shown beside.
//! The coordination accepts it: the line is *justifiée*.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::MoneyView;
use passerelle_domain::funding::report::{
    MAX_ROWS, Report, ReportProblem, ReportRow, ReportState, status,
};
use passerelle_domain::money::Cents;
use passerelle_store::calls::By;
use passerelle_store::funding::{StoredLine, StoredReport};

use super::{action_title, line_href, line_href_at, line_of, store_error, writer};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, answer, no_store, render};

/// A post as the form shows it.
pub(crate) struct RowView {
    pub(crate) index: usize,
    pub(crate) post: String,
    pub(crate) forecast: String,
    pub(crate) actual: String,
    pub(crate) gap: String,
    pub(crate) explanation: String,
}

/// An indicator of the action for the year.
pub(crate) struct IndicatorView {
    pub(crate) label: String,
    pub(crate) target: String,
    pub(crate) value: String,
}

#[derive(Template)]
#[template(path = "funding/report.html")]
pub(crate) struct ReportPage {
    pub(crate) meta: Meta,
    pub(crate) line_href: String,
    pub(crate) status: String,
    pub(crate) rows: Vec<RowView>,
    pub(crate) forecast: String,
    pub(crate) actual: String,
    pub(crate) narrative: String,
    pub(crate) indicators: Vec<IndicatorView>,
    pub(crate) submitted: String,
    pub(crate) accepted: String,
    pub(crate) problems: Vec<ReportProblem>,
    /// The form, while it is a draft and the viewer fills it: (csrf, post
    /// to, version).
    pub(crate) edit: Option<(String, String, i64)>,
    /// The coordination's acceptance, once submitted: (csrf, post to).
    pub(crate) accept: Option<(String, String)>,
}

fn report_href(line: &StoredLine, tail: &str) -> String {
    line_href_at(&line.line, &format!("/compte-rendu{tail}"))
}

/// Whether this account fills the report: the cité's administrators, and
/// the referent of an organisation operating the action.
fn fills(who: &SignedIn, line: &StoredLine, catalogue: &passerelle_domain::Catalogue) -> bool {
    let Some(cite) = who.cite() else { return false };
    who.account.writes_money(cite)
        || matches!(who.account.money_view(cite), MoneyView::Own(_))
            && super::covers(&who.account.money_view(cite), catalogue, line.line.fiche)
}

fn page(
    ed: &Editor,
    who: &SignedIn,
    line: &StoredLine,
    stored: Option<&StoredReport>,
    shown: &Report,
    problems: Vec<ReportProblem>,
) -> ReportPage {
    let catalogue = &ed.here.snapshot().catalogue;
    let l = &line.line;
    let today = crate::shared::text::paris_date(time::OffsetDateTime::now_utc());
    let state = stored.map(|s| s.state);
    let draft = !matches!(state, Some(ReportState::Remis | ReportState::Justifie));
    let mut rows: Vec<RowView> = shown
        .rows
        .iter()
        .enumerate()
        .map(|(index, r)| RowView {
            index,
            post: r.post.clone(),
            forecast: r.forecast.french(),
            actual: r.actual.french(),
            gap: r.gap_permille().map_or_else(
                || {
                    if r.actual.0 > 0 {
                        "non prévu".into()
                    } else {
                        "—".into()
                    }
                },
                |p| format!("{},{} %", p / 10, p % 10),
            ),
            explanation: r.explanation.clone(),
        })
        .collect();
    let editing = draft && fills(who, line, catalogue);
    if editing {
        let start = rows.len();
        rows.extend((start..start + 3).map(|index| RowView {
            index,
            post: String::new(),
            forecast: String::new(),
            actual: String::new(),
            gap: String::new(),
            explanation: String::new(),
        }));
    }
    let action = catalogue
        .programmes
        .iter()
        .rev()
        .flat_map(|p| &p.actions)
        .find(|a| a.fiche.get() == l.fiche);
    let indicators = action
        .map(|a| {
            a.review
                .indicators
                .iter()
                .map(|i| IndicatorView {
                    label: if i.unit.is_empty() {
                        i.label.clone()
                    } else {
                        format!("{} ({})", i.label, i.unit)
                    },
                    target: i.target.map(|t| t.french()).unwrap_or_else(|| "—".into()),
                    value: i.values.iter().find(|v| v.year == l.year).map_or_else(
                        || "pas encore renseigné au bilan".into(),
                        |v| passerelle_domain::review::number(v.value),
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    let moment = |m: Option<&(i64, String)>| {
        m.map(|(at, by)| format!("le {} par {by}", crate::shared::text::paris_moment(*at)))
            .unwrap_or_default()
    };
    let cite = who.cite().unwrap_or_default();
    ReportPage {
        meta: who.meta(
            format!(
                "Compte rendu financier {} — fiche {} — {}",
                l.year,
                l.fiche,
                l.funder.label()
            ),
            Nav::None,
        ),
        line_href: line_href(l),
        status: status(l.year, state, today)
            .map(|s| s.label())
            .unwrap_or_default(),
        rows,
        forecast: shown.forecast().french(),
        actual: shown.actual().french(),
        narrative: shown.narrative.clone(),
        indicators,
        submitted: moment(stored.and_then(|s| s.submitted.as_ref())),
        accepted: moment(stored.and_then(|s| s.accepted.as_ref())),
        problems,
        edit: editing.then(|| {
            (
                who.csrf(),
                report_href(line, ""),
                stored.map_or(0, |s| s.version),
            )
        }),
        accept: (state == Some(ReportState::Remis) && who.account.writes_money(cite))
            .then(|| (who.csrf(), report_href(line, "/accepter"))),
    }
}

/// `GET /financements/ligne/compte-rendu?…`: for those who see the line.
pub(crate) async fn show(
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    let line = line_of(&ed, &who, &asked).await?;
    let stored = ed
        .funding
        .funding_report(ed.cite(), &line.line.key())
        .await
        .map_err(store_error)?;
    let shown = stored
        .as_ref()
        .map(|s| s.report.clone())
        .unwrap_or_default();
    let p = page(&ed, &who, &line, stored.as_ref(), &shown, Vec::new());
    Ok(no_store(render(&p)?.into_response()))
}

/// The report a form sent, with what cannot be read in it.
fn read(sent: &Submitted) -> (Report, Vec<ReportProblem>) {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for i in 0..MAX_ROWS {
        let field = |name: &str| sent.get(&format!("{name}.{i}")).trim().to_owned();
        let (post, forecast, actual, explanation) = (
            field("post"),
            field("forecast"),
            field("actual"),
            field("explanation"),
        );
        if [&post, &forecast, &actual, &explanation]
            .iter()
            .all(|v| v.is_empty())
        {
            continue;
        }
        let mut amount = |name: &str, typed: &str, what: &str| {
            if typed.is_empty() {
                return Cents(0);
            }
            Cents::parse(typed).unwrap_or_else(|e| {
                problems.push(ReportProblem {
                    field: format!("{name}.{i}"),
                    message: format!("Ligne {} : {what} : {e}.", i + 1),
                });
                Cents(0)
            })
        };
        rows.push(ReportRow {
            forecast: amount("forecast", &forecast, "prévu"),
            actual: amount("actual", &actual, "réalisé"),
            post,
            explanation,
        });
    }
    (
        Report {
            rows,
            narrative: sent.get("narrative").trim().to_owned(),
        },
        problems,
    )
}

/// `POST /financements/ligne/compte-rendu?…`: saves the draft, or submits
/// it (`intent=remettre`) once nothing is missing.
pub(crate) async fn save(
    ed: Editor,
    Query(asked): Query<Submitted>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let line = line_of(&ed, &who, &asked).await?;
    if !fills(&who, &line, &ed.here.snapshot().catalogue) {
        return Err(AppError::Forbidden(
            "Le compte rendu financier est rempli par le référent de l'action ou par l'équipe de coordination.".into(),
        ));
    }
    let key = line.line.key();
    let stored = ed
        .funding
        .funding_report(ed.cite(), &key)
        .await
        .map_err(store_error)?;
    let (report, mut problems) = read(&sent);
    let submit = sent.get("intent") == "remettre";
    if submit && problems.is_empty() {
        problems = report.problems();
    }
    if !problems.is_empty() {
        let p = page(&ed, &who, &line, stored.as_ref(), &report, problems);
        return answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let expected: i64 = sent.get("version").parse().unwrap_or(-1);
    let by = By {
        actor: who.account.email.as_str(),
        now: crate::shared::ctx::unix_now(),
    };
    let saved = ed
        .funding
        .save_report(ed.cite(), &key, &report, submit, expected, by)
        .await
        .map_err(store_error)?;
    if !saved {
        let current = ed
            .funding
            .funding_report(ed.cite(), &key)
            .await
            .map_err(store_error)?;
        let shown = current
            .as_ref()
            .map(|s| s.report.clone())
            .unwrap_or_default();
        let problem = ReportProblem {
            field: "narrative".into(),
            message:
                "Ce compte rendu a été enregistré ou remis entre-temps : voici sa version actuelle."
                    .into(),
        };
        let p = page(&ed, &who, &line, current.as_ref(), &shown, vec![problem]);
        return answer(StatusCode::CONFLICT, &p);
    }
    Ok(who.see_other(&report_href(&line, "")))
}

/// `POST /financements/ligne/compte-rendu/accepter?…`: the coordination
/// accepts a submitted report; the line is *justifiée*.
pub(crate) async fn accept(
    ed: Editor,
    Query(asked): Query<Submitted>,
    Posted { who, form: _ }: Posted<Submitted>,
) -> Result<Response, AppError> {
    writer(&who)?;
    let line = line_of(&ed, &who, &asked).await?;
    let by = By {
        actor: who.account.email.as_str(),
        now: crate::shared::ctx::unix_now(),
    };
    let done = ed
        .funding
        .accept_report(ed.cite(), &line.line.key(), by)
        .await
        .map_err(store_error)?;
    if !done {
        return Err(AppError::Conflict(format!(
            "Le compte rendu de la fiche {} ({}) n'est pas remis, ou il est déjà accepté.",
            line.line.fiche,
            action_title(&ed.here.snapshot().catalogue, line.line.fiche)
        )));
    }
    Ok(who.see_other(&report_href(&line, "")))
}

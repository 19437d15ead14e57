//! The administrators' side of a call: the list of the cité's calls, the
//! editor (text, axes and priorities, who may apply, what it funds, the
//! documents asked for, one or two steps with their deadlines in Paris
//! time, the scoring grid), its publication, and its reviewers.

use askama::Template;
use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::Slug;
use passerelle_domain::call::{Call, Criterion, MAX_CRITERIA, ParisTime, Problem, Step, StepKind};
use passerelle_domain::text::lines;
use passerelle_store::calls::{By, StoredCall};

use super::{call_of, now, store_error};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::{OptionView, Submitted};
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

const REFUSAL: &str = "Les appels à projets sont gérés par l'équipe de coordination de la cité.";
/// Deadlines a step offers.
const DEADLINES: usize = 3;

fn administrator(who: &SignedIn) -> Result<(), AppError> {
    who.administrator(REFUSAL).map(|_| ())
}

#[derive(Template)]
#[template(path = "calls/admin_list.html")]
pub(crate) struct ListPage {
    pub(crate) meta: Meta,
    /// (edit href, instruction href, public href, title, status).
    pub(crate) calls: Vec<(String, String, String, String, String)>,
}

/// `GET /admin/appels`.
pub(crate) async fn list(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    administrator(&who)?;
    let at = now();
    let calls = ed.calls.calls(ed.cite()).await.map_err(store_error)?;
    Ok(no_store(
        render(&ListPage {
            meta: who.meta("Appels à projets : gestion", Nav::None),
            calls: calls
                .iter()
                .map(|c| {
                    let status = match c.published_at {
                        None => "brouillon".to_owned(),
                        Some(_) if c.call.is_open(at) => "publié, ouvert".to_owned(),
                        Some(_) if c.call.is_over(at) => "publié, clos".to_owned(),
                        Some(_) => "publié, à venir".to_owned(),
                    };
                    (
                        format!("/admin/appels/{}", c.id),
                        format!("/admin/appels/{}/instruction", c.id),
                        format!("/appels/{}", c.id),
                        c.call.title.clone(),
                        status,
                    )
                })
                .collect(),
        })?
        .into_response(),
    ))
}

/// A member of the cité, as the reviewers' form offers them.
pub(crate) struct Member {
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) chosen: bool,
}

/// A step's fields in the editor.
pub(crate) struct StepFields {
    pub(crate) i: usize,
    pub(crate) kind: String,
    pub(crate) opens_date: String,
    pub(crate) opens_time: String,
    /// (j, date, time).
    pub(crate) deadlines: Vec<(usize, String, String)>,
}

/// A criterion's fields in the editor.
pub(crate) struct CriterionFields {
    pub(crate) i: usize,
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) weight: String,
    pub(crate) max: String,
    pub(crate) guidance: String,
}

#[derive(Template)]
#[template(path = "calls/edit.html")]
pub(crate) struct EditPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) post_to: String,
    pub(crate) version: i64,
    pub(crate) published: bool,
    pub(crate) problems: Vec<Problem>,
    pub(crate) notice: Option<String>,
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) axes: Vec<OptionView>,
    pub(crate) priorities: String,
    pub(crate) eligible: String,
    pub(crate) funds: String,
    pub(crate) documents: String,
    pub(crate) spread_alert: String,
    pub(crate) steps: Vec<StepFields>,
    pub(crate) grid: Vec<CriterionFields>,
    /// The latest seminar's contributions the call may answer.
    pub(crate) contributions: Vec<OptionView>,
    /// The reviewers' form: where it is posted, and the cité's members.
    pub(crate) reviewers: Option<(String, Vec<Member>)>,
}

/// What the editor shows of what was sent (or stored).
fn fields(sent: &Submitted) -> (Vec<StepFields>, Vec<CriterionFields>) {
    let steps = (0..2)
        .map(|i| StepFields {
            i,
            kind: sent.get(&format!("steps.{i}.kind")).to_owned(),
            opens_date: sent.get(&format!("steps.{i}.opens_date")).to_owned(),
            opens_time: sent.get(&format!("steps.{i}.opens_time")).to_owned(),
            deadlines: (0..DEADLINES)
                .map(|j| {
                    (
                        j,
                        sent.get(&format!("steps.{i}.deadline.{j}.date")).to_owned(),
                        sent.get(&format!("steps.{i}.deadline.{j}.time")).to_owned(),
                    )
                })
                .collect(),
        })
        .collect();
    let grid = (0..MAX_CRITERIA.min(8))
        .map(|i| CriterionFields {
            i,
            key: sent.get(&format!("grid.{i}.key")).to_owned(),
            label: sent.get(&format!("grid.{i}.label")).to_owned(),
            weight: sent.get(&format!("grid.{i}.weight")).to_owned(),
            max: sent.get(&format!("grid.{i}.max")).to_owned(),
            guidance: sent.get(&format!("grid.{i}.guidance")).to_owned(),
        })
        .collect();
    (steps, grid)
}

/// A stored call as the editor's fields.
fn sent_of(call: &Call) -> Submitted {
    let mut pairs: Vec<(String, String)> = vec![
        ("title".into(), call.title.clone()),
        ("text".into(), call.text.clone()),
        ("priorities".into(), call.priorities.join("\n")),
        ("eligible".into(), call.eligible.clone()),
        ("funds".into(), call.funds.clone()),
        ("documents".into(), call.documents.join("\n")),
        ("spread_alert".into(), call.spread_alert.to_string()),
    ];
    pairs.extend(call.axes.iter().map(|a| ("axes".to_owned(), a.to_string())));
    pairs.extend(
        call.contributions
            .iter()
            .map(|c| ("contributions".to_owned(), c.to_string())),
    );
    for (i, s) in call.steps.iter().enumerate() {
        pairs.push((format!("steps.{i}.kind"), s.kind.key().to_owned()));
        pairs.push((format!("steps.{i}.opens_date"), s.opens.date.iso()));
        pairs.push((format!("steps.{i}.opens_time"), s.opens.clock()));
        for (j, d) in s.deadlines.iter().enumerate() {
            pairs.push((format!("steps.{i}.deadline.{j}.date"), d.date.iso()));
            pairs.push((format!("steps.{i}.deadline.{j}.time"), d.clock()));
        }
    }
    for (i, c) in call.grid.iter().enumerate() {
        pairs.push((format!("grid.{i}.key"), c.key.clone()));
        pairs.push((format!("grid.{i}.label"), c.label.clone()));
        pairs.push((format!("grid.{i}.weight"), c.weight.to_string()));
        pairs.push((format!("grid.{i}.max"), c.max.to_string()));
        pairs.push((format!("grid.{i}.guidance"), c.guidance.clone()));
    }
    Submitted::new(pairs)
}

/// The call the editor's fields describe, or every problem, by field.
pub(crate) fn parse(sent: &Submitted) -> Result<Call, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |field: String, message: String| problems.push(Problem { field, message });
    let mut steps = Vec::new();
    for i in 0..2 {
        let kind = sent.get(&format!("steps.{i}.kind"));
        if kind.is_empty() {
            continue;
        }
        let Some(kind) = StepKind::from_key(kind) else {
            problem(
                format!("steps.{i}.kind"),
                format!("Étape {} : choisissez son type.", i + 1),
            );
            continue;
        };
        let date = sent.get(&format!("steps.{i}.opens_date"));
        let Some(opens) = ParisTime::parse(date, sent.get(&format!("steps.{i}.opens_time"))) else {
            problem(
                format!("steps.{i}.opens_date"),
                format!(
                    "Étape {} : « {date} » n'est pas une date et une heure d'ouverture.",
                    i + 1
                ),
            );
            continue;
        };
        let mut deadlines = Vec::new();
        for j in 0..DEADLINES {
            let date = sent.get(&format!("steps.{i}.deadline.{j}.date"));
            if date.trim().is_empty() {
                continue;
            }
            match ParisTime::parse(date, sent.get(&format!("steps.{i}.deadline.{j}.time"))) {
                Some(d) => deadlines.push(d),
                None => problem(
                    format!("steps.{i}.deadline.{j}.date"),
                    format!(
                        "Étape {}, date limite {} : « {date} » n'est pas une date et une heure.",
                        i + 1,
                        j + 1
                    ),
                ),
            }
        }
        steps.push(Step {
            kind,
            opens,
            deadlines,
        });
    }
    let mut grid = Vec::new();
    for i in 0..MAX_CRITERIA {
        let label = sent.get(&format!("grid.{i}.label")).trim();
        if label.is_empty() {
            continue;
        }
        let number = |name: &str, default: u32| {
            let typed = sent.get(&format!("grid.{i}.{name}")).trim();
            if typed.is_empty() {
                Some(default)
            } else {
                typed.parse::<u32>().ok()
            }
        };
        let (Some(weight), Some(max)) = (number("weight", 1), number("max", 4)) else {
            problem(
                format!("grid.{i}.weight"),
                format!(
                    "Critère {} : le poids et l'échelle sont des nombres entiers.",
                    i + 1
                ),
            );
            continue;
        };
        let typed_key = sent.get(&format!("grid.{i}.key")).trim();
        let key = if typed_key.is_empty() {
            Slug::from_text(label).as_str().to_owned()
        } else {
            match Slug::parse(typed_key) {
                Ok(s) => s.as_str().to_owned(),
                Err(_) => {
                    problem(
                        format!("grid.{i}.key"),
                        format!(
                            "Critère {} : l'identifiant s'écrit en minuscules, chiffres et tirets (« {typed_key} »).",
                            i + 1
                        ),
                    );
                    continue;
                }
            }
        };
        grid.push(Criterion {
            key,
            label: label.to_owned(),
            weight,
            max,
            guidance: sent.get(&format!("grid.{i}.guidance")).trim().to_owned(),
        });
    }
    let spread = sent.get("spread_alert").trim();
    let spread_alert = if spread.is_empty() {
        Some(20)
    } else {
        spread.parse().ok()
    };
    let Some(spread_alert) = spread_alert else {
        problem(
            "spread_alert".into(),
            format!("« {spread} » n'est pas un nombre de points."),
        );
        return Err(problems);
    };
    let call = Call {
        title: sent.get("title").trim().to_owned(),
        text: sent.get("text").trim().to_owned(),
        axes: sent
            .all("axes")
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect(),
        priorities: lines(sent.get("priorities")),
        contributions: sent
            .all("contributions")
            .iter()
            .filter_map(|c| c.parse().ok())
            .collect(),
        eligible: sent.get("eligible").trim().to_owned(),
        funds: sent.get("funds").trim().to_owned(),
        documents: lines(sent.get("documents")),
        steps,
        grid,
        spread_alert,
    };
    problems.extend(call.problems());
    if problems.is_empty() {
        Ok(call)
    } else {
        Err(problems)
    }
}

async fn edit_page(
    state: &AppState,
    ed: &Editor,
    who: &SignedIn,
    stored: Option<&StoredCall>,
    sent: &Submitted,
    problems: Vec<Problem>,
    notice: Option<String>,
) -> Result<EditPage, AppError> {
    let (steps, grid) = fields(sent);
    let snapshot = ed.here.snapshot();
    let chosen_axes = sent.all("axes");
    let axes = snapshot
        .programme()
        .map(|p| {
            p.axes
                .iter()
                .map(|a| OptionView {
                    value: a.number.to_string(),
                    label: format!("Axe {} : {}", a.number, a.title),
                    selected: chosen_axes.contains(&a.number.to_string()),
                })
                .collect()
        })
        .unwrap_or_default();
    let reviewers = match stored {
        Some(c) => {
            let members = super::members(state, ed.cite())
                .await?
                .into_iter()
                .map(|a| {
                    let email = a.email.to_string();
                    let chosen = c.reviewers.iter().any(|r| r.eq_ignore_ascii_case(&email));
                    Member {
                        email,
                        name: a.name.clone(),
                        chosen,
                    }
                })
                .collect();
            Some((format!("/admin/appels/{}/evaluateurs", c.id), members))
        }
        None => None,
    };
    let chosen_contributions = sent.all("contributions");
    let contributions = super::seminar_contributions(ed)
        .await?
        .into_iter()
        .map(|c| OptionView {
            selected: chosen_contributions.contains(&c.id.to_string()),
            value: c.id.to_string(),
            label: c.text,
        })
        .collect();
    let g = |n: &str| sent.get(n).to_owned();
    Ok(EditPage {
        contributions,
        meta: who.meta(
            stored.map_or_else(
                || "Nouvel appel à projets".to_owned(),
                |c| format!("Modifier l'appel : {}", c.call.title),
            ),
            Nav::None,
        ),
        csrf: who.csrf(),
        post_to: stored.map_or_else(
            || "/admin/appels".to_owned(),
            |c| format!("/admin/appels/{}", c.id),
        ),
        version: stored.map_or(0, |c| c.version),
        published: stored.is_some_and(|c| c.published_at.is_some()),
        problems,
        notice,
        title: g("title"),
        text: g("text"),
        axes,
        priorities: g("priorities"),
        eligible: g("eligible"),
        funds: g("funds"),
        documents: g("documents"),
        spread_alert: g("spread_alert"),
        steps,
        grid,
        reviewers,
    })
}

/// `GET /admin/appels/{id}` (`nouveau`: an empty editor).
pub(crate) async fn edit(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    administrator(&who)?;
    if id == "nouveau" {
        let sent = Submitted::new(vec![
            ("steps.0.kind".into(), "dossier".into()),
            ("steps.0.opens_time".into(), "09:00".into()),
            ("steps.0.deadline.0.time".into(), "12:00".into()),
            ("spread_alert".into(), "20".into()),
        ]);
        let p = edit_page(&state, &ed, &who, None, &sent, Vec::new(), None).await?;
        return Ok(no_store(render(&p)?.into_response()));
    }
    let call = call_of(&ed, &id).await?;
    let p = edit_page(
        &state,
        &ed,
        &who,
        Some(&call),
        &sent_of(&call.call),
        Vec::new(),
        None,
    )
    .await?;
    Ok(no_store(render(&p)?.into_response()))
}

/// `POST /admin/appels`: a new call, saved as a draft (or published).
pub(crate) async fn create(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    administrator(&who)?;
    let call = match parse(&sent) {
        Ok(c) => c,
        Err(problems) => {
            let p = edit_page(&state, &ed, &who, None, &sent, problems, None).await?;
            return super::answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    let actor = who.account.email.as_str();
    let id = ed
        .calls
        .create_call(ed.cite(), &call, actor, now())
        .await
        .map_err(store_error)?;
    if sent.get("intent") == "publier" {
        ed.calls
            .save_call(ed.cite(), id, &call, 1, true, By { actor, now: now() })
            .await
            .map_err(store_error)?;
    }
    Ok(who.see_other(&format!("/admin/appels/{id}?enregistre=1")))
}

/// `POST /admin/appels/{id}`: saves the call from the version it was read
/// in (a save meanwhile is shown, nothing overwritten); `intent=publier`
/// publishes it.
pub(crate) async fn save(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    administrator(&who)?;
    let stored = call_of(&ed, &id).await?;
    let call = match parse(&sent) {
        Ok(c) => c,
        Err(problems) => {
            let p = edit_page(&state, &ed, &who, Some(&stored), &sent, problems, None).await?;
            return super::answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    let version: i64 = sent.get("version").parse().unwrap_or(0);
    let publish = sent.get("intent") == "publier";
    let saved = ed
        .calls
        .save_call(
            ed.cite(),
            stored.id,
            &call,
            version,
            publish,
            By {
                actor: who.account.email.as_str(),
                now: now(),
            },
        )
        .await
        .map_err(store_error)?;
    if saved.is_none() {
        let problems = vec![Problem {
            field: "title".into(),
            message: "Quelqu'un a modifié cet appel pendant que vous l'écriviez : vos changements sont ci-dessous, non enregistrés ; rechargez la page pour voir les siens, puis reportez les vôtres.".into(),
        }];
        let p = edit_page(&state, &ed, &who, Some(&stored), &sent, problems, None).await?;
        return super::answer(StatusCode::CONFLICT, &p);
    }
    Ok(who.see_other(&format!("/admin/appels/{}?enregistre=1", stored.id)))
}

/// `POST /admin/appels/{id}/evaluateurs`: the call's reviewers, among the
/// cité's members (`reviewer`, repeated).
pub(crate) async fn reviewers(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    administrator(&who)?;
    let call = call_of(&ed, &id).await?;
    let members: Vec<String> = super::members(&state, ed.cite())
        .await?
        .into_iter()
        .map(|a| a.email.to_string())
        .collect();
    let chosen: Vec<String> = sent
        .all("reviewer")
        .iter()
        .filter(|r| members.iter().any(|m| m.eq_ignore_ascii_case(r)))
        .cloned()
        .collect();
    ed.calls
        .set_reviewers(
            ed.cite(),
            call.id,
            &chosen,
            who.account.email.as_str(),
            now(),
        )
        .await
        .map_err(store_error)?;
    Ok(who.see_other(&format!(
        "/admin/appels/{}?evaluateurs=1#evaluateurs",
        call.id
    )))
}

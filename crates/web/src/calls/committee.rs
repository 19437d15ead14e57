//! The committee that decides: a meeting (its day, the members present)
//! whose agenda is the applications in instruction, best mean score
//! first; for each, the decision, its reason (a refusal's is sent to the
//! applicant, kindly worded) and the amount proposed per funder line, in
//! cents; the minutes typeset as a PDF, as the booklet is.

use askama::Template;
use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::call::application::Application;
use passerelle_domain::call::{Event, Problem, Score, State, scored};
use passerelle_domain::money::Cents;
use passerelle_store::calls::{By, Committee, Decision, StoredCall};

use super::{Standing, apply_event, call_of, is_instructor, not_found, now, store_error};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

const REFUSAL: &str = "Les comités sont réunis par l'équipe de coordination et la troïka.";
/// Funder lines a decision offers below those the budget asked for.
const SPARE_LINES: usize = 2;

fn instructor(who: &SignedIn) -> Result<(), AppError> {
    if is_instructor(who) {
        Ok(())
    } else {
        Err(AppError::Forbidden(REFUSAL.into()))
    }
}

#[derive(Template)]
#[template(path = "calls/committees.html")]
pub(crate) struct CommitteesPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) post_to: String,
    /// (href, day, members).
    pub(crate) committees: Vec<(String, String, String)>,
    pub(crate) problems: Vec<Problem>,
    pub(crate) held_on: String,
    pub(crate) members: String,
}

fn day(iso: &str) -> String {
    passerelle_domain::referral::parse_date(iso).map_or_else(|| iso.to_owned(), |d| d.french())
}

async fn committees_page(
    ed: &Editor,
    who: &SignedIn,
    call: &StoredCall,
    problems: Vec<Problem>,
    sent: &Submitted,
) -> Result<CommitteesPage, AppError> {
    let list = ed
        .calls
        .committees(ed.cite(), call.id)
        .await
        .map_err(store_error)?;
    Ok(CommitteesPage {
        meta: who.meta(format!("Comités : {}", call.call.title), Nav::None),
        csrf: who.csrf(),
        post_to: format!("/admin/appels/{}/comites", call.id),
        committees: list
            .iter()
            .map(|c| {
                (
                    format!("/admin/appels/{}/comites/{}", call.id, c.id),
                    day(&c.held_on),
                    c.members.join(", "),
                )
            })
            .collect(),
        problems,
        held_on: sent.get("held_on").to_owned(),
        members: sent.get("members").to_owned(),
    })
}

/// `GET /admin/appels/{id}/comites`.
pub(crate) async fn list(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    instructor(&who)?;
    let call = call_of(&ed, &id).await?;
    let p = committees_page(&ed, &who, &call, Vec::new(), &Submitted::default()).await?;
    Ok(no_store(render(&p)?.into_response()))
}

/// `POST /admin/appels/{id}/comites`: a meeting, its day and the members
/// present (one per line).
pub(crate) async fn create(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    instructor(&who)?;
    let call = call_of(&ed, &id).await?;
    let Some(held_on) = passerelle_domain::referral::parse_date(sent.get("held_on")) else {
        let problems = vec![Problem {
            field: "held_on".into(),
            message: "Donnez le jour du comité.".into(),
        }];
        let p = committees_page(&ed, &who, &call, problems, &sent).await?;
        return super::answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
    };
    let members = passerelle_domain::text::lines(sent.get("members"));
    let committee = ed
        .calls
        .create_committee(
            ed.cite(),
            call.id,
            &held_on.iso(),
            &members,
            By {
                actor: who.account.email.as_str(),
                now: now(),
            },
        )
        .await
        .map_err(store_error)?;
    Ok(who.see_other(&format!("/admin/appels/{}/comites/{committee}", call.id)))
}

/// An application on the agenda.
pub(crate) struct Item {
    pub(crate) id: i64,
    pub(crate) href: String,
    pub(crate) post_to: String,
    pub(crate) title: String,
    pub(crate) structure: String,
    pub(crate) score: String,
    /// (index, funder, amount as typed).
    pub(crate) lines: Vec<(usize, String, String)>,
}

#[derive(Template)]
#[template(path = "calls/committee.html")]
pub(crate) struct CommitteePage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) title: String,
    pub(crate) held_on: String,
    pub(crate) members: Vec<String>,
    pub(crate) pdf: String,
    pub(crate) agenda: Vec<Item>,
    /// (title, decision, reason, amounts).
    pub(crate) decided: Vec<(String, &'static str, String, String)>,
    pub(crate) problems: Vec<Problem>,
}

/// Everything a committee's pages read.
struct Meeting {
    call: StoredCall,
    committee: Committee,
    /// The submitted applications, scores and conflicts (read at the
    /// call's revision).
    read: std::sync::Arc<super::instruct::Submitted>,
    decisions: Vec<Decision>,
}

async fn meeting(ed: &Editor, id: &str, cid: &str) -> Result<Meeting, AppError> {
    let call = call_of(ed, id).await?;
    let cid: i64 = cid.parse().map_err(|_| not_found())?;
    let committee = ed
        .calls
        .committees(ed.cite(), call.id)
        .await
        .map_err(store_error)?
        .into_iter()
        .find(|c| c.id == cid)
        .ok_or_else(not_found)?;
    let read = super::instruct::submitted(ed, &call).await?;
    let decisions = ed
        .calls
        .decisions(ed.cite(), call.id)
        .await
        .map_err(store_error)?;
    Ok(Meeting {
        call,
        committee,
        read,
        decisions,
    })
}

impl Meeting {
    /// An application's mean score, its reviewers' conflicts aside.
    fn mean(&self, app: i64) -> Option<u32> {
        let theirs: Vec<Score> = self
            .read
            .scores
            .iter()
            .filter(|(a, _)| *a == app)
            .map(|(_, s)| s.clone())
            .collect();
        scored(&self.call.call.grid, &self.call.reviewers, &theirs).mean
    }

    fn score(&self, app: i64) -> String {
        self.mean(app)
            .map_or_else(|| "—".to_owned(), |m| format!("{m} / 100"))
    }

    /// The applications ready for decision, best mean first.
    fn agenda(&self) -> Vec<&Application> {
        let mut out: Vec<&Application> = self
            .read
            .apps
            .iter()
            .filter(|a| a.state == State::EnInstruction)
            .collect();
        out.sort_by_key(|a| (std::cmp::Reverse(self.mean(a.id)), a.id));
        out
    }

    /// The decisions this committee took, in the order of the scores.
    fn decided(&self) -> Vec<(&Application, &Decision)> {
        let mut out: Vec<(&Application, &Decision)> = self
            .decisions
            .iter()
            .filter(|d| d.committee == self.committee.id)
            .filter_map(|d| {
                self.read
                    .apps
                    .iter()
                    .find(|a| a.id == d.application)
                    .map(|a| (a, d))
            })
            .collect();
        out.sort_by_key(|(a, _)| (std::cmp::Reverse(self.mean(a.id)), a.id));
        out
    }
}

fn decision_label(state: State) -> &'static str {
    match state {
        State::Retenue => "retenue",
        State::Refusee => "refusée",
        _ => "classée sans suite",
    }
}

fn amounts_text(amounts: &[(String, Cents)]) -> String {
    amounts
        .iter()
        .map(|(f, c)| format!("{f} : {}", c.french()))
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn committee_page(who: &SignedIn, m: &Meeting, problems: Vec<Problem>) -> CommitteePage {
    let base = format!("/admin/appels/{}/comites/{}", m.call.id, m.committee.id);
    CommitteePage {
        meta: who.meta(
            format!(
                "Comité du {} : {}",
                day(&m.committee.held_on),
                m.call.call.title
            ),
            Nav::None,
        ),
        csrf: who.csrf(),
        title: m.call.call.title.clone(),
        held_on: day(&m.committee.held_on),
        members: m.committee.members.clone(),
        pdf: format!("{base}/proces-verbal.pdf"),
        agenda: m
            .agenda()
            .into_iter()
            .map(|a| {
                let (lines, _) = a.form.budget_lines();
                let mut rows: Vec<(String, String)> = lines
                    .iter()
                    .filter(|l| l.account == 74)
                    .map(|l| (l.funder.clone().unwrap_or_default(), l.amount.french()))
                    .collect();
                rows.extend(std::iter::repeat_n(
                    (String::new(), String::new()),
                    SPARE_LINES,
                ));
                Item {
                    id: a.id,
                    href: format!("/candidatures/{}", a.id),
                    post_to: format!("{base}/decisions/{}", a.id),
                    title: a.title(),
                    structure: a.form.structure.clone(),
                    score: m.score(a.id),
                    lines: rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, (f, amount))| (i, f, amount.replace(['\u{202f}', '\u{a0}'], " ")))
                        .collect(),
                }
            })
            .collect(),
        decided: m
            .decided()
            .into_iter()
            .map(|(a, d)| {
                (
                    a.title(),
                    decision_label(d.state),
                    d.reason.clone(),
                    amounts_text(&d.amounts),
                )
            })
            .collect(),
        problems,
    }
}

/// `GET /admin/appels/{id}/comites/{cid}`: the agenda and the decisions.
pub(crate) async fn show(
    ed: Editor,
    who: SignedIn,
    Path((id, cid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    instructor(&who)?;
    let m = meeting(&ed, &id, &cid).await?;
    Ok(no_store(
        render(&committee_page(&who, &m, Vec::new()))?.into_response(),
    ))
}

/// `POST /admin/appels/{id}/comites/{cid}/decisions/{app}`: `decision`
/// (`retenir`, `refuser`, `classer-sans-suite`), `reason` (needed for a
/// refusal), and the amounts proposed (`line.{i}.funder`,
/// `line.{i}.amount`), read to the cent.
pub(crate) async fn decide(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path((id, cid, app)): Path<(String, String, String)>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    instructor(&who)?;
    let m = meeting(&ed, &id, &cid).await?;
    let o = super::opened(&ed, &who, &app).await?;
    if o.call.id != m.call.id || o.standing != Standing::Instructor {
        return Err(not_found());
    }
    let mut problems = Vec::new();
    let event = Event::from_key(sent.get("decision"))
        .filter(|e| matches!(e, Event::Retain | Event::Refuse | Event::Drop));
    let reason = sent.get("reason").trim().to_owned();
    match event {
        None => problems.push(Problem {
            field: format!("decision-{}", o.app.id),
            message: format!("« {} » : choisissez la décision.", o.app.title()),
        }),
        Some(Event::Refuse) if reason.is_empty() => problems.push(Problem {
            field: format!("reason-{}", o.app.id),
            message: format!(
                "« {} » : écrivez la raison du refus ; elle est envoyée au porteur de projet.",
                o.app.title()
            ),
        }),
        _ => {}
    }
    let mut amounts = Vec::new();
    if event == Some(Event::Retain) {
        for i in 0..sent.rows("line") {
            let funder = sent.get(&format!("line.{i}.funder")).trim();
            let typed = sent.get(&format!("line.{i}.amount")).trim();
            if typed.is_empty() {
                continue;
            }
            match Cents::parse(typed) {
                Ok(c) if !funder.is_empty() => amounts.push((funder.to_owned(), c)),
                Ok(_) => problems.push(Problem {
                    field: format!("line-{}-{i}-funder", o.app.id),
                    message: format!(
                        "« {} », ligne {} : nommez le financeur.",
                        o.app.title(),
                        i + 1
                    ),
                }),
                Err(e) => problems.push(Problem {
                    field: format!("line-{}-{i}-amount", o.app.id),
                    message: format!("« {} », ligne {} : {e}.", o.app.title(), i + 1),
                }),
            }
        }
    }
    let Some(event) = event.filter(|_| problems.is_empty()) else {
        return super::answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            &committee_page(&who, &m, problems),
        );
    };
    if o.app.state != State::EnInstruction {
        return Err(AppError::Conflict(format!(
            "« {} » est {} : elle n'est plus à l'ordre du jour.",
            o.app.title(),
            o.app.state.label()
        )));
    }
    let decided = apply_event(
        &state,
        &ed,
        &o,
        event,
        who.account.email.as_str(),
        &reason,
        Some((m.committee.id, &amounts)),
    )
    .await?;
    if !decided {
        return Err(AppError::Conflict(
            "Cette candidature a changé entre-temps : rechargez la page.".into(),
        ));
    }
    Ok(who.see_other(&format!(
        "/admin/appels/{}/comites/{}#decisions",
        m.call.id, m.committee.id
    )))
}

/// `GET /admin/appels/{id}/comites/{cid}/proces-verbal.pdf`.
pub(crate) async fn minutes(
    ed: Editor,
    who: SignedIn,
    Path((id, cid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    instructor(&who)?;
    let m = meeting(&ed, &id, &cid).await?;
    let held_on = passerelle_domain::referral::parse_date(&m.committee.held_on)
        .ok_or_else(|| AppError::Internal(format!("committee day `{}`", m.committee.held_on)))?;
    let decided = m.decided();
    let mut totals: Vec<(String, Cents)> = Vec::new();
    for (_, d) in decided.iter().filter(|(_, d)| d.state == State::Retenue) {
        for (funder, c) in &d.amounts {
            match totals.iter_mut().find(|(f, _)| f == funder) {
                Some(t) => t.1 = Cents(t.1.0 + c.0),
                None => totals.push((funder.clone(), *c)),
            }
        }
    }
    let doc = passerelle_typeset::Minutes {
        title: format!("Procès-verbal du comité du {}", day(&m.committee.held_on)),
        cite: ed.here.snapshot().catalogue.cite.name.clone(),
        call: m.call.call.title.clone(),
        held_on: day(&m.committee.held_on),
        members: m.committee.members.clone(),
        decided: decided
            .iter()
            .map(|(a, d)| passerelle_typeset::Decided {
                title: a.title(),
                structure: a.form.structure.clone(),
                score: m.score(a.id),
                decision: decision_label(d.state).to_owned(),
                reason: d.reason.clone(),
                amounts: d
                    .amounts
                    .iter()
                    .map(|(f, c)| (f.clone(), c.french()))
                    .collect(),
            })
            .collect(),
        totals: totals.into_iter().map(|(f, c)| (f, c.french())).collect(),
        ident: format!(
            "passerelle/{}/appel-{}/comite-{}",
            ed.cite(),
            m.call.id,
            m.committee.id
        ),
        date: held_on,
    };
    let pdf = tokio::task::spawn_blocking(move || passerelle_typeset::minutes(&doc))
        .await
        .map_err(|e| AppError::Internal(format!("minutes: {e}")))?
        .map_err(|e| AppError::Internal(format!("minutes: {e}")))?;
    Ok(super::file(
        pdf,
        "application/pdf",
        "inline",
        &format!("proces-verbal-comite-{}.pdf", m.committee.held_on),
    ))
}

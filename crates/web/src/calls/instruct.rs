//! The cité's side of an application: scores given blind (a reviewer sees
//! the others' once they have scored every criterion), declared conflicts
//! of interest, private annotations, the moves (instruction, a request for
//! more, the decision with its reason), and the instruction page of a call:
//! each application's weighted score, the spread between reviewers, who
//! has not scored yet.

use askama::Template;
use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::call::{Event, Problem, Score, scored, sees_others, weighted};

use super::view::{ApplicationPage, ScoresView, ScoringView};
use super::{
    Opened, Standing, apply_event, call_of, instructor_moves, is_instructor, is_reviewer,
    not_found, now, opened, store_error,
};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted as Sent;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

/// Fills the cité's parts of an application's page.
pub(crate) async fn fill(
    ed: &Editor,
    who: &SignedIn,
    o: &Opened,
    p: &mut ApplicationPage,
) -> Result<(), AppError> {
    let email = who.account.email.as_str();
    let grid = &o.call.call.grid;
    let read = submitted(ed, &o.call).await?;
    let scores: Vec<Score> = read
        .scores
        .iter()
        .filter(|(a, _)| *a == o.app.id)
        .map(|(_, s)| s.clone())
        .collect();
    let reviewing = is_reviewer(who, &o.call);
    if reviewing {
        let mine = |key: &str| {
            scores
                .iter()
                .find(|s| s.reviewer == email && s.criterion == key)
        };
        p.scoring = Some(ScoringView {
            criteria: grid
                .iter()
                .map(|c| {
                    let s = mine(&c.key);
                    (
                        c.key.clone(),
                        c.label.clone(),
                        c.max,
                        c.guidance.clone(),
                        s.map(|s| s.value.to_string()).unwrap_or_default(),
                        s.map(|s| s.comment.clone()).unwrap_or_default(),
                    )
                })
                .collect(),
        });
        p.may_declare_conflict = true;
    }
    // Blind: a reviewer sees the others' scores once theirs are all given;
    // an instructor who does not review sees them all.
    let sees = !reviewing || sees_others(grid, email, &scores);
    p.scores_hidden = !sees;
    if sees {
        p.scores = o
            .call
            .reviewers
            .iter()
            .filter(|r| scores.iter().any(|s| &s.reviewer == *r))
            .map(|r| {
                let theirs: Vec<&Score> = scores.iter().filter(|s| &s.reviewer == r).collect();
                ScoresView {
                    reviewer: r.clone(),
                    total: weighted(grid, &theirs),
                    lines: grid
                        .iter()
                        .map(|c| {
                            let s = theirs.iter().find(|s| s.criterion == c.key);
                            (
                                c.label.clone(),
                                s.map_or_else(
                                    || "—".to_owned(),
                                    |s| format!("{} / {}", s.value, c.max),
                                ),
                                s.map(|s| s.comment.clone()).unwrap_or_default(),
                            )
                        })
                        .collect(),
                }
            })
            .collect();
    }
    let notes = ed
        .calls
        .annotations(ed.cite(), o.app.id)
        .await
        .map_err(store_error)?;
    p.annotations = Some(
        notes
            .into_iter()
            .map(|n| (n.author, super::french_instant(n.at), n.text))
            .collect(),
    );
    if o.standing == Standing::Instructor {
        p.adopt = super::adopt::view(ed, &o.app);
        p.moves = instructor_moves(o)
            .into_iter()
            .map(|e| (e.key(), e.verb()))
            .collect();
    }
    Ok(())
}

/// A reviewer's own application (not the applicant's), or a 404.
async fn reviewed(ed: &Editor, who: &SignedIn, id: &str) -> Result<Opened, AppError> {
    let o = opened(ed, who, id).await?;
    if o.standing == Standing::Applicant || !is_reviewer(who, &o.call) {
        return Err(not_found());
    }
    Ok(o)
}

async fn with_problem(
    ed: &Editor,
    who: &SignedIn,
    o: &Opened,
    field: &str,
    message: String,
) -> Result<Response, AppError> {
    let problems = vec![Problem {
        field: field.to_owned(),
        message,
    }];
    let p = super::apply::page(ed, who, o, None, problems, None).await?;
    super::answer(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// `POST /candidatures/{id}/notes`: the reviewer's score of each criterion
/// (`score.{key}`, `comment.{key}`); all checked before any is saved.
pub(crate) async fn score(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Sent>,
) -> Result<Response, AppError> {
    let o = reviewed(&ed, &who, &id).await?;
    if o.app.state.closed() {
        return with_problem(
            &ed,
            &who,
            &o,
            "notes",
            "La décision est prise : les notes ne changent plus.".into(),
        )
        .await;
    }
    let mut scores = Vec::new();
    for c in &o.call.call.grid {
        let typed = sent.get(&format!("score.{}", c.key)).trim();
        if typed.is_empty() {
            continue;
        }
        match typed.parse::<u32>() {
            Ok(v) if v <= c.max => scores.push(Score {
                reviewer: who.account.email.to_string(),
                criterion: c.key.clone(),
                value: v,
                comment: sent
                    .get(&format!("comment.{}", c.key))
                    .chars()
                    .take(2000)
                    .collect(),
            }),
            _ => {
                return with_problem(
                    &ed,
                    &who,
                    &o,
                    &format!("score.{}", c.key),
                    format!(
                        "« {} » : la note va de 0 à {} (« {typed} » donné).",
                        c.label, c.max
                    ),
                )
                .await;
            }
        }
    }
    let at = now();
    for s in &scores {
        ed.calls
            .save_score(ed.cite(), o.app.id, s, at)
            .await
            .map_err(store_error)?;
    }
    Ok(who.see_other(&format!("/candidatures/{}?notee=1#notes", o.app.id)))
}

/// `POST /candidatures/{id}/conflit`: the reviewer declares a conflict of
/// interest; their scores of it are removed, and they no longer open it.
pub(crate) async fn conflict(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: _ }: Posted<Sent>,
) -> Result<Response, AppError> {
    let o = reviewed(&ed, &who, &id).await?;
    ed.calls
        .declare_conflict(ed.cite(), o.app.id, who.account.email.as_str(), now())
        .await
        .map_err(store_error)?;
    Ok(who.see_other(&format!(
        "/admin/appels/{}/instruction?conflit=1",
        o.call.id
    )))
}

/// `POST /candidatures/{id}/annotations`: a private note of the cité.
pub(crate) async fn annotate(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Sent>,
) -> Result<Response, AppError> {
    let o = opened(&ed, &who, &id).await?;
    if o.standing == Standing::Applicant {
        return Err(not_found());
    }
    let text = sent.get("text").trim();
    if text.is_empty() || text.chars().count() > 4000 {
        return with_problem(
            &ed,
            &who,
            &o,
            "text",
            "Écrivez l'annotation (4 000 caractères au plus).".into(),
        )
        .await;
    }
    ed.calls
        .annotate(ed.cite(), o.app.id, who.account.email.as_str(), text, now())
        .await
        .map_err(store_error)?;
    Ok(who.see_other(&format!("/candidatures/{}#annotations", o.app.id)))
}

/// `POST /candidatures/{id}/etat`: an instructor's move (`event`), with its
/// message or reason (`note`), needed for a request and a refusal.
pub(crate) async fn decide(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Sent>,
) -> Result<Response, AppError> {
    let o = opened(&ed, &who, &id).await?;
    if o.standing != Standing::Instructor {
        if o.standing == Standing::Reviewer {
            return Err(AppError::Forbidden(
                "Les décisions sont prises par l'équipe de coordination et la troïka.".into(),
            ));
        }
        return Err(not_found());
    }
    let Some(event) = Event::from_key(sent.get("event")).filter(|e| !e.by_applicant()) else {
        return with_problem(&ed, &who, &o, "event", "Choisissez une décision.".into()).await;
    };
    let note = sent.get("note").trim();
    if matches!(event, Event::AskMore | Event::Refuse) && note.is_empty() {
        let what = if event == Event::AskMore {
            "Écrivez ce qui est demandé au porteur de projet."
        } else {
            "Écrivez la raison du refus : elle est envoyée au porteur de projet."
        };
        return with_problem(&ed, &who, &o, "note", what.into()).await;
    }
    if !instructor_moves(&o).contains(&event) {
        return Err(AppError::Conflict(format!(
            "Cette candidature est {} : « {} » n'est plus possible.",
            o.app.state.label(),
            event.label()
        )));
    }
    if !apply_event(
        &state,
        &ed,
        &o,
        event,
        who.account.email.as_str(),
        note,
        None,
    )
    .await?
    {
        return Err(AppError::Conflict(
            "Cette candidature a changé entre-temps : rechargez la page.".into(),
        ));
    }
    Ok(who.see_other(&format!("/candidatures/{}?fait=1", o.app.id)))
}

/// What the instruction reads of a call's submitted applications.
pub(crate) struct Submitted {
    pub(crate) apps: Vec<passerelle_domain::call::application::Application>,
    pub(crate) scores: Vec<(i64, Score)>,
    pub(crate) conflicts: Vec<(i64, String)>,
}

/// The call's submitted applications, scores and conflicts: from the store,
/// or as read at the call's current revision.
pub(crate) async fn submitted(
    ed: &Editor,
    call: &passerelle_store::calls::StoredCall,
) -> Result<std::sync::Arc<Submitted>, AppError> {
    if let Some(kept) = ed
        .call_reads
        .get::<Submitted>(ed.cite(), call.id, call.revision)
    {
        return Ok(kept);
    }
    let read = std::sync::Arc::new(Submitted {
        apps: ed
            .calls
            .applications_to(ed.cite(), call.id)
            .await
            .map_err(store_error)?,
        scores: ed
            .calls
            .scores(ed.cite(), call.id)
            .await
            .map_err(store_error)?,
        conflicts: ed
            .calls
            .conflicts(ed.cite(), call.id)
            .await
            .map_err(store_error)?,
    });
    ed.call_reads.put(
        ed.cite(),
        call.id,
        call.revision,
        std::sync::Arc::clone(&read),
    );
    Ok(read)
}

/// A line of the instruction page.
pub(crate) struct Line {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) structure: String,
    pub(crate) state: &'static str,
    pub(crate) requested: String,
    pub(crate) mean: String,
    pub(crate) by_reviewer: String,
    pub(crate) spread: String,
    pub(crate) wide: bool,
    pub(crate) waiting: String,
    /// A reviewer with a conflict sees the line, not the application.
    pub(crate) conflict: bool,
}

#[derive(Template)]
#[template(path = "calls/instruction.html")]
pub(crate) struct InstructionPage {
    pub(crate) meta: Meta,
    pub(crate) title: String,
    pub(crate) call_href: String,
    pub(crate) spread_alert: u32,
    pub(crate) lines: Vec<Line>,
    pub(crate) blind: bool,
    /// The call's committees and export, for its instructors.
    pub(crate) links: Option<(String, String)>,
}

/// `GET /admin/appels/{id}/instruction`: for the cité's instructors and
/// the call's reviewers; the applications submitted, best mean first.
pub(crate) async fn table(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let call = call_of(&ed, &id).await?;
    let instructor = is_instructor(&who);
    let reviewer = is_reviewer(&who, &call);
    if !instructor && !reviewer {
        return Err(not_found());
    }
    let email = who.account.email.as_str();
    let read = submitted(&ed, &call).await?;
    let (apps, scores, conflicts) = (&read.apps, &read.scores, &read.conflicts);
    let grid = &call.call.grid;
    let mut lines: Vec<(Option<u32>, Line)> = apps
        .iter()
        .map(|a| {
            let theirs: Vec<Score> = scores
                .iter()
                .filter(|(x, _)| *x == a.id)
                .map(|(_, s)| s.clone())
                .collect();
            let excluded: Vec<&String> = conflicts
                .iter()
                .filter(|(x, _)| *x == a.id)
                .map(|(_, r)| r)
                .collect();
            let reviewers: Vec<String> = call
                .reviewers
                .iter()
                .filter(|r| !excluded.contains(r))
                .cloned()
                .collect();
            let conflict = excluded.iter().any(|r| r.eq_ignore_ascii_case(email));
            let s = scored(grid, &reviewers, &theirs);
            // Blind: a reviewer sees the scores of an application once
            // theirs are given.
            let sees = !reviewer || instructor || sees_others(grid, email, &theirs);
            let shown = sees && !conflict;
            let line = Line {
                href: format!("/candidatures/{}", a.id),
                title: a.title(),
                structure: a.form.structure.clone(),
                state: a.state.label(),
                requested: super::view::requested(&a.form).french(),
                mean: if shown {
                    s.mean
                        .map_or_else(|| "—".to_owned(), |m| format!("{m} / 100"))
                } else {
                    "masquée".to_owned()
                },
                by_reviewer: if shown {
                    s.by_reviewer
                        .iter()
                        .map(|(r, w)| format!("{r} : {w}"))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                } else {
                    String::new()
                },
                spread: if shown && s.by_reviewer.len() > 1 {
                    format!("{} points", s.spread)
                } else {
                    "—".to_owned()
                },
                wide: shown && s.by_reviewer.len() > 1 && s.spread > call.call.spread_alert,
                waiting: s.waiting.join(", "),
                conflict,
            };
            (if shown { s.mean } else { None }, line)
        })
        .collect();
    lines.sort_by_key(|(mean, _)| std::cmp::Reverse(*mean));
    Ok(no_store(
        render(&InstructionPage {
            meta: who.meta(format!("Instruction : {}", call.call.title), Nav::None),
            title: call.call.title.clone(),
            call_href: format!("/appels/{}", call.id),
            spread_alert: call.call.spread_alert,
            lines: lines.into_iter().map(|(_, l)| l).collect(),
            blind: reviewer && !instructor,
            links: instructor.then(|| {
                (
                    format!("/admin/appels/{}/comites", call.id),
                    format!("/admin/appels/{}/export", call.id),
                )
            }),
        })?
        .into_response(),
    ))
}

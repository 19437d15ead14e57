//! Calls for projects (*appels à projets*): the cité's administrators
//! write and publish a call (its steps and deadlines in Paris time, its
//! documents, its scoring grid) and name its reviewers; operators sign up
//! with a verified email and apply with one form they save as a draft
//! (the project as an action sheet has it, the structure, the budget in
//! cents, files); the cité instructs (blind scores, conflicts of interest,
//! private annotations, requests for more information) and decides.
//!
//! Who may open an application: its applicant; the cité's administrators
//! and troïka; the call's reviewers once it is submitted, except a reviewer
//! who declared a conflict with it. Anyone else gets a 404, as for an
//! application that does not exist. Its files likewise.

mod admin;
mod adopt;
pub(crate) mod api;
mod apply;
mod clock;
mod committee;
mod export;
mod files;
mod instruct;
mod public;
mod signup;
mod view;

pub use clock::{erase_applications_every_hour, erase_due_applications};

use axum::Router;
use axum::routing::{get, post};
use passerelle_domain::Role;
use passerelle_domain::call::Event;
use passerelle_domain::call::application::Application;
use passerelle_store::calls::{Move, StoredCall};

use crate::shared::ctx::{Editor, SignedIn};
use crate::shared::error::AppError;
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/appels", get(public::list))
        .route("/appels/{id}", get(public::show))
        .route("/flux/appels.atom", get(public::feed))
        .route("/appels/{id}/candidater", post(apply::start))
        .route("/inscription", get(signup::form).post(signup::send))
        .route("/candidatures", get(apply::mine))
        .route("/candidatures/{id}", get(apply::show).post(apply::save))
        .route("/candidatures/{id}/supprimer", post(apply::delete))
        .route(
            "/candidatures/{id}/pieces",
            post(apply::upload).layer(axum::extract::DefaultBodyLimit::max(
                files::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/candidatures/{id}/pieces/{file}", get(apply::download))
        .route(
            "/candidatures/{id}/pieces/{file}/supprimer",
            post(apply::remove_file),
        )
        .route("/candidatures/{id}/notes", post(instruct::score))
        .route("/candidatures/{id}/conflit", post(instruct::conflict))
        .route("/candidatures/{id}/annotations", post(instruct::annotate))
        .route("/candidatures/{id}/etat", post(instruct::decide))
        .route("/candidatures/{id}/action", post(adopt::make_action))
        .route("/admin/appels", get(admin::list).post(admin::create))
        .route("/admin/appels/{id}", get(admin::edit).post(admin::save))
        .route("/admin/appels/{id}/evaluateurs", post(admin::reviewers))
        .route("/admin/appels/{id}/instruction", get(instruct::table))
        .route(
            "/admin/appels/{id}/comites",
            get(committee::list).post(committee::create),
        )
        .route("/admin/appels/{id}/comites/{cid}", get(committee::show))
        .route("/admin/appels/{id}/export", get(export::page))
        .route("/admin/appels/{id}/export/candidatures", get(export::file))
        .route(
            "/admin/appels/{id}/comites/{cid}/decisions/{app}",
            post(committee::decide),
        )
        .route(
            "/admin/appels/{id}/comites/{cid}/proces-verbal.pdf",
            get(committee::minutes),
        )
}

/// Under `/api/v1`.
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/appels", get(api::list))
        .route("/appels/{id}", get(api::one))
}

pub(crate) fn store_error(e: passerelle_store::StoreError) -> AppError {
    AppError::store("appels à projets", e)
}

/// The 404 of an application or a call one may not open (the same as of
/// one that does not exist).
pub(crate) fn not_found() -> AppError {
    AppError::NotFound("Rien à cette adresse, ou votre compte ne permet pas de l'ouvrir.".into())
}

/// Now, in unix seconds.
pub(crate) fn now() -> i64 {
    crate::shared::ctx::unix_now()
}

/// How someone stands to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    Applicant,
    /// An administrator or a member of the troïka of the cité: instructs
    /// and decides.
    Instructor,
    /// A reviewer of the call, without a declared conflict: scores.
    Reviewer,
}

/// An administrator or a member of the troïka of the cité.
pub(crate) fn instructs(account: &passerelle_domain::Account, cite: &str) -> bool {
    account
        .role_in(cite)
        .is_some_and(|r| matches!(r, Role::Administrateur | Role::Troika))
}

/// An administrator or a member of the troïka of the request's cité.
pub(crate) fn is_instructor(who: &SignedIn) -> bool {
    who.cite().is_some_and(|c| instructs(&who.account, c))
}

/// A reviewer of this call: named by its administrators, and still a
/// member of the cité.
pub(crate) fn is_reviewer(who: &SignedIn, call: &StoredCall) -> bool {
    who.cite()
        .is_some_and(|c| who.account.role_in(c).is_some() && c == call.cite)
        && call
            .reviewers
            .iter()
            .any(|r| r.eq_ignore_ascii_case(who.account.email.as_str()))
}

/// The active members of a cité (an account with a role in it): whom
/// its calls' reviewers are chosen among.
pub(crate) async fn members(
    state: &AppState,
    cite: &str,
) -> Result<Vec<passerelle_domain::Account>, AppError> {
    let store = state.account_store()?;
    Ok(store
        .accounts()
        .await
        .map_err(store_error)?
        .into_iter()
        .filter(|a| a.active && a.role_in(cite).is_some())
        .collect())
}

/// The contributions of the cité's latest seminar, as shown (hidden ones
/// left out): what a call may answer.
pub(crate) async fn seminar_contributions(
    ed: &Editor,
) -> Result<Vec<passerelle_domain::Contribution>, AppError> {
    let snapshot = ed.here.snapshot();
    let Some(seminar) = snapshot.catalogue.seminars.iter().max_by_key(|s| s.date) else {
        return Ok(Vec::new());
    };
    Ok(ed
        .participation
        .contributions(ed.cite(), seminar.slug.as_str(), false)
        .await
        .map_err(store_error)?
        .into_iter()
        .filter(|c| c.hidden.is_none())
        .collect())
}

/// The call of this id in the request's cité.
pub(crate) async fn call_of(ed: &Editor, id: &str) -> Result<StoredCall, AppError> {
    let id: i64 = id.parse().map_err(|_| not_found())?;
    ed.calls
        .call(ed.cite(), id)
        .await
        .map_err(store_error)?
        .ok_or_else(not_found)
}

/// An opened application: it, its call, and how the viewer stands to it.
pub(crate) struct Opened {
    pub(crate) app: Application,
    pub(crate) call: StoredCall,
    pub(crate) standing: Standing,
}

/// The application and how `who` stands to it (404 for anyone else).
pub(crate) async fn opened(ed: &Editor, who: &SignedIn, id: &str) -> Result<Opened, AppError> {
    let id: i64 = id.parse().map_err(|_| not_found())?;
    if who.cite() != Some(ed.cite()) {
        return Err(not_found());
    }
    let app = ed
        .calls
        .application(ed.cite(), id)
        .await
        .map_err(store_error)?
        .ok_or_else(not_found)?;
    let call = ed
        .calls
        .call(ed.cite(), app.call)
        .await
        .map_err(store_error)?
        .ok_or_else(not_found)?;
    let email = who.account.email.as_str();
    let standing = if app.applicant.eq_ignore_ascii_case(email) {
        Standing::Applicant
    } else if app.submitted_at.is_none() {
        // A draft is its applicant's only.
        return Err(not_found());
    } else if is_instructor(who) {
        Standing::Instructor
    } else if is_reviewer(who, &call) {
        let conflicts = ed
            .calls
            .conflicts(ed.cite(), call.id)
            .await
            .map_err(store_error)?;
        if conflicts
            .iter()
            .any(|(a, r)| *a == app.id && r.eq_ignore_ascii_case(email))
        {
            return Err(not_found());
        }
        Standing::Reviewer
    } else {
        return Err(not_found());
    };
    Ok(Opened {
        app,
        call,
        standing,
    })
}

/// A unix instant as a French date and hour in Paris (`3 mars 2027 à 14h05`).
pub(crate) fn french_instant(unix: i64) -> String {
    crate::shared::text::paris_moment(unix)
}

pub(crate) use crate::shared::download::file;
pub(crate) use crate::shared::layout::answer;

/// The mail telling the applicant of a move: the state, the message of a
/// request or the reason of a decision, a link to the application. It
/// holds nothing of anyone else's application.
pub(crate) fn applicant_mail(
    absolute: &dyn Fn(&str) -> String,
    cite_name: &str,
    app: &Application,
    call_title: &str,
    event: Event,
    note: &str,
) -> Mail {
    let title = app.title();
    let link = absolute(&format!("/candidatures/{}", app.id));
    let note = note.trim();
    let (subject, lead) = match event {
        Event::Submit => (
            format!("Candidature déposée : « {title} »"),
            format!(
                "Votre candidature « {title} » à l'appel « {call_title} » est bien déposée. L'équipe de la cité éducative va l'instruire ; vous serez prévenu(e) par courriel de chaque étape."
            ),
        ),
        Event::Complete => (
            format!("Compléments reçus : « {title} »"),
            format!(
                "Les compléments que vous avez apportés à votre candidature « {title} » sont bien reçus ; son instruction reprend."
            ),
        ),
        Event::AskMore => (
            format!("Des compléments sont demandés : « {title} »"),
            format!(
                "L'équipe qui instruit votre candidature « {title} » vous demande des compléments :\n\n{note}\n\nLa date limite est suspendue pour vous : complétez votre candidature puis renvoyez-la depuis sa page."
            ),
        ),
        Event::Retain => (
            format!("Votre projet est retenu : « {title} »"),
            format!(
                "Bonne nouvelle : le comité a retenu votre projet « {title} » (appel « {call_title} »).{}\n\nL'équipe de la cité éducative vous contactera pour la suite.",
                if note.is_empty() {
                    String::new()
                } else {
                    format!("\n\n{note}")
                }
            ),
        ),
        Event::Refuse => (
            format!("Réponse à votre candidature : « {title} »"),
            format!(
                "Nous vous remercions pour votre candidature « {title} » à l'appel « {call_title} » et pour le travail qu'elle représente. Le comité n'a pas pu la retenir cette fois-ci, pour la raison suivante :\n\n{note}\n\nN'hésitez pas à contacter l'équipe de la cité éducative pour en parler, et à candidater aux prochains appels."
            ),
        ),
        Event::Drop => (
            format!("Candidature classée sans suite : « {title} »"),
            format!(
                "Votre candidature « {title} » est classée sans suite.{}",
                if note.is_empty() {
                    String::new()
                } else {
                    format!("\n\n{note}")
                }
            ),
        ),
        Event::Advance => (
            format!("Invitation au dossier complet : « {title} »"),
            format!(
                "Votre note d'intention « {title} » est retenue pour la seconde étape : complétez votre dossier (le formulaire garde ce que vous avez écrit) et déposez-le avant la date limite.{}",
                if note.is_empty() {
                    String::new()
                } else {
                    format!("\n\n{note}")
                }
            ),
        ),
        Event::Instruct => (
            format!("Candidature en instruction : « {title} »"),
            format!("Votre candidature « {title} » est en cours d'instruction."),
        ),
    };
    Mail {
        kind: MailKind::Application,
        to: app.applicant.clone(),
        subject,
        body: format!(
            "Bonjour,\n\n{lead}\n\nVotre candidature (connexion nécessaire) :\n{link}\n\n— Passerelle, {cite_name}"
        ),
    }
}

/// A committee's decision: the committee, and the amounts proposed per
/// funder line.
pub(crate) type ByCommittee<'a> = (i64, &'a [(String, passerelle_domain::money::Cents)]);

/// Moves an application from the state it was read in (by a committee's
/// decision, with its amounts, when `committee` says so), and tells its
/// applicant. `false` when the move may not happen (any more).
pub(crate) async fn apply_event(
    state: &AppState,
    ed: &Editor,
    o: &Opened,
    event: Event,
    actor: &str,
    note: &str,
    committee: Option<ByCommittee<'_>>,
) -> Result<bool, AppError> {
    let app = &o.app;
    let Some(to) = app.state.after(event) else {
        return Ok(false);
    };
    if event == Event::Advance && !o.call.call.has_step_after(app.step) {
        return Ok(false);
    }
    let step = if event == Event::Advance {
        passerelle_domain::call::StepKind::Full
    } else {
        app.step
    };
    let m = Move {
        event,
        from: app.state,
        to,
        step,
        actor,
        note,
        now: now(),
    };
    let moved = match committee {
        Some((committee, amounts)) => {
            ed.calls
                .decide(ed.cite(), app.id, &m, committee, amounts)
                .await
        }
        None => ed.calls.move_application(ed.cite(), app.id, &m).await,
    }
    .map_err(store_error)?;
    if moved {
        let absolute = state.absolute_link(ed, ed.cite());
        let cite_name = ed.here.snapshot().catalogue.cite.name.clone();
        let mail = applicant_mail(&absolute, &cite_name, app, &o.call.call.title, event, note);
        if let Err(e) = ed.mailer.send(mail).await {
            let domain = crate::shared::mail::domain_of(&app.applicant).to_owned();
            tracing::warn!(error = %e, domain = %domain, "application mail not sent");
        }
    }
    Ok(moved)
}

/// What an instructor may do to an application from its state, on its
/// page (the decisions to retain or refuse are the committee's).
pub(crate) fn instructor_moves(o: &Opened) -> Vec<Event> {
    [Event::Instruct, Event::AskMore, Event::Advance, Event::Drop]
        .into_iter()
        .filter(|e| o.app.state.after(*e).is_some())
        .filter(|e| *e != Event::Advance || o.call.call.has_step_after(o.app.step))
        .collect()
}

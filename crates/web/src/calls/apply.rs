//! The applicant's side: starting an application from an open call, the
//! list of one's applications, the form saved as a draft (everything kept
//! as typed) and submitted before the deadline (or sent back with what was
//! asked for), a draft deleted, files attached, listed, downloaded and
//! removed.

use askama::Template;
use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::call::{Event, Problem, State};
use passerelle_store::calls::AttachmentInfo;

use super::view::{
    ApplicationPage, budget_view, file_views, form_from, form_view, history, summary,
};
use super::{Opened, Standing, apply_event, call_of, files, not_found, now, opened, store_error};
use crate::shared::ctx::{Editor, Posted, PostedFile, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

/// `POST /appels/{id}/candidater`: a new draft, for anyone signed in, to
/// a published call open now.
pub(crate) async fn start(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: _ }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let call = call_of(&ed, &id).await?;
    if call.published_at.is_none() {
        return Err(not_found());
    }
    if !call.call.is_open(now()) {
        return Err(AppError::Gone(
            "Cet appel ne reçoit pas de candidature en ce moment.".into(),
        ));
    }
    let app = ed
        .calls
        .create_application(
            ed.cite(),
            call.id,
            who.account.email.as_str(),
            call.call.first_step(),
            now(),
        )
        .await
        .map_err(store_error)?;
    Ok(who.see_other(&format!("/candidatures/{app}")))
}

#[derive(Template)]
#[template(path = "calls/mine.html")]
pub(crate) struct MinePage {
    pub(crate) meta: Meta,
    /// (href, title, call, state).
    pub(crate) mine: Vec<(String, String, String, &'static str)>,
    /// The calls this account reviews or instructs: (href, title).
    pub(crate) reviewing: Vec<(String, String)>,
}

/// `GET /candidatures`: one's applications, and the calls one reviews.
pub(crate) async fn mine(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    let apps = ed
        .calls
        .applications_of(ed.cite(), who.account.email.as_str())
        .await
        .map_err(store_error)?;
    let calls = ed.calls.calls(ed.cite()).await.map_err(store_error)?;
    let call_title = |id: i64| {
        calls
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.call.title.clone())
            .unwrap_or_default()
    };
    let instructor = super::is_instructor(&who);
    Ok(no_store(
        render(&MinePage {
            meta: who.meta("Mes candidatures", Nav::None),
            mine: apps
                .iter()
                .map(|a| {
                    (
                        format!("/candidatures/{}", a.id),
                        a.title(),
                        call_title(a.call),
                        a.state.label(),
                    )
                })
                .collect(),
            reviewing: calls
                .iter()
                .filter(|c| instructor || super::is_reviewer(&who, c))
                .map(|c| {
                    (
                        format!("/admin/appels/{}/instruction", c.id),
                        c.call.title.clone(),
                    )
                })
                .collect(),
        })?
        .into_response(),
    ))
}

/// The page of an opened application for the one viewing it.
pub(crate) async fn page(
    ed: &Editor,
    who: &SignedIn,
    o: &Opened,
    form: Option<passerelle_domain::call::application::Form>,
    problems: Vec<Problem>,
    notice: Option<String>,
) -> Result<ApplicationPage, AppError> {
    let snapshot = ed.here.snapshot();
    let applicant = o.standing == Standing::Applicant;
    let editable = applicant && o.app.editable();
    let shown = form.unwrap_or_else(|| o.app.form.clone());
    let files = ed
        .calls
        .attachments(ed.cite(), o.app.id)
        .await
        .map_err(store_error)?;
    let at = now();
    let deadline = o
        .call
        .call
        .step(o.app.step)
        .and_then(|s| s.deadline_for(at))
        .map(|d| d.french());
    let mut p = ApplicationPage {
        meta: who.meta(o.app.title(), Nav::None),
        csrf: who.csrf(),
        base: format!("/candidatures/{}", o.app.id),
        title: o.app.title(),
        call_title: o.call.call.title.clone(),
        call_href: format!("/appels/{}", o.call.id),
        state: o.app.state.label(),
        step: o.app.step.label(),
        notice,
        problems,
        request: o.app.request().map(|h| h.note.clone()),
        deadline,
        history: history(o),
        form: editable.then(|| form_view(&snapshot, &shown)),
        completing: o.app.state == State::ACompleter,
        may_delete: applicant && o.app.state == State::Brouillon && o.app.submitted_at.is_none(),
        summary: summary(&snapshot, &shown),
        budget: budget_view(&shown),
        documents: o.call.call.documents.clone(),
        files: file_views(&o.app, &files, editable),
        may_upload: editable && files.len() < files::MAX_FILES,
        applicant_view: applicant,
        scoring: None,
        scores: Vec::new(),
        scores_hidden: false,
        annotations: None,
        moves: Vec::new(),
        may_declare_conflict: false,
        adopt: None,
    };
    if !applicant {
        super::instruct::fill(ed, who, o, &mut p).await?;
    }
    Ok(p)
}

/// `GET /candidatures/{id}`.
pub(crate) async fn show(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let o = opened(&ed, &who, &id).await?;
    let query = query.unwrap_or_default();
    let notice = [
        ("deposee=1", "C'est envoyé : un courriel vous le confirme."),
        ("notee=1", "Vos notes sont enregistrées."),
        (
            "fait=1",
            "Décision enregistrée ; le porteur de projet en est prévenu par courriel.",
        ),
    ]
    .into_iter()
    .find(|(q, _)| query.split('&').any(|p| p == *q))
    .map(|(_, n)| n.to_owned());
    let p = page(&ed, &who, &o, None, Vec::new(), notice).await?;
    Ok(no_store(render(&p)?.into_response()))
}

/// The applicant's application, or a 404.
async fn own(ed: &Editor, who: &SignedIn, id: &str) -> Result<Opened, AppError> {
    let o = opened(ed, who, id).await?;
    if o.standing != Standing::Applicant {
        return Err(not_found());
    }
    Ok(o)
}

/// `POST /candidatures/{id}`: saves the form as typed (nothing is lost,
/// even what is not valid yet); with `intent=deposer`, then submits it —
/// or sends back the answer to a request for more.
pub(crate) async fn save(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let mut o = own(&ed, &who, &id).await?;
    if !o.app.editable() {
        return Err(AppError::Conflict(
            "Cette candidature est déposée : elle ne peut plus être modifiée.".into(),
        ));
    }
    let form = form_from(&sent);
    let at = now();
    if !ed
        .calls
        .save_form(ed.cite(), o.app.id, who.account.email.as_str(), &form, at)
        .await
        .map_err(store_error)?
    {
        return Err(AppError::Conflict(
            "Cette candidature vient d'être déposée ou transmise : rechargez la page.".into(),
        ));
    }
    o.app.form = form.clone();
    if sent.get("intent") != "deposer" {
        let p = page(
            &ed,
            &who,
            &o,
            Some(form),
            Vec::new(),
            Some("Brouillon enregistré.".into()),
        )
        .await?;
        return Ok(no_store(render(&p)?.into_response()));
    }
    let snapshot = ed.here.snapshot();
    let axes: Vec<u8> = snapshot
        .programme()
        .map(|p| p.axes.iter().map(|a| a.number).collect())
        .unwrap_or_default();
    let territories: Vec<String> = snapshot
        .catalogue
        .territories
        .iter()
        .map(|t| t.slug.as_str().to_owned())
        .collect();
    let mut problems = form.problems(&axes, &territories);
    let event = if o.app.state == State::ACompleter {
        Event::Complete
    } else {
        Event::Submit
    };
    if event == Event::Submit {
        let step = o.call.call.step(o.app.step);
        if o.call.published_at.is_none() || step.and_then(|s| s.deadline_for(at)).is_none() {
            let last = step
                .and_then(|s| s.deadlines.iter().max())
                .map(|d| d.french())
                .unwrap_or_default();
            problems.insert(
                0,
                Problem {
                    field: "title".into(),
                    message: format!(
                        "La date limite de dépôt ({last}, heure de Paris) est passée : la candidature ne peut plus être déposée. Votre brouillon reste enregistré."
                    ),
                },
            );
        }
    }
    if !problems.is_empty() {
        let p = page(
            &ed,
            &who,
            &o,
            Some(form),
            problems,
            Some("Brouillon enregistré, mais pas encore déposé.".into()),
        )
        .await?;
        return super::answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    if !apply_event(&state, &ed, &o, event, who.account.email.as_str(), "", None).await? {
        return Err(AppError::Conflict(
            "Cette candidature a changé entre-temps : rechargez la page.".into(),
        ));
    }
    Ok(who.see_other(&format!("/candidatures/{}?deposee=1", o.app.id)))
}

/// `POST /candidatures/{id}/supprimer`: a draft never submitted, with its
/// files.
pub(crate) async fn delete(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: _ }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let o = own(&ed, &who, &id).await?;
    if !ed
        .calls
        .delete_draft(ed.cite(), o.app.id, who.account.email.as_str())
        .await
        .map_err(store_error)?
    {
        return Err(AppError::Conflict(
            "Seul un brouillon jamais déposé peut être supprimé.".into(),
        ));
    }
    Ok(who.see_other("/candidatures?supprimee=1"))
}

/// `POST /candidatures/{id}/pieces` (multipart): a file, taken for what
/// its bytes are.
pub(crate) async fn upload(
    ed: Editor,
    Path(id): Path<String>,
    PostedFile {
        who, name, bytes, ..
    }: PostedFile,
) -> Result<Response, AppError> {
    let o = own(&ed, &who, &id).await?;
    if !o.app.editable() {
        return Err(AppError::Conflict(
            "Cette candidature est déposée : ses pièces ne changent plus.".into(),
        ));
    }
    let count = ed
        .calls
        .attachments(ed.cite(), o.app.id)
        .await
        .map_err(store_error)?
        .len();
    let accepted = if count >= files::MAX_FILES {
        Err(format!(
            "Une candidature compte {} pièces au plus.",
            files::MAX_FILES
        ))
    } else {
        files::accept(&name, &bytes)
    };
    let media_type = match accepted {
        Ok(media_type) => media_type,
        Err(message) => {
            let problems = vec![Problem {
                field: "fichier".into(),
                message,
            }];
            let p = page(&ed, &who, &o, None, problems, None).await?;
            return super::answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    let digest = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(&bytes);
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let clean_name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    ed.calls
        .add_attachment(
            ed.cite(),
            &AttachmentInfo {
                id: 0,
                application: o.app.id,
                name: clean_name,
                media_type: media_type.to_owned(),
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                sha256: digest,
                at: now(),
            },
            &bytes,
        )
        .await
        .map_err(store_error)?;
    Ok(who.see_other(&format!("/candidatures/{}#pieces", o.app.id)))
}

/// `GET /candidatures/{id}/pieces/{file}`: a download of the type sniffed
/// when it came, never shown in the page (no execution), to whoever may
/// open the application; 404 for anyone else.
pub(crate) async fn download(
    ed: Editor,
    who: SignedIn,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let o = opened(&ed, &who, &id).await?;
    let file: i64 = file.parse().map_err(|_| not_found())?;
    let (info, bytes) = ed
        .calls
        .attachment(ed.cite(), o.app.id, file)
        .await
        .map_err(store_error)?
        .ok_or_else(not_found)?;
    Ok(super::file(
        bytes,
        &info.media_type,
        "attachment",
        &info.name,
    ))
}

/// `POST /candidatures/{id}/pieces/{file}/supprimer`.
pub(crate) async fn remove_file(
    ed: Editor,
    Path((id, file)): Path<(String, String)>,
    Posted { who, form: _ }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let o = own(&ed, &who, &id).await?;
    let file: i64 = file.parse().map_err(|_| not_found())?;
    if !o.app.editable() {
        return Err(AppError::Conflict(
            "Cette candidature est déposée : ses pièces ne changent plus.".into(),
        ));
    }
    if !ed
        .calls
        .delete_attachment(ed.cite(), o.app.id, file)
        .await
        .map_err(store_error)?
    {
        return Err(not_found());
    }
    Ok(who.see_other(&format!("/candidatures/{}#pieces", o.app.id)))
}

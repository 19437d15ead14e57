//! The restitution of an event's board: per question, the summary and the
//! contributions by support (printable, in Markdown), the panel view for a
//! projector, and the moderators' summaries.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use passerelle_domain::Seminar;
use serde::Deserialize;

use super::board::{QuestionView, is_moderator, question_views, store_error};
use super::registration::find_event;
use crate::shared::ctx::{Editor, Posted, Viewer};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::text::fr;

#[derive(Template)]
#[template(path = "seminar/restitution.html")]
pub(crate) struct RestitutionPage {
    pub(crate) meta: Meta,
    pub(crate) slug: String,
    pub(crate) event_title: String,
    pub(crate) questions: Vec<QuestionView>,
    pub(crate) moderator: bool,
    pub(crate) csrf: String,
    /// The panel view: large type, high contrast, one question at a time.
    pub(crate) panel: bool,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
}

async fn restitution_questions(
    ed: &Editor,
    slug: &str,
) -> Result<(Seminar, Vec<QuestionView>), AppError> {
    let event = find_event(&ed.here, slug)?;
    let contributions = ed
        .participation
        .contributions(ed.cite(), slug, false)
        .await
        .map_err(store_error)?;
    let snapshot = ed.here.snapshot();
    let mut questions = question_views(&event, &snapshot.catalogue, contributions, true);
    for q in &mut questions {
        if let Some(text) = ed
            .participation
            .synthesis(ed.cite(), slug, &q.key)
            .await
            .map_err(store_error)?
        {
            q.synthesis = Some(crate::shared::text::markdown(&text));
            q.synthesis_source = text;
        }
    }
    Ok((event, questions))
}

/// `GET /seminaire/{slug}/restitution`: per question, the summary and the
/// contributions by support. Printable.
pub(crate) async fn restitution(
    ed: Editor,
    viewer: Viewer,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (event, questions) = restitution_questions(&ed, &slug).await?;
    let page = RestitutionPage {
        meta: Meta::new(
            format!("Restitution : {}", event.title),
            &ed.here,
            Nav::Seminar,
        ),
        event_title: fr(&format!("{} ({})", event.title, event.date.french())),
        slug,
        questions,
        moderator: is_moderator(&viewer, ed.cite()),
        csrf: viewer.csrf.clone().unwrap_or_default(),
        panel: false,
        previous: None,
        next: None,
    };
    Ok(no_store(render(&page)?.into_response()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct PanelQuery {
    #[serde(default)]
    q: Option<String>,
}

/// `GET /seminaire/{slug}/panneau?q=q1`: « La Cité éducative de demain »,
/// one question at a time, for a projector.
pub(crate) async fn panel(
    ed: Editor,
    Path(slug): Path<String>,
    Query(query): Query<PanelQuery>,
) -> Result<Response, AppError> {
    let (event, mut questions) = restitution_questions(&ed, &slug).await?;
    let at = query
        .q
        .as_deref()
        .and_then(|k| questions.iter().position(|q| q.key == k))
        .unwrap_or(0);
    let link = |i: Option<usize>| {
        i.and_then(|i| questions.get(i))
            .map(|q| format!("/seminaire/{slug}/panneau?q={}", q.key))
    };
    let (previous, next) = (link(at.checked_sub(1)), link(Some(at + 1)));
    let shown: Vec<QuestionView> = if questions.is_empty() {
        Vec::new()
    } else {
        let mut q = questions.swap_remove(at);
        q.contributions.truncate(8);
        vec![q]
    };
    let page = RestitutionPage {
        meta: Meta::new(
            format!("La Cité éducative de demain : {}", event.title),
            &ed.here,
            Nav::None,
        ),
        event_title: fr(&event.title),
        slug,
        questions: shown,
        moderator: false,
        csrf: String::new(),
        panel: true,
        previous,
        next,
    };
    Ok(no_store(render(&page)?.into_response()))
}

/// `GET /seminaire/{slug}/restitution.md`: the restitution in Markdown.
pub(crate) async fn restitution_markdown(
    ed: Editor,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (event, questions) = restitution_questions(&ed, &slug).await?;
    let mut md = format!(
        "# Restitution : {}\n\n{}\n",
        event.title,
        event.date.french()
    );
    for q in &questions {
        md.push_str(&format!("\n## {}\n\n", q.text));
        if let Some(w) = &q.workshop {
            md.push_str(&format!("Atelier : {w}\n\n"));
        }
        if !q.synthesis_source.is_empty() {
            md.push_str(&format!(
                "### Synthèse\n\n{}\n\n",
                q.synthesis_source.trim()
            ));
        }
        md.push_str("### Contributions (par nombre de soutiens)\n\n");
        if q.contributions.is_empty() {
            md.push_str("Aucune contribution.\n");
        }
        for c in &q.contributions {
            let fiche = c
                .fiche
                .as_ref()
                .map(|(_, label)| format!(" ({label})"))
                .unwrap_or_default();
            md.push_str(&format!(
                "- {}{fiche} — {} soutien(s)\n",
                c.text.replace('\n', " "),
                c.supports
            ));
        }
    }
    let mut res = md.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/markdown; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"restitution-{slug}.md\""))
    {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(no_store(res))
}

#[derive(Debug, Deserialize)]
pub(crate) struct SynthesisForm {
    #[serde(default)]
    text: String,
}

/// `POST /seminaire/{slug}/restitution/{question}`: the moderators' summary.
pub(crate) async fn set_synthesis(
    ed: Editor,
    Path((slug, question)): Path<(String, String)>,
    Posted { who, form: f }: Posted<SynthesisForm>,
) -> Result<Response, AppError> {
    let account = who.administrator("La synthèse est écrite par les administrateurs.")?;
    let event = find_event(&ed.here, &slug)?;
    if !event.questions().iter().any(|q| q.key == question) {
        return Err(AppError::NotFound("Cette question n'existe pas.".into()));
    }
    let text = f.text.replace("\r\n", "\n");
    if text.chars().count() > 20_000 {
        return Err(AppError::Unprocessable(
            "text".into(),
            "20 000 caractères au plus".into(),
        ));
    }
    ed.participation
        .set_synthesis(
            ed.cite(),
            &slug,
            &question,
            text.trim(),
            account.email.as_str(),
        )
        .await
        .map_err(store_error)?;
    Ok(ed
        .here
        .see_other(&format!("/seminaire/{slug}/restitution#{question}")))
}

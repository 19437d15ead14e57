//! The contribution board of an event: the walking questions and each
//! workshop's, short contributions (under an account, or with the day's code
//! and no account), supports once per person, moderation; then the
//! restitution (printable, Markdown) and the panel view for a projector.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use passerelle_auth::{new_token, same_secret, token_hash};
use passerelle_domain::participation::{by_support, contribution_text};
use passerelle_domain::{Contribution, Question, Seminar};
use passerelle_store::{Participant, StoreError};
use serde::Deserialize;

use super::registration::find_event;
use crate::shared::ctx::{Editor, Peer, Posted, Viewer, cookie, set_cookie};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;
use crate::shared::text::fr;

const PARTICIPANT_COOKIE: &str = "passerelle_participant";
/// Contributions one person may post in the throttle's window (15 minutes).
const MAX_CONTRIBUTIONS: u32 = 30;
/// Wrong codes one address may try in the window.
const MAX_CODE_FAILURES: u32 = 20;

fn store_error(e: StoreError) -> AppError {
    AppError::store("board", e)
}

/// Who may write on a board: a signed-in account, or someone who typed the
/// event's code.
pub(crate) struct Contributor {
    /// As shown under their contributions.
    pub(crate) author: String,
    /// Unique per person: `a:` + email, or `p:` + SHA-256 of their token.
    pub(crate) id: String,
    pub(crate) csrf: String,
}

async fn contributor(
    ed: &Editor,
    viewer: &Viewer,
    headers: &HeaderMap,
    slug: &str,
) -> Result<Option<Contributor>, AppError> {
    if let (Some(account), Some(csrf)) = (&viewer.account, &viewer.csrf) {
        return Ok(Some(Contributor {
            author: account.name.clone(),
            id: format!("a:{}", account.email),
            csrf: csrf.clone(),
        }));
    }
    let Some(token) = cookie(headers, PARTICIPANT_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let found = ed
        .participation
        .participant(&hash)
        .await
        .map_err(store_error)?;
    Ok(found
        .filter(|p| p.cite == ed.cite() && p.event == slug)
        .map(|p| Contributor {
            author: if p.name.is_empty() {
                "Participant·e".to_owned()
            } else {
                p.name
            },
            id: format!("p:{hash}"),
            csrf: p.csrf,
        }))
}

fn is_moderator(viewer: &Viewer, cite: &str) -> bool {
    viewer
        .account
        .as_ref()
        .is_some_and(|a| a.is_administrator(cite))
}

#[derive(Debug)]
pub(crate) struct ContributionView {
    pub(crate) id: i64,
    pub(crate) text: String,
    pub(crate) author: String,
    pub(crate) fiche: Option<(String, String)>,
    pub(crate) supports: u32,
    pub(crate) hidden: Option<String>,
}

#[derive(Debug)]
pub(crate) struct QuestionView {
    pub(crate) key: String,
    pub(crate) text: String,
    pub(crate) workshop: Option<String>,
    pub(crate) contributions: Vec<ContributionView>,
    pub(crate) synthesis: Option<String>,
    /// The summary as typed (Markdown), for the moderators' form.
    pub(crate) synthesis_source: String,
}

fn question_views(
    event: &Seminar,
    cat: &passerelle_domain::Catalogue,
    contributions: Vec<Contribution>,
    sorted: bool,
) -> Vec<QuestionView> {
    let fiche = |n: u32| {
        cat.current_programme()
            .and_then(|p| p.actions.iter().find(|a| a.fiche.get() == n))
            .map(|a| {
                (
                    format!("/actions/{n}"),
                    fr(&format!("Fiche {n} — {}", a.title)),
                )
            })
    };
    event
        .questions()
        .into_iter()
        .map(
            |Question {
                 key,
                 text,
                 workshop,
             }| {
                let mut mine: Vec<Contribution> = contributions
                    .iter()
                    .filter(|c| c.question == key)
                    .cloned()
                    .collect();
                if sorted {
                    by_support(&mut mine);
                }
                QuestionView {
                    text: fr(&text),
                    workshop: workshop
                        .and_then(|w| event.workshops.get(w))
                        .map(|w| fr(&w.theme)),
                    contributions: mine
                        .into_iter()
                        .map(|c| ContributionView {
                            id: c.id,
                            text: fr(&c.text),
                            author: c.author,
                            fiche: c.fiche.and_then(fiche),
                            supports: c.supports,
                            hidden: c.hidden,
                        })
                        .collect(),
                    key,
                    synthesis: None,
                    synthesis_source: String::new(),
                }
            },
        )
        .collect()
}

#[derive(Template)]
#[template(path = "seminar/board.html")]
pub(crate) struct BoardPage {
    pub(crate) meta: Meta,
    pub(crate) slug: String,
    pub(crate) event_title: String,
    pub(crate) questions: Vec<QuestionView>,
    pub(crate) can_write: bool,
    pub(crate) csrf: String,
    pub(crate) author: String,
    pub(crate) moderator: bool,
    pub(crate) has_code: bool,
    pub(crate) fiches: Vec<(u32, String)>,
    pub(crate) error: Option<String>,
    pub(crate) typed: String,
    pub(crate) typed_question: String,
}

#[derive(Template)]
#[template(path = "seminar/board_list.html")]
pub(crate) struct BoardList {
    /// Only its links are used: the fragment is part of the board's page.
    pub(crate) meta: Meta,
    pub(crate) slug: String,
    pub(crate) questions: Vec<QuestionView>,
    pub(crate) can_write: bool,
    pub(crate) csrf: String,
    pub(crate) moderator: bool,
}

async fn board_page(
    ed: &Editor,
    viewer: &Viewer,
    headers: &HeaderMap,
    slug: &str,
) -> Result<BoardPage, AppError> {
    let event = find_event(&ed.here, slug)?;
    let who = contributor(ed, viewer, headers, slug).await?;
    let moderator = is_moderator(viewer, ed.cite());
    let contributions = ed
        .participation
        .contributions(ed.cite(), slug, moderator)
        .await
        .map_err(store_error)?;
    let snapshot = ed.here.snapshot();
    let cat = &snapshot.catalogue;
    Ok(BoardPage {
        meta: Meta::new(
            format!("Contributions : {}", event.title),
            &ed.here,
            Nav::Seminar,
        ),
        slug: slug.to_owned(),
        event_title: fr(&format!("{} ({})", event.title, event.date.french())),
        questions: question_views(&event, cat, contributions, false),
        can_write: who.is_some(),
        csrf: who.as_ref().map(|w| w.csrf.clone()).unwrap_or_default(),
        author: who.map(|w| w.author).unwrap_or_default(),
        moderator,
        has_code: event.code.is_some(),
        fiches: cat
            .current_programme()
            .map(|p| {
                p.actions
                    .iter()
                    .map(|a| {
                        (
                            a.fiche.get(),
                            fr(&format!("Fiche {} — {}", a.fiche, a.title)),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        error: None,
        typed: String::new(),
        typed_question: String::new(),
    })
}

/// `GET /seminaire/{slug}/contributions`.
pub(crate) async fn board(
    ed: Editor,
    viewer: Viewer,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let page = board_page(&ed, &viewer, &headers, &slug).await?;
    Ok(no_store(render(&page)?.into_response()))
}

/// `GET /seminaire/{slug}/contributions/liste`: the board alone, which
/// `board.js` fetches every few seconds where JavaScript runs.
pub(crate) async fn board_list(
    ed: Editor,
    viewer: Viewer,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let page = board_page(&ed, &viewer, &headers, &slug).await?;
    let list = BoardList {
        meta: page.meta,
        slug: page.slug,
        questions: page.questions,
        can_write: page.can_write,
        csrf: page.csrf,
        moderator: page.moderator,
    };
    Ok(no_store(Html(list.render()?).into_response()))
}

/// A form sent to the board, for answering it with the board again.
struct Sent<'a> {
    ed: &'a Editor,
    viewer: &'a Viewer,
    headers: &'a HeaderMap,
    slug: &'a str,
}

impl Sent<'_> {
    /// The board again, with a message (and what was typed, kept).
    async fn refused(
        &self,
        (status, message): (StatusCode, String),
        typed: Option<(&str, &str)>,
    ) -> Result<Response, AppError> {
        let mut page = board_page(self.ed, self.viewer, self.headers, self.slug).await?;
        page.error = Some(message);
        if let Some((question, text)) = typed {
            page.typed_question = question.to_owned();
            page.typed = text.to_owned();
        }
        Ok(no_store((status, render(&page)?).into_response()))
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct JoinForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

/// `POST /seminaire/{slug}/code`: the day's code opens the board to someone
/// without an account (a cookie for the day).
pub(crate) async fn join(
    State(state): State<AppState>,
    ed: Editor,
    viewer: Viewer,
    headers: HeaderMap,
    Peer(peer): Peer,
    Path(slug): Path<String>,
    Form(f): Form<JoinForm>,
) -> Result<Response, AppError> {
    let event = find_event(&ed.here, &slug)?;
    let sent = Sent {
        ed: &ed,
        viewer: &viewer,
        headers: &headers,
        slug: &slug,
    };
    let address = format!(
        "code:{}",
        peer.map_or_else(|| "inconnue".to_owned(), |ip| ip.to_string())
    );
    let expected = event.code.clone().unwrap_or_default();
    let typed = f.code.trim();
    if state.throttle.blocked(&address, MAX_CODE_FAILURES).await {
        let msg = "Trop de codes erronés : réessayez dans un quart d'heure.".to_owned();
        return sent
            .refused((StatusCode::TOO_MANY_REQUESTS, msg), None)
            .await;
    }
    if expected.is_empty() || !same_secret(&expected.to_lowercase(), &typed.to_lowercase()) {
        state.throttle.fail(address).await;
        let msg = "Ce code n'est pas celui de l'événement.".to_owned();
        return sent.refused((StatusCode::FORBIDDEN, msg), None).await;
    }
    let name: String = passerelle_domain::text::squash_spaces(&f.name)
        .chars()
        .take(60)
        .collect();
    let token = new_token();
    let participant = Participant {
        cite: ed.cite().to_owned(),
        event: slug.clone(),
        csrf: new_token(),
        name,
    };
    ed.participation
        .join(&participant, &token_hash(&token))
        .await
        .map_err(store_error)?;
    let mut res = ed
        .here
        .see_other(&format!("/seminaire/{slug}/contributions"));
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            PARTICIPANT_COOKIE,
            &token,
            24 * 3600,
            "Lax",
            state.secure_cookies,
        ),
    );
    Ok(res)
}

#[derive(Debug, Deserialize)]
pub(crate) struct PostForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    fiche: String,
}

/// `POST /seminaire/{slug}/contributions`.
pub(crate) async fn post(
    State(state): State<AppState>,
    ed: Editor,
    viewer: Viewer,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<PostForm>,
) -> Result<Response, AppError> {
    let event = find_event(&ed.here, &slug)?;
    let sent = Sent {
        ed: &ed,
        viewer: &viewer,
        headers: &headers,
        slug: &slug,
    };
    let Some(who) = contributor(&ed, &viewer, &headers, &slug).await? else {
        return Err(AppError::Unauthorized(
            "Pour contribuer, connectez-vous ou saisissez le code de l'événement.".into(),
        ));
    };
    if !same_secret(&who.csrf, &f.csrf) {
        return Err(AppError::Forbidden(
            "Le formulaire a expiré : rechargez la page.".into(),
        ));
    }
    let typed = Some((f.question.as_str(), f.text.as_str()));
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if !event.questions().iter().any(|q| q.key == f.question) {
        let msg = "Choisissez la question à laquelle vous répondez.".to_owned();
        return sent.refused((unprocessable, msg), typed).await;
    }
    let text = match contribution_text(&f.text) {
        Ok(t) => t,
        Err(e) => {
            return sent.refused((unprocessable, e.to_string()), typed).await;
        }
    };
    let fiche = match f.fiche.as_str() {
        "" => None,
        n => match n.parse::<u32>() {
            Ok(n) if ed.here.snapshot().action(n).is_some() => Some(n),
            _ => {
                let msg = "Choisissez une fiche de la liste.".to_owned();
                return sent.refused((unprocessable, msg), typed).await;
            }
        },
    };
    let key = format!("contribution:{}", who.id);
    if state.throttle.blocked(&key, MAX_CONTRIBUTIONS).await {
        let msg = "Vous avez beaucoup contribué en peu de temps : réessayez dans quelques minutes."
            .to_owned();
        return sent
            .refused((StatusCode::TOO_MANY_REQUESTS, msg), typed)
            .await;
    }
    state.throttle.fail(key).await;
    let c = ed
        .participation
        .contribute(
            ed.cite(),
            &slug,
            &f.question,
            &text,
            &who.author,
            &who.id,
            fiche,
        )
        .await
        .map_err(store_error)?;
    Ok(ed
        .here
        .see_other(&format!("/seminaire/{slug}/contributions#c{}", c.id)))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ActForm {
    #[serde(default)]
    csrf: String,
    /// For moderation: the reason to hide; empty shows it again.
    #[serde(default)]
    reason: String,
}

async fn contribution_of(ed: &Editor, slug: &str, id: i64) -> Result<Contribution, AppError> {
    ed.participation
        .contribution(id)
        .await
        .map_err(store_error)?
        .filter(|c| c.cite == ed.cite() && c.event == slug)
        .ok_or_else(|| AppError::NotFound("Cette contribution n'existe pas.".into()))
}

/// `POST /seminaire/{slug}/contributions/{id}/soutenir`: once per person.
pub(crate) async fn support(
    ed: Editor,
    viewer: Viewer,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<ActForm>,
) -> Result<Response, AppError> {
    let Some(who) = contributor(&ed, &viewer, &headers, &slug).await? else {
        return Err(AppError::Unauthorized(
            "Pour soutenir une contribution, connectez-vous ou saisissez le code de l'événement."
                .into(),
        ));
    };
    if !same_secret(&who.csrf, &f.csrf) {
        return Err(AppError::Forbidden(
            "Le formulaire a expiré : rechargez la page.".into(),
        ));
    }
    let c = contribution_of(&ed, &slug, id).await?;
    if c.hidden.is_some() {
        return Err(AppError::NotFound(
            "Cette contribution n'existe pas.".into(),
        ));
    }
    ed.participation
        .support(id, &who.id)
        .await
        .map_err(store_error)?;
    Ok(ed
        .here
        .see_other(&format!("/seminaire/{slug}/contributions#c{id}")))
}

/// `POST /seminaire/{slug}/contributions/{id}/moderer`: hide with a reason,
/// or show again; administrators only.
pub(crate) async fn moderate(
    ed: Editor,
    Path((slug, id)): Path<(String, i64)>,
    Posted { who, form: f }: Posted<ActForm>,
) -> Result<Response, AppError> {
    let account = who.administrator("La modération est réservée aux administrateurs.")?;
    contribution_of(&ed, &slug, id).await?;
    let reason = passerelle_domain::text::squash_spaces(&f.reason);
    let reason: String = reason.chars().take(200).collect();
    ed.participation
        .moderate(
            ed.cite(),
            id,
            (!reason.is_empty()).then_some(reason.as_str()),
            account.email.as_str(),
        )
        .await
        .map_err(store_error)?;
    Ok(ed
        .here
        .see_other(&format!("/seminaire/{slug}/contributions#c{id}")))
}

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

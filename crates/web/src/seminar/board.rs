//! The contribution board of an event: the walking questions and each
//! workshop's, short contributions (under an account, or with the day's code
//! and no account), supports once per person, moderation; then the
//! restitution (printable, Markdown) and the panel view for a projector.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use passerelle_auth::{new_token, same_secret, token_hash};
use passerelle_domain::participation::{by_support, contribution_text};
use passerelle_domain::{Contribution, Question, Seminar};
use passerelle_store::{Participant, StoreError};
use serde::Deserialize;

use super::registration::find_event;
use crate::shared::ctx::{
    Editor, Peer, Posted, Viewer, anonymous_csrf, anonymous_csrf_cookie, anonymous_csrf_ok, cookie,
    set_cookie,
};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;
use crate::shared::text::fr;

const PARTICIPANT_COOKIE: &str = "passerelle_participant";
/// Contributions one person may post in the throttle's window (15 minutes).
const MAX_CONTRIBUTIONS: u32 = 30;
/// Wrong codes one address may try in the window.
const MAX_CODE_FAILURES: u32 = 20;
/// Identities the day's code gives one address in the window: a room
/// behind one address can join, a client cannot mint supporters at will.
const MAX_JOINS_PER_ADDRESS: u32 = 50;
/// Contributions everyone who joined with the code from one address may
/// post in the window, whatever the identities they hold.
const MAX_CONTRIBUTIONS_PER_ADDRESS: u32 = 4 * MAX_CONTRIBUTIONS;

pub(super) fn store_error(e: StoreError) -> AppError {
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
    // An account writes under its name in the cités where it has a role;
    // elsewhere the public rules apply: the day's code.
    if let (Some(account), Some(csrf)) = (&viewer.account, &viewer.csrf)
        && account.role_in(ed.cite()).is_some()
    {
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

pub(super) fn is_moderator(viewer: &Viewer, cite: &str) -> bool {
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

pub(super) fn question_views(
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
    /// The day's-code form's CSRF token (anyone may send it), when it is
    /// shown.
    pub(crate) join_csrf: String,
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
        join_csrf: if who.is_none() && event.code.is_some() {
            anonymous_csrf(&ed.form_key, headers)
        } else {
            String::new()
        },
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
    answer(&ed, StatusCode::OK, &page)
}

/// The board's page, with the cookie of its day's-code form when it shows
/// one.
fn answer(ed: &Editor, status: StatusCode, page: &BoardPage) -> Result<Response, AppError> {
    let mut res = (status, render(page)?).into_response();
    if !page.join_csrf.is_empty() {
        res.headers_mut().append(
            header::SET_COOKIE,
            anonymous_csrf_cookie(&page.join_csrf, ed.secure_cookies),
        );
    }
    Ok(no_store(res))
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
        answer(self.ed, status, &page)
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct JoinForm {
    #[serde(default)]
    csrf: String,
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
    peer: Peer,
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
    let address = format!("code:{}", peer.key());
    if !anonymous_csrf_ok(&ed.form_key, &headers, &f.csrf) {
        let msg = "Le formulaire a expiré : il a été rechargé, recommencez.".to_owned();
        return sent.refused((StatusCode::FORBIDDEN, msg), None).await;
    }
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
    // Joining again from a browser that joined keeps its identity: its
    // supports and contributions stay counted.
    let board = format!("/seminaire/{slug}/contributions");
    if let Some(token) = cookie(&headers, PARTICIPANT_COOKIE) {
        let known = ed
            .participation
            .participant(&token_hash(&token))
            .await
            .map_err(store_error)?;
        if known.is_some_and(|p| p.cite == ed.cite() && p.event == slug) {
            return Ok(ed.here.see_other(&board));
        }
    }
    let joins = format!("code-joins:{}:{slug}:{}", ed.cite(), peer.key());
    if state.throttle.blocked(&joins, MAX_JOINS_PER_ADDRESS).await {
        let msg = "Beaucoup de participants ont rejoint le tableau depuis cette adresse : réessayez dans un quart d'heure, ou connectez-vous.".to_owned();
        return sent
            .refused((StatusCode::TOO_MANY_REQUESTS, msg), None)
            .await;
    }
    state.throttle.fail(joins).await;
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
    let mut res = ed.here.see_other(&board);
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
    peer: Peer,
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
    // Those who joined with the code also share their address's budget,
    // which joining again does not renew.
    let shared = who
        .id
        .starts_with("p:")
        .then(|| format!("contributions-code:{}:{slug}:{}", ed.cite(), peer.key()));
    let over_shared = match &shared {
        Some(k) => {
            state
                .throttle
                .blocked(k, MAX_CONTRIBUTIONS_PER_ADDRESS)
                .await
        }
        None => false,
    };
    if over_shared || state.throttle.blocked(&key, MAX_CONTRIBUTIONS).await {
        let msg = "Vous avez beaucoup contribué en peu de temps : réessayez dans quelques minutes."
            .to_owned();
        return sent
            .refused((StatusCode::TOO_MANY_REQUESTS, msg), typed)
            .await;
    }
    state.throttle.fail(key).await;
    if let Some(k) = shared {
        state.throttle.fail(k).await;
    }
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

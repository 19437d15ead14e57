//! Issues: composed from the data, previewed as mailed (HTML and text),
//! tried on oneself, scheduled (Paris time) or sent now, their delivery
//! followed on their page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::newsletter::{Blocks, Claimed, Issue, IssueDraft, NewsletterList};

use super::admin::{REFUSAL, progress_text};
use super::compose::{Envelope, letter};
use super::deliver::{compose, queue};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;
use crate::shared::text::count;

fn store_error(e: passerelle_store::StoreError) -> AppError {
    AppError::store("lettre d'infos", e)
}

fn page(res: impl IntoResponse) -> Response {
    no_store(res.into_response())
}

#[derive(Template)]
#[template(path = "newsletter/compose.html")]
pub(crate) struct ComposePage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    /// `None` for a new issue.
    pub(crate) id: Option<i64>,
    pub(crate) editable: bool,
    pub(crate) status: String,
    pub(crate) lists: Vec<(i64, String, bool)>,
    pub(crate) title: String,
    pub(crate) intro: String,
    pub(crate) changes: bool,
    pub(crate) events: bool,
    pub(crate) fiches: Vec<(String, String, bool)>,
    pub(crate) free: String,
    pub(crate) scheduled: String,
    pub(crate) preview_html: String,
    pub(crate) preview_text: String,
    pub(crate) progress: String,
    pub(crate) notice: Option<String>,
    pub(crate) errors: Vec<(String, String)>,
}

fn read_draft(
    form: &Submitted,
    lists: &[NewsletterList],
) -> Result<IssueDraft, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let title = passerelle_domain::text::squash_spaces(form.get("title"));
    if title.is_empty() || title.chars().count() > 200 {
        errors.push((
            "title".into(),
            "Donnez un titre à la lettre (200 caractères au plus) : c'est l'objet du courriel."
                .into(),
        ));
    }
    let list = form
        .get("list")
        .parse::<i64>()
        .ok()
        .filter(|id| lists.iter().any(|l| l.id == *id));
    if list.is_none() {
        errors.push(("list".into(), "Choisissez la liste à qui l'envoyer.".into()));
    }
    let fiche = match form.get("fiche") {
        "" => None,
        n => match n.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(("fiche".into(), "Choisissez une fiche de la liste.".into()));
                None
            }
        },
    };
    let intro = form.get("intro").replace("\r\n", "\n");
    let free = form.get("free").replace("\r\n", "\n");
    if intro.chars().count() > 20_000 || free.chars().count() > 20_000 {
        errors.push((
            "intro".into(),
            "20 000 caractères au plus par texte.".into(),
        ));
    }
    match list {
        Some(list) if errors.is_empty() => Ok(IssueDraft {
            list,
            title,
            intro,
            blocks: Blocks {
                changes: form.get("changes") == "1",
                events: form.get("events") == "1",
                fiche,
                free,
            },
        }),
        _ => Err(errors),
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "the page's parts, each from its own source"
)]
async fn compose_page(
    state: &AppState,
    ed: &Editor,
    who: &SignedIn,
    issue: Option<&Issue>,
    draft: &IssueDraft,
    notice: Option<String>,
    errors: Vec<(String, String)>,
) -> Result<ComposePage, AppError> {
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let (preview_html, preview_text) = match issue {
        // What was sent, as it was sent.
        Some(i) if !i.status.editable() => (
            i.html.clone().unwrap_or_default(),
            i.text.clone().unwrap_or_default(),
        ),
        _ if draft.title.is_empty() => (String::new(), String::new()),
        _ => {
            compose(
                state,
                ed,
                &ed.here.tenant,
                draft.list,
                &draft.title,
                &draft.intro,
                &draft.blocks,
            )
            .await?
        }
    };
    let progress = match issue {
        Some(i) => progress_text(
            &ed.newsletter
                .progress(ed.cite(), i.id)
                .await
                .map_err(store_error)?,
        ),
        None => String::new(),
    };
    let snapshot = ed.here.snapshot();
    let fiches = snapshot
        .catalogue
        .current_programme()
        .map(|p| {
            p.actions
                .iter()
                .map(|a| {
                    (
                        a.fiche.to_string(),
                        format!("Fiche {} — {}", a.fiche, a.title),
                        draft.blocks.fiche == Some(a.fiche.get()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ComposePage {
        meta: Meta::new(
            issue.map_or_else(
                || "Nouvelle lettre".to_owned(),
                |i| format!("Lettre : {}", i.title),
            ),
            &ed.here,
            Nav::None,
        ),
        csrf: who.csrf(),
        id: issue.map(|i| i.id),
        editable: issue.is_none_or(|i| i.status.editable()),
        status: issue
            .map(|i| i.status.label().to_owned())
            .unwrap_or_default(),
        lists: lists
            .iter()
            .map(|l| (l.id, l.name.clone(), l.id == draft.list))
            .collect(),
        title: draft.title.clone(),
        intro: draft.intro.clone(),
        changes: draft.blocks.changes,
        events: draft.blocks.events,
        fiches,
        free: draft.blocks.free.clone(),
        scheduled: issue
            .and_then(|i| i.scheduled_at.as_deref())
            .map(paris_local)
            .unwrap_or_default(),
        preview_html: ammonia::clean(&preview_html),
        preview_text,
        progress,
        notice,
        errors,
    })
}

/// `GET /admin/lettre/nouvelle`.
pub(crate) async fn new_issue(
    State(state): State<AppState>,
    ed: Editor,
    who: SignedIn,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let draft = IssueDraft {
        list: lists.first().map_or(0, |l| l.id),
        title: String::new(),
        intro: String::new(),
        blocks: Blocks {
            changes: true,
            events: true,
            ..Blocks::default()
        },
    };
    Ok(page(render(
        &compose_page(&state, &ed, &who, None, &draft, None, Vec::new()).await?,
    )?))
}

/// `POST /admin/lettre/nouvelle`.
pub(crate) async fn create_issue(
    State(state): State<AppState>,
    ed: Editor,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    match read_draft(&form, &lists) {
        Ok(draft) => {
            let id = ed
                .newsletter
                .create_issue(ed.cite(), &draft)
                .await
                .map_err(store_error)?;
            Ok(ed.here.see_other(&format!("/admin/lettre/{id}")))
        }
        Err(errors) => {
            let draft = IssueDraft {
                list: form.get("list").parse().unwrap_or(0),
                title: form.get("title").to_owned(),
                intro: form.get("intro").to_owned(),
                blocks: Blocks::default(),
            };
            let p = compose_page(
                &state,
                &ed,
                &who,
                None,
                &IssueDraft {
                    title: String::new(),
                    ..draft
                },
                None,
                errors,
            )
            .await?;
            Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)))
        }
    }
}

/// The issue's page with a notice of what was just done.
async fn shown(
    state: &AppState,
    ed: &Editor,
    who: &SignedIn,
    i: &Issue,
    notice: impl Into<String>,
) -> Result<Response, AppError> {
    let p = compose_page(
        state,
        ed,
        who,
        Some(i),
        &draft_of(i),
        Some(notice.into()),
        Vec::new(),
    )
    .await?;
    Ok(page(render(&p)?))
}

async fn stored(ed: &Editor, id: &str) -> Result<Issue, AppError> {
    let missing = || AppError::NotFound("Aucune lettre à cette adresse.".into());
    let id: i64 = id.parse().map_err(|_| missing())?;
    ed.newsletter
        .issue(ed.cite(), id)
        .await
        .map_err(store_error)?
        .ok_or_else(missing)
}

fn draft_of(i: &Issue) -> IssueDraft {
    IssueDraft {
        list: i.list,
        title: i.title.clone(),
        intro: i.intro.clone(),
        blocks: i.blocks.clone(),
    }
}

/// `GET /admin/lettre/{id}`: the issue, its preview, its delivery.
pub(crate) async fn issue(
    State(state): State<AppState>,
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let i = stored(&ed, &id).await?;
    Ok(page(render(
        &compose_page(&state, &ed, &who, Some(&i), &draft_of(&i), None, Vec::new()).await?,
    )?))
}

/// `POST /admin/lettre/{id}`: saves the draft.
pub(crate) async fn save_issue(
    State(state): State<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let i = stored(&ed, &id).await?;
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let draft = match read_draft(&form, &lists) {
        Ok(d) => d,
        Err(errors) => {
            let p = compose_page(&state, &ed, &who, Some(&i), &draft_of(&i), None, errors).await?;
            return Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)));
        }
    };
    let saved = ed
        .newsletter
        .update_issue(ed.cite(), i.id, &draft)
        .await
        .map_err(store_error)?;
    let notice = if saved {
        "Lettre enregistrée."
    } else {
        "Cette lettre est déjà partie : elle ne change plus."
    };
    let i = stored(&ed, &id).await?;
    shown(&state, &ed, &who, &i, notice).await
}

/// `POST /admin/lettre/{id}/essai`: the issue as composed now, mailed to
/// the administrator alone.
pub(crate) async fn test_send(
    State(state): State<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, .. }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let mut i = stored(&ed, &id).await?;
    if i.status.editable() {
        let (html, text) = compose(
            &state,
            &ed,
            &ed.here.tenant,
            i.list,
            &i.title,
            &i.intro,
            &i.blocks,
        )
        .await?;
        i.html = Some(html);
        i.text = Some(text);
    }
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let list = lists
        .into_iter()
        .find(|l| l.id == i.list)
        .ok_or_else(|| AppError::NotFound("La liste de cette lettre n'existe plus.".into()))?;
    let link = state.absolute_link(&ed, ed.cite());
    let name = ed.here.snapshot().catalogue.cite.name.clone();
    let domain = ed.mailer.newsletter_domain();
    let mailto = ed.mailer.newsletter_address();
    let env = Envelope {
        list: &list,
        cite: &name,
        absolute: &link,
        domain: &domain,
        mailto: &mailto,
    };
    let to = Claimed {
        issue: i.id,
        subscriber: 0,
        cite: ed.cite().to_owned(),
        email: who.account.email.to_string(),
        token: "essai".into(),
        attempts: 0,
    };
    let mut l = letter(&i, &to, &env).map_err(|e| AppError::Internal(format!("lettre : {e}")))?;
    l.subject = format!("[Essai] {}", l.subject);
    l.message_id = format!("essai-{}-{}@{domain}", i.id, passerelle_auth::new_token());
    let outcome = ed.mailer.send_letter(&l).await;
    let notice = match outcome {
        passerelle_domain::newsletter::Outcome::Sent(_) => {
            format!("Essai envoyé à {}.", who.account.email)
        }
        other => format!("L'essai n'est pas parti : {}", other.answer()),
    };
    shown(&state, &ed, &who, &i, notice).await
}

/// `2027-01-10T09:00` (Paris) from an RFC 3339 instant.
fn paris_local(at: &str) -> String {
    let Ok(t) = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
    else {
        return String::new();
    };
    let day = crate::shared::text::paris_date(t);
    let hours: i64 = if day.paris_offset() == "+02:00" { 2 } else { 1 };
    let local = t.to_offset(time::UtcOffset::UTC) + time::Duration::hours(hours);
    format!("{}T{:02}:{:02}", day.iso(), local.hour(), local.minute())
}

/// An RFC 3339 instant (UTC) from `2027-01-10T09:00`, Paris time.
pub(crate) fn from_paris_local(local: &str) -> Option<String> {
    let (date, hm) = local.trim().split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let date = passerelle_domain::Date::new(
        i32::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(day).ok()?,
    )?;
    let (h, min) = hm.split_once(':')?;
    let (h, min): (u8, u8) = (h.parse().ok()?, min.get(..2)?.parse().ok()?);
    let text = format!("{}T{h:02}:{min:02}:00{}", date.iso(), date.paris_offset());
    let t =
        time::OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339).ok()?;
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// `POST /admin/lettre/{id}/programmer`: schedules (or, empty, unschedules).
pub(crate) async fn schedule(
    State(state): State<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let i = stored(&ed, &id).await?;
    let typed = form.get("at").trim();
    let at = if typed.is_empty() {
        None
    } else {
        from_paris_local(typed)
    };
    if !typed.is_empty() && at.is_none() {
        let errors = vec![(
            "at".into(),
            "Indiquez le jour et l'heure d'envoi, par exemple 2027-01-10T09:00.".into(),
        )];
        let p = compose_page(&state, &ed, &who, Some(&i), &draft_of(&i), None, errors).await?;
        return Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)));
    }
    ed.newsletter
        .schedule_issue(ed.cite(), i.id, at.as_deref())
        .await
        .map_err(store_error)?;
    let notice = match &at {
        Some(_) => format!(
            "Envoi programmé le {} (heure de Paris).",
            typed.replace('T', " à ")
        ),
        None => "L'envoi n'est plus programmé : la lettre est un brouillon.".to_owned(),
    };
    let i = stored(&ed, &id).await?;
    shown(&state, &ed, &who, &i, notice).await
}

/// `POST /admin/lettre/{id}/envoyer`: queued now; the delivery shows on the
/// issue's page.
pub(crate) async fn send(
    State(state): State<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, .. }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let i = stored(&ed, &id).await?;
    let queued = queue(&state, &ed, &ed.here.tenant, i.id).await?;
    let notice = match queued {
        Some(n) => format!(
            "Envoi lancé : {}.",
            count(
                n as usize,
                "aucun abonné confirmé sur cette liste",
                "destinataire",
                "destinataires"
            )
        ),
        None => "Cette lettre est déjà partie.".to_owned(),
    };
    let i = stored(&ed, &id).await?;
    shown(&state, &ed, &who, &i, notice).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_times_go_to_utc_and_back() {
        assert_eq!(
            from_paris_local("2027-01-10T09:00").as_deref(),
            Some("2027-01-10T08:00:00Z")
        );
        assert_eq!(
            from_paris_local("2027-07-10T09:00").as_deref(),
            Some("2027-07-10T07:00:00Z")
        );
        assert_eq!(paris_local("2027-07-10T07:00:00Z"), "2027-07-10T09:00");
        assert_eq!(from_paris_local("demain"), None);
    }
}

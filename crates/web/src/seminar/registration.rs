//! Registering to an event: the form with ranked workshops, throttled per
//! client address and per email, and the private link to view, change,
//! cancel or erase it (the organisers' side is `organisers.rs`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passerelle_auth::{new_token, token_hash};
use passerelle_domain::{
    Email, ParticipantKind, Registration, RegistrationForm, RegistrationStatus, Seminar,
};
use passerelle_store::StoreError;
use serde::Deserialize;

use crate::shared::cites::Here;
use crate::shared::ctx::{Editor, Peer, anonymous_csrf, anonymous_csrf_cookie, anonymous_csrf_ok};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::AppState;
use crate::shared::text::fr;

/// The event with this slug, from the current snapshot.
pub(crate) fn find_event(here: &Here, slug: &str) -> Result<Seminar, AppError> {
    here.snapshot()
        .catalogue
        .seminars
        .iter()
        .find(|e| e.slug.as_str() == slug)
        .cloned()
        .ok_or_else(|| AppError::NotFound("Aucun événement à cette adresse.".into()))
}

/// Whether registering to `event` is possible today: its registration
/// is open and the day has not passed (registering on the day is).
pub(crate) fn open_for_registration(event: &Seminar) -> Result<(), AppError> {
    if !event.registration_open {
        return Err(AppError::NotFound(
            "Les inscriptions à cet événement ne sont pas ouvertes.".into(),
        ));
    }
    if event.date < crate::shared::text::paris_today() {
        return Err(AppError::Gone(format!(
            "Cet événement a eu lieu le {} : les inscriptions sont closes.",
            event.date.french()
        )));
    }
    Ok(())
}

pub(super) fn store_error(e: StoreError) -> AppError {
    AppError::store("participation", e)
}

/// A choice of a list, as the templates show it.
pub(crate) use crate::shared::form::OptionView as Choice;

#[derive(Debug)]
pub(crate) struct RankView {
    pub(crate) rank: usize,
    pub(crate) label: String,
    pub(crate) options: Vec<Choice>,
}

/// What was typed, kept when the form is refused.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Typed {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) organisation: String,
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) choix1: String,
    #[serde(default)]
    pub(crate) choix2: String,
    #[serde(default)]
    pub(crate) choix3: String,
    #[serde(default)]
    pub(crate) choix4: String,
    #[serde(default)]
    pub(crate) choix5: String,
    #[serde(default)]
    pub(crate) choix6: String,
    /// On the private page: `modifier`, `annuler` or `effacer`.
    #[serde(default)]
    pub(crate) intent: String,
}

impl Typed {
    fn choices(&self) -> [&str; 6] {
        [
            &self.choix1,
            &self.choix2,
            &self.choix3,
            &self.choix4,
            &self.choix5,
            &self.choix6,
        ]
    }

    fn of(r: &Registration) -> Typed {
        let c = |i: usize| {
            r.choices
                .get(i)
                .map(|w| (w + 1).to_string())
                .unwrap_or_default()
        };
        Typed {
            name: r.name.clone(),
            email: r
                .email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            organisation: r.organisation.clone(),
            kind: r.kind.key().to_owned(),
            choix1: c(0),
            choix2: c(1),
            choix3: c(2),
            choix4: c(3),
            choix5: c(4),
            choix6: c(5),
            ..Typed::default()
        }
    }
}

#[derive(Template)]
#[template(path = "seminar/register.html")]
pub(crate) struct RegisterPage {
    pub(crate) meta: Meta,
    pub(crate) event_title: String,
    pub(crate) event_href: String,
    pub(crate) action: String,
    pub(crate) csrf: String,
    pub(crate) typed: Typed,
    pub(crate) kinds: Vec<Choice>,
    pub(crate) ranks: Vec<RankView>,
    pub(crate) errors: Vec<(String, String)>,
    pub(crate) retention_days: u32,
    /// On the private page: the registration as it stands.
    pub(crate) current: Option<CurrentView>,
    pub(crate) notice: Option<String>,
}

#[derive(Debug)]
pub(crate) struct CurrentView {
    pub(crate) status: String,
    pub(crate) workshop: Option<String>,
}

fn ordinal(rank: usize) -> String {
    if rank == 1 {
        "1er choix".to_owned()
    } else {
        format!("{rank}e choix")
    }
}

fn ranks(event: &Seminar, typed: &Typed) -> Vec<RankView> {
    typed
        .choices()
        .iter()
        .take(event.workshops.len())
        .enumerate()
        .map(|(i, chosen)| RankView {
            rank: i + 1,
            label: ordinal(i + 1),
            options: std::iter::once(Choice {
                value: String::new(),
                label: "— aucun —".into(),
                selected: chosen.is_empty(),
            })
            .chain(event.workshops.iter().enumerate().map(|(w, ws)| Choice {
                value: (w + 1).to_string(),
                label: fr(&ws.theme),
                selected: *chosen == (w + 1).to_string(),
            }))
            .collect(),
        })
        .collect()
}

fn register_page(
    ed: &Editor,
    event: &Seminar,
    action: String,
    csrf: String,
    typed: Typed,
    errors: Vec<(String, String)>,
    current: Option<CurrentView>,
) -> RegisterPage {
    let title = match &current {
        Some(_) => format!("Mon inscription : {}", event.title),
        None => format!("S'inscrire : {}", event.title),
    };
    RegisterPage {
        meta: Meta::new(title, &ed.here, Nav::Seminar),
        event_title: fr(&format!("{} ({})", event.title, event.date.french())),
        event_href: format!("/seminaire/{}", event.slug),
        action,
        csrf,
        kinds: ParticipantKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.key().into(),
                label: k.label().into(),
                selected: typed.kind == k.key(),
            })
            .collect(),
        ranks: ranks(event, &typed),
        typed,
        errors,
        retention_days: ed.retention_days,
        current,
        notice: None,
    }
}

/// Reads the form; messages are (field id, French message).
fn read_form(
    event: &Seminar,
    t: &Typed,
    email_fixed: Option<&Email>,
) -> Result<RegistrationForm, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let name = passerelle_domain::text::squash_spaces(&t.name);
    if name.is_empty() || name.chars().count() > 200 {
        errors.push((
            "name".into(),
            "Indiquez votre nom (200 caractères au plus).".into(),
        ));
    }
    let email = match email_fixed {
        Some(e) => Some(e.clone()),
        None => match Email::parse(t.email.trim()) {
            Ok(e) => Some(e),
            Err(_) => {
                errors.push((
                    "email".into(),
                    "Indiquez une adresse électronique valide : la confirmation y sera envoyée."
                        .into(),
                ));
                None
            }
        },
    };
    let organisation = passerelle_domain::text::squash_spaces(&t.organisation);
    if organisation.chars().count() > 200 {
        errors.push(("organisation".into(), "200 caractères au plus.".into()));
    }
    let kind = ParticipantKind::from_key(&t.kind);
    if kind.is_none() {
        errors.push((
            "kind".into(),
            "Choisissez ce qui vous décrit le mieux.".into(),
        ));
    }
    let mut choices: Vec<usize> = Vec::new();
    for (i, c) in t.choices().iter().enumerate() {
        if c.is_empty() {
            continue;
        }
        match c.parse::<usize>() {
            Ok(n) if (1..=event.workshops.len()).contains(&n) => {
                if choices.contains(&(n - 1)) {
                    errors.push((
                        format!("choix{}", i + 1),
                        "Cet atelier est déjà choisi à un meilleur rang.".into(),
                    ));
                } else {
                    choices.push(n - 1);
                }
            }
            _ => errors.push((
                format!("choix{}", i + 1),
                "Choisissez un atelier de la liste.".into(),
            )),
        }
    }
    match (email, kind) {
        (Some(email), Some(kind)) if errors.is_empty() => Ok(RegistrationForm {
            name,
            email,
            organisation,
            kind,
            choices,
        }),
        _ => Err(errors),
    }
}

fn with_csrf_cookie(mut res: Response, token: &str, secure: bool) -> Response {
    res.headers_mut()
        .append(header::SET_COOKIE, anonymous_csrf_cookie(token, secure));
    no_store(res)
}

/// `GET /seminaire/{slug}/inscription`.
pub(crate) async fn form(
    State(state): State<AppState>,
    ed: Editor,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = find_event(&ed.here, &slug)?;
    open_for_registration(&event)?;
    let csrf = anonymous_csrf(&state.form_key, &headers);
    let page = register_page(
        &ed,
        &event,
        format!("/seminaire/{slug}/inscription"),
        csrf.clone(),
        Typed::default(),
        Vec::new(),
        None,
    );
    Ok(with_csrf_cookie(
        render(&page)?.into_response(),
        &csrf,
        state.secure_cookies,
    ))
}

/// `POST /seminaire/{slug}/inscription`: registers, mails the private link.
pub(crate) async fn register(
    State(state): State<AppState>,
    ed: Editor,
    peer: Peer,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(t): Form<Typed>,
) -> Result<Response, AppError> {
    let event = find_event(&ed.here, &slug)?;
    open_for_registration(&event)?;
    if !anonymous_csrf_ok(&state.form_key, &headers, &t.csrf) {
        return Err(AppError::Forbidden(
            "Le formulaire a expiré : rechargez la page et recommencez.".into(),
        ));
    }
    let action = format!("/seminaire/{slug}/inscription");
    let csrf = t.csrf.clone();
    let form = match read_form(&event, &t, None) {
        Ok(f) => f,
        Err(errors) => {
            let page = register_page(&ed, &event, action, csrf, t, errors, None);
            return Ok(no_store(
                (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            ));
        }
    };
    // Each registration takes a place and mails a typed address: 20 a
    // quarter of an hour from one client address, 3 for one email.
    let address_key = format!("inscription-ip:{}", peer.key());
    let email_key = format!(
        "inscription:{}:{}",
        ed.cite(),
        form.email.as_str().to_lowercase()
    );
    if state.throttle.blocked(&address_key, 20).await || state.throttle.blocked(&email_key, 3).await
    {
        let errors = vec![(
            "email".into(),
            "Trop d'inscriptions envoyées d'ici : réessayez dans un quart d'heure.".into(),
        )];
        let page = register_page(&ed, &event, action, csrf, t, errors, None);
        return Ok(no_store(
            (StatusCode::TOO_MANY_REQUESTS, render(&page)?).into_response(),
        ));
    }
    state.throttle.fail(address_key).await;
    state.throttle.fail(email_key).await;
    let token = new_token();
    let registration = match ed
        .participation
        .register(
            ed.cite(),
            &slug,
            &event.date.iso(),
            &form,
            &token_hash(&token),
            event.capacity,
        )
        .await
    {
        Ok(r) => r,
        Err(StoreError::DuplicateRegistration(_)) => {
            let errors = vec![(
                "email".into(),
                "Cette adresse est déjà inscrite : le lien reçu par courriel permet de modifier l'inscription.".into(),
            )];
            let page = register_page(&ed, &event, action, csrf, t, errors, None);
            return Ok(no_store(
                (StatusCode::CONFLICT, render(&page)?).into_response(),
            ));
        }
        Err(e) => return Err(store_error(e)),
    };
    let link = ed.absolute(&format!("/inscription/{token}"));
    let status = registration.status.label();
    let mail = Mail {
        kind: MailKind::Registration,
        to: form.email.to_string(),
        subject: format!("Inscription : {}", event.title),
        body: format!(
            "Bonjour {},\n\nVotre inscription à « {} » ({}) est enregistrée : {status}.\n\nPour la consulter, la modifier ou l'annuler, et pour effacer vos données :\n{link}\n\nGardez ce lien pour vous : il donne accès à votre inscription.\n",
            form.name,
            event.title,
            event.date.french()
        ),
    };
    if let Err(e) = ed.mailer.send(mail).await {
        // The registration stands; the page shows the link anyway.
        tracing::error!(error = %e, "registration mail not sent");
    }
    Ok(ed
        .here
        .see_other(&format!("/inscription/{token}?nouvelle=1")))
}

async fn by_token(ed: &Editor, token: &str) -> Result<Registration, AppError> {
    ed.participation
        .registration(&token_hash(token))
        .await
        .map_err(store_error)?
        // A link of another cité's event is not this cité's registration.
        .filter(|r| r.cite == ed.cite())
        .ok_or_else(|| {
            AppError::NotFound(
                "Ce lien ne mène à aucune inscription (annulée et effacée, ou anonymisée).".into(),
            )
        })
}

fn current_view(event: &Seminar, r: &Registration) -> CurrentView {
    CurrentView {
        status: r.status.label().to_owned(),
        workshop: r
            .workshop
            .and_then(|w| event.workshops.get(w))
            .map(|w| fr(&w.theme)),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewQuery {
    #[serde(default)]
    nouvelle: Option<String>,
}

/// `GET /inscription/{token}`: the private page of a registration.
pub(crate) async fn private(
    ed: Editor,
    Path(token): Path<String>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let r = by_token(&ed, &token).await?;
    let event = find_event(&ed.here, &r.event)?;
    let mut page = register_page(
        &ed,
        &event,
        format!("/inscription/{token}"),
        String::new(),
        Typed::of(&r),
        Vec::new(),
        Some(current_view(&event, &r)),
    );
    if q.nouvelle.is_some() {
        page.notice = Some(format!(
            "Votre inscription est enregistrée ({}). Un courriel vous a été envoyé avec le lien de cette page : gardez-le pour modifier ou annuler.",
            r.status.label()
        ));
    }
    Ok(no_store(render(&page)?.into_response()))
}

/// `POST /inscription/{token}`: change, cancel, or erase. The link's secret
/// token is the proof of who asks.
pub(crate) async fn private_update(
    ed: Editor,
    Path(token): Path<String>,
    Form(t): Form<Typed>,
) -> Result<Response, AppError> {
    let r = by_token(&ed, &token).await?;
    let event = find_event(&ed.here, &r.event)?;
    let hash = token_hash(&token);
    match t.intent.as_str() {
        "annuler" | "effacer" => {
            let erase = t.intent == "effacer";
            let promoted = ed
                .participation
                .cancel_registration(&hash, event.capacity, erase)
                .await
                .map_err(store_error)?;
            if let Some(p) = promoted {
                notify_promoted(&ed, &event, &p).await;
            }
            if erase {
                return Ok(ed
                    .here
                    .see_other(&format!("/seminaire/{}?inscription=effacee", event.slug)));
            }
            Ok(ed.here.see_other(&format!("/inscription/{token}")))
        }
        _ => {
            if r.status == RegistrationStatus::Cancelled {
                return Err(AppError::Conflict(
                    "Cette inscription est annulée : inscrivez-vous à nouveau.".into(),
                ));
            }
            let form = match read_form(&event, &t, r.email.as_ref()) {
                Ok(f) => f,
                Err(errors) => {
                    let page = register_page(
                        &ed,
                        &event,
                        format!("/inscription/{token}"),
                        String::new(),
                        t,
                        errors,
                        Some(current_view(&event, &r)),
                    );
                    return Ok(no_store(
                        (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
                    ));
                }
            };
            ed.participation
                .update_registration(&hash, &form)
                .await
                .map_err(store_error)?;
            Ok(ed.here.see_other(&format!("/inscription/{token}")))
        }
    }
}

async fn notify_promoted(ed: &Editor, event: &Seminar, r: &Registration) {
    let Some(email) = &r.email else { return };
    let mail = Mail {
        kind: MailKind::Promotion,
        to: email.to_string(),
        subject: format!("Une place s'est libérée : {}", event.title),
        body: format!(
            "Bonjour {},\n\nUne place s'est libérée : votre inscription à « {} » ({}) est confirmée.\nLe lien reçu lors de votre inscription permet toujours de la consulter ou de l'annuler.\n",
            r.name,
            event.title,
            event.date.french()
        ),
    };
    if let Err(e) = ed.mailer.send(mail).await {
        tracing::error!(error = %e, "promotion mail not sent");
    }
}

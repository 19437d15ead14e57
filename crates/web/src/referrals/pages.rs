//! The signed-in pages: sending from an action, the professional's list,
//! a referral's page (answering for its operator, completing or cancelling
//! for its sender), the export for an access request, and the
//! coordination's counts.

use askama::Template;
use axum::extract::{Path, State as AxumState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use passerelle_domain::referral::{self, Event, Form, Referral, State};
use passerelle_domain::{Action, Role};

use super::{Access, apply, not_found, opened, operator_mails, send_all, store_error};
use crate::shared::ctx::{Editor, Posted, SignedIn, unix_now};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

fn page(res: impl IntoResponse) -> Response {
    no_store(res.into_response())
}

/// Sends referrals: a member of the cité other than a contributor (who may
/// be a parent).
fn sender(who: &SignedIn) -> Result<(), AppError> {
    let role = who.cite().and_then(|c| who.account.role_in(c));
    match role {
        Some(r) if r != Role::Contributeur => Ok(()),
        _ => Err(AppError::Forbidden(
            "Les orientations sont envoyées par les professionnels de la cité (coordination, troïka, référents)."
                .into(),
        )),
    }
}

fn action_of(ed: &Editor, n: &str) -> Result<Action, AppError> {
    let missing = || AppError::NotFound("Aucune action à cette adresse.".into());
    let n: u32 = n.parse().map_err(|_| missing())?;
    ed.here
        .snapshot()
        .action(n)
        .map(|(_, a)| a.clone())
        .ok_or_else(missing)
}

/// A language as the form offers it.
pub(crate) fn languages() -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("fr", "français")];
    out.extend(passerelle_domain::FAMILY_LANGUAGES.iter().copied());
    out
}

fn language_name(code: &str) -> String {
    languages()
        .into_iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, n)| n.to_owned())
}

#[derive(Template)]
#[template(path = "referrals/form.html")]
pub(crate) struct FormPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) action_href: String,
    pub(crate) post_to: String,
    pub(crate) recipients: usize,
    pub(crate) form: Form,
    pub(crate) errors: Vec<(String, String)>,
    pub(crate) languages: Vec<(&'static str, &'static str)>,
    pub(crate) today: String,
}

fn form_page(
    who: &SignedIn,
    action: &Action,
    form: Form,
    errors: Vec<(String, String)>,
) -> FormPage {
    FormPage {
        meta: who.meta(
            format!("Orienter une famille vers « {} »", action.title),
            Nav::Orient,
        ),
        csrf: who.csrf(),
        fiche: action.fiche.get(),
        title: action.title.clone(),
        action_href: format!("/actions/{}", action.fiche.get()),
        post_to: format!("/actions/{}/orienter", action.fiche.get()),
        recipients: super::recipients(action).len(),
        form,
        errors,
        languages: languages(),
        today: crate::shared::text::paris_today().iso(),
    }
}

/// `GET /actions/{n}/orienter`.
pub(crate) async fn form(
    ed: Editor,
    who: SignedIn,
    Path(n): Path<String>,
) -> Result<Response, AppError> {
    sender(&who)?;
    let action = action_of(&ed, &n)?;
    let form = Form {
        consent_on: crate::shared::text::paris_today().iso(),
        language: "fr".into(),
        ..Form::default()
    };
    Ok(page(render(&form_page(&who, &action, form, Vec::new()))?))
}

/// `POST /actions/{n}/orienter`: nothing is sent without the family's
/// agreement; the action's contacts are mailed a link.
pub(crate) async fn send(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(n): Path<String>,
    Posted { who, form }: Posted<Form>,
) -> Result<Response, AppError> {
    sender(&who)?;
    let action = action_of(&ed, &n)?;
    let details = match form.validate(crate::shared::text::paris_today()) {
        Ok(d) => d,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|e| (e.field.to_owned(), e.message))
                .collect();
            let p = form_page(&who, &action, form, errors);
            return Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)));
        }
    };
    let now = unix_now();
    let (token, hash, expires) = super::new_link(now);
    let id = ed
        .referrals
        .create_referral(&passerelle_store::NewReferral {
            cite: ed.cite(),
            fiche: action.fiche.get(),
            sender: who.account.email.as_str(),
            details: &details,
            link_hash: &hash,
            link_expires: expires,
            now,
        })
        .await
        .map_err(store_error)?;
    let absolute = state.absolute_link(&ed, ed.cite());
    let name = ed.here.snapshot().catalogue.cite.name.clone();
    send_all(
        &ed,
        operator_mails(&absolute, &name, &action, &token, false),
    )
    .await;
    Ok(who.see_other(&format!("/orientations/{id}?envoyee=1")))
}

pub(crate) struct Row {
    pub(crate) href: String,
    pub(crate) id: i64,
    pub(crate) action: String,
    pub(crate) child: String,
    pub(crate) state: &'static str,
    pub(crate) sent: String,
}

#[derive(Template)]
#[template(path = "referrals/list.html")]
pub(crate) struct ListPage {
    pub(crate) meta: Meta,
    pub(crate) sections: Vec<Section>,
}

pub(crate) struct Section {
    pub(crate) heading: &'static str,
    pub(crate) rows: Vec<Row>,
    pub(crate) empty: &'static str,
}

fn rows(ed: &Editor, list: &[Referral]) -> Vec<Row> {
    let snapshot = ed.here.snapshot();
    list.iter()
        .map(|r| Row {
            href: format!("/orientations/{}", r.id),
            id: r.id,
            action: snapshot
                .action(r.fiche)
                .map_or_else(|| format!("fiche n° {}", r.fiche), |(_, a)| a.title.clone()),
            child: r.details.as_ref().map_or_else(
                || "(effacé)".to_owned(),
                |d| format!("{}, {} ans", d.child, d.age),
            ),
            state: r.state.label(),
            sent: super::french_instant(r.sent_at),
        })
        .collect()
}

/// `GET /orientations`: the referrals this account sent, and those sent to
/// the actions it operates.
pub(crate) async fn list(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    sender(&who)?;
    let (sent, received) = super::mine(&ed, &who).await?;
    Ok(page(render(&ListPage {
        meta: who.meta("Mes orientations", Nav::Orient),
        sections: vec![
            Section {
                heading: "Envoyées",
                rows: rows(&ed, &sent),
                empty: "Vous n'avez envoyé aucune orientation.",
            },
            Section {
                heading: "Reçues par vos actions",
                rows: rows(&ed, &received),
                empty: "Aucune orientation reçue par vos actions.",
            },
        ],
    })?))
}

/// What a referral's page shows and offers.
#[derive(Template)]
#[template(path = "referrals/view.html")]
pub(crate) struct ViewPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) action_href: String,
    pub(crate) state: &'static str,
    pub(crate) details: Vec<(&'static str, String)>,
    pub(crate) erased: bool,
    pub(crate) history: Vec<(String, String, String, String)>,
    /// Where the operator's answer is posted.
    pub(crate) answer_to: Option<String>,
    pub(crate) complete_to: Option<String>,
    pub(crate) cancel_to: Option<String>,
    pub(crate) export_href: Option<String>,
    pub(crate) support: bool,
    pub(crate) notice: Option<String>,
    pub(crate) error: Option<String>,
    /// The link's page: when it stops working.
    pub(crate) link_until: Option<String>,
    /// The link's page, once expired: where a new one is asked for.
    pub(crate) renew_to: Option<String>,
}

fn event_label(key: &str) -> String {
    match key {
        "envoyee" => "Envoyée".into(),
        "acceptee" => "Acceptée".into(),
        "refusee" => "Refusée".into(),
        "precisions-demandees" => "Précisions demandées".into(),
        "completee" => "Précisions apportées".into(),
        "annulee" => "Annulée".into(),
        "expiree" => "Expirée (sans réponse en 30 jours)".into(),
        "relance" => "Relance envoyée à l'opérateur (7 jours sans réponse)".into(),
        "lien-renouvele" => "Nouveau lien envoyé à l'opérateur".into(),
        "consultee" => "Ouverte par l'administration de la cité (support)".into(),
        other => other.to_owned(),
    }
}

fn actor_label(actor: &str) -> String {
    match actor {
        "lien" => "l'opérateur, par le lien reçu".into(),
        "horloge" => "Passerelle (automatique)".into(),
        a => a.to_owned(),
    }
}

pub(crate) fn view_page(
    meta: Meta,
    csrf: String,
    r: &Referral,
    action: Option<&Action>,
) -> ViewPage {
    let details = r.details.as_ref().map(|d| {
        let mut rows = vec![
            ("Enfant ou jeune (prénom ou initiales)", d.child.clone()),
            ("Âge", format!("{} ans", d.age)),
            ("École ou quartier", d.place.clone()),
            ("Besoin", d.need.clone()),
        ];
        if !d.message.is_empty() {
            rows.push(("Message", d.message.clone()));
        }
        rows.push((
            "Contact préféré par la famille",
            d.contact_by.label().to_owned(),
        ));
        if let Some(p) = &d.family_phone {
            rows.push(("Téléphone de la famille", p.clone()));
        }
        if let Some(e) = &d.family_email {
            rows.push(("Courriel de la famille", e.clone()));
        }
        rows.push((
            "Accord de la famille",
            format!(
                "donné par {} le {}, en {}, recueilli par {}",
                if d.consent.by_parent {
                    "un parent (ou le représentant légal)"
                } else {
                    "le jeune"
                },
                d.consent.on.french(),
                language_name(&d.consent.language),
                d.consent.told_by
            ),
        ));
        rows
    });
    ViewPage {
        meta,
        csrf,
        id: r.id,
        title: action.map_or_else(|| format!("fiche n° {}", r.fiche), |a| a.title.clone()),
        action_href: format!("/actions/{}", r.fiche),
        state: r.state.label(),
        erased: details.is_none(),
        details: details.unwrap_or_default(),
        history: r
            .history
            .iter()
            .map(|l| {
                (
                    super::french_instant(l.at),
                    actor_label(&l.actor),
                    event_label(&l.event),
                    l.note.clone(),
                )
            })
            .collect(),
        answer_to: None,
        complete_to: None,
        cancel_to: None,
        export_href: None,
        support: false,
        notice: None,
        error: None,
        link_until: None,
        renew_to: None,
    }
}

fn signed_in_view(who: &SignedIn, r: &Referral, action: Option<&Action>, how: Access) -> ViewPage {
    let mut p = view_page(
        who.meta(format!("Orientation n° {}", r.id), Nav::Orient),
        who.csrf(),
        r,
        action,
    );
    let base = format!("/orientations/{}", r.id);
    let open = r.details.is_some();
    match how {
        Access::Operator if open && matches!(r.state, State::Sent | State::NeedsDetails) => {
            p.answer_to = Some(format!("{base}/reponse"));
        }
        Access::Sender if open => {
            if r.state == State::NeedsDetails {
                p.complete_to = Some(format!("{base}/completer"));
            }
            if !r.state.is_closed() {
                p.cancel_to = Some(format!("{base}/annuler"));
            }
            p.export_href = Some(format!("{base}/donnees.json"));
        }
        Access::Support => {
            p.support = true;
            p.export_href = open.then(|| format!("{base}/donnees.json"));
        }
        _ => {}
    }
    p
}

/// `GET /orientations/{id}`.
pub(crate) async fn view(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
    query: axum::extract::RawQuery,
) -> Result<Response, AppError> {
    let (mut r, action, how) = opened(&ed, &who, &id).await?;
    if how == Access::Support {
        let now = unix_now();
        ed.referrals
            .note_access(ed.cite(), r.id, who.account.email.as_str(), now)
            .await
            .map_err(store_error)?;
        r = ed
            .referrals
            .referral(ed.cite(), r.id)
            .await
            .map_err(store_error)?
            .ok_or_else(not_found)?;
    }
    let mut p = signed_in_view(&who, &r, action.as_ref(), how);
    if query.0.as_deref().is_some_and(|q| q.contains("envoyee=1")) {
        p.notice = Some(format!(
            "Orientation envoyée. {} ; vous serez prévenu de sa réponse par courriel.",
            match action.as_ref().map_or(0, |a| super::recipients(a).len()) {
                0 => "La fiche ne donne aucun contact à prévenir : l'opérateur la verra dans son espace".to_owned(),
                1 => "Le contact de l'action a reçu un lien pour y répondre".to_owned(),
                n => format!("Les {n} contacts de l'action ont reçu un lien pour y répondre"),
            }
        ));
    }
    Ok(page(render(&p)?))
}

/// The operator's answer as posted (by the page or the link).
pub(crate) fn answer_event(form: &Submitted) -> Result<Event, String> {
    let event =
        super::operator_answer(form.get("decision"), form.get("text")).ok_or_else(|| {
            "Choisissez une réponse : accepter, refuser ou demander des précisions.".to_owned()
        })?;
    event.check()?;
    Ok(event)
}

async fn refuse(
    who: &SignedIn,
    r: &Referral,
    action: Option<&Action>,
    how: Access,
    message: String,
) -> Result<Response, AppError> {
    let mut p = signed_in_view(who, r, action, how);
    p.error = Some(message);
    Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)))
}

async fn act(
    state: &AppState,
    ed: &Editor,
    who: &SignedIn,
    id: &str,
    allowed: Access,
    event: impl FnOnce(&Submitted) -> Result<Event, String>,
    form: &Submitted,
) -> Result<Response, AppError> {
    let (r, action, how) = opened(ed, who, id).await?;
    if how != allowed {
        return Err(AppError::Forbidden(match allowed {
            Access::Operator => "Seul l'opérateur de l'action répond à une orientation.".into(),
            _ => "Seul le professionnel qui l'a envoyée complète ou annule une orientation.".into(),
        }));
    }
    let event = match event(form) {
        Ok(e) => e,
        Err(m) => return refuse(who, &r, action.as_ref(), how, m).await,
    };
    let moved = apply(
        state,
        ed,
        &r,
        &event,
        who.account.email.as_str(),
        unix_now(),
    )
    .await?;
    if moved.is_none() {
        return Err(AppError::Conflict(format!(
            "Cette orientation est désormais {} : la réponse n'a pas été enregistrée.",
            r.state.label()
        )));
    }
    Ok(who.see_other(&format!("/orientations/{}", r.id)))
}

/// `POST /orientations/{id}/reponse`: the operator, signed in.
pub(crate) async fn answer(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Submitted::new(form);
    act(
        &state,
        &ed,
        &who,
        &id,
        Access::Operator,
        answer_event,
        &form,
    )
    .await
}

/// `POST /orientations/{id}/completer`: the sender gives the details asked.
pub(crate) async fn complete(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Submitted::new(form);
    let event = |f: &Submitted| {
        let e = Event::Complete {
            answer: f.get("text").trim().to_owned(),
        };
        e.check().map(|()| e)
    };
    act(&state, &ed, &who, &id, Access::Sender, event, &form).await
}

/// `POST /orientations/{id}/annuler`: the sender withdraws it.
pub(crate) async fn cancel(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Submitted::new(form);
    act(
        &state,
        &ed,
        &who,
        &id,
        Access::Sender,
        |_| Ok(Event::Cancel),
        &form,
    )
    .await
}

/// `GET /orientations/{id}/donnees.json`: everything kept about the
/// referral, for a family's access request (its sender, or an
/// administrator, the opening recorded).
pub(crate) async fn export(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (r, _, how) = opened(&ed, &who, &id).await?;
    if how == Access::Operator {
        return Err(AppError::Forbidden(
            "L'export d'une orientation se demande au professionnel qui l'a envoyée ou à l'équipe de coordination."
                .into(),
        ));
    }
    if how == Access::Support {
        ed.referrals
            .note_access(ed.cite(), r.id, who.account.email.as_str(), unix_now())
            .await
            .map_err(store_error)?;
    }
    let body = serde_json::to_string_pretty(&r).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"orientation-{}.json\"", r.id),
            ),
        ],
        body,
    )
        .into_response();
    res = no_store(res);
    Ok(res)
}

pub(crate) struct CountRow {
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) received: u32,
    pub(crate) by_state: Vec<u32>,
    pub(crate) median: String,
    pub(crate) years: String,
}

#[derive(Template)]
#[template(path = "referrals/counts.html")]
pub(crate) struct CountsPage {
    pub(crate) meta: Meta,
    pub(crate) states: Vec<&'static str>,
    pub(crate) rows: Vec<CountRow>,
    pub(crate) retention_days: u32,
}

/// `GET /admin/orientations`: counts only, for the coordination and the
/// troïka; no personal field.
pub(crate) async fn counts(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    let role = who.cite().and_then(|c| who.account.role_in(c));
    if !matches!(role, Some(Role::Administrateur | Role::Troika)) {
        return Err(AppError::Forbidden(
            "Les chiffres des orientations sont réservés à l'équipe de coordination et à la troïka.".into(),
        ));
    }
    let stats = ed
        .referrals
        .referral_stats(ed.cite())
        .await
        .map_err(store_error)?;
    let snapshot = ed.here.snapshot();
    let rows = referral::counts(&stats)
        .into_iter()
        .map(|c| CountRow {
            fiche: c.fiche,
            title: snapshot
                .action(c.fiche)
                .map_or_else(|| format!("fiche n° {}", c.fiche), |(_, a)| a.title.clone()),
            received: c.received,
            by_state: c.by_state.to_vec(),
            median: c
                .median_days_to_answer
                .map_or_else(|| "—".to_owned(), |d| format!("{d:.1} j").replace('.', ",")),
            years: c.years_in_words(),
        })
        .collect();
    Ok(page(render(&CountsPage {
        meta: who.meta("Orientations : les chiffres", Nav::Review),
        states: State::ALL.iter().map(|s| s.label()).collect(),
        rows,
        retention_days: ed.referral_retention_days,
    })?))
}

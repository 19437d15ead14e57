//! Referrals (*orientations*): a signed-in professional sends a family's
//! request to one action, with the family's agreement; the action's
//! contacts get a mail with a link (8 days, renewable, no account needed)
//! and accept, refuse or ask for details; the professional is told of each
//! answer, the family (in its language) when it is accepted, refused or
//! expired. The clock reminds at day 7, expires at day 30, erases the
//! personal fields once closed for the retention delay. The coordination
//! sees counts only.
//!
//! Who may open a referral: its sender, the operator of its action (a
//! referent of an organisation running it, or an account whose email is one
//! of the contacts mailed), and the cité's administrators for support, each
//! opening recorded in the referral's history. Anyone else gets a 404, as
//! for a referral that does not exist.

pub(crate) mod api;
mod clock;
mod link;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use passerelle_domain::Action;
use passerelle_domain::referral::{Referral, State};

pub use clock::{Swept, sweep, sweep_every_minute};

use crate::shared::ctx::SignedIn;
use crate::shared::error::AppError;
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/actions/{n}/orienter", get(pages::form).post(pages::send))
        .route("/orientations", get(pages::list))
        .route("/orientations/{id}", get(pages::view))
        .route("/orientations/{id}/reponse", post(pages::answer))
        .route("/orientations/{id}/completer", post(pages::complete))
        .route("/orientations/{id}/annuler", post(pages::cancel))
        .route("/orientations/{id}/donnees.json", get(pages::export))
        .route("/orientation/{token}", get(link::view).post(link::answer))
        .route("/orientation/{token}/nouveau-lien", post(link::renew))
        .route("/admin/orientations", get(pages::counts))
}

/// Under `/api/v1`.
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/orientations", get(api::list))
        .route("/orientations/{id}", get(api::one))
        .route("/orientations/{id}/reponse", post(api::answer))
}

pub(crate) fn store_error(e: passerelle_store::StoreError) -> AppError {
    AppError::store("orientations", e)
}

/// How someone stands to a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Sender,
    /// The action's operator: answers.
    Operator,
    /// An administrator of the cité, for support: reads, and is recorded.
    Support,
}

/// The addresses a referral to this action is mailed to: the contacts the
/// fiche names for the action (its structure, the town's services…), or
/// the troïka's when the fiche names nobody else.
pub(crate) fn recipients(action: &Action) -> Vec<String> {
    let with_email = |troika: bool| {
        let mut out: Vec<String> = action
            .contacts
            .iter()
            .filter(|c| c.group.to_lowercase().starts_with("tro") == troika)
            .filter_map(|c| c.email.clone())
            .filter(|e| passerelle_domain::Email::parse(e).is_ok())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let operators = with_email(false);
    if operators.is_empty() {
        with_email(true)
    } else {
        operators
    }
}

/// The operator of this action: a referent of an organisation that runs
/// it, or an account mailed as one of its contacts.
pub(crate) fn is_operator(who: &SignedIn, cite: &str, action: &Action) -> bool {
    let Some(m) = who.account.membership(cite) else {
        return false;
    };
    let runs = m.role == passerelle_domain::Role::Referent
        && m.organisation.as_ref().is_some_and(|own| {
            action
                .operators
                .iter()
                .any(|o| o.organisation.as_ref() == Some(own))
        });
    let email = who.account.email.as_str();
    runs || recipients(action)
        .iter()
        .any(|r| r.eq_ignore_ascii_case(email))
}

/// How `who` stands to this referral, if they may open it.
pub(crate) fn access(who: &SignedIn, r: &Referral, action: Option<&Action>) -> Option<Access> {
    if who.cite() != Some(r.cite.as_str()) {
        return None;
    }
    if who.account.email.as_str().eq_ignore_ascii_case(&r.sender)
        && who.account.membership(&r.cite).is_some()
    {
        Some(Access::Sender)
    } else if action.is_some_and(|a| is_operator(who, &r.cite, a)) {
        Some(Access::Operator)
    } else if who.is_administrator() {
        Some(Access::Support)
    } else {
        None
    }
}

/// The 404 of a referral one may not open (the same as of one that does
/// not exist: nothing tells whether it does).
pub(crate) fn not_found() -> AppError {
    AppError::NotFound(
        "Aucune orientation à cette adresse, ou votre compte ne permet pas de l'ouvrir.".into(),
    )
}

/// A unix instant as a French date (Paris).
pub(crate) fn french_instant(unix: i64) -> String {
    crate::shared::text::paris_day(unix)
}

/// Sends mail, logging (not failing on) what the server refuses: the
/// referral is recorded, and its link can be renewed.
pub(crate) async fn send_all(ed: &crate::shared::state::Editing, mails: Vec<Mail>) {
    for mail in mails {
        // The log names the recipient's domain only: a family's address is
        // nobody's business there.
        let domain = crate::shared::mail::domain_of(&mail.to).to_owned();
        if let Err(e) = ed.mailer.send(mail).await {
            tracing::warn!(error = %e, domain = %domain, "referral mail not sent");
        }
    }
}

/// The mail to the action's contacts: the action and the link, nothing
/// about the child (the link opens it).
pub(crate) fn operator_mails(
    absolute: &dyn Fn(&str) -> String,
    cite_name: &str,
    action: &Action,
    token: &str,
    reminder: bool,
) -> Vec<Mail> {
    let link = absolute(&format!("/orientation/{token}"));
    let subject = if reminder {
        format!(
            "Relance : une orientation attend votre réponse — {}",
            action.title
        )
    } else {
        format!("Nouvelle orientation vers « {} »", action.title)
    };
    let lead = if reminder {
        "Une orientation vers votre action attend une réponse depuis 7 jours ; sans réponse, elle expirera 30 jours après son envoi."
    } else {
        "Un professionnel de la cité éducative vous oriente une famille pour votre action."
    };
    let body = format!(
        "Bonjour,\n\n{lead}\n\nAction : {title}\n\nPour lire la demande et y répondre (accepter, refuser ou demander des précisions), ouvrez ce lien, valable {days} jours, sans compte :\n{link}\n\nCe lien est personnel : ne le transférez pas. S'il a expiré, la page permet d'en recevoir un nouveau à cette adresse.\n\n— Passerelle, {cite}",
        title = action.title,
        days = passerelle_domain::referral::LINK_DAYS,
        cite = cite_name,
    );
    to_contacts(action, &subject, &body)
}

/// One mail to each of the action's contacts.
fn to_contacts(action: &Action, subject: &str, body: &str) -> Vec<Mail> {
    recipients(action)
        .into_iter()
        .map(|to| Mail {
            kind: MailKind::Referral,
            to,
            subject: subject.to_owned(),
            body: body.to_owned(),
        })
        .collect()
}

/// The mail to the action's contacts when the sender withdraws a referral:
/// its number and the action, nothing about the child.
pub(crate) fn cancelled_mails(cite_name: &str, r: &Referral, action: &Action) -> Vec<Mail> {
    let subject = format!("Orientation n° {} annulée — {}", r.id, action.title);
    let body = format!(
        "Bonjour,\n\nLe professionnel qui vous avait orienté une famille pour « {title} » (orientation n° {id}) l'a annulée : il n'y a plus à y répondre (le lien reçu le montre désormais annulée).\n\n— Passerelle, {cite_name}",
        title = action.title,
        id = r.id,
    );
    to_contacts(action, &subject, &body)
}

/// The mail to the sender when the referral changes: its state and a link
/// to its page (sign-in needed), no personal field.
pub(crate) fn sender_mail(
    absolute: &dyn Fn(&str) -> String,
    r: &Referral,
    action_title: &str,
    state: State,
) -> Mail {
    Mail {
        kind: MailKind::Referral,
        to: r.sender.clone(),
        subject: format!("Orientation n° {} : {}", r.id, state.label()),
        body: format!(
            "Bonjour,\n\nVotre orientation n° {id} vers « {action_title} » est désormais {label}.\n\nPour voir la réponse (connexion nécessaire) :\n{link}\n\n— Passerelle",
            id = r.id,
            label = state.label(),
            link = absolute(&format!("/orientations/{}", r.id)),
        ),
    }
}

/// The mail to the family, in its language, when the referral is accepted
/// (with the next step), refused (kindly, without the reason) or expired;
/// only when the family chose to be contacted by mail.
pub(crate) fn family_mail(
    r: &Referral,
    action_title: &str,
    state: State,
    next: &str,
) -> Option<Mail> {
    use fluent_bundle::FluentValue;
    let details = r.details.as_ref()?;
    let to = details.family_email.clone()?;
    let key = match state {
        State::Accepted => "accepted",
        State::Refused => "refused",
        State::Expired => "expired",
        _ => return None,
    };
    let lang = crate::shared::i18n::Lang::from_code(details.family_language()).unwrap_or_default();
    let args = [
        ("action", FluentValue::from(action_title.to_owned())),
        ("next", FluentValue::from(next.to_owned())),
    ];
    let subject = lang.t_with(&format!("referral-family-{key}-subject"), &args);
    let body = format!(
        "{}\n\n{}",
        lang.t_with(&format!("referral-family-{key}-body"), &args),
        lang.t("referral-family-footer")
    );
    Some(Mail {
        kind: MailKind::Referral,
        to,
        subject: strip_isolation(&subject),
        body: strip_isolation(&body),
    })
}

/// Plain-text mail has no use for Fluent's bidirectional isolation marks.
fn strip_isolation(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .collect()
}

/// A new link for the operator: the token mailed, its SHA-256 stored, and
/// when it stops working.
pub(crate) fn new_link(now: i64) -> (String, String, i64) {
    let token = passerelle_auth::new_token();
    let hash = passerelle_auth::token_hash(&token);
    (
        token,
        hash,
        now + passerelle_domain::referral::LINK_DAYS * passerelle_domain::referral::DAY,
    )
}

/// Applies an event to a referral and tells whom it concerns: the sender
/// of each operator's answer and of the expiry; the family (in its
/// language, if it chose mail) of the acceptance, the refusal or the
/// expiry; the operator, with a new link, of the details given, and of
/// the cancellation. `None`
/// when the event may not happen in the referral's state (any more).
pub(crate) async fn apply(
    state: &AppState,
    editing: &crate::shared::state::Editing,
    r: &Referral,
    event: &passerelle_domain::referral::Event,
    actor: &str,
    now: i64,
) -> Result<Option<State>, AppError> {
    use passerelle_domain::referral::Event;
    let Some(next) = editing
        .referrals
        .move_referral(&r.cite, r.id, event, actor, now)
        .await
        .map_err(store_error)?
    else {
        return Ok(None);
    };
    let Some(tenant) = state.tenant(&r.cite) else {
        return Ok(Some(next));
    };
    let snapshot = tenant.snapshot();
    let absolute = state.absolute_link(editing, &r.cite);
    let action = snapshot.action(r.fiche).map(|(_, a)| a.clone());
    let title = action
        .as_ref()
        .map_or_else(|| format!("fiche n° {}", r.fiche), |a| a.title.clone());
    let mut mails = Vec::new();
    if event.is_answer() || matches!(event, Event::Expire) {
        mails.push(sender_mail(&absolute, r, &title, next));
    }
    if let Some(m) = family_mail(r, &title, next, event.note().trim()) {
        mails.push(m);
    }
    if let (Event::Cancel, Some(action)) = (event, &action) {
        mails.extend(cancelled_mails(&snapshot.catalogue.cite.name, r, action));
    }
    if let (Event::Complete { .. }, Some(action)) = (event, &action) {
        let (token, hash, expires) = new_link(now);
        if editing
            .referrals
            .renew_link(&r.cite, r.id, &hash, expires, false, now)
            .await
            .map_err(store_error)?
        {
            mails.extend(operator_mails(
                &absolute,
                &snapshot.catalogue.cite.name,
                action,
                &token,
                false,
            ));
        }
    }
    send_all(editing, mails).await;
    Ok(Some(next))
}

/// The operator's answers, as the page, the link and the API name them.
pub(crate) const ANSWERS: [&str; 3] = ["accepter", "refuser", "preciser"];

/// The operator's answer named `decision` (one of [`ANSWERS`]), with its
/// text (the next step, the reason, the question); `None` for another word.
pub(crate) fn operator_answer(
    decision: &str,
    text: &str,
) -> Option<passerelle_domain::referral::Event> {
    use passerelle_domain::referral::Event;
    let text = text.trim().to_owned();
    match decision {
        "accepter" => Some(Event::Accept { next_step: text }),
        "refuser" => Some(Event::Refuse { reason: text }),
        "preciser" => Some(Event::AskDetails { question: text }),
        _ => None,
    }
}

/// The referral and how `who` stands to it (404 for anyone else).
pub(crate) async fn opened(
    ed: &crate::shared::ctx::Editor,
    who: &SignedIn,
    id: &str,
) -> Result<(Referral, Option<Action>, Access), AppError> {
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let r = ed
        .referrals
        .referral(ed.cite(), id)
        .await
        .map_err(store_error)?
        .ok_or_else(not_found)?;
    let action = ed.here.snapshot().action(r.fiche).map(|(_, a)| a.clone());
    let how = access(who, &r, action.as_ref()).ok_or_else(not_found)?;
    Ok((r, action, how))
}

/// The referrals this account sent, and those sent to the actions it
/// operates (newest first).
pub(crate) async fn mine(
    ed: &crate::shared::ctx::Editor,
    who: &SignedIn,
) -> Result<(Vec<Referral>, Vec<Referral>), AppError> {
    let cite = ed.cite().to_owned();
    let sent = ed
        .referrals
        .referrals_sent(&cite, who.account.email.as_str())
        .await
        .map_err(store_error)?;
    let mut received = Vec::new();
    let snapshot = ed.here.snapshot();
    for action in snapshot.programme().map_or(&[][..], |p| &p.actions[..]) {
        if is_operator(who, &cite, action) {
            received.extend(
                ed.referrals
                    .referrals_to(&cite, action.fiche.get())
                    .await
                    .map_err(store_error)?,
            );
        }
    }
    received.sort_by_key(|r| std::cmp::Reverse((r.sent_at, r.id)));
    Ok((sent, received))
}

//! What anyone reaches without an account: the subscription form (double
//! opt-in), the confirmation, the preferences and unsubscription pages a
//! mail's links open, and the archive of the public lists' issues with its
//! Atom feed. These pages read the store: none is cached.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passerelle_auth::{new_token, token_hash};
use passerelle_domain::Email;
use passerelle_domain::newsletter::{CONFIRMATION_DAYS, Issue, IssueStatus, NewsletterList};
use passerelle_store::Subscription;

use crate::shared::ctx::{
    Editor, Peer, anonymous_csrf, anonymous_csrf_cookie, anonymous_csrf_ok, unix_now,
};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::AppState;

fn store_error(e: passerelle_store::StoreError) -> AppError {
    AppError::store("lettre d'infos", e)
}

/// A list as a checkbox.
pub(crate) struct ListChoice {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) checked: bool,
}

/// A sent issue in the archive.
pub(crate) struct Archived {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) list: String,
    pub(crate) date: String,
}

#[derive(Template)]
#[template(path = "newsletter/subscribe.html")]
pub(crate) struct SubscribePage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) lists: Vec<ListChoice>,
    pub(crate) email: String,
    pub(crate) errors: Vec<(String, String)>,
    pub(crate) archive: Vec<Archived>,
}

#[derive(Template)]
#[template(path = "newsletter/message.html")]
pub(crate) struct MessagePage {
    pub(crate) meta: Meta,
    pub(crate) heading: String,
    pub(crate) paragraphs: Vec<String>,
    /// A button posting to this path (of the cité), with its label.
    pub(crate) button: Option<(String, String)>,
    pub(crate) links: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "newsletter/preferences.html")]
pub(crate) struct PreferencesPage {
    pub(crate) meta: Meta,
    pub(crate) token: String,
    pub(crate) email: String,
    pub(crate) lists: Vec<ListChoice>,
    pub(crate) notice: Option<String>,
}

#[derive(Template)]
#[template(path = "newsletter/issue.html")]
pub(crate) struct IssuePage {
    pub(crate) meta: Meta,
    pub(crate) list: String,
    pub(crate) date: String,
    /// The issue's frozen body, sanitised again.
    pub(crate) body: String,
}

/// The day of an RFC 3339 instant, in French.
pub(crate) fn french_day(at: Option<&str>) -> String {
    at.and_then(passerelle_domain::Date::paris_day_of)
        .map(|d| d.french())
        .unwrap_or_default()
}

/// The sent issues of the cité's public lists, newest first.
async fn archive(ed: &Editor) -> Result<Vec<(Issue, NewsletterList)>, AppError> {
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let issues = ed.newsletter.issues(ed.cite()).await.map_err(store_error)?;
    Ok(issues
        .into_iter()
        .filter(|i| i.status == IssueStatus::Sent)
        .filter_map(|i| {
            let list = lists.iter().find(|l| l.id == i.list && l.public)?.clone();
            Some((i, list))
        })
        .collect())
}

fn page(res: impl IntoResponse) -> Response {
    no_store(res.into_response())
}

async fn subscribe_page(
    ed: &Editor,
    csrf: String,
    chosen: &[i64],
    email: String,
    errors: Vec<(String, String)>,
) -> Result<SubscribePage, AppError> {
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let archive = archive(ed).await?;
    Ok(SubscribePage {
        meta: Meta::new("Lettre d'infos", &ed.here, Nav::None)
            .describe("S'abonner à la lettre d'infos de la cité éducative, et ses numéros parus."),
        csrf,
        lists: lists
            .into_iter()
            .filter(|l| l.public)
            .map(|l| ListChoice {
                checked: chosen.contains(&l.id),
                id: l.id,
                name: l.name,
                description: l.description,
            })
            .collect(),
        email,
        errors,
        archive: archive
            .into_iter()
            .map(|(i, l)| Archived {
                href: format!("/lettre/numeros/{}", i.id),
                title: i.title,
                list: l.name,
                date: french_day(i.sent_at.as_deref()),
            })
            .collect(),
    })
}

/// `GET /lettre`.
pub(crate) async fn form(
    axum::extract::State(state): axum::extract::State<AppState>,
    ed: Editor,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let csrf = anonymous_csrf(&state.form_key, &headers);
    let p = subscribe_page(&ed, csrf.clone(), &[], String::new(), Vec::new()).await?;
    let mut res = page(render(&p)?);
    res.headers_mut().append(
        header::SET_COOKIE,
        anonymous_csrf_cookie(&csrf, state.secure_cookies),
    );
    Ok(res)
}

fn ids(form: &Submitted, name: &str) -> Vec<i64> {
    form.all(name)
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect()
}

/// `POST /lettre`: records the request and mails the confirmation link.
/// The answer is the same whether the address was known or not.
pub(crate) async fn subscribe(
    axum::extract::State(state): axum::extract::State<AppState>,
    ed: Editor,
    peer: Peer,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Submitted::new(pairs);
    let csrf = form.get("csrf").to_owned();
    if !anonymous_csrf_ok(&state.form_key, &headers, &csrf) {
        return Err(AppError::Forbidden(
            "Le formulaire a expiré : rechargez la page et recommencez.".into(),
        ));
    }
    let chosen = ids(&form, "liste");
    let typed = form.get("email").trim().to_owned();
    let mut errors = Vec::new();
    let email = Email::parse(&typed).ok();
    if email.is_none() {
        errors.push((
            "email".into(),
            "Indiquez une adresse électronique valide, par exemple nom@exemple.fr : le lien de confirmation y sera envoyé.".into(),
        ));
    }
    if chosen.is_empty() {
        errors.push(("listes".into(), "Cochez au moins une lettre.".into()));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        let p = subscribe_page(&ed, csrf, &chosen, typed, errors).await?;
        return Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)));
    };
    // The form mails whatever address it is given: 20 requests a quarter of
    // an hour from one address, 3 confirmation mails to one address.
    let address_key = format!("lettre-ip:{}", peer.key());
    let email_key = format!("lettre:{}:{}", ed.cite(), email.as_str().to_lowercase());
    if state.throttle.blocked(&address_key, 20).await || state.throttle.blocked(&email_key, 3).await
    {
        let errors = vec![(
            "email".into(),
            "Trop de demandes d'inscription : réessayez dans un quart d'heure.".into(),
        )];
        let p = subscribe_page(&ed, csrf, &chosen, typed, errors).await?;
        return Ok(page((StatusCode::TOO_MANY_REQUESTS, render(&p)?)));
    }
    state.throttle.fail(address_key).await;
    state.throttle.fail(email_key).await;
    let token = new_token();
    let outcome = ed
        .newsletter
        .subscribe(&Subscription {
            cite: ed.cite(),
            email: email.as_str(),
            lists: &chosen,
            confirm_hash: &token_hash(&token),
            confirm_expires: unix_now() + CONFIRMATION_DAYS * 86_400,
            token: &new_token(),
        })
        .await
        .map_err(store_error)?;
    if outcome == passerelle_domain::newsletter::Subscribed::Confirm {
        let link = ed.absolute(&format!("/lettre/confirmer/{token}"));
        let cite = ed.here.snapshot().catalogue.cite.name.clone();
        let mail = Mail {
            kind: MailKind::Subscription,
            to: email.to_string(),
            subject: format!("Confirmez votre inscription à la lettre d'infos ({cite})"),
            body: format!(
                "Bonjour,\n\nQuelqu'un, sans doute vous, a demandé à recevoir la lettre d'infos de la {cite} à cette adresse.\n\nPour confirmer, ouvrez ce lien dans les {CONFIRMATION_DAYS} jours :\n{link}\n\nSans confirmation, vous ne recevrez rien et votre adresse sera effacée.\n"
            ),
        };
        if let Err(e) = ed.mailer.send(mail).await {
            tracing::error!(error = %e, "confirmation mail not sent");
        }
    }
    let p = MessagePage {
        meta: Meta::new("Vérifiez votre messagerie", &ed.here, Nav::None),
        heading: "Vérifiez votre messagerie".into(),
        paragraphs: vec![
            format!(
                "Si l'adresse {email} peut recevoir ces lettres, un courriel vient d'y être envoyé : ouvrez le lien qu'il contient pour confirmer votre inscription."
            ),
            format!(
                "Sans confirmation dans les {CONFIRMATION_DAYS} jours, rien ne vous sera envoyé et votre adresse sera effacée."
            ),
        ],
        button: None,
        links: vec![("/lettre".into(), "Retour à la lettre d'infos".into())],
    };
    Ok(page(render(&p)?))
}

/// `GET /lettre/confirmer/{token}`: a button, so that a mail scanner
/// opening the link confirms nothing.
pub(crate) async fn confirm_page(
    ed: Editor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let p = MessagePage {
        meta: Meta::new("Confirmer l'inscription", &ed.here, Nav::None),
        heading: "Confirmer l'inscription à la lettre d'infos".into(),
        paragraphs: vec!["Un clic pour confirmer que vous souhaitez recevoir la lettre d'infos à l'adresse où ce lien vous a été envoyé.".into()],
        button: Some((format!("/lettre/confirmer/{token}"), "Confirmer mon inscription".into())),
        links: Vec::new(),
    };
    Ok(page(render(&p)?))
}

/// `POST /lettre/confirmer/{token}`.
pub(crate) async fn confirm(ed: Editor, Path(token): Path<String>) -> Result<Response, AppError> {
    let confirmed = ed
        .newsletter
        .confirm(&token_hash(&token), unix_now())
        .await
        .map_err(store_error)?
        .filter(|s| s.cite == ed.cite());
    let Some(subscriber) = confirmed else {
        return Err(AppError::Gone(
            "Ce lien de confirmation a déjà servi ou a expiré (il vaut 7 jours) : inscrivez-vous de nouveau depuis la page de la lettre d'infos.".into(),
        ));
    };
    let p = MessagePage {
        meta: Meta::new("Inscription confirmée", &ed.here, Nav::None),
        heading: "Inscription confirmée".into(),
        paragraphs: vec!["Vous recevrez les prochaines lettres. Chacune porte un lien pour choisir les lettres reçues ou vous désinscrire.".into()],
        button: None,
        links: vec![(
            format!("/lettre/preferences/{}", subscriber.token),
            "Choisir les lettres reçues".into(),
        )],
    };
    Ok(page(render(&p)?))
}

async fn preferences_page(
    ed: &Editor,
    token: &str,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let subscriber = ed
        .newsletter
        .subscriber_by_token(token)
        .await
        .map_err(store_error)?
        .filter(|s| s.cite == ed.cite())
        .ok_or_else(|| {
            AppError::NotFound(
                "Ce lien ne mène à aucune inscription (elle a peut-être été effacée).".into(),
            )
        })?;
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let p = PreferencesPage {
        meta: Meta::new("Mes lettres d'infos", &ed.here, Nav::None),
        token: token.to_owned(),
        email: subscriber.email.clone(),
        lists: lists
            .into_iter()
            .filter(|l| l.public || subscriber.lists.contains(&l.id))
            .map(|l| ListChoice {
                checked: subscriber.lists.contains(&l.id),
                id: l.id,
                name: l.name,
                description: l.description,
            })
            .collect(),
        notice,
    };
    Ok(page(render(&p)?))
}

/// `GET /lettre/preferences/{token}`.
pub(crate) async fn preferences(
    ed: Editor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    preferences_page(&ed, &token, None).await
}

/// `POST /lettre/preferences/{token}`: the token is the secret; no
/// session, no cookie.
pub(crate) async fn save_preferences(
    ed: Editor,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Submitted::new(pairs);
    let known = ed
        .newsletter
        .subscriber_by_token(&token)
        .await
        .map_err(store_error)?
        .is_some_and(|s| s.cite == ed.cite());
    if !known {
        return Err(AppError::NotFound(
            "Ce lien ne mène à aucune inscription.".into(),
        ));
    }
    let chosen = ids(&form, "liste");
    ed.newsletter
        .set_lists(&token, &chosen)
        .await
        .map_err(store_error)?;
    let notice = if chosen.is_empty() {
        "Vous ne recevrez plus aucune lettre.".to_owned()
    } else {
        "Vos choix sont enregistrés.".to_owned()
    };
    preferences_page(&ed, &token, Some(notice)).await
}

/// `GET /lettre/desinscription/{token}`: a page with a button (RFC 8058: a
/// GET changes nothing).
pub(crate) async fn unsubscribe_page(
    ed: Editor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let p = MessagePage {
        meta: Meta::new("Se désinscrire", &ed.here, Nav::None),
        heading: "Se désinscrire de la lettre d'infos".into(),
        paragraphs: vec![
            "Vous ne recevrez plus aucune lettre d'infos de la cité à cette adresse.".into(),
        ],
        button: Some((
            format!("/lettre/desinscription/{token}"),
            "Me désinscrire".into(),
        )),
        links: vec![(
            format!("/lettre/preferences/{token}"),
            "Choisir plutôt les lettres reçues".into(),
        )],
    };
    Ok(page(render(&p)?))
}

/// `POST /lettre/desinscription/{token}`: the one-click unsubscription of
/// `List-Unsubscribe-Post` (RFC 8058): no cookie, no session, done at once,
/// answered without a redirect.
pub(crate) async fn unsubscribe(
    ed: Editor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let known = ed
        .newsletter
        .subscriber_by_token(&token)
        .await
        .map_err(store_error)?
        .is_some_and(|s| s.cite == ed.cite());
    if !known
        || !ed
            .newsletter
            .unsubscribe(&token)
            .await
            .map_err(store_error)?
    {
        return Err(AppError::NotFound(
            "Ce lien ne mène à aucune inscription.".into(),
        ));
    }
    let p = MessagePage {
        meta: Meta::new("Désinscription faite", &ed.here, Nav::None),
        heading: "Vous êtes désinscrit ou désinscrite".into(),
        paragraphs: vec!["Plus aucune lettre d'infos ne vous sera envoyée à cette adresse.".into()],
        button: None,
        links: vec![(
            format!("/lettre/preferences/{token}"),
            "Vous réabonner".into(),
        )],
    };
    Ok(page(render(&p)?))
}

/// `GET /lettre/numeros/{id}`: a sent issue of a public list.
pub(crate) async fn issue(ed: Editor, Path(id): Path<String>) -> Result<Response, AppError> {
    let missing = || AppError::NotFound("Aucune lettre parue à cette adresse.".into());
    let id: i64 = id.parse().map_err(|_| missing())?;
    let (issue, list) = archive(&ed)
        .await?
        .into_iter()
        .find(|(i, _)| i.id == id)
        .ok_or_else(missing)?;
    let body = ammonia::Builder::default()
        .clean(issue.html.as_deref().unwrap_or_default())
        .to_string();
    let p = IssuePage {
        meta: Meta::new(issue.title.clone(), &ed.here, Nav::None),
        list: list.name,
        date: french_day(issue.sent_at.as_deref()),
        body,
    };
    Ok(page(render(&p)?))
}

/// `GET /lettre/flux.atom`: the sent issues of the public lists.
pub(crate) async fn feed(ed: Editor) -> Result<Response, AppError> {
    let issues = archive(&ed).await?;
    let letters: Vec<passerelle_opendata::atom::Letter> = issues
        .iter()
        .map(|(i, l)| passerelle_opendata::atom::Letter {
            id: i.id,
            title: i.title.clone(),
            list: l.name.clone(),
            sent_at: i.sent_at.clone().unwrap_or_else(|| i.created_at.clone()),
            summary: i
                .text
                .as_deref()
                .unwrap_or_default()
                .lines()
                .skip(2)
                .filter(|l| !l.trim().is_empty())
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();
    let snapshot = ed.here.snapshot();
    let base = ed.absolute("");
    let published = passerelle_opendata::Published {
        catalogue: &snapshot.catalogue,
        base_url: &base,
        dates: &[],
        subsidies: &[],
    };
    let xml =
        passerelle_opendata::atom::letters(&published, &letters, &passerelle_store::rows::now());
    Ok(no_store(
        (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
    ))
}

//! The cité's administrators: lists, subscribers (their history, an
//! import with its consent basis, export and erasure on request), and
//! the issues' list (each issue's page is `issues.rs`).

use askama::Template;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use passerelle_domain::newsletter::{NewsletterList, Progress, Subscriber, SubscriberEvent};

use super::public::french_day;
use crate::shared::ctx::{Editor, Posted, PostedFile, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::text::count;

pub(crate) const REFUSAL: &str =
    "La lettre d'infos et ses abonnés sont gérés par les administrateurs de la cité.";

fn store_error(e: passerelle_store::StoreError) -> AppError {
    AppError::store("lettre d'infos", e)
}

fn page(res: impl IntoResponse) -> Response {
    no_store(res.into_response())
}

pub(crate) struct IssueRow {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) list: String,
    pub(crate) status: String,
    pub(crate) progress: String,
}

pub(crate) struct ListRow {
    pub(crate) id: i64,
    /// What `passerelle newsletter subscribers export --list` names it by.
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) public: bool,
    pub(crate) subscribers: String,
}

#[derive(Template)]
#[template(path = "newsletter/admin.html")]
pub(crate) struct AdminPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) lists: Vec<ListRow>,
    pub(crate) issues: Vec<IssueRow>,
    pub(crate) error: Option<String>,
}

/// The progress of a delivery in French.
pub(crate) fn progress_text(p: &Progress) -> String {
    if p.total() == 0 {
        return String::new();
    }
    let mut parts = vec![count(
        p.sent as usize,
        "aucune envoyée",
        "envoyée",
        "envoyées",
    )];
    if p.waiting + p.sending > 0 {
        parts.push(format!("{} en attente", p.waiting + p.sending));
    }
    if p.failed > 0 {
        parts.push(count(p.failed as usize, "", "en échec", "en échec"));
    }
    if p.cancelled > 0 {
        parts.push(count(
            p.cancelled as usize,
            "",
            "annulée (désinscription)",
            "annulées (désinscriptions)",
        ));
    }
    format!("{} sur {}", parts.join(", "), p.total())
}

async fn admin_page(
    ed: &Editor,
    who: &SignedIn,
    error: Option<String>,
) -> Result<AdminPage, AppError> {
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let subscribers = ed
        .newsletter
        .subscribers(ed.cite())
        .await
        .map_err(store_error)?;
    let issues = ed.newsletter.issues(ed.cite()).await.map_err(store_error)?;
    let mut rows = Vec::new();
    for i in &issues {
        let p = ed
            .newsletter
            .progress(ed.cite(), i.id)
            .await
            .map_err(store_error)?;
        rows.push(IssueRow {
            href: format!("/admin/lettre/{}", i.id),
            title: i.title.clone(),
            list: lists
                .iter()
                .find(|l| l.id == i.list)
                .map(|l| l.name.clone())
                .unwrap_or_default(),
            status: i.status.label().to_owned(),
            progress: progress_text(&p),
        });
    }
    Ok(AdminPage {
        meta: Meta::new("Lettre d'infos : administration", &ed.here, Nav::None),
        csrf: who.csrf(),
        lists: lists
            .iter()
            .map(|l| ListRow {
                id: l.id,
                slug: l.slug.clone(),
                name: l.name.clone(),
                description: l.description.clone(),
                public: l.public,
                subscribers: count(
                    subscribers
                        .iter()
                        .filter(|s| {
                            s.lists.contains(&l.id)
                                && s.status
                                    == passerelle_domain::newsletter::SubscriberStatus::Confirmed
                        })
                        .count(),
                    "aucun abonné",
                    "abonné",
                    "abonnés",
                ),
            })
            .collect(),
        issues: rows,
        error,
    })
}

/// `GET /admin/lettre`.
pub(crate) async fn index(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    Ok(page(render(&admin_page(&ed, &who, None).await?)?))
}

async fn refuse_list(ed: &Editor, who: &SignedIn, message: &str) -> Result<Response, AppError> {
    let p = admin_page(ed, who, Some(message.to_owned())).await?;
    Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)))
}

async fn refuse_import(ed: &Editor, who: &SignedIn, message: String) -> Result<Response, AppError> {
    let p = subscribers_page(ed, who, None, Some(message)).await?;
    Ok(page((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?)))
}

/// `POST /admin/lettre/listes`: a new list.
pub(crate) async fn create_list(
    ed: Editor,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let name = passerelle_domain::text::squash_spaces(form.get("name"));
    let slug = passerelle_domain::Slug::from_text(&name);
    if name.is_empty() || name.chars().count() > 200 || slug.as_str().is_empty() {
        return refuse_list(
            &ed,
            &who,
            "Donnez un nom à la liste (200 caractères au plus).",
        )
        .await;
    }
    let created = ed
        .newsletter
        .create_list(&NewsletterList {
            id: 0,
            cite: ed.cite().to_owned(),
            slug: slug.as_str().to_owned(),
            name,
            description: passerelle_domain::text::squash_spaces(form.get("description")),
            public: form.get("public") == "1",
        })
        .await
        .map_err(store_error)?;
    if created.is_none() {
        return refuse_list(&ed, &who, "Une liste de ce nom existe déjà.").await;
    }
    Ok(ed.here.see_other("/admin/lettre"))
}

/// `POST /admin/lettre/listes/{id}`: a list's name, description and
/// public flag (its identifier stays).
pub(crate) async fn update_list(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let missing = || AppError::NotFound("Aucune liste à cette adresse.".into());
    let id: i64 = id.parse().map_err(|_| missing())?;
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let mut list = lists.into_iter().find(|l| l.id == id).ok_or_else(missing)?;
    let name = passerelle_domain::text::squash_spaces(form.get("name"));
    if name.is_empty() || name.chars().count() > 200 {
        return refuse_list(
            &ed,
            &who,
            "Donnez un nom à la liste (200 caractères au plus).",
        )
        .await;
    }
    list.name = name;
    list.description = passerelle_domain::text::squash_spaces(form.get("description"));
    list.public = form.get("public") == "1";
    ed.newsletter
        .update_list(&list)
        .await
        .map_err(store_error)?;
    Ok(ed.here.see_other("/admin/lettre"))
}

pub(crate) struct SubscriberRow {
    pub(crate) href: String,
    pub(crate) email: String,
    pub(crate) status: String,
    pub(crate) lists: String,
    pub(crate) consent: String,
}

#[derive(Template)]
#[template(path = "newsletter/subscribers.html")]
pub(crate) struct SubscribersPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) rows: Vec<SubscriberRow>,
    pub(crate) lists: Vec<(i64, String)>,
    pub(crate) notice: Option<String>,
    pub(crate) error: Option<String>,
}

fn list_names(lists: &[NewsletterList], ids: &[i64]) -> String {
    let names: Vec<&str> = lists
        .iter()
        .filter(|l| ids.contains(&l.id))
        .map(|l| l.name.as_str())
        .collect();
    if names.is_empty() {
        "aucune".into()
    } else {
        names.join(", ")
    }
}

async fn subscribers_page(
    ed: &Editor,
    who: &SignedIn,
    notice: Option<String>,
    error: Option<String>,
) -> Result<SubscribersPage, AppError> {
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let subscribers = ed
        .newsletter
        .subscribers(ed.cite())
        .await
        .map_err(store_error)?;
    Ok(SubscribersPage {
        meta: Meta::new("Abonnés de la lettre d'infos", &ed.here, Nav::None),
        csrf: who.csrf(),
        rows: subscribers
            .iter()
            .map(|s| SubscriberRow {
                href: format!("/admin/lettre/abonnes/{}", s.id),
                email: s.email.clone(),
                status: s.status.label().to_owned(),
                lists: list_names(&lists, &s.lists),
                consent: format!(
                    "{}, le {}",
                    s.consent_source,
                    french_day(Some(&s.consent_at))
                ),
            })
            .collect(),
        lists: lists.iter().map(|l| (l.id, l.name.clone())).collect(),
        notice,
        error,
    })
}

/// `GET /admin/lettre/abonnes`.
pub(crate) async fn subscribers(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    Ok(page(render(
        &subscribers_page(&ed, &who, None, None).await?,
    )?))
}

/// The addresses of an imported file: the first column of each row (a
/// header row is skipped), located when one is not an address.
pub(crate) fn addresses(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cell = line
            .split([';', ',', '\t'])
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches('"')
            .trim();
        if cell.is_empty() || (i == 0 && !cell.contains('@')) {
            // A blank line, or the header row.
            continue;
        }
        match passerelle_domain::Email::parse(cell) {
            Ok(e) => {
                let e = e.to_string();
                if !out.iter().any(|o: &String| o.eq_ignore_ascii_case(&e)) {
                    out.push(e);
                }
            }
            Err(_) => {
                return Err(format!(
                    "ligne {}, colonne 1 : « {cell} » n'est pas une adresse électronique ; rien n'a été importé.",
                    i + 1
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(
            "le fichier ne contient aucune adresse (une adresse par ligne, en première colonne)."
                .into(),
        );
    }
    Ok(out)
}

/// `POST /admin/lettre/abonnes/import`: a CSV of addresses, added to a
/// list with the consent basis the administrator records.
pub(crate) async fn import(
    ed: Editor,
    PostedFile {
        who,
        name,
        bytes,
        fields,
    }: PostedFile,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let field = |n: &str| {
        fields
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let basis = passerelle_domain::text::squash_spaces(&field("basis"));
    let list: Option<i64> = field("list").parse().ok();
    if basis.chars().count() < 10 {
        return refuse_import(&ed, &who, "Dites sur quelle base ces personnes ont consenti (par exemple « bulletin papier signé au forum du 12 mars ») : sans elle, rien n'est importé.".into()).await;
    }
    let Some(list) = list else {
        return refuse_import(&ed, &who, "Choisissez la liste.".into()).await;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refuse_import(
            &ed,
            &who,
            format!("{name} : le fichier n'est pas un texte UTF-8 (enregistrez-le en CSV UTF-8)"),
        )
        .await;
    };
    let emails = match addresses(text.trim_start_matches('\u{feff}')) {
        Ok(e) => e,
        Err(m) => return refuse_import(&ed, &who, format!("{name} : {m}")).await,
    };
    let with_tokens: Vec<(String, String)> = emails
        .into_iter()
        .map(|e| (e, passerelle_auth::new_token()))
        .collect();
    let done = ed
        .newsletter
        .import_subscribers(
            ed.cite(),
            &with_tokens,
            &[list],
            &basis,
            who.account.email.as_str(),
        )
        .await
        .map_err(store_error)?;
    let mut notice = format!(
        "{} ; {}.",
        count(
            done.added as usize,
            "aucune adresse nouvelle",
            "adresse nouvelle",
            "adresses nouvelles"
        ),
        count(
            done.known as usize,
            "aucune déjà connue",
            "déjà connue",
            "déjà connues"
        )
    );
    if !done.refused.is_empty() {
        notice.push_str(&format!(
            " Laissées de côté parce qu'elles s'étaient désinscrites ou étaient suspendues : {}.",
            done.refused.join(", ")
        ));
    }
    Ok(page(render(
        &subscribers_page(&ed, &who, Some(notice), None).await?,
    )?))
}

#[derive(Template)]
#[template(path = "newsletter/subscriber.html")]
pub(crate) struct SubscriberPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) id: i64,
    pub(crate) email: String,
    pub(crate) status: String,
    pub(crate) lists: String,
    pub(crate) consent: String,
    pub(crate) bounces: u32,
    pub(crate) history: Vec<(String, String, String)>,
}

async fn one(ed: &Editor, id: &str) -> Result<(Subscriber, Vec<SubscriberEvent>), AppError> {
    let missing = || AppError::NotFound("Aucun abonné à cette adresse.".into());
    let id: i64 = id.parse().map_err(|_| missing())?;
    ed.newsletter
        .subscriber(ed.cite(), id)
        .await
        .map_err(store_error)?
        .ok_or_else(missing)
}

/// `GET /admin/lettre/abonnes/{id}`: a subscriber and their history.
pub(crate) async fn subscriber(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let (s, history) = one(&ed, &id).await?;
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let p = SubscriberPage {
        meta: Meta::new(format!("Abonné : {}", s.email), &ed.here, Nav::None),
        csrf: who.csrf(),
        id: s.id,
        status: s.status.label().to_owned(),
        lists: list_names(&lists, &s.lists),
        consent: format!(
            "{}, le {}",
            s.consent_source,
            french_day(Some(&s.consent_at))
        ),
        bounces: s.bounces,
        email: s.email,
        history: history
            .iter()
            .map(|e| {
                (
                    french_day(Some(&e.at)),
                    e.label().to_owned(),
                    e.detail.clone(),
                )
            })
            .collect(),
    };
    Ok(page(render(&p)?))
}

/// `GET /admin/lettre/abonnes/{id}/donnees.json`: what is kept about a
/// subscriber, for a request to see it.
pub(crate) async fn export(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let (s, history) = one(&ed, &id).await?;
    let lists = ed.newsletter.lists(ed.cite()).await.map_err(store_error)?;
    let body = serde_json::json!({
        "adresse": s.email,
        "cite": s.cite,
        "etat": s.status.label(),
        "listes": lists.iter().filter(|l| s.lists.contains(&l.id)).map(|l| &l.name).collect::<Vec<_>>(),
        "consentement": { "source": s.consent_source, "date": s.consent_at },
        "confirmation": s.confirmed_at,
        "echecs": s.bounces,
        "inscription": s.created_at,
        "historique": history.iter().map(|e| serde_json::json!({"date": e.at, "evenement": e.label(), "detail": e.detail})).collect::<Vec<_>>(),
    });
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        header::HeaderValue::from_static("attachment; filename=\"abonne.json\""),
    );
    Ok(no_store(res))
}

/// `POST /admin/lettre/abonnes/{id}/effacer`: erases a subscriber and all
/// that is kept about them.
pub(crate) async fn erase(
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, .. }: Posted<Submitted>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let (s, _) = one(&ed, &id).await?;
    ed.newsletter
        .erase_subscriber(ed.cite(), s.id)
        .await
        .map_err(store_error)?;
    let notice = "L'abonné et tout ce qui était gardé à son sujet sont effacés.".to_owned();
    Ok(page(render(
        &subscribers_page(&ed, &who, Some(notice), None).await?,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_reads_the_first_column_and_says_where_an_address_is_wrong() {
        assert_eq!(
            addresses("email;nom\na@x.fr;A\n\"B@X.FR\";B\na@x.fr;again\n"),
            Ok(vec!["a@x.fr".to_owned(), "B@x.fr".to_owned()])
        );
        assert_eq!(
            addresses("a@x.fr\npas une adresse\n"),
            Err("ligne 2, colonne 1 : « pas une adresse » n'est pas une adresse électronique ; rien n'a été importé.".to_owned())
        );
        assert!(addresses("email\n").is_err());
    }
}

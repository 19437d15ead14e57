//! The booklet (*livret*): the whole programme on one HTML page made to be
//! printed (one action per page), and as a PDF typeset by Typst — the
//! booklet, a programme's, with a seminar's programme in front, or one
//! action's sheet. The public's PDF leaves out the contact details kept for
//! professionals; a signed-in professional's holds them.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use passerelle_domain::{FicheNumber, Programme, Slug};
use passerelle_typeset::{Edition, Readers, TypesetError};
use serde::Deserialize;

use super::pages::{SheetView, sheet_view};
use super::views::Link;
use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::publish;
use crate::shared::state::{AppState, Snapshot};
use crate::shared::text::fr;

#[derive(Debug, Deserialize)]
pub(crate) struct BookletQuery {
    /// A programme's slug (the current one when absent).
    programme: Option<String>,
    /// The slug of a seminar whose programme opens the booklet.
    evenement: Option<String>,
}

fn programme<'a>(s: &'a Snapshot, slug: Option<&str>) -> Result<&'a Programme, AppError> {
    match slug.filter(|p| !p.is_empty()) {
        Some(slug) => s
            .catalogue
            .programmes
            .iter()
            .find(|p| p.slug.as_str() == slug)
            .ok_or_else(|| AppError::NotFound(format!("Aucun programme « {slug} »."))),
        None => s
            .programme()
            .ok_or_else(|| AppError::NotFound("Aucun programme n'est encore chargé.".into())),
    }
}

fn readers(s: &Seen) -> Readers {
    if s.is_professional() {
        Readers::Professionals
    } else {
        Readers::Public
    }
}

/// What to typeset.
#[derive(Debug, Clone, Copy)]
enum Print {
    /// The whole booklet, opened by the seminar at this index, if any.
    Booklet(Option<usize>),
    /// One action's sheet.
    Sheet(FicheNumber),
}

/// Typesets `what` of `programme` for this viewer (or takes it from the
/// typesetter's last few).
async fn print(
    state: &AppState,
    s: &Seen,
    programme: Slug,
    what: Print,
    filename: String,
) -> Result<Response, AppError> {
    let whole = s.whole();
    let readers = readers(s);
    let date = publish::edition_date(&publish::dates(state, &s.here).await?, &whole);
    let key = format!(
        "{} {} {programme} {what:?} {readers:?} {}",
        whole.generation,
        s.here.slug(),
        date.iso()
    );
    let bytes = state
        .typesetter
        .pdf(key, move || {
            let catalogue = &whole.catalogue;
            let programme = catalogue
                .programmes
                .iter()
                .find(|x| x.slug == programme)
                .ok_or_else(|| TypesetError::Typst(format!("no programme {programme}")))?;
            let seminar = match what {
                Print::Booklet(Some(i)) => catalogue.seminars.get(i),
                _ => None,
            };
            let edition = Edition {
                catalogue,
                programme,
                seminar,
                date,
                readers,
            };
            match what {
                Print::Booklet(_) => passerelle_typeset::booklet(&edition),
                Print::Sheet(fiche) => passerelle_typeset::sheet(&edition, fiche),
            }
        })
        .await?;
    Ok(publish::response(
        bytes,
        &filename,
        readers == Readers::Professionals,
    ))
}

/// `GET /livret.pdf?programme=…&evenement=…`
pub(crate) async fn pdf(
    State(state): State<AppState>,
    s: Seen,
    Query(q): Query<BookletQuery>,
) -> Result<Response, AppError> {
    let p = programme(&s, q.programme.as_deref())?.slug.clone();
    let seminar = match q.evenement.as_deref().filter(|e| !e.is_empty()) {
        Some(slug) => Some(
            s.catalogue
                .seminars
                .iter()
                .position(|e| e.slug.as_str() == slug)
                .ok_or_else(|| AppError::NotFound(format!("Aucun événement « {slug} ».")))?,
        ),
        None => None,
    };
    let filename = format!("livret-{}-{p}.pdf", s.here.slug());
    print(&state, &s, p, Print::Booklet(seminar), filename).await
}

/// `GET /actions/{n}.pdf`: one action's sheet.
pub(crate) async fn sheet_pdf(
    state: &AppState,
    s: &Seen,
    fiche: &str,
) -> Result<Response, AppError> {
    let not_found = || {
        AppError::NotFound(format!(
            "Il n'y a pas de fiche n°{fiche} dans le programme."
        ))
    };
    let fiche: FicheNumber = fiche
        .parse::<u32>()
        .ok()
        .and_then(|n| FicheNumber::new(n).ok())
        .ok_or_else(not_found)?;
    let (p, _) = s.action(fiche.get()).ok_or_else(not_found)?;
    let filename = format!("fiche-{fiche}-{}.pdf", s.here.slug());
    print(state, s, p.slug.clone(), Print::Sheet(fiche), filename).await
}

pub(crate) struct AxisPart {
    pub(crate) number: u8,
    pub(crate) title: String,
    pub(crate) heading: String,
    pub(crate) ambition: String,
    pub(crate) sheets: Vec<SheetView>,
}

#[derive(Template)]
#[template(path = "catalogue/booklet.html")]
pub(crate) struct BookletPage {
    pub(crate) meta: Meta,
    pub(crate) cite: String,
    pub(crate) programme: String,
    pub(crate) edition: String,
    pub(crate) professional: bool,
    pub(crate) axes: Vec<AxisPart>,
    /// The level of each sheet's title.
    pub(crate) level: u8,
    /// The PDF, and with each seminar's programme.
    pub(crate) pdfs: Vec<Link>,
}

/// `GET /livret?programme=…`: every sheet on one page, to print.
pub(crate) async fn page(
    State(state): State<AppState>,
    s: Seen,
    Query(q): Query<BookletQuery>,
) -> Result<Response, AppError> {
    let p = programme(&s, q.programme.as_deref())?;
    let date = publish::edition_date(&publish::dates(&state, &s.here).await?, &s);
    let query = |evenement: Option<&str>| {
        let mut pairs = Vec::new();
        if let Some(slug) = q.programme.as_deref().filter(|x| !x.is_empty()) {
            pairs.push(("programme", slug.to_owned()));
        }
        if let Some(slug) = evenement {
            pairs.push(("evenement", slug.to_owned()));
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", crate::shared::params::encode(&pairs))
        }
    };
    let mut pdfs = vec![Link {
        href: format!("/livret.pdf{}", query(None)),
        label: "Le livret en PDF".into(),
    }];
    for e in &s.catalogue.seminars {
        pdfs.push(Link {
            href: format!("/livret.pdf{}", query(Some(e.slug.as_str()))),
            label: fr(&format!(
                "Le livret en PDF, précédé du programme de « {} » ({})",
                e.title,
                e.date.french()
            )),
        });
    }
    let page = BookletPage {
        meta: Meta::new(format!("Livret : {}", p.title), &s.here, Nav::Actions)
            .describe(format!("Toutes les actions de la {}, à imprimer.", p.title))
            .alternate_pdf(pdfs[0].href.clone()),
        cite: s.catalogue.cite.name.clone(),
        programme: p.title.clone(),
        edition: date.french(),
        professional: s.is_professional(),
        axes: p
            .axes
            .iter()
            .map(|x| AxisPart {
                number: x.number,
                title: fr(&x.title),
                heading: fr(&x.heading),
                ambition: s.markdown(&x.ambition).to_string(),
                sheets: p
                    .actions
                    .iter()
                    .filter(|a| a.axis == x.number)
                    .map(|a| sheet_view(&s, p, a, crate::shared::i18n::Lang::Fr))
                    .collect(),
            })
            .collect(),
        level: 3,
        pdfs,
    };
    Ok(render(&page)?.into_response())
}

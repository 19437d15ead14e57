//! The organisers' side of registrations: the list, the one-click
//! assignment to workshops, and the CSV export for a French spreadsheet.

use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use passerelle_domain::{Registration, RegistrationStatus, Seminar, assign};

use super::registration::{find_event, store_error};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::text::{csv_field, fr};

#[derive(Debug)]
pub(crate) struct RegistrationRow {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) organisation: String,
    pub(crate) kind: String,
    pub(crate) status: String,
    pub(crate) choices: String,
    pub(crate) workshop: String,
}

#[derive(Debug)]
pub(crate) struct WorkshopFill {
    pub(crate) theme: String,
    pub(crate) assigned: usize,
    pub(crate) capacity: String,
}

#[derive(Template)]
#[template(path = "seminar/registrations.html")]
pub(crate) struct RegistrationsPage {
    pub(crate) meta: Meta,
    pub(crate) slug: String,
    pub(crate) event_title: String,
    pub(crate) csrf: String,
    pub(crate) rows: Vec<RegistrationRow>,
    pub(crate) workshops: Vec<WorkshopFill>,
    pub(crate) confirmed: usize,
    pub(crate) waiting: usize,
    pub(crate) unassigned: usize,
}

/// Who may see and assign registrations, and what others are told.
const ORGANISERS_REFUSAL: &str =
    "Les inscriptions sont réservées aux organisateurs (administrateurs).";

fn theme_of(event: &Seminar, w: Option<usize>) -> String {
    w.and_then(|w| event.workshops.get(w))
        .map(|w| w.theme.clone())
        .unwrap_or_default()
}

/// An event and its registrations, for the organisers only.
async fn registrations_for_organisers(
    ed: &Editor,
    who: &SignedIn,
    slug: &str,
) -> Result<(Seminar, Vec<Registration>), AppError> {
    who.administrator(ORGANISERS_REFUSAL)?;
    let event = find_event(&ed.here, slug)?;
    let all = ed
        .participation
        .registrations(ed.cite(), slug)
        .await
        .map_err(store_error)?;
    Ok((event, all))
}

/// `GET /seminaire/{slug}/inscriptions`: the organisers' list.
pub(crate) async fn list(
    ed: Editor,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (event, all) = registrations_for_organisers(&ed, &who, &slug).await?;
    let live: Vec<&Registration> = all
        .iter()
        .filter(|r| r.status != RegistrationStatus::Cancelled)
        .collect();
    let page = RegistrationsPage {
        meta: Meta::new(
            format!("Inscriptions : {}", event.title),
            &ed.here,
            Nav::Seminar,
        ),
        event_title: fr(&format!("{} ({})", event.title, event.date.french())),
        slug: slug.clone(),
        csrf: who.csrf(),
        workshops: event
            .workshops
            .iter()
            .enumerate()
            .map(|(i, w)| WorkshopFill {
                theme: fr(&w.theme),
                assigned: live.iter().filter(|r| r.workshop == Some(i)).count(),
                capacity: w
                    .capacity
                    .map_or_else(|| "sans limite".to_owned(), |c| c.to_string()),
            })
            .collect(),
        confirmed: live
            .iter()
            .filter(|r| r.status == RegistrationStatus::Confirmed)
            .count(),
        waiting: live
            .iter()
            .filter(|r| r.status == RegistrationStatus::Waiting)
            .count(),
        unassigned: live
            .iter()
            .filter(|r| r.status == RegistrationStatus::Confirmed && r.workshop.is_none())
            .count(),
        rows: all
            .iter()
            .map(|r| RegistrationRow {
                name: r.name.clone(),
                email: r
                    .email
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                organisation: r.organisation.clone(),
                kind: r.kind.label().to_owned(),
                status: r.status.label().to_owned(),
                choices: r
                    .choices
                    .iter()
                    .map(|w| theme_of(&event, Some(*w)))
                    .collect::<Vec<_>>()
                    .join(" > "),
                workshop: theme_of(&event, r.workshop),
            })
            .collect(),
    };
    Ok(no_store(render(&page)?.into_response()))
}

/// `POST /seminaire/{slug}/inscriptions/repartir`: assigns every confirmed
/// registration with [`passerelle_domain::assign`], in order of registration.
pub(crate) async fn distribute(
    ed: Editor,
    Path(slug): Path<String>,
    Posted { who, .. }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let (event, all) = registrations_for_organisers(&ed, &who, &slug).await?;
    let confirmed: Vec<&Registration> = all
        .iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed)
        .collect();
    let capacities: Vec<Option<u32>> = event.workshops.iter().map(|w| w.capacity).collect();
    let wishes: Vec<Vec<usize>> = confirmed.iter().map(|r| r.choices.clone()).collect();
    let result = assign(&capacities, &wishes);
    let mut assignments: Vec<(i64, Option<usize>)> = confirmed
        .iter()
        .zip(result)
        .map(|(r, w)| (r.id, w))
        .collect();
    // Those not confirmed hold no workshop.
    assignments.extend(
        all.iter()
            .filter(|r| r.status != RegistrationStatus::Confirmed)
            .map(|r| (r.id, None)),
    );
    let actor = who.account.email.to_string();
    ed.participation
        .set_workshops(ed.cite(), &slug, &assignments, &actor)
        .await
        .map_err(store_error)?;
    Ok(ed
        .here
        .see_other(&format!("/seminaire/{slug}/inscriptions")))
}

/// `GET /seminaire/{slug}/inscriptions.csv`: UTF-8 with BOM, `;`, CRLF.
pub(crate) async fn csv(
    ed: Editor,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (event, all) = registrations_for_organisers(&ed, &who, &slug).await?;
    let mut out = String::from("\u{feff}");
    let header = [
        "Nom",
        "Adresse électronique",
        "Structure",
        "Profil",
        "État",
        "Choix 1",
        "Choix 2",
        "Choix 3",
        "Choix 4",
        "Atelier attribué",
        "Inscrit le",
    ];
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for r in &all {
        let choice = |i: usize| theme_of(&event, r.choices.get(i).copied());
        let fields = [
            r.name.clone(),
            r.email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            r.organisation.clone(),
            r.kind.label().to_owned(),
            r.status.label().to_owned(),
            choice(0),
            choice(1),
            choice(2),
            choice(3),
            theme_of(&event, r.workshop),
            r.created_at.clone(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    }
    let disposition = format!("attachment; filename=\"inscriptions-{slug}.csv\"");
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(no_store(res))
}

#[cfg(test)]
mod tests {
    use crate::shared::text::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("Centre social; Alma"), "\"Centre social; Alma\"");
        assert_eq!(csv_field("Dit \"Nadia\""), "\"Dit \"\"Nadia\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("Ligne\nsuivante"), "Ligne suivante");
    }
}

//! The event pages: the seminar's programme as printed, and any event.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::shared::ctx::Seen;
use crate::shared::ctx::Viewer;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, json_ld, render};
use crate::shared::state::AppState;
use crate::shared::state::Snapshot;
use crate::shared::text::fr;

pub(crate) struct SessionView {
    pub(crate) time: String,
    pub(crate) title: String,
    pub(crate) subtitle: Option<String>,
    pub(crate) parts: Vec<PartView>,
}

pub(crate) struct PartView {
    pub(crate) title: Option<String>,
    pub(crate) axis_href: Option<String>,
    pub(crate) introduction: Option<String>,
    pub(crate) interventions: Vec<(String, Vec<SpeakerView>)>,
}

/// A speaker: name, function that day, link to the directory.
pub(crate) type SpeakerView = (String, String, Option<String>);

pub(crate) struct HalfDayView {
    pub(crate) title: String,
    pub(crate) sessions: Vec<SessionView>,
}

#[derive(Template)]
#[template(path = "seminar/seminar.html")]
pub(crate) struct SeminarPage {
    pub(crate) meta: Meta,
    pub(crate) title: String,
    pub(crate) subtitle: String,
    pub(crate) date: String,
    pub(crate) introduction: String,
    pub(crate) goals: Vec<String>,
    pub(crate) half_days: Vec<HalfDayView>,
    /// (theme, question, animator, their page, room and places).
    pub(crate) workshops: Vec<(String, String, String, Option<String>, String)>,
    pub(crate) questions: Vec<String>,
    pub(crate) json_ld: String,
    pub(crate) slug: String,
    pub(crate) place: String,
    pub(crate) registration_open: bool,
    /// Editing is on: registration, board and restitution exist.
    pub(crate) participation: bool,
    pub(crate) organiser: bool,
    /// Other events, (href, title) — newest first.
    pub(crate) others: Vec<(String, String)>,
}

/// `/seminaire`: the latest event.
pub(crate) async fn seminar(
    State(state): State<AppState>,
    viewer: Viewer,
    seen: Seen,
) -> Result<Html<String>, AppError> {
    seminar_page(&state, &seen, &viewer, None)
}

/// `/seminaire/{slug}`: one event.
pub(crate) async fn event(
    State(state): State<AppState>,
    viewer: Viewer,
    seen: Seen,
    axum::extract::Path(slug): axum::extract::Path<String>,
) -> Result<Html<String>, AppError> {
    seminar_page(&state, &seen, &viewer, Some(&slug))
}

fn seminar_page(
    state: &AppState,
    seen: &Seen,
    viewer: &Viewer,
    slug: Option<&str>,
) -> Result<Html<String>, AppError> {
    let s: &Snapshot = seen;
    let c = &s.catalogue;
    let latest = || {
        c.seminars
            .iter()
            .max_by_key(|e| (e.date.year, e.date.month, e.date.day))
    };
    let found = match slug {
        Some(slug) => c.seminars.iter().find(|e| e.slug.as_str() == slug),
        None => latest(),
    };
    let Some(sem) = found else {
        return Err(AppError::NotFound(
            "Aucun séminaire ni événement à cette adresse.".into(),
        ));
    };
    let mut others: Vec<&passerelle_domain::Seminar> =
        c.seminars.iter().filter(|e| e.slug != sem.slug).collect();
    others.sort_by_key(|e| std::cmp::Reverse((e.date.year, e.date.month, e.date.day)));
    let person_href = |p: &Option<passerelle_domain::Slug>| {
        p.as_ref().map(|p| format!("/annuaire/personnes/{p}"))
    };
    let date = sem.date.french();
    let page = SeminarPage {
        meta: Meta::new(&sem.title, &seen.here, Nav::Seminar),
        title: fr(&sem.title),
        subtitle: fr(&sem.subtitle),
        date,
        introduction: crate::shared::text::markdown(&sem.introduction),
        goals: sem.goals.iter().map(|g| fr(g)).collect(),
        half_days: sem
            .half_days
            .iter()
            .map(|h| HalfDayView {
                title: fr(&format!(
                    "{} ({} – {}) {}",
                    h.label,
                    h.start.french(),
                    h.end.french(),
                    h.title
                )),
                sessions: h
                    .sessions
                    .iter()
                    .map(|x| SessionView {
                        time: match x.end {
                            Some(e) => format!("{} – {}", x.start.french(), e.french()),
                            None => x.start.french(),
                        },
                        title: fr(&x.title),
                        subtitle: x.subtitle.as_ref().map(|t| fr(t)),
                        parts: x
                            .parts
                            .iter()
                            .map(|p| PartView {
                                title: (!p.title.is_empty()).then(|| {
                                    fr(&match p.axis {
                                        Some(n) => format!("Axe {n} : {}", p.title),
                                        None => p.title.clone(),
                                    })
                                }),
                                axis_href: p.axis.map(|n| format!("/axes/{n}")),
                                introduction: p.introduction.as_ref().map(|t| fr(t)),
                                interventions: p
                                    .interventions
                                    .iter()
                                    .map(|i| {
                                        (
                                            fr(&i.title),
                                            i.speakers
                                                .iter()
                                                .map(|sp| {
                                                    (
                                                        sp.name.clone(),
                                                        fr(&sp.function),
                                                        person_href(&sp.person),
                                                    )
                                                })
                                                .collect(),
                                        )
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        workshops: sem
            .workshops
            .iter()
            .map(|w| {
                (
                    fr(&w.theme),
                    fr(&w.question),
                    w.animator.name.clone(),
                    person_href(&w.animator.person),
                    [
                        w.room.as_ref().map(|r| format!("Salle : {r}")),
                        w.capacity.map(|c| format!("{c} places")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                )
            })
            .collect(),
        questions: sem.walking_questions.iter().map(|q| fr(q)).collect(),
        slug: sem.slug.to_string(),
        place: fr(&sem.place),
        registration_open: crate::seminar::registration::open_for_registration(sem).is_ok(),
        participation: state.editing().is_some(),
        organiser: viewer
            .account
            .as_ref()
            .is_some_and(|a| a.is_administrator(seen.here.slug())),
        others: others
            .iter()
            .map(|e| {
                (
                    format!("/seminaire/{}", e.slug),
                    fr(&format!("{} ({})", e.title, e.date.french())),
                )
            })
            .collect(),
        json_ld: json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": sem.title,
            "startDate": sem.date.iso(),
            "location": {"@type": "Place", "name": c.cite.city},
            "organizer": {"@type": "GovernmentOrganization", "name": c.cite.name},
            "subEvent": sem.half_days.iter().flat_map(|h| h.sessions.iter()).map(|x| serde_json::json!({
                "@type": "Event",
                "name": x.title,
                "startDate": format!("{}T{:02}:{:02}:00{}", sem.date.iso(), x.start.hour, x.start.minute, sem.date.paris_offset()),
            })).collect::<Vec<_>>(),
        })),
    };
    render(&page)
}

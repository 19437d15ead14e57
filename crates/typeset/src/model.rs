//! What the template receives: the booklet as plain data, built from the
//! domain. Every text is a string the template prints as it is; nothing here
//! is Typst source, so no user text can change the layout.

use passerelle_domain::{Action, Catalogue, Date, OperatorRole, Programme, Seminar, TerritoryKind};
use serde::Serialize;

use crate::markdown::{Block, Run, blocks, inline};

/// The whole document.
#[derive(Debug, Serialize)]
pub(crate) struct Document {
    /// The PDF's title: "Cité éducative de Roubaix — Programmation 2020-2022".
    pub title: String,
    pub cite: String,
    pub programme: String,
    /// As written in French: "1er décembre 2026".
    pub edition: String,
    /// Said on the cover: which contact details the edition holds.
    pub audience: String,
    /// A single sheet (no cover, contents nor index).
    pub single: bool,
    pub presentation: Vec<Block>,
    pub seminar: Option<SeminarPart>,
    pub axes: Vec<AxisPart>,
    /// The index's entries in French alphabetical order; the template finds
    /// their pages.
    pub index: Vec<IndexEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct IndexEntry {
    /// `organisation` or `person`.
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct SeminarPart {
    pub title: String,
    pub subtitle: String,
    pub date: String,
    pub place: String,
    pub introduction: Vec<Block>,
    pub goals: Vec<String>,
    pub half_days: Vec<HalfDayPart>,
    pub workshops: Vec<WorkshopPart>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HalfDayPart {
    pub label: String,
    pub title: String,
    pub hours: String,
    pub sessions: Vec<SessionPart>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SessionPart {
    pub hours: String,
    pub title: String,
    pub subtitle: String,
    /// "Titre — Nom, fonction" lines.
    pub lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct WorkshopPart {
    pub theme: String,
    pub question: String,
    pub animator: String,
    pub room: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct AxisPart {
    pub number: u8,
    pub title: String,
    /// The running head of its sheets ("LA COOPÉRATION ENTRE ACTEURS").
    pub heading: String,
    pub ambition: Vec<Block>,
    pub sheets: Vec<Sheet>,
}

/// One action's sheet: every field the booklet prints.
#[derive(Debug, Serialize)]
pub(crate) struct Sheet {
    pub fiche: String,
    pub title: String,
    pub description: Vec<Block>,
    pub objectives: Vec<Vec<Run>>,
    pub audiences: Vec<String>,
    pub perimeter: Vec<String>,
    pub partners: Vec<Named>,
    pub operators: Vec<Named>,
    pub contacts: Vec<ContactGroup>,
    pub resources: Vec<Link>,
}

/// A name printed on a sheet, with the key the index groups it under (none
/// for a label that names no organisation: "Associations").
#[derive(Debug, Serialize)]
pub(crate) struct Named {
    pub label: String,
    pub index: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ContactGroup {
    pub group: String,
    pub people: Vec<ContactLine>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ContactLine {
    pub name: String,
    /// The index entry: the person's usual name.
    pub index: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

/// Which contact details an edition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// Everyone: the details kept for professionals are left out.
    Public,
    /// Signed-in professionals: every detail.
    Professionals,
}

/// What to print.
#[derive(Debug, Clone, Copy)]
pub struct Edition<'a> {
    pub catalogue: &'a Catalogue,
    pub programme: &'a Programme,
    /// The seminar whose programme opens the booklet, if one is chosen.
    pub seminar: Option<&'a Seminar>,
    /// The date on the cover and in the PDF's metadata (the date of the
    /// data, so that the same data gives the same file).
    pub date: Date,
    pub readers: Readers,
}

pub(crate) fn document(edition: &Edition<'_>, only: Option<&Action>) -> Document {
    // The public edition is made from the public view: a hidden detail is
    // not in the data the template receives, so it cannot be printed.
    let public;
    let catalogue = match edition.readers {
        Readers::Public => {
            public = edition.catalogue.public_view();
            &public
        }
        Readers::Professionals => edition.catalogue,
    };
    let programme = catalogue
        .programmes
        .iter()
        .find(|p| p.slug == edition.programme.slug)
        .unwrap_or(edition.programme);
    let axes = programme
        .axes
        .iter()
        .map(|axis| AxisPart {
            number: axis.number,
            title: axis.title.clone(),
            heading: axis.heading.clone(),
            ambition: blocks(&axis.ambition),
            sheets: programme
                .actions
                .iter()
                .filter(|a| a.axis == axis.number)
                .filter(|a| only.is_none_or(|o| o.fiche == a.fiche))
                .map(|a| sheet(catalogue, a))
                .collect(),
        })
        .filter(|a| !a.sheets.is_empty() || only.is_none())
        .collect::<Vec<_>>();
    let index = index_of(&axes);
    Document {
        title: match only {
            Some(a) => format!("{} — Fiche n°{} : {}", catalogue.cite.name, a.fiche, a.title),
            None => format!("{} — {}", catalogue.cite.name, programme.title),
        },
        cite: catalogue.cite.name.clone(),
        programme: programme.title.clone(),
        edition: edition.date.french(),
        audience: match edition.readers {
            Readers::Public => "Édition publique : les coordonnées que des personnes réservent aux professionnels n'y figurent pas.".to_owned(),
            Readers::Professionals => "Édition pour les professionnels : elle contient des coordonnées réservées, à ne pas diffuser.".to_owned(),
        },
        single: only.is_some(),
        presentation: if only.is_some() {
            Vec::new()
        } else {
            blocks(&catalogue.cite.presentation)
        },
        seminar: edition.seminar.filter(|_| only.is_none()).map(seminar),
        axes,
        index,
    }
}

/// Every organisation and person the sheets name, once each, sorted as a
/// French reader expects (accents and case folded).
fn index_of(axes: &[AxisPart]) -> Vec<IndexEntry> {
    let mut entries: Vec<IndexEntry> = Vec::new();
    for sheet in axes.iter().flat_map(|a| &a.sheets) {
        let organisations = sheet.operators.iter().chain(&sheet.partners);
        let organisations = organisations.filter_map(|n| n.index.clone());
        let people = sheet.contacts.iter().flat_map(|g| &g.people);
        let found = organisations
            .map(|name| IndexEntry {
                kind: "organisation",
                name,
            })
            .chain(people.map(|p| IndexEntry {
                kind: "person",
                name: p.index.clone(),
            }));
        for e in found {
            if !entries.contains(&e) {
                entries.push(e);
            }
        }
    }
    entries.sort_by_cached_key(|e| {
        (
            e.kind,
            passerelle_domain::text::fold(&e.name),
            e.name.clone(),
        )
    });
    entries
}

fn sheet(catalogue: &Catalogue, a: &Action) -> Sheet {
    let organisation = |slug: &Option<passerelle_domain::Slug>| {
        slug.as_ref()
            .and_then(|s| catalogue.organisation(s))
            .map(|o| o.name.clone())
    };
    let mut groups: Vec<ContactGroup> = Vec::new();
    for c in &a.contacts {
        let line = ContactLine {
            name: c.name.clone(),
            index: catalogue
                .person(&c.person)
                .map_or_else(|| c.name.clone(), |p| p.name.clone()),
            email: c.email.clone(),
            phone: c.phone.clone(),
        };
        match groups.iter_mut().find(|g| g.group == c.group) {
            Some(g) => g.people.push(line),
            None => groups.push(ContactGroup {
                group: c.group.clone(),
                people: vec![line],
            }),
        }
    }
    Sheet {
        fiche: a.fiche.to_string(),
        title: a.title.clone(),
        description: blocks(&a.description),
        objectives: a.objectives.iter().map(|o| inline(o)).collect(),
        audiences: a
            .audiences
            .iter()
            .map(|au| {
                let mut s = au.label.clone();
                if let Some(ages) = au.ages {
                    s.push_str(&format!(" ({ages})"));
                }
                if let Some(note) = &au.note {
                    s.push_str(&format!(", {note}"));
                }
                s
            })
            .collect(),
        perimeter: a
            .perimeter
            .iter()
            .map(|p| match catalogue.territory(&p.territory) {
                Some(t) if t.kind == TerritoryKind::Cite => t.name.clone(),
                Some(t) => format!("{} ({})", t.name, t.kind.label().to_lowercase()),
                None => p.territory.as_str().to_owned(),
            })
            .collect(),
        partners: a
            .partners
            .iter()
            .map(|p| Named {
                label: p.label.clone(),
                index: organisation(&p.organisation),
            })
            .collect(),
        operators: a
            .operators
            .iter()
            .map(|o| Named {
                label: match (o.count, o.role) {
                    (Some(n), OperatorRole::Prestataire) => {
                        format!("{n} {} (prestataire)", o.label)
                    }
                    (Some(n), OperatorRole::Operateur) => format!("{n} {}", o.label),
                    (None, OperatorRole::Prestataire) => format!("{} (prestataire)", o.label),
                    (None, OperatorRole::Operateur) => o.label.clone(),
                },
                index: organisation(&o.organisation),
            })
            .collect(),
        contacts: groups,
        resources: a
            .resources
            .iter()
            .map(|r| Link {
                title: r.title.clone(),
                url: r.url.clone(),
            })
            .collect(),
    }
}

fn seminar(s: &Seminar) -> SeminarPart {
    let hours = |start: passerelle_domain::ClockTime, end: Option<passerelle_domain::ClockTime>| {
        match end {
            Some(e) => format!("{} – {}", start.french(), e.french()),
            None => start.french(),
        }
    };
    let speaker = |sp: &passerelle_domain::Speaker| {
        if sp.function.is_empty() {
            sp.name.clone()
        } else {
            format!("{}, {}", sp.name, sp.function)
        }
    };
    SeminarPart {
        title: s.title.clone(),
        subtitle: s.subtitle.clone(),
        date: s.date.french(),
        place: s.place.clone(),
        introduction: blocks(&s.introduction),
        goals: s.goals.clone(),
        half_days: s
            .half_days
            .iter()
            .map(|h| HalfDayPart {
                label: h.label.clone(),
                title: h.title.clone(),
                hours: hours(h.start, Some(h.end)),
                sessions: h
                    .sessions
                    .iter()
                    .map(|se| SessionPart {
                        hours: hours(se.start, se.end),
                        title: se.title.clone(),
                        subtitle: se.subtitle.clone().unwrap_or_default(),
                        lines: se
                            .parts
                            .iter()
                            .flat_map(|p| {
                                let head = (!p.title.is_empty()).then(|| p.title.clone());
                                head.into_iter().chain(p.interventions.iter().map(|i| {
                                    let who: Vec<String> = i.speakers.iter().map(speaker).collect();
                                    if who.is_empty() {
                                        i.title.clone()
                                    } else if i.title.is_empty() {
                                        who.join(" ; ")
                                    } else {
                                        format!("{} — {}", i.title, who.join(" ; "))
                                    }
                                }))
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        workshops: s
            .workshops
            .iter()
            .map(|w| WorkshopPart {
                theme: w.theme.clone(),
                question: w.question.clone(),
                animator: speaker(&w.animator),
                room: w.room.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

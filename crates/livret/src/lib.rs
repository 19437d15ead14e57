#![doc = include_str!("../README.md")]

mod assemble;
pub mod bundled;
pub mod check;
pub mod error;
mod fiche;
mod items;
mod markdown;
pub mod reference;
pub mod render;
pub mod report;
mod seminar;
pub mod sheet;

use passerelle_domain::text::fold;
use passerelle_domain::{Axis, Catalogue, Programme, Slug};

pub use error::{MAX_BOOKLET_BYTES, ParseError, ReferenceError};
pub use reference::{Reference, ReferenceFiles};
pub use report::{Code, Irregularity, Severity};

use crate::assemble::{Assembler, Mention};
use crate::markdown::{heading, lines};
use crate::report::finish;

/// A booklet read into the domain, with what the reading noticed.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub catalogue: Catalogue,
    /// Irregularities found while reading (missing headings, title variants,
    /// malformed emails…). [`check::check`] adds the text-wide rules.
    pub irregularities: Vec<Irregularity>,
}

/// Reads a booklet from raw bytes: refuses what is not a text booklet with a
/// located error, then parses it.
pub fn parse_bytes(bytes: &[u8], reference: &Reference) -> Result<Parsed, ParseError> {
    parse(decode(bytes)?, reference)
}

/// Checks that the bytes are a booklet-sized UTF-8 text.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.len() > MAX_BOOKLET_BYTES {
        return Err(ParseError::TooLarge {
            size: bytes.len(),
            max: MAX_BOOKLET_BYTES,
        });
    }
    let line_at = |offset: usize| bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ParseError::Binary {
            line: line_at(offset),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        ParseError::NotUtf8 {
            line: line_at(offset),
            offset,
            byte: bytes[offset],
        }
    })
}

/// Reads a booklet's text into a catalogue.
pub fn parse(text: &str, reference: &Reference) -> Result<Parsed, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if markdown::is_blank(text) {
        return Err(ParseError::Empty);
    }
    let all = lines(text);
    let first_fiche = all
        .iter()
        .position(|l| fiche::fiche_heading(l.text).is_some())
        .ok_or(ParseError::NoFiche)?;
    // The fiche pages start at the axis heading just above the first fiche.
    let split = all[..first_fiche]
        .iter()
        .rposition(|l| matches!(heading(l.text), Some((1, _))))
        .unwrap_or(first_fiche);
    let (seminar_lines, fiche_lines) = all.split_at(split);

    let mut irregularities = Vec::new();
    let sem = seminar::scan(seminar_lines, reference.cite.slug.as_str());
    irregularities.extend(sem.irregularities.iter().cloned());
    let scan = fiche::scan(fiche_lines);
    irregularities.extend(scan.irregularities.iter().cloned());

    let axes: Vec<Axis> = scan
        .axis_headings
        .iter()
        .enumerate()
        .map(|(i, (line, heading))| {
            let number = u8::try_from(i + 1).unwrap_or(u8::MAX);
            let (title, ambition) = sem
                .axes
                .iter()
                .find(|(n, _, _)| *n == number)
                .map(|(_, t, a)| (t.clone(), a.clone()))
                .unwrap_or_else(|| (heading.clone(), String::new()));
            if !ambition.is_empty() && fold(&title) != fold(heading) {
                irregularities.push(Irregularity::new(
                    Code::AxisTitleVariant,
                    Severity::Info,
                    *line,
                    format!("l'axe {number} s'intitule « {title} » dans le programme du séminaire et « {heading} » en tête de ses fiches"),
                ));
            }
            Axis {
                number,
                title,
                heading: heading.clone(),
                ambition,
            }
        })
        .collect();
    let axis_of = |h: &str| {
        let k = markdown::key(h);
        axes.iter()
            .find(|a| markdown::key(&a.heading) == k)
            .map_or(0, |a| a.number)
    };

    let mut asm = Assembler::new(reference);
    let mut actions = Vec::new();
    for raw in &scan.fiches {
        if let Some(a) = asm.action(raw, axis_of(&raw.axis_heading)) {
            actions.push(a);
        }
    }
    irregularities.extend(check::fiche_rules(&scan.fiches, &actions));
    irregularities.append(&mut asm.irregularities);

    let mut mentions: Vec<Mention> = Vec::new();
    for raw in &scan.fiches {
        for c in &raw.contacts {
            mentions.push(Mention {
                line: c.line,
                name: c.printed.name.clone(),
                email: c.printed.email.clone(),
                phone: c.printed.phone.clone(),
                group: Some(raw.groups[c.group].canonical.clone()),
                function: None,
            });
        }
    }
    for (line, sp) in &sem.speakers {
        mentions.push(Mention {
            line: *line,
            name: sp.name.clone(),
            email: None,
            phone: None,
            group: None,
            function: (!sp.function.is_empty()).then(|| sp.function.clone()),
        });
    }
    irregularities.extend(check::people_rules(&mentions));
    let people = assemble::people(reference, &mentions);

    let mut seminar = sem.seminar;
    if let Some(s) = &mut seminar {
        for sp in s
            .half_days
            .iter_mut()
            .flat_map(|h| h.sessions.iter_mut())
            .flat_map(|s| s.parts.iter_mut())
            .flat_map(|p| p.interventions.iter_mut())
            .flat_map(|i| i.speakers.iter_mut())
            .chain(s.workshops.iter_mut().map(|w| &mut w.animator))
        {
            sp.person = Some(assemble::person_slug(&sp.name));
        }
    } else {
        irregularities.push(Irregularity::new(
            Code::MissingSeminar,
            Severity::Info,
            1,
            "aucun programme de séminaire daté avant les fiches",
        ));
    }

    let (start_year, end_year) = sem.programme_years.unwrap_or_else(|| {
        irregularities.push(Irregularity::new(
            Code::MissingProgramme,
            Severity::Warning,
            1,
            "la programmation (« programmation AAAA-AAAA ») n'est pas nommée ; années inconnues",
        ));
        (0, 0)
    });
    let title = if start_year > 0 {
        format!("Programmation {start_year}-{end_year}")
    } else {
        "Programmation".to_owned()
    };
    let (organisations, territories) = asm.discovered.with(reference);

    Ok(Parsed {
        catalogue: Catalogue {
            cite: reference.cite.clone(),
            programmes: vec![Programme {
                slug: Slug::from_text(&title),
                title,
                start_year,
                end_year,
                axes,
                actions,
            }],
            organisations,
            people,
            territories,
            seminars: seminar.into_iter().collect(),
        },
        irregularities: finish(irregularities),
    })
}

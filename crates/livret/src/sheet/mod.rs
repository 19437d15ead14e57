//! The spreadsheet format: the programme as coordination teams keep it, one
//! row per action under a header row naming the columns [`Column::ALL`]
//! (French, case and accents ignored). Reading a spreadsheet's cells into
//! the domain, with its irregularities located by sheet, row and column;
//! and writing a catalogue back in the same columns ([`rows_of`]).
//!
//! The cells come as text ([`Grid`]): reading xlsx, ods or CSV files is the
//! `passerelle-sheet` crate's, so that this crate stays free of IO formats.

use std::collections::BTreeMap;

use passerelle_domain::text::{fold, squash_spaces};
use passerelle_domain::{
    Action, Axis, Catalogue, Contact, Email, FicheNumber, Inferred, Operator, Partner,
    PerimeterEntry, PerimeterSource, Phone, Programme, Slug,
};

mod cells;
mod merge;
mod write;

pub use merge::merge;
pub use write::{TEMPLATE_NOTE, rows_of, template_rows};

use cells::{
    contact_of, group_name, items_of, number_in, operator_of, programme_title, resource_of,
    years_in,
};

use crate::assemble::{self, Assembler, Mention, Origin};
use crate::check;
use crate::markdown::Line;
use crate::reference::Reference;
use crate::report::{Code, Irregularity, Severity, finish};
use crate::{ParseError, Parsed};

/// A spreadsheet's cells, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Grid {
    pub sheets: Vec<GridSheet>,
}

/// One sheet: its name (none for a CSV file) and its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GridSheet {
    pub name: Option<String>,
    pub rows: Vec<GridRow>,
}

/// A row: its number in the file (1-based, as the spreadsheet shows it) and
/// its cells from the first column on.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GridRow {
    pub number: usize,
    pub cells: Vec<String>,
}

/// The columns of the spreadsheet format, in the template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Programme,
    Axe,
    IntituleAxe,
    Fiche,
    Intitule,
    Description,
    Objectifs,
    Publics,
    Perimetre,
    Partenaires,
    Porteurs,
    Contacts,
    Ressources,
}

impl Column {
    pub const ALL: [Column; 13] = [
        Column::Programme,
        Column::Axe,
        Column::IntituleAxe,
        Column::Fiche,
        Column::Intitule,
        Column::Description,
        Column::Objectifs,
        Column::Publics,
        Column::Perimetre,
        Column::Partenaires,
        Column::Porteurs,
        Column::Contacts,
        Column::Ressources,
    ];

    /// The header as the template writes it.
    pub fn header(self) -> &'static str {
        match self {
            Column::Programme => "Programme",
            Column::Axe => "Axe",
            Column::IntituleAxe => "Intitulé de l'axe",
            Column::Fiche => "Fiche",
            Column::Intitule => "Intitulé",
            Column::Description => "Description",
            Column::Objectifs => "Objectifs",
            Column::Publics => "Publics",
            Column::Perimetre => "Périmètre",
            Column::Partenaires => "Partenaires",
            Column::Porteurs => "Porteurs",
            Column::Contacts => "Contacts",
            Column::Ressources => "Ressources",
        }
    }

    /// Other headers teams write for the same column (folded).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Programme => &["programmation"],
            Column::Axe => &["n axe", "numero de l'axe", "axe n"],
            Column::IntituleAxe => &["intitule axe", "titre de l'axe", "axe intitule"],
            Column::Fiche => &["n fiche", "numero de fiche", "fiche n", "numero"],
            Column::Intitule => &["titre", "intitule de l'action", "action"],
            Column::Description => &[],
            Column::Objectifs => &["objectif"],
            Column::Publics => &["public", "public cible", "publics cibles"],
            Column::Perimetre => &["territoires", "territoire", "quartiers"],
            Column::Partenaires => &["partenaire"],
            Column::Porteurs => &["porteur", "operateurs", "operateur", "porteurs de projet"],
            Column::Contacts => &["contact"],
            Column::Ressources => &["ressource", "ressources complementaires", "liens"],
        }
    }

    /// The column a header names, if any: `Intitulé *`, `N° fiche`,
    /// `PUBLICS :` all name one.
    pub fn of_header(header: &str) -> Option<Column> {
        let key = header_key(header);
        Column::ALL
            .into_iter()
            .find(|c| header_key(c.header()) == key || c.aliases().contains(&key.as_str()))
    }
}

/// A header folded for comparison: lowercase, no accents, no `*`, `:` or
/// `°`, `’` as `'`, spaces squashed.
pub fn header_key(header: &str) -> String {
    let folded = fold(&header.replace(['’', '‘'], "'").replace(['°', 'º'], " "));
    let kept: String = folded
        .chars()
        .map(|c| if "*:°.()".contains(c) { ' ' } else { c })
        .collect();
    squash_spaces(&kept).trim().to_owned()
}

/// Where a problem is, for the irregularities: the sheet's name and the
/// column's header.
struct Here<'g> {
    sheet: Option<&'g str>,
}

impl Here<'_> {
    fn mark(&self, list: &mut [Irregularity], column: Option<Column>) {
        for i in list {
            if i.sheet.is_none() {
                i.sheet = Some(self.sheet.unwrap_or_default().to_owned());
            }
            if i.column.is_none() {
                i.column = column.map(|c| c.header().to_owned());
            }
        }
    }
}

/// The sheet holding the programme and the index of its header row: the
/// sheet named `Actions` if it has one, else the first with a header row
/// (one naming at least three columns, `Intitulé` or `Fiche` among them).
fn header_of(grid: &Grid) -> Option<(usize, usize, BTreeMap<usize, Column>)> {
    let mut order: Vec<usize> = (0..grid.sheets.len()).collect();
    order.sort_by_key(|&i| {
        grid.sheets[i]
            .name
            .as_deref()
            .is_none_or(|n| header_key(n) != "actions")
    });
    for s in order {
        for (r, row) in grid.sheets[s].rows.iter().enumerate().take(30) {
            let columns: BTreeMap<usize, Column> = row
                .cells
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Column::of_header(c).map(|col| (i, col)))
                .collect();
            let names = |c: Column| columns.values().any(|v| *v == c);
            if columns.len() >= 3 && (names(Column::Intitule) || names(Column::Fiche)) {
                return Some((s, r, columns));
            }
        }
    }
    None
}

/// What importing a spreadsheet into a stored cité gives: the spreadsheet
/// read (with its report) and the cité's catalogue after the import.
#[derive(Debug, Clone)]
pub struct Plan {
    pub parsed: Parsed,
    pub merged: Catalogue,
}

/// Reads a spreadsheet as the stored cité's (its names matched against the
/// cité's organisations and territories) and merges it into the cité.
pub fn plan(stored: &Catalogue, grid: &Grid) -> Result<Plan, ParseError> {
    let reference = Reference::of_catalogue(stored);
    let parsed = parse(grid, &reference)?;
    let merged = merge(stored, parsed.catalogue.clone());
    Ok(Plan { parsed, merged })
}

/// Reads a spreadsheet's cells into a catalogue for the reference's cité.
pub fn parse(grid: &Grid, reference: &Reference) -> Result<Parsed, ParseError> {
    let (s, header_index, columns) = header_of(grid).ok_or(ParseError::NoHeaderRow)?;
    let sheet = &grid.sheets[s];
    let here = Here {
        sheet: sheet.name.as_deref(),
    };
    let header = &sheet.rows[header_index];
    let mut irregularities: Vec<Irregularity> = Vec::new();
    for c in Column::ALL {
        if !columns.values().any(|v| *v == c) {
            irregularities.push(Irregularity::new(
                Code::MissingSection,
                Severity::Warning,
                header.number,
                format!(
                    "colonne « {} » absente : ses données manquent à chaque action",
                    c.header()
                ),
            ));
        }
    }
    let mut seen_columns: BTreeMap<Column, usize> = BTreeMap::new();
    for (i, cell) in header.cells.iter().enumerate() {
        match columns.get(&i) {
            Some(c) => {
                if let Some(first) = seen_columns.insert(*c, i) {
                    irregularities.push(Irregularity::new(
                        Code::UnexpectedContent,
                        Severity::Warning,
                        header.number,
                        format!(
                            "deux colonnes « {} » (la {}e et la {}e) : seule la première est lue",
                            c.header(),
                            first + 1,
                            i + 1
                        ),
                    ));
                }
            }
            None if !cell.trim().is_empty() => irregularities.push(Irregularity::new(
                Code::UnexpectedContent,
                Severity::Info,
                header.number,
                format!("colonne « {} » inconnue : ignorée", cell.trim()),
            )),
            None => {}
        }
    }
    here.mark(&mut irregularities, None);
    let index_of = |c: Column| seen_columns.get(&c).copied();

    let mut asm = Assembler::new(reference);
    asm.origin = Origin::Sheet;
    let mut programmes: Vec<Programme> = Vec::new();
    let mut current_programme: Option<usize> = None;
    let mut current_axis: Option<(u8, String)> = None;
    let mut fiche_rows: BTreeMap<(usize, u32), usize> = BTreeMap::new();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut texts: Vec<(usize, Column, String)> = Vec::new();

    for row in &sheet.rows[header_index + 1..] {
        let cell = |c: Column| -> &str {
            index_of(c)
                .and_then(|i| row.cells.get(i))
                .map_or("", |s| s.trim())
        };
        if Column::ALL.iter().all(|c| cell(*c).is_empty()) {
            continue;
        }
        let mut found: Vec<Irregularity> = Vec::new();
        let n_row = row.number;
        let say =
            |found: &mut Vec<Irregularity>, column: Column, code, severity, message: String| {
                let mut i = Irregularity::new(code, severity, n_row, message);
                i.column = Some(column.header().to_owned());
                found.push(i);
            };

        // The programme, the axis: an empty cell keeps the row above's (a
        // merged cell reads as empty below its first row).
        let typed = cell(Column::Programme);
        if !typed.is_empty() || current_programme.is_none() {
            let (title, start, end) = match years_in(typed) {
                Some((a, b)) => (programme_title(a, b), a, b),
                None => {
                    say(
                        &mut found,
                        Column::Programme,
                        Code::MissingProgramme,
                        Severity::Warning,
                        if typed.is_empty() {
                            "programme absent : années inconnues".to_owned()
                        } else {
                            format!(
                                "programme « {typed} » sans années lisibles (attendu : 2023-2025)"
                            )
                        },
                    );
                    let title = if typed.is_empty() {
                        "Programmation".to_owned()
                    } else {
                        squash_spaces(typed)
                    };
                    (title, 0, 0)
                }
            };
            let slug = Slug::from_text(&title);
            current_programme = Some(match programmes.iter().position(|p| p.slug == slug) {
                Some(i) => i,
                None => {
                    programmes.push(Programme {
                        slug,
                        title,
                        start_year: start,
                        end_year: end,
                        axes: Vec::new(),
                        actions: Vec::new(),
                    });
                    programmes.len() - 1
                }
            });
        }
        let p = current_programme.unwrap_or_default();

        let typed_axis = cell(Column::Axe);
        let typed_axis_title = squash_spaces(cell(Column::IntituleAxe));
        if !typed_axis.is_empty() || !typed_axis_title.is_empty() || current_axis.is_none() {
            let number = match number_in(typed_axis).and_then(|n| u8::try_from(n).ok()) {
                Some(n) if n > 0 => Some(n),
                _ => {
                    if !typed_axis.is_empty() {
                        say(
                            &mut found,
                            Column::Axe,
                            Code::UnexpectedContent,
                            Severity::Error,
                            format!("« {typed_axis} » n'est pas un numéro d'axe"),
                        );
                    }
                    programmes[p]
                        .axes
                        .iter()
                        .find(|a| {
                            !typed_axis_title.is_empty()
                                && fold(&a.title) == fold(&typed_axis_title)
                        })
                        .map(|a| a.number)
                }
            };
            let number = number.unwrap_or_else(|| {
                let next = programmes[p]
                    .axes
                    .iter()
                    .map(|a| a.number)
                    .max()
                    .unwrap_or(0)
                    + 1;
                if typed_axis.is_empty() {
                    say(
                        &mut found,
                        Column::Axe,
                        Code::MissingSection,
                        Severity::Warning,
                        format!("numéro d'axe absent : axe {next} attribué"),
                    );
                }
                next
            });
            let axes = &mut programmes[p].axes;
            match axes.iter().find(|a| a.number == number) {
                Some(a) => {
                    if !typed_axis_title.is_empty() && fold(&a.title) != fold(&typed_axis_title) {
                        let first = a.title.clone();
                        say(
                            &mut found,
                            Column::IntituleAxe,
                            Code::AxisTitleVariant,
                            Severity::Warning,
                            format!(
                                "l'axe {number} s'intitule « {typed_axis_title} » ici et « {first} » plus haut"
                            ),
                        );
                    }
                }
                None => {
                    let title = if typed_axis_title.is_empty() {
                        say(
                            &mut found,
                            Column::IntituleAxe,
                            Code::MissingSection,
                            Severity::Warning,
                            format!("intitulé de l'axe {number} absent"),
                        );
                        format!("Axe {number}")
                    } else {
                        typed_axis_title.clone()
                    };
                    axes.push(Axis {
                        number,
                        heading: title.clone(),
                        title,
                        ambition: String::new(),
                    });
                    axes.sort_by_key(|a| a.number);
                }
            }
            current_axis = Some((number, typed_axis_title));
        }
        let axis = current_axis.as_ref().map_or(0, |(n, _)| *n);

        // The fiche's number.
        let typed_fiche = cell(Column::Fiche);
        let mut number_inferred = false;
        let n = match number_in(typed_fiche).filter(|n| (1..=999).contains(n)) {
            Some(n) => n,
            None => {
                number_inferred = true;
                let next = programmes[p]
                    .actions
                    .iter()
                    .map(|a| a.fiche.get())
                    .max()
                    .unwrap_or(0)
                    + 1;
                say(
                    &mut found,
                    Column::Fiche,
                    Code::IncompleteFiche,
                    if typed_fiche.is_empty() {
                        Severity::Warning
                    } else {
                        Severity::Error
                    },
                    if typed_fiche.is_empty() {
                        format!("numéro de fiche absent : n°{next} attribué")
                    } else {
                        format!(
                            "« {typed_fiche} » n'est pas un numéro de fiche (1 à 999) : n°{next} attribué"
                        )
                    },
                );
                next
            }
        };
        if let Some(first) = fiche_rows.get(&(p, n)) {
            let mut i = Irregularity::new(
                Code::DuplicateFiche,
                Severity::Error,
                n_row,
                format!("la fiche n°{n} est déjà à la ligne {first} : cette ligne n'est pas importée tant que son numéro n'est pas corrigé"),
            )
            .fiche(n)
            .related([*first]);
            i.column = Some(Column::Fiche.header().to_owned());
            found.push(i);
            here.mark(&mut found, None);
            irregularities.append(&mut found);
            continue;
        }
        fiche_rows.insert((p, n), n_row);
        let Ok(fiche) = FicheNumber::new(n) else {
            continue;
        };

        // Title and description.
        let description = cell(Column::Description)
            .replace("\r\n", "\n")
            .trim()
            .to_owned();
        let typed_title = squash_spaces(cell(Column::Intitule));
        let (title, title_inferred) = if typed_title.is_empty() {
            let t = assemble::infer_title(&description);
            say(
                &mut found,
                Column::Intitule,
                Code::EmptyTitle,
                Severity::Warning,
                format!("intitulé absent : « {t} » tiré de la description"),
            );
            (t, true)
        } else {
            (typed_title, false)
        };

        // Each multi-valued column, one item per line.
        let mark_from = |asm: &mut Assembler<'_>, from: usize, column: Column| {
            for i in &mut asm.irregularities[from..] {
                i.column.get_or_insert_with(|| column.header().to_owned());
            }
        };
        let from = asm.irregularities.len();
        let audiences = items_of(cell(Column::Publics))
            .iter()
            .map(|t| asm.audience(n, n_row, t))
            .collect();
        mark_from(&mut asm, from, Column::Publics);

        let from = asm.irregularities.len();
        let mut perimeter: Vec<PerimeterEntry> = Vec::new();
        let mut push = |territory: Slug, source| {
            if !perimeter.iter().any(|e| e.territory == territory) {
                perimeter.push(PerimeterEntry { territory, source });
            }
        };
        for name in items_of(cell(Column::Perimetre)) {
            let slug = match reference.territory_by_name(&name) {
                Some(t) => t.slug.clone(),
                None => asm.discover_territory(n, n_row, &name),
            };
            push(slug, PerimeterSource::Printed);
        }
        // Only what the cell says: a spreadsheet names its perimeter (what
        // a booklet's title or text implied stays, see `merge`).
        mark_from(&mut asm, from, Column::Perimetre);

        let partners = items_of(cell(Column::Partenaires))
            .into_iter()
            .map(|label| Partner {
                organisation: reference
                    .organisation_by_name(&label)
                    .map(|o| o.slug.clone()),
                label,
            })
            .collect();

        let from = asm.irregularities.len();
        let mut operators = Vec::new();
        for item in items_of(cell(Column::Porteurs)) {
            match operator_of(&item) {
                Some((role, op)) => {
                    let organisation = asm.operator_organisation(n, n_row, &op);
                    operators.push(Operator {
                        label: op.label,
                        organisation,
                        role,
                        count: op.count,
                    });
                }
                None => say(
                    &mut found,
                    Column::Porteurs,
                    Code::UnexpectedContent,
                    Severity::Warning,
                    format!("porteur « {item} » illisible"),
                ),
            }
        }
        mark_from(&mut asm, from, Column::Porteurs);

        let mut contacts = Vec::new();
        for item in items_of(cell(Column::Contacts)) {
            let c = contact_of(&item);
            if c.name.is_empty() {
                say(
                    &mut found,
                    Column::Contacts,
                    Code::UnparsedContact,
                    Severity::Error,
                    format!(
                        "contact « {item} » sans nom (attendu : Rôle : Prénom NOM, courriel, téléphone)"
                    ),
                );
                continue;
            }
            if let Some(e) = &c.email
                && Email::parse(e).is_err()
            {
                say(
                    &mut found,
                    Column::Contacts,
                    Code::MalformedEmail,
                    Severity::Error,
                    format!("adresse « {e} » invalide"),
                );
            }
            if let Some(ph) = &c.phone
                && Phone::parse(ph).is_err()
            {
                say(
                    &mut found,
                    Column::Contacts,
                    Code::MalformedPhone,
                    Severity::Warning,
                    format!("téléphone « {ph} » illisible (attendu : 03 20 00 00 00)"),
                );
            }
            for other in &c.other {
                say(
                    &mut found,
                    Column::Contacts,
                    Code::UnparsedContact,
                    Severity::Warning,
                    format!(
                        "« {other} » (contact {}) n'est ni une adresse ni un téléphone : ignoré",
                        c.name
                    ),
                );
            }
            let group = c
                .group
                .as_deref()
                .map_or_else(|| "Contacts".to_owned(), group_name);
            mentions.push(Mention {
                line: n_row,
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                group: Some(group.clone()),
                function: None,
            });
            contacts.push(Contact {
                person: assemble::person_slug(&c.name),
                group,
                name: c.name,
                email: c.email,
                phone: c.phone,
            });
        }

        let mut resources = Vec::new();
        for item in items_of(cell(Column::Ressources)) {
            match resource_of(&item) {
                Some(r) => resources.push(r),
                None => say(
                    &mut found,
                    Column::Ressources,
                    Code::UnexpectedContent,
                    Severity::Warning,
                    format!("ressource « {item} » sans adresse (https://…) : non importée"),
                ),
            }
        }
        let objectives = items_of(cell(Column::Objectifs));
        for (column, text) in [
            (Column::Intitule, title.clone()),
            (Column::Description, description.clone()),
            (Column::Objectifs, objectives.join("\n")),
            (Column::Partenaires, cell(Column::Partenaires).to_owned()),
            (Column::Porteurs, cell(Column::Porteurs).to_owned()),
        ] {
            texts.push((n_row, column, text));
        }

        programmes[p].actions.push(Action {
            fiche,
            axis,
            title,
            title_variants: Vec::new(),
            inferred: Inferred {
                number: number_inferred,
                title: title_inferred,
            },
            description,
            objectives,
            audiences,
            perimeter,
            partners,
            operators,
            contacts,
            resources,
            themes: reference.tagging.get(&n).cloned().unwrap_or_default(),
            review: assemble::stated_review(reference, n),
            predecessor: None,
            plain_summary: String::new(),
            plain_summary_reviewed_by: None,
            plain_summary_reviewed_on: None,
            translations: Vec::new(),
        });
        for i in &mut found {
            i.fiche.get_or_insert(n);
        }
        irregularities.append(&mut found);
    }
    // A partner named like an operator met further down is that organisation
    // (so that a second import finds what the first one added).
    for a in programmes.iter_mut().flat_map(|p| p.actions.iter_mut()) {
        for partner in a.partners.iter_mut().filter(|x| x.organisation.is_none()) {
            let key = passerelle_domain::text::name_key(&partner.label);
            partner.organisation = asm
                .discovered
                .organisations
                .iter()
                .find(|o| passerelle_domain::text::name_key(&o.name) == key)
                .map(|o| o.slug.clone());
        }
    }
    for p in &mut programmes {
        p.actions.sort_by_key(|a| a.fiche.get());
    }
    if programmes.iter().all(|p| p.actions.is_empty()) {
        return Err(ParseError::NoFiche);
    }

    irregularities.append(&mut asm.irregularities);
    let mut people_found = check::people_rules(&mentions);
    here.mark(&mut people_found, Some(Column::Contacts));
    irregularities.append(&mut people_found);
    irregularities.extend(text_rules(&texts, reference));
    here.mark(&mut irregularities, None);

    let people = assemble::people(reference, &mentions);
    let (organisations, territories) = asm.discovered.with(reference);
    programmes.sort_by_key(|p| (p.start_year, p.end_year));
    Ok(Parsed {
        catalogue: Catalogue {
            cite: reference.cite.clone(),
            programmes,
            organisations,
            people,
            territories,
            seminars: Vec::new(),
        },
        irregularities: finish(irregularities),
    })
}

/// The booklet's text-wide rules (mistyped acronyms and place names, stray
/// letters) on the cells' text, each located by row and column.
fn text_rules(texts: &[(usize, Column, String)], reference: &Reference) -> Vec<Irregularity> {
    // One pseudo-line per line of a cell, numbered in order, then mapped back.
    let mut places: Vec<(usize, Column)> = Vec::new();
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (row, column, text) in texts {
        for l in text.lines() {
            places.push((*row, *column));
            lines.push(Line {
                no: places.len(),
                text: l,
            });
        }
    }
    check::text_rules(&lines, reference)
        .into_iter()
        .filter_map(|mut i| {
            let (row, column) = *places.get(i.line.checked_sub(1)?)?;
            i.line = row;
            i.related_lines.clear();
            i.column = Some(column.header().to_owned());
            Some(i)
        })
        .collect()
}

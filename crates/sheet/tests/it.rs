//! Spreadsheets read and written for real: xlsx and ods workbooks, CSV in
//! UTF-8 and Windows-1252 with `;` or `,`; the Roubaix programme and the
//! template round-trip; every problem is located by sheet, row and column
//! and the row is kept with what could be read.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use passerelle_domain::{Catalogue, Slug};
use passerelle_livret::sheet::{self, Column, Grid};
use passerelle_livret::{Code, Reference, bundled};
use passerelle_sheet::{Format, SheetError, read, write_csv, write_xlsx};

#[path = "it/funding.rs"]
mod funding;

fn roubaix() -> Catalogue {
    bundled::roubaix().unwrap().1.catalogue
}

/// A new cité knowing nothing yet, as `cite add` makes it.
fn tourcoing() -> Reference {
    let mut cite = roubaix().cite;
    cite.slug = Slug::parse("tourcoing").unwrap();
    cite.name = "Cité éducative de Tourcoing".into();
    Reference::empty(cite)
}

/// The cells of a grid's first sheet with a header row, as text rows.
fn cells(grid: &Grid) -> Vec<Vec<String>> {
    grid.sheets
        .iter()
        .find(|s| !s.rows.is_empty())
        .unwrap()
        .rows
        .iter()
        .map(|r| {
            let mut c = r.cells.clone();
            while c.last().is_some_and(String::is_empty) {
                c.pop();
            }
            c
        })
        .collect()
}

fn trimmed(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let mut c = r.clone();
            while c.last().is_some_and(String::is_empty) {
                c.pop();
            }
            c
        })
        .collect()
}

#[test]
fn the_roubaix_programme_round_trips_through_xlsx_ods_and_csv() {
    let catalogue = roubaix();
    let rows = sheet::rows_of(&catalogue);
    assert_eq!(rows.len(), 28, "the header and the 27 fiches");
    let files = [
        ("roubaix.xlsx", write_xlsx("Actions", &rows, None).unwrap()),
        (
            "roubaix.ods",
            passerelle_sheet::write_ods("Actions", &rows).unwrap(),
        ),
        ("roubaix.csv", write_csv(&rows)),
    ];
    for (name, bytes) in files {
        let grid = read(name, &bytes).unwrap();
        assert_eq!(cells(&grid), trimmed(&rows), "{name}: cells as written");
        // Read into a new cité, then written again: the same spreadsheet.
        let parsed = sheet::parse(&grid, &tourcoing()).unwrap();
        let p = &parsed.catalogue.programmes[0];
        assert_eq!(p.actions.len(), 27, "{name}");
        assert_eq!((p.start_year, p.end_year), (2020, 2022));
        assert_eq!(p.axes.len(), 3);
        assert_eq!(
            sheet::rows_of(&parsed.catalogue),
            rows,
            "{name}: round trip"
        );
        // Into Roubaix itself: merged, nothing changes.
        let reference = Reference::of_catalogue(&catalogue);
        let again = sheet::parse(&grid, &reference).unwrap();
        let merged = sheet::merge(&catalogue, again.catalogue);
        assert_eq!(
            merged.to_entities(),
            catalogue.to_entities(),
            "{name}: into Roubaix"
        );
    }
}

#[test]
fn a_csv_for_a_spreadsheet_holds_no_live_formula_and_reads_back_as_typed() {
    let mut catalogue = roubaix();
    let typed = [
        "=HYPERLINK(\"http://pirate.example\";\"clic\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
    ];
    for (action, title) in catalogue.programmes[0].actions.iter_mut().zip(typed) {
        action.title = title.into();
    }
    let rows = sheet::rows_of(&catalogue);
    let bytes = write_csv(&rows);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula: {cell}"
            );
        }
    }
    for title in typed {
        assert!(
            text.contains(&format!("'{}", &title[..4])),
            "{title} defused"
        );
    }
    // Read back, every cell is as typed.
    assert_eq!(cells(&read("p.csv", &bytes).unwrap()), trimmed(&rows));
}

#[test]
fn the_template_ships_current_and_reads_as_two_actions() {
    let rows = sheet::template_rows();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/templates");
    let xlsx = format!("{dir}/programme-modele.xlsx");
    let csv = format!("{dir}/programme-modele.csv");
    if std::env::var_os("PASSERELLE_WRITE_TEMPLATES").is_some() {
        std::fs::write(
            &xlsx,
            write_xlsx("Actions", &rows, Some(sheet::TEMPLATE_NOTE)).unwrap(),
        )
        .unwrap();
        let mut with_note = vec![vec![sheet::TEMPLATE_NOTE.to_owned()]];
        with_note.extend(rows.iter().cloned());
        std::fs::write(&csv, write_csv(&with_note)).unwrap();
    }
    for file in [&xlsx, &csv] {
        let grid = read(file, &std::fs::read(file).unwrap()).unwrap();
        let found = cells(&grid);
        assert_eq!(found[0], [sheet::TEMPLATE_NOTE], "{file}: the note first");
        assert_eq!(
            &found[1..],
            trimmed(&rows).as_slice(),
            "{file} is not current: run with PASSERELLE_WRITE_TEMPLATES=1"
        );
        let parsed = sheet::parse(&grid, &tourcoing()).unwrap();
        let p = &parsed.catalogue.programmes[0];
        assert_eq!(p.title, "Programmation 2023-2025");
        assert_eq!(p.actions.len(), 2);
        let second = &p.actions[1];
        assert_eq!(second.operators[0].count, Some(2));
        assert_eq!(
            second.audiences[0].note.as_deref(),
            Some("priorité décrocheurs")
        );
        assert_eq!(
            second.audiences[0].ages.map(|a| a.to_string()).as_deref(),
            Some("16-25 ans")
        );
        let errors: Vec<_> = parsed
            .irregularities
            .iter()
            .filter(|i| i.severity == passerelle_livret::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}

/// A CSV as a team might keep it: comma-separated, a cell over several
/// lines, an empty row, no `Ressources` column, an unknown column, a bad
/// address, an age range with spaces, a contact without phone, an axis cell
/// merged (empty below its first row).
const MESSY: &str = "Programme,Axe,Intitulé de l'axe,Fiche,Intitulé,Description,Objectifs,Publics,Périmètre,Partenaires,Porteurs,Contacts,Budget\n\
2023-2025,1,Réussite éducative,1,Coup de pouce lecture,\"Des clubs de lecture.\n\nLe soir, à l'école.\",\"Lire\nÉcrire\",Enfants 6 - 11 ans,Quartier du Pile,Médiathèque,Association Lire et faire lire,\"Structure : Jean DUPONT, jean.dupont@\nVille : Awa DIOP, awa.diop@ville-tourcoing.fr\",1200 €\n\
,,,,,,,,,,,,\n\
2023-2025,,,2,Ateliers parents,Des ateliers.,,Parents d'élèves,Quartier du Pile,,Centre social Boilly,\"Troïka : Awa DIOP, awa.diop@ville-tourcoing.fr, 03 20 00 00 00\",\n";

#[test]
fn every_problem_of_a_messy_csv_is_located_and_its_row_kept() {
    let bytes = encoding_rs::WINDOWS_1252.encode(MESSY).0.into_owned();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file really is Windows-1252"
    );
    let grid = read("programme.csv", &bytes).unwrap();
    assert_eq!(
        grid.sheets[0].rows[1].cells[2], "Réussite éducative",
        "accents decoded"
    );
    let parsed = sheet::parse(&grid, &tourcoing()).unwrap();
    let report: Vec<String> = parsed
        .irregularities
        .iter()
        .map(|i| format!("{} : {}", i.located("programme.csv"), i.message))
        .collect();
    let has = |needle: &str| report.iter().any(|r| r.contains(needle));
    assert!(
        has("programme.csv, ligne 2, colonne Contacts : adresse « jean.dupont@ » invalide"),
        "{report:#?}"
    );
    assert!(
        has("programme.csv, ligne 1 : colonne « Ressources » absente"),
        "{report:#?}"
    );
    assert!(
        has("programme.csv, ligne 1 : colonne « Budget » inconnue : ignorée"),
        "{report:#?}"
    );
    assert!(
        has(
            "programme.csv, ligne 2, colonne Périmètre : territoire « Quartier du Pile » inconnu de la cité"
        ),
        "{report:#?}"
    );
    let p = &parsed.catalogue.programmes[0];
    assert_eq!(p.actions.len(), 2, "the empty row is no action");
    let first = &p.actions[0];
    assert_eq!(
        first.description,
        "Des clubs de lecture.\n\nLe soir, à l'école."
    );
    assert_eq!(first.objectives, ["Lire", "Écrire"]);
    assert_eq!(first.audiences[0].label, "Enfants");
    assert_eq!(
        first.audiences[0].ages.map(|a| (a.min(), a.max())),
        Some((6, 11))
    );
    // The contact with a bad address is kept, as typed; the one without
    // phone is read whole.
    assert_eq!(first.contacts.len(), 2);
    assert_eq!(first.contacts[0].name, "Jean DUPONT");
    assert_eq!(first.contacts[0].email.as_deref(), Some("jean.dupont@"));
    assert_eq!(first.contacts[1].group, "Ville");
    assert_eq!(first.contacts[1].phone, None);
    // The axis cell left empty under a merged one is the row above's.
    assert_eq!(p.actions[1].axis, 1);
    assert_eq!(p.actions[1].contacts[0].group, "Troïka");
    let awa = parsed
        .catalogue
        .people
        .iter()
        .find(|x| x.slug.as_str() == "awa-diop")
        .unwrap();
    assert_eq!((awa.emails.len(), awa.phones.len()), (1, 1), "{awa:?}");
    assert!(
        parsed
            .catalogue
            .organisations
            .iter()
            .any(|o| o.name == "Centre social Boilly")
    );
    assert!(
        parsed
            .catalogue
            .territories
            .iter()
            .any(|t| t.name == "Quartier du Pile")
    );
}

#[test]
fn a_semicolon_csv_in_utf8_with_its_bom_reads_the_same_as_the_comma_one() {
    let comma = read("a.csv", MESSY.as_bytes()).unwrap();
    let rows = cells(&comma);
    let semicolon = read("b.csv", &write_csv(&rows)).unwrap();
    assert_eq!(cells(&semicolon), rows);
}

#[test]
fn rows_with_problems_in_their_numbers_are_reported_and_the_first_of_two_kept() {
    let rows: Vec<Vec<String>> = [
        "Fiche;Intitulé;Axe;Intitulé de l'axe;Programme",
        "1;Première;1;Axe un;2023-2025",
        "1;Doublon;1;Axe un;2023-2025",
        "trois;Sans numéro;1;Axe deux;2023-2025",
        ";;;;",
        "4;;2;Axe deux;deux mille vingt-trois",
    ]
    .iter()
    .map(|l| l.split(';').map(str::to_owned).collect())
    .collect();
    let grid = read("p.csv", &write_csv(&rows)).unwrap();
    let parsed = sheet::parse(&grid, &tourcoing()).unwrap();
    let by_code = |c: Code| {
        parsed
            .irregularities
            .iter()
            .filter(|i| i.code == c)
            .collect::<Vec<_>>()
    };
    let duplicate = by_code(Code::DuplicateFiche);
    assert_eq!(duplicate.len(), 1);
    assert_eq!(
        (duplicate[0].line, duplicate[0].column.as_deref()),
        (3, Some("Fiche"))
    );
    assert!(duplicate[0].message.contains("déjà à la ligne 2"));
    let titles: Vec<&str> = parsed
        .catalogue
        .programmes
        .iter()
        .flat_map(|p| p.actions.iter().map(|a| a.title.as_str()))
        .collect();
    assert!(titles.contains(&"Première") && !titles.contains(&"Doublon"));
    assert!(
        titles.contains(&"Sans numéro"),
        "a row without a number gets one"
    );
    assert!(
        by_code(Code::IncompleteFiche)
            .iter()
            .any(|i| i.line == 4 && i.message.contains("« trois »"))
    );
    assert!(by_code(Code::AxisTitleVariant).iter().any(|i| i.line == 4));
    assert!(by_code(Code::EmptyTitle).iter().any(|i| i.line == 6));
    assert!(by_code(Code::MissingProgramme).iter().any(|i| i.line == 6));
}

#[test]
fn files_that_are_no_spreadsheet_get_a_clear_error_in_french() {
    let e = read("vide.csv", b"").unwrap_err();
    assert_eq!(e.to_string(), "vide.csv : le fichier est vide");
    assert!(matches!(
        read("image.png", b"\x89PNG\r\n").unwrap_err(),
        SheetError::UnknownFormat { .. }
    ));
    let broken = read("faux.xlsx", b"PK\x03\x04 pas un classeur").unwrap_err();
    assert!(
        broken
            .to_string()
            .starts_with("faux.xlsx : classeur illisible"),
        "{broken}"
    );
    let grid = read("notes.csv", "Bonjour\nRien à voir".as_bytes()).unwrap();
    let e = sheet::parse(&grid, &tourcoing()).unwrap_err();
    assert!(e.to_string().starts_with("aucune ligne d'en-tête"), "{e}");
    assert_eq!(Format::of("x.ODS", b""), Some(Format::Ods));
    assert_eq!(
        Format::of(
            "sans-extension",
            &passerelle_sheet::write_ods("A", &[]).unwrap()
        ),
        Some(Format::Ods)
    );
}

#[test]
fn headers_are_read_whatever_their_case_accents_and_marks() {
    for h in ["INTITULE *", "Intitulé :", "intitulé", "Titre"] {
        assert_eq!(Column::of_header(h), Some(Column::Intitule), "{h}");
    }
    assert_eq!(Column::of_header("N° fiche"), Some(Column::Fiche));
    assert_eq!(
        Column::of_header("Intitulé de l’axe"),
        Some(Column::IntituleAxe)
    );
    assert_eq!(Column::of_header("Budget"), None);
}

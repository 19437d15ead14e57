//! The money's spreadsheet, read for real from xlsx, ods and CSV files:
//! amounts as French spreadsheets write them, every problem located by
//! sheet, row and column, a row in error left out (never read as 0), and
//! the export read back into the same lines.

use std::collections::BTreeSet;

use passerelle_domain::Date;
use passerelle_domain::funding::{Envelope, Funder, FundingLine, PaymentKind};
use passerelle_domain::money::Cents;
use passerelle_sheet::funding::{
    ENVELOPES_SHEET, Known, LINES_SHEET, Problem, envelope_rows, line_rows, read as read_funding,
};
use passerelle_sheet::{read, write_csv, write_ods, write_xlsx_sheets};

fn known() -> Known {
    Known {
        fiches: (1..=27).collect::<BTreeSet<u32>>(),
        years: 2020..=2026,
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

const HEADER: [&str; 14] = [
    "FICHE",
    "annee",
    "Financeur",
    "Dispositif",
    "Nature",
    "Demandé (€)",
    "Proposé",
    "Voté",
    "Date de décision",
    "Référence de décision",
    "Convention",
    "Date de convention",
    "Versé",
    "Date de versement",
];

fn find<'p>(problems: &'p [Problem], row: usize, column: &str) -> &'p Problem {
    problems
        .iter()
        .find(|p| p.row == row && p.column.as_deref() == Some(column))
        .unwrap_or_else(|| panic!("no problem at row {row}, column {column}: {problems:#?}"))
}

#[test]
fn amounts_are_read_as_french_spreadsheets_write_them() {
    let lines = vec![
        row(&HEADER),
        row(&[
            "5",
            "2025",
            "État",
            "",
            "",
            "12 000,50 €",
            "12000,5",
            "12 000 €",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "6",
            "2025",
            "Ville",
            "",
            "en nature",
            "12000.5",
            "1234.5678",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
    ];
    let grid = read("f.csv", &write_csv(&lines)).unwrap();
    let got = read_funding(&grid, &known());
    assert_eq!(got.problems, vec![]);
    assert_eq!(got.lines[0].requested, Cents(1_200_050));
    assert_eq!(got.lines[0].proposed, Cents(1_200_050));
    assert_eq!(got.lines[0].voted, Cents(1_200_000));
    assert_eq!(got.lines[1].requested, Cents(1_200_050), "a number cell");
    assert_eq!(
        got.lines[1].proposed,
        Cents(123_457),
        "a sum's float, to the cent"
    );
    assert_eq!(got.lines[1].funder, Funder::Commune);
}

#[test]
fn every_problem_is_located_and_a_row_in_error_is_left_out() {
    let lines = vec![
        row(&["Financements de la Cité éducative, 2025"]),
        row(&HEADER),
        // 3: right.
        row(&[
            "5",
            "2025",
            "État – Cité éducative",
            "P147",
            "Numéraire",
            "10 000",
            "8 000",
            "8 000",
            "12/03/2025",
            "CP-2025-03",
            "",
            "",
            "4 000\n4 000",
            "01/04/2025\n15/11/2025",
        ]),
        // 4: an unreadable amount.
        row(&[
            "6",
            "2025",
            "CAF",
            "",
            "",
            "dix mille",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
        // 5: a negative one.
        row(&[
            "7", "2025", "CAF", "", "", "-100", "", "", "", "", "", "", "", "",
        ]),
        // 6: an unknown fiche.
        row(&[
            "99", "2025", "CAF", "", "", "100", "", "", "", "", "", "", "", "",
        ]),
        // 7: a year outside the programme.
        row(&[
            "8", "2031", "CAF", "", "", "100", "", "", "", "", "", "", "", "",
        ]),
        // 8: the same action, year and funder as row 3.
        row(&[
            "5", "2025", "etat", "", "", "1", "", "", "", "", "", "", "", "",
        ]),
        // 9: voted above requested: a warning, the row is read.
        row(&[
            "9", "2025", "Commune", "", "", "1 000", "", "2 000", "", "", "", "", "", "",
        ]),
        // 10: paid above voted.
        row(&[
            "10",
            "2025",
            "Commune",
            "",
            "",
            "1 000",
            "",
            "1 000",
            "",
            "",
            "",
            "",
            "1 500",
            "01/06/2025",
        ]),
        // 11: an impossible date.
        row(&[
            "11",
            "2025",
            "Commune",
            "",
            "",
            "1 000",
            "",
            "",
            "30/02/2025",
            "D-1",
            "",
            "",
            "",
            "",
        ]),
    ];
    let envelopes = vec![
        row(&["Année", "Source", "Collège", "Montant"]),
        row(&["2025", "État", "", "350 000 €"]),
        row(&["2025", "Fonds de la Cité", "Rosa Parks", "30 000"]),
        row(&["2025", "Fonds de la Cité", "", "30 000"]),
    ];
    let bytes = write_xlsx_sheets(&[(LINES_SHEET, &lines), (ENVELOPES_SHEET, &envelopes)]).unwrap();
    let grid = read("financements.xlsx", &bytes).unwrap();
    let got = read_funding(&grid, &known());
    let p = &got.problems;

    assert!(
        find(p, 4, "Demandé")
            .message
            .contains("n'est pas un montant")
    );
    assert!(find(p, 5, "Demandé").message.contains("négatif"));
    assert!(
        find(p, 6, "Fiche")
            .message
            .contains("la fiche 99 n'existe pas")
    );
    assert!(find(p, 7, "Année").message.contains("hors du programme"));
    let twice = p.iter().find(|x| x.row == 8).unwrap();
    assert!(twice.message.contains("déjà à la ligne 3"), "{twice:?}");
    let warning = find(p, 9, "Voté");
    assert!(warning.warning && warning.message.contains("dépasse le demandé"));
    assert!(find(p, 10, "Versé").message.contains("dépasse le voté"));
    assert!(
        find(p, 11, "Date de décision")
            .message
            .contains("30/02/2025")
    );
    assert_eq!(
        find(p, 11, "Date de décision").located("financements.xlsx"),
        "financements.xlsx, feuille « Financements », ligne 11, colonne « Date de décision »"
    );
    assert!(find(p, 4, "Collège").message.contains("collège"));
    assert!(p.iter().all(|x| x.sheet.is_some()));

    // Rows 3 and 9 are read; none of the rows in error is.
    let read_fiches: Vec<u32> = got.lines.iter().map(|l| l.fiche).collect();
    assert_eq!(read_fiches, [5, 9]);
    let first = &got.lines[0];
    assert_eq!(first.voted, Cents(800_000));
    assert_eq!(first.paid(), Cents(800_000));
    assert_eq!(
        first.payments.iter().map(|p| p.kind).collect::<Vec<_>>(),
        [PaymentKind::Acompte, PaymentKind::Solde]
    );
    assert_eq!(
        first.decision,
        Some((Date::new(2025, 3, 12).unwrap(), "CP-2025-03".into()))
    );
    assert_eq!(
        got.envelopes,
        vec![
            Envelope {
                year: 2025,
                source: Funder::Etat,
                amount: Cents(35_000_000)
            },
            Envelope {
                year: 2025,
                source: Funder::FondsCite("Rosa Parks".into()),
                amount: Cents(3_000_000)
            },
        ]
    );
}

fn sample() -> (Vec<FundingLine>, Vec<Envelope>) {
    let grid = read(
        "f.csv",
        &write_csv(&[
            row(&HEADER),
            row(&[
                "5",
                "2025",
                "État",
                "P147",
                "",
                "10 000",
                "8 000",
                "8 000",
                "12/03/2025",
                "CP-3",
                "C-12",
                "20/03/2025",
                "4 000\n4 000",
                "01/04/2025\n15/11/2025",
            ]),
            row(&[
                "5",
                "2025",
                "Fonds de la Cité – Jean-Macé",
                "",
                "En nature",
                "3 000,50",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]),
            row(&[
                "12",
                "2024",
                "Fondation Lumière",
                "Mécénat",
                "",
                "1 000",
                "1 000",
                "900",
                "",
                "",
                "",
                "",
                "",
                "",
            ]),
        ]),
    )
    .unwrap();
    let got = read_funding(&grid, &known());
    assert_eq!(got.errors(), 0, "{:#?}", got.problems);
    let envelopes = vec![
        Envelope {
            year: 2025,
            source: Funder::Etat,
            amount: Cents(35_000_000),
        },
        Envelope {
            year: 2025,
            source: Funder::FondsCite("Jean-Macé".into()),
            amount: Cents(3_000_000),
        },
    ];
    (got.lines, envelopes)
}

#[test]
fn the_export_read_back_gives_the_same_lines_in_xlsx_ods_and_both_csv_encodings() {
    let (lines, envelopes) = sample();
    assert_eq!(lines.len(), 3);
    let rows = line_rows(&lines);
    let xlsx = write_xlsx_sheets(&[
        (LINES_SHEET, &rows),
        (ENVELOPES_SHEET, &envelope_rows(&envelopes)),
    ])
    .unwrap();
    let back = read_funding(&read("f.xlsx", &xlsx).unwrap(), &known());
    assert_eq!(back.problems, vec![]);
    assert_eq!(back.lines, lines);
    assert_eq!(back.envelopes, envelopes);

    let ods = write_ods(LINES_SHEET, &rows).unwrap();
    assert_eq!(
        read_funding(&read("f.ods", &ods).unwrap(), &known()).lines,
        lines
    );

    // `,` in UTF-8, as written; `;` in Windows-1252, as a French
    // spreadsheet saves it.
    let utf8 = write_csv(&rows);
    assert_eq!(
        read_funding(&read("f.csv", &utf8).unwrap(), &known()).lines,
        lines
    );
    let text = String::from_utf8(utf8).unwrap();
    let semicolons: String = csv_with(&text, b';');
    let (latin, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&semicolons);
    assert!(!unmappable);
    let back = read_funding(&read("f.csv", &latin).unwrap(), &known());
    assert_eq!(back.problems, vec![]);
    assert_eq!(back.lines, lines);
}

/// The CSV written (`;`, with its BOM) with another separator, without
/// the BOM, and the narrow spaces of amounts (which Windows-1252 has not)
/// as ordinary spaces.
fn csv_with(text: &str, separator: u8) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(separator)
        .from_writer(Vec::new());
    for record in reader.records() {
        let record = record.unwrap();
        let cells: Vec<String> = record.iter().map(|c| c.replace('\u{202f}', " ")).collect();
        writer.write_record(&cells).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

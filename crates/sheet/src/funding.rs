//! The money's spreadsheet: the sheet « Financements » (one row per
//! funding line) and the sheet « Enveloppes », read into the domain with
//! every problem located by sheet, row and column, and written back in
//! the same columns.
//!
//! A row with an error is not read (what is stored of it stays as it
//! is: an unreadable amount never becomes 0); the others are. A warning
//! (voted above requested, an unknown column) does not keep a row out.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use passerelle_domain::Date;
use passerelle_domain::funding::{
    Convention, Envelope, Funder, FundingLine, Nature, Payment, PaymentKind, read_date,
};
use passerelle_domain::money::{AmountError, Cents};
use passerelle_livret::sheet::{Grid, GridRow, header_key};
use serde::Serialize;

/// The lines' sheet and its columns, in the order written.
pub const LINES_SHEET: &str = "Financements";
pub const LINE_COLUMNS: [&str; 15] = [
    "Fiche",
    "Année",
    "Financeur",
    "Dispositif",
    "Nature",
    "Demandé",
    "Proposé",
    "Voté",
    "Engagé",
    "Date de décision",
    "Référence de décision",
    "Convention",
    "Date de convention",
    "Versé",
    "Date de versement",
];
/// The envelopes' sheet and its columns.
pub const ENVELOPES_SHEET: &str = "Enveloppes";
pub const ENVELOPE_COLUMNS: [&str; 4] = ["Année", "Source", "Collège", "Montant"];

/// What the cité knows, to read a file against: its actions' fiche
/// numbers and its programmes' years.
#[derive(Debug, Clone)]
pub struct Known {
    pub fiches: BTreeSet<u32>,
    pub years: RangeInclusive<i32>,
}

impl Known {
    /// What a catalogue knows: the fiches of its programmes' actions, the
    /// years from its first programme's start to its last one's end.
    pub fn of_catalogue(catalogue: &passerelle_domain::Catalogue) -> Known {
        let programmes = &catalogue.programmes;
        let start = programmes.iter().map(|p| p.start_year).min().unwrap_or(0);
        let end = programmes.iter().map(|p| p.end_year).max().unwrap_or(-1);
        Known {
            fiches: programmes
                .iter()
                .flat_map(|p| p.actions.iter().map(|a| a.fiche.get()))
                .collect(),
            years: start..=end,
        }
    }
}

/// A problem of a cell or a row, in French.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The sheet's name (none for a CSV file).
    pub sheet: Option<String>,
    /// The row, as the spreadsheet numbers it.
    pub row: usize,
    /// The column's header, when one cell is at fault.
    pub column: Option<String>,
    pub message: String,
    /// A warning does not keep the row out.
    pub warning: bool,
}

impl Problem {
    /// `financements.xlsx, feuille « Financements », ligne 4, colonne
    /// « Voté »`.
    pub fn located(&self, file: &str) -> String {
        let mut s = file.to_owned();
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!(", feuille « {sheet} »"));
        }
        s.push_str(&format!(", ligne {}", self.row));
        if let Some(c) = &self.column {
            s.push_str(&format!(", colonne « {c} »"));
        }
        s
    }
}

/// What a file holds.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub lines: Vec<FundingLine>,
    pub envelopes: Vec<Envelope>,
    pub problems: Vec<Problem>,
}

impl Read {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| !p.warning).count()
    }
}

/// Which of the two sheets a header row makes a sheet: `Fiche` and
/// `Financeur` for the lines, `Source` and `Montant` for the envelopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Lines,
    Envelopes,
}

fn columns_of(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Lines => &LINE_COLUMNS,
        Kind::Envelopes => &ENVELOPE_COLUMNS,
    }
}

/// The column a header names: its folded form, a unit in brackets aside
/// (`Montant (€)`).
fn column_of(kind: Kind, header: &str) -> Option<&'static str> {
    let key = header_key(header.split(" (").next().unwrap_or(header));
    let key = key.trim_end_matches(" €").trim_end_matches(" eur").trim();
    columns_of(kind)
        .iter()
        .copied()
        .find(|c| header_key(c) == key)
}

/// The header row of a sheet (among its first 20 rows) and the columns it
/// names, by cell index.
fn header(rows: &[GridRow]) -> Option<(Kind, usize, BTreeMap<&'static str, usize>)> {
    for (i, row) in rows.iter().enumerate().take(20) {
        for kind in [Kind::Lines, Kind::Envelopes] {
            let found: BTreeMap<&'static str, usize> = row
                .cells
                .iter()
                .enumerate()
                .filter_map(|(c, h)| column_of(kind, h).map(|name| (name, c)))
                .collect();
            let names = |a: &str, b: &str| found.contains_key(a) && found.contains_key(b);
            let fits = match kind {
                Kind::Lines => names("Fiche", "Financeur"),
                Kind::Envelopes => names("Source", "Montant") && !found.contains_key("Fiche"),
            };
            if fits {
                return Some((kind, i, found));
            }
        }
    }
    None
}

/// Reads a workbook's (or a CSV file's) funding lines and envelopes.
pub fn read(grid: &Grid, known: &Known) -> Read {
    let mut out = Read::default();
    let mut found_any = false;
    for sheet in &grid.sheets {
        let Some((kind, at, columns)) = header(&sheet.rows) else {
            continue;
        };
        found_any = true;
        let mut reader = SheetReader {
            sheet: sheet.name.clone(),
            columns,
            problems: Vec::new(),
        };
        let header_row = &sheet.rows[at];
        for (c, h) in header_row.cells.iter().enumerate() {
            if !h.trim().is_empty() && column_of(kind, h).is_none() {
                reader.problems.push(Problem {
                    sheet: sheet.name.clone(),
                    row: header_row.number,
                    column: Some(h.trim().to_owned()),
                    message: format!(
                        "colonne inconnue, ignorée (colonne n° {}) ; les colonnes lues : {}",
                        c + 1,
                        columns_of(kind).join(", ")
                    ),
                    warning: true,
                });
            }
        }
        let rows = sheet.rows[at + 1..]
            .iter()
            .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
        match kind {
            Kind::Lines => {
                let mut seen: BTreeMap<(u32, i32, Funder), usize> = BTreeMap::new();
                for row in rows {
                    if let Some(line) = reader.line(row, known, &mut seen) {
                        out.lines.push(line);
                    }
                }
            }
            Kind::Envelopes => {
                let mut seen: BTreeMap<(i32, Funder), usize> = BTreeMap::new();
                for row in rows {
                    if let Some(e) = reader.envelope(row, known, &mut seen) {
                        out.envelopes.push(e);
                    }
                }
            }
        }
        out.problems.append(&mut reader.problems);
    }
    if !found_any {
        out.problems.push(Problem {
            sheet: None,
            row: 1,
            column: None,
            message: format!(
                "aucune feuille « {LINES_SHEET} » (colonnes {}) ni « {ENVELOPES_SHEET} » (colonnes {}) trouvée",
                LINE_COLUMNS.join(", "),
                ENVELOPE_COLUMNS.join(", ")
            ),
            warning: false,
        });
    }
    out
}

struct SheetReader {
    sheet: Option<String>,
    columns: BTreeMap<&'static str, usize>,
    problems: Vec<Problem>,
}

/// The problems of one row: none an error, the row is read.
struct RowProblems<'r> {
    reader: &'r mut SheetReader,
    row: usize,
    failed: bool,
}

impl RowProblems<'_> {
    fn push(&mut self, column: Option<&str>, message: String, warning: bool) {
        self.failed |= !warning;
        self.reader.problems.push(Problem {
            sheet: self.reader.sheet.clone(),
            row: self.row,
            column: column.map(str::to_owned),
            message,
            warning,
        });
    }

    fn error(&mut self, column: &str, message: String) {
        self.push(Some(column), message, false);
    }
}

impl SheetReader {
    fn cell<'r>(&self, row: &'r GridRow, column: &str) -> &'r str {
        self.columns
            .get(column)
            .and_then(|&c| row.cells.get(c))
            .map_or("", |c| c.trim())
    }

    fn line(
        &mut self,
        row: &GridRow,
        known: &Known,
        seen: &mut BTreeMap<(u32, i32, Funder), usize>,
    ) -> Option<FundingLine> {
        let cells: BTreeMap<&str, String> = LINE_COLUMNS
            .iter()
            .map(|c| (*c, self.cell(row, c).to_owned()))
            .collect();
        let cell = |c: &str| cells.get(c).map_or("", String::as_str);
        let mut p = RowProblems {
            reader: self,
            row: row.number,
            failed: false,
        };
        let fiche = fiche_of(cell("Fiche"));
        match fiche {
            None => p.error(
                "Fiche",
                format!("« {} » n'est pas un numéro de fiche", cell("Fiche")),
            ),
            Some(f) if !known.fiches.contains(&f) => p.error(
                "Fiche",
                format!("la fiche {f} n'existe pas dans le programme de la cité"),
            ),
            Some(_) => {}
        }
        let year = year_in(&mut p, "Année", cell("Année"), known);
        let funder = Funder::read(cell("Financeur"));
        if funder.is_none() {
            p.error(
                "Financeur",
                "indiquez le financeur (État, Fonds de la Cité – collège, commune, CAF, \
                 département, région…)"
                    .into(),
            );
        }
        let nature = Nature::read(cell("Nature")).unwrap_or_else(|| {
            p.error(
                "Nature",
                format!(
                    "« {} » : la nature est « numéraire » ou « en nature »",
                    cell("Nature")
                ),
            );
            Nature::Numeraire
        });
        let amount = |p: &mut RowProblems<'_>, column: &str| amount_in(p, column, cell(column));
        let requested = amount(&mut p, "Demandé");
        let proposed = amount(&mut p, "Proposé");
        let voted = amount(&mut p, "Voté");
        let committed = amount(&mut p, "Engagé");
        let decision = dated(
            &mut p,
            ("Date de décision", cell("Date de décision")),
            ("Référence de décision", cell("Référence de décision")),
        );
        let convention = dated(
            &mut p,
            ("Date de convention", cell("Date de convention")),
            ("Convention", cell("Convention")),
        )
        .map(|(date, reference)| Convention { reference, date });
        let payments = payments_in(&mut p, cell("Versé"), cell("Date de versement"), voted);
        let (Some(fiche), Some(year), Some(funder)) = (fiche, year, funder) else {
            return None;
        };
        let key = (fiche, year, funder.clone());
        if let Some(first) = seen.get(&key) {
            p.push(
                None,
                format!(
                    "la fiche {fiche}, l'année {year} et le financeur « {} » sont déjà à la ligne {first}",
                    funder.label()
                ),
                false,
            );
        }
        let line = FundingLine {
            fiche,
            year,
            funder,
            scheme: cell("Dispositif").to_owned(),
            nature,
            requested,
            proposed,
            voted,
            committed,
            decision,
            convention,
            payments,
        };
        for problem in line.problems() {
            let column = if problem.field == "paid" {
                "Versé"
            } else {
                "Voté"
            };
            p.push(Some(column), problem.message, problem.warning);
        }
        if p.failed {
            return None;
        }
        seen.insert(key, row.number);
        Some(line)
    }

    fn envelope(
        &mut self,
        row: &GridRow,
        known: &Known,
        seen: &mut BTreeMap<(i32, Funder), usize>,
    ) -> Option<Envelope> {
        let cells: BTreeMap<&str, String> = ENVELOPE_COLUMNS
            .iter()
            .map(|c| (*c, self.cell(row, c).to_owned()))
            .collect();
        let cell = |c: &str| cells.get(c).map_or("", String::as_str);
        let mut p = RowProblems {
            reader: self,
            row: row.number,
            failed: false,
        };
        let year = year_in(&mut p, "Année", cell("Année"), known);
        let source = match Funder::read(cell("Source")) {
            Some(Funder::FondsCite(c)) if c.is_empty() => {
                if cell("Collège").is_empty() {
                    p.error(
                        "Collège",
                        "le fonds de la Cité est géré par un collège chef de file : \
                         indiquez lequel"
                            .into(),
                    );
                }
                Some(Funder::FondsCite(cell("Collège").to_owned()))
            }
            None => {
                p.error(
                    "Source",
                    "indiquez la source (État, Fonds de la Cité, commune…)".into(),
                );
                None
            }
            other => other,
        };
        let amount = amount_in(&mut p, "Montant", cell("Montant"));
        let (Some(year), Some(source)) = (year, source) else {
            return None;
        };
        if let Some(first) = seen.get(&(year, source.clone())) {
            p.push(
                None,
                format!(
                    "l'enveloppe « {} » de {year} est déjà à la ligne {first}",
                    source.label()
                ),
                false,
            );
        }
        if p.failed {
            return None;
        }
        seen.insert((year, source.clone()), row.number);
        Some(Envelope {
            year,
            source,
            amount,
        })
    }
}

/// `5`, `Fiche 5`, `n° 5`.
fn fiche_of(cell: &str) -> Option<u32> {
    let digits: String = cell
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = cell.split(&*digits).nth(1).unwrap_or("");
    (!digits.is_empty() && rest.trim().is_empty())
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|f| *f > 0)
}

fn year_in(p: &mut RowProblems<'_>, column: &str, cell: &str, known: &Known) -> Option<i32> {
    let year = cell
        .split('.')
        .next()
        .and_then(|y| y.trim().parse::<i32>().ok());
    match year {
        Some(y) if known.years.contains(&y) => Some(y),
        Some(y) => {
            p.error(
                column,
                format!(
                    "{y} est hors du programme de la cité ({} à {})",
                    known.years.start(),
                    known.years.end()
                ),
            );
            None
        }
        None => {
            p.error(column, format!("« {cell} » n'est pas une année"));
            None
        }
    }
}

/// An amount as French spreadsheets write it; empty is 0. A number cell
/// with more than two decimals (a sum's float) is rounded to the cent,
/// by its digits.
fn amount_in(p: &mut RowProblems<'_>, column: &str, cell: &str) -> Cents {
    if cell.is_empty() {
        return Cents(0);
    }
    match Cents::parse(cell).or_else(|e| rounded(cell).ok_or(e)) {
        Ok(c) => c,
        Err(AmountError::Empty) => Cents(0),
        Err(e) => {
            p.error(column, e.to_string());
            Cents(0)
        }
    }
}

/// `1234.5678` (a number cell) to the cent, half up, without a float.
fn rounded(cell: &str) -> Option<Cents> {
    let (whole, decimals) = cell.split_once('.')?;
    if whole.is_empty()
        || decimals.len() <= 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !decimals.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let cents = Cents::parse(&format!("{whole}.{}", &decimals[..2])).ok()?;
    let up = decimals.as_bytes()[2] >= b'5';
    let c = Cents(cents.0 + i64::from(up));
    (c.0 <= passerelle_domain::money::MAX_CENTS).then_some(c)
}

/// A date and its reference (a decision, a convention): a reference needs
/// its date.
fn dated(
    p: &mut RowProblems<'_>,
    (date_column, date): (&str, &str),
    (reference_column, reference): (&str, &str),
) -> Option<(Date, String)> {
    if date.is_empty() {
        if !reference.is_empty() {
            p.error(
                date_column,
                format!("« {reference} » ({reference_column}) n'a pas de date"),
            );
        }
        return None;
    }
    match read_date(date) {
        Some(d) => Some((d, reference.to_owned())),
        None => {
            p.error(
                date_column,
                format!("« {date} » n'est pas une date possible (par exemple 31/05/2026)"),
            );
            None
        }
    }
}

/// The payments: one amount and one date per line of the cells (several
/// payments, one under the other). A payment that brings what is paid to
/// the vote is the *solde*; the others are *acomptes*.
fn payments_in(p: &mut RowProblems<'_>, amounts: &str, dates: &str, voted: Cents) -> Vec<Payment> {
    let split = |s: &str| -> Vec<String> {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (amounts, dates) = (split(amounts), split(dates));
    if amounts.len() != dates.len() {
        p.error(
            "Date de versement",
            format!(
                "{} versement(s) pour {} date(s) : une date par versement, dans l'ordre",
                amounts.len(),
                dates.len()
            ),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut paid = Cents(0);
    for (a, d) in amounts.iter().zip(&dates) {
        let amount = amount_in(p, "Versé", a);
        let Some(date) = read_date(d) else {
            p.error(
                "Date de versement",
                format!("« {d} » n'est pas une date possible (par exemple 31/05/2026)"),
            );
            continue;
        };
        paid = Cents(paid.0 + amount.0);
        out.push(Payment {
            date,
            amount,
            kind: if paid == voted && voted.0 > 0 {
                PaymentKind::Solde
            } else {
                PaymentKind::Acompte
            },
        });
    }
    out
}

/// The rows of the sheet « Financements », header first.
pub fn line_rows(lines: &[FundingLine]) -> Vec<Vec<String>> {
    let date = |d: Option<Date>| d.map(|d| format!("{:02}/{:02}/{}", d.day, d.month, d.year));
    let mut rows = vec![LINE_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for l in lines {
        rows.push(vec![
            l.fiche.to_string(),
            l.year.to_string(),
            l.funder.label(),
            l.scheme.clone(),
            l.nature.label().to_owned(),
            l.requested.french(),
            l.proposed.french(),
            l.voted.french(),
            l.committed.french(),
            date(l.decision.as_ref().map(|d| d.0)).unwrap_or_default(),
            l.decision.as_ref().map(|d| d.1.clone()).unwrap_or_default(),
            l.convention
                .as_ref()
                .map(|c| c.reference.clone())
                .unwrap_or_default(),
            date(l.convention.as_ref().map(|c| c.date)).unwrap_or_default(),
            l.payments
                .iter()
                .map(|p| p.amount.french())
                .collect::<Vec<_>>()
                .join("\n"),
            l.payments
                .iter()
                .filter_map(|p| date(Some(p.date)))
                .collect::<Vec<_>>()
                .join("\n"),
        ]);
    }
    rows
}

/// The rows of the sheet « Enveloppes », header first.
pub fn envelope_rows(envelopes: &[Envelope]) -> Vec<Vec<String>> {
    let mut rows = vec![ENVELOPE_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for e in envelopes {
        let (source, college) = match &e.source {
            Funder::FondsCite(c) => ("Fonds de la Cité".to_owned(), c.clone()),
            other => (other.label(), String::new()),
        };
        rows.push(vec![e.year.to_string(), source, college, e.amount.french()]);
    }
    rows
}

//! The quality report: every irregularity the booklet's text shows, located.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Data is wrong or could not be read as printed.
    Error,
    /// Two places of the booklet disagree, or a value looks mistyped.
    Warning,
    /// Worth knowing: a section printed empty, a sentence cut by a page break.
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
            Severity::Info => "information",
        }
    }
}

/// What kind of irregularity; stable identifiers for filtering and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    MissingHeading,
    FirstPageWithoutHeading,
    EmptyTitle,
    TitleVariant,
    NumberingGap,
    DuplicateFiche,
    AxisTitleVariant,
    PersonSpelling,
    PersonEmailVariant,
    NameEmailMismatch,
    MalformedEmail,
    MailtoMismatch,
    MalformedPhone,
    ContactSeparator,
    UnparsedContact,
    RoleGroupSpelling,
    EmptyContactGroup,
    SectorContradiction,
    LabelTypo,
    AcronymTypo,
    PlaceNameTypo,
    StrayLetter,
    ContradictoryDates,
    InvalidAgeRange,
    UnknownAudience,
    UnknownTerritory,
    UnknownOrganisation,
    EmptySection,
    MissingSection,
    SentenceAcrossPages,
    IncompleteFiche,
    UnexpectedContent,
    UntaggedFiche,
    MissingProgramme,
    MissingSeminar,
    SeminarTitleVariant,
}

/// One irregularity, located by line (1-based) in the booklet, or by sheet,
/// row (`line`) and column in a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Irregularity {
    pub code: Code,
    pub severity: Severity,
    pub line: usize,
    /// In a spreadsheet: the sheet's name (empty for a CSV file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// In a spreadsheet: the column's header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiche: Option<u32>,
    /// In French, for the coordination team.
    pub message: String,
    /// Other lines involved (the other spelling, the other page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_lines: Vec<usize>,
}

impl Irregularity {
    pub(crate) fn new(
        code: Code,
        severity: Severity,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        Irregularity {
            code,
            severity,
            line,
            sheet: None,
            column: None,
            fiche: None,
            message: message.into(),
            related_lines: Vec::new(),
        }
    }

    /// Where it is, in French: `livret.md:120` for a booklet;
    /// `programme.xlsx, feuille « Actions », ligne 14, colonne Contacts` for
    /// a spreadsheet.
    pub fn located(&self, source: &str) -> String {
        match &self.sheet {
            None => format!("{source}:{}", self.line),
            Some(sheet) => {
                let mut s = source.to_owned();
                if !sheet.is_empty() {
                    s.push_str(&format!(", feuille « {sheet} »"));
                }
                s.push_str(&format!(", ligne {}", self.line));
                if let Some(c) = &self.column {
                    s.push_str(&format!(", colonne {c}"));
                }
                s
            }
        }
    }

    pub(crate) fn fiche(mut self, n: u32) -> Self {
        self.fiche = Some(n);
        self
    }

    pub(crate) fn related(mut self, lines: impl IntoIterator<Item = usize>) -> Self {
        self.related_lines.extend(lines);
        self.related_lines.sort_unstable();
        self.related_lines.dedup();
        self
    }
}

/// Sorts by line, then code, and drops exact duplicates.
pub(crate) fn finish(mut list: Vec<Irregularity>) -> Vec<Irregularity> {
    list.sort_by(|a, b| (a.line, a.code, &a.message).cmp(&(b.line, b.code, &b.message)));
    list.dedup();
    list
}

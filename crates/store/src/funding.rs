//! What the programme's money asks of storage: the funding lines and the
//! envelopes of a cité, written together in one transaction with each
//! version kept whole in the history (who, when, from what), and the
//! totals the national view sums. Every method that names a cité reads
//! and writes that cité only.

use async_trait::async_trait;
use passerelle_domain::funding::history::FieldChange;
use passerelle_domain::funding::report::{Report, ReportState};
use passerelle_domain::funding::revue::Revue;
use passerelle_domain::funding::{Envelope, Funder, FundingLine};
use passerelle_domain::money::Cents;

use crate::StoreError;
use crate::calls::By;

/// A line as stored: each save adds one to its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    pub line: FundingLine,
    pub version: i64,
}

/// One write of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Put {
    /// Adds the line of its action, year and funder, or replaces it; with
    /// `expected`, only if it is still at that version (`0`: only if it
    /// does not exist yet).
    Line {
        line: FundingLine,
        expected: Option<i64>,
    },
    /// Adds or replaces the envelope of its year and source.
    Envelope(Envelope),
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Saved {
    pub added: usize,
    pub updated: usize,
    /// Written as they were: nothing added to the history.
    pub unchanged: usize,
}

/// What the history speaks of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Line {
        fiche: u32,
        year: i32,
        funder: Funder,
    },
    Envelope {
        year: i32,
        source: Funder,
    },
}

impl Subject {
    /// Its key in the history: `ligne/<fiche>/<year>/<funder>` or
    /// `enveloppe/<year>/<source>`.
    pub fn key(&self) -> String {
        match self {
            Subject::Line {
                fiche,
                year,
                funder,
            } => format!("ligne/{fiche}/{year}/{}", funder.key()),
            Subject::Envelope { year, source } => format!("enveloppe/{year}/{}", source.key()),
        }
    }

    pub fn of_line(line: &FundingLine) -> Subject {
        Subject::Line {
            fiche: line.fiche,
            year: line.year,
            funder: line.funder.clone(),
        }
    }
}

/// One version in the history, told as what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Unix seconds.
    pub at: i64,
    pub actor: String,
    /// `saisie`, `import : <file>`, `comité`.
    pub origin: String,
    pub changes: Vec<FieldChange>,
}

/// The sums of a cité's lines of one year and funder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub cite: String,
    pub year: i32,
    pub funder: Funder,
    pub lines: i64,
    pub requested: Cents,
    pub proposed: Cents,
    pub voted: Cents,
    pub committed: Cents,
    pub paid: Cents,
}

/// What names a line: its action, year and funder.
pub type LineKey = (u32, i32, Funder);

/// A line's financial report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub report: Report,
    pub state: ReportState,
    /// Each save adds one; a save names the version it changes.
    pub version: i64,
    /// When and by whom it was submitted.
    pub submitted: Option<(i64, String)>,
    /// When and by whom the coordination accepted it.
    pub accepted: Option<(i64, String)>,
}

/// A cité's revue of a year as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRevue {
    pub cite: String,
    pub year: i32,
    pub revue: Revue,
    /// Each save adds one; a save names the version it changes.
    pub version: i64,
}

#[async_trait]
pub trait FundingStore: Send + Sync + std::fmt::Debug {
    /// A cité's lines (of one year, if given), by action, year and funder.
    async fn funding_lines(
        &self,
        cite: &str,
        year: Option<i32>,
    ) -> Result<Vec<StoredLine>, StoreError>;
    /// One line.
    async fn funding_line(
        &self,
        cite: &str,
        fiche: u32,
        year: i32,
        funder: &Funder,
    ) -> Result<Option<StoredLine>, StoreError>;
    /// A cité's envelopes (of one year, if given), by year and source.
    async fn envelopes(&self, cite: &str, year: Option<i32>) -> Result<Vec<Envelope>, StoreError>;
    /// Writes every put in one transaction, each version that changes
    /// something in the history with `by` and `origin`. `None`, with
    /// nothing written, when a line is no longer at its expected version.
    async fn save_funding(
        &self,
        cite: &str,
        puts: &[Put],
        by: By<'_>,
        origin: &str,
    ) -> Result<Option<Saved>, StoreError>;
    /// The history of a line or an envelope, oldest first.
    async fn funding_history(
        &self,
        cite: &str,
        subject: &Subject,
    ) -> Result<Vec<HistoryEntry>, StoreError>;
    /// Every cité's sums by year and funder (of one year, if given): kept
    /// by the database in step with the lines, in the transaction of each
    /// write, so that reading them costs one row per cité and funder.
    async fn funding_totals(&self, year: Option<i32>) -> Result<Vec<Totals>, StoreError>;

    /// A line's financial report.
    async fn funding_report(
        &self,
        cite: &str,
        key: &LineKey,
    ) -> Result<Option<StoredReport>, StoreError>;
    /// The states of a cité's reports (of one year, if given).
    async fn funding_reports(
        &self,
        cite: &str,
        year: Option<i32>,
    ) -> Result<Vec<(LineKey, ReportState)>, StoreError>;
    /// Saves a report still a draft at `expected` (0: not begun), and
    /// submits it when `submit` (recorded in the line's history). `false`,
    /// nothing written, when it was submitted or saved meanwhile.
    async fn save_report(
        &self,
        cite: &str,
        key: &LineKey,
        report: &Report,
        submit: bool,
        expected: i64,
        by: By<'_>,
    ) -> Result<bool, StoreError>;
    /// The coordination accepts a submitted report: the line is
    /// *justifiée* (in its history). `false` unless it was submitted.
    async fn accept_report(
        &self,
        cite: &str,
        key: &LineKey,
        by: By<'_>,
    ) -> Result<bool, StoreError>;
    /// Claims the sending of a reminder (`rappel`, `echeance`) of a line's
    /// report: `true` for the first to claim it, whatever the servers.
    async fn claim_reminder(
        &self,
        cite: &str,
        key: &LineKey,
        kind: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Gives a claim back (its mail could not be sent: the next pass tries
    /// again).
    async fn release_reminder(
        &self,
        cite: &str,
        key: &LineKey,
        kind: &str,
    ) -> Result<(), StoreError>;

    /// A cité's revue of a year (none until something is written of it).
    async fn revue(&self, cite: &str, year: i32) -> Result<Option<StoredRevue>, StoreError>;
    /// Every cité's revue of a year.
    async fn revues(&self, year: i32) -> Result<Vec<StoredRevue>, StoreError>;
    /// Writes a revue still at `expected` (0: none yet); `false`, nothing
    /// written, when it changed meanwhile.
    async fn save_revue(
        &self,
        cite: &str,
        year: i32,
        revue: &Revue,
        expected: i64,
        by: By<'_>,
    ) -> Result<bool, StoreError>;
}

/// A version as the history keeps it.
#[doc(hidden)]
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("funding JSON: {e}")))
}

/// A version the history kept.
#[doc(hidden)]
pub fn from_json<T: serde::de::DeserializeOwned>(
    body: Option<String>,
) -> Result<Option<T>, StoreError> {
    body.map(|b| {
        serde_json::from_str(&b)
            .map_err(|e| StoreError::Corrupt(format!("funding_history body: {e}")))
    })
    .transpose()
}

//! The operator's financial report (*compte rendu financier*, CERFA
//! 15059) of a funding line: what was spent (*réalisé*) against the
//! forecast, per budget post, with an explanation where the gap exceeds
//! 15 %, and a short narrative. The operator fills it once and submits it
//! (*remis*); once the coordination accepts it, the line is *justifiée*.
//! Where a line stands in the calendar is [`status`].

use serde::{Deserialize, Serialize};

use super::{ReportCalendar, report_calendar};
use crate::money::Cents;
use crate::seminar::Date;

/// Above this gap between forecast and actual, in tenths of a percent, a
/// post needs an explanation: 15 %.
pub const GAP_PERMILLE: i64 = 150;

/// The most posts a report takes.
pub const MAX_ROWS: usize = 40;

/// One budget post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// As the operator names it: « Rémunération des intervenants ».
    pub post: String,
    pub forecast: Cents,
    pub actual: Cents,
    #[serde(default)]
    pub explanation: String,
}

impl ReportRow {
    /// The gap between actual and forecast, in tenths of a percent of the
    /// forecast (`None` for a post forecast at 0: any spending on it is a
    /// gap to explain).
    pub fn gap_permille(&self) -> Option<i64> {
        let gap = (self.actual.0 - self.forecast.0).abs();
        Cents(self.forecast.0).share_permille(Cents(gap))
    }

    /// Whether the gap asks for an explanation: above 15 %, or spent on a
    /// post not forecast.
    pub fn needs_explanation(&self) -> bool {
        match self.gap_permille() {
            Some(p) => p > GAP_PERMILLE,
            None => self.actual.0 > 0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub rows: Vec<ReportRow>,
    pub narrative: String,
}

/// What keeps a report from being submitted, by form field (`row.N`,
/// `explanation.N`, `narrative`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportProblem {
    pub field: String,
    pub message: String,
}

impl Report {
    pub fn forecast(&self) -> Cents {
        self.rows.iter().map(|r| r.forecast).sum()
    }

    pub fn actual(&self) -> Cents {
        self.rows.iter().map(|r| r.actual).sum()
    }

    /// What submitting asks: at least one post, each named, an explanation
    /// for each gap above 15 %, a narrative.
    pub fn problems(&self) -> Vec<ReportProblem> {
        let mut out = Vec::new();
        if self.rows.is_empty() {
            out.push(ReportProblem {
                field: "post.0".into(),
                message: "Indiquez au moins un poste de dépense, prévu et réalisé.".into(),
            });
        }
        for (i, r) in self.rows.iter().enumerate() {
            if r.post.trim().is_empty() {
                out.push(ReportProblem {
                    field: format!("post.{i}"),
                    message: format!("Ligne {} : nommez le poste de dépense.", i + 1),
                });
            }
            if r.needs_explanation() && r.explanation.trim().is_empty() {
                let gap = r.gap_permille().map_or_else(
                    || "un poste non prévu".to_owned(),
                    |p| format!("un écart de {},{} %", p / 10, p % 10),
                );
                out.push(ReportProblem {
                    field: format!("explanation.{i}"),
                    message: format!(
                        "Ligne {} ({}) : {gap} entre le prévu et le réalisé, au-delà de 15 % : expliquez-le.",
                        i + 1,
                        r.post.trim()
                    ),
                });
            }
        }
        if self.narrative.trim().is_empty() {
            out.push(ReportProblem {
                field: "narrative".into(),
                message: "Racontez en quelques lignes comment l'action s'est déroulée.".into(),
            });
        }
        out
    }
}

/// A report's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportState {
    /// Saved, not submitted: the operator goes on.
    Brouillon,
    /// Submitted: the coordination reads it.
    Remis,
    /// Accepted: the line is *justifiée*.
    Justifie,
}

impl ReportState {
    pub fn key(self) -> &'static str {
        match self {
            ReportState::Brouillon => "brouillon",
            ReportState::Remis => "remis",
            ReportState::Justifie => "justifie",
        }
    }

    pub fn from_key(key: &str) -> Option<ReportState> {
        match key {
            "brouillon" => Some(ReportState::Brouillon),
            "remis" => Some(ReportState::Remis),
            "justifie" => Some(ReportState::Justifie),
            _ => None,
        }
    }
}

/// Where a voted line's report stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    /// Before the reminder (31 May of the next year).
    NotYet(ReportCalendar),
    /// From the reminder to the due day (30 June): to submit.
    Due(ReportCalendar),
    /// From 1 July, not submitted.
    Late(ReportCalendar),
    Submitted,
    Justified,
}

impl ReportStatus {
    /// As a page says it.
    pub fn label(self) -> String {
        match self {
            ReportStatus::NotYet(c) => format!("attendu au plus tard le {}", c.due.french()),
            ReportStatus::Due(c) => format!("à remettre au plus tard le {}", c.due.french()),
            ReportStatus::Late(c) => format!("en retard : attendu le {}", c.due.french()),
            ReportStatus::Submitted => "remis, à accepter par la coordination".into(),
            ReportStatus::Justified => "justifiée".into(),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ReportStatus::NotYet(_) => "a-venir",
            ReportStatus::Due(_) => "a-remettre",
            ReportStatus::Late(_) => "en-retard",
            ReportStatus::Submitted => "remis",
            ReportStatus::Justified => "justifiee",
        }
    }
}

/// The status on `today` of the report of a line of `year`, whose report
/// is in `state` (`None`: not begun).
pub fn status(year: i32, state: Option<ReportState>, today: Date) -> Option<ReportStatus> {
    match state {
        Some(ReportState::Remis) => return Some(ReportStatus::Submitted),
        Some(ReportState::Justifie) => return Some(ReportStatus::Justified),
        _ => {}
    }
    let c = report_calendar(year)?;
    Some(if today >= c.late_from {
        ReportStatus::Late(c)
    } else if today >= c.reminder {
        ReportStatus::Due(c)
    } else {
        ReportStatus::NotYet(c)
    })
}

/// The mail the clock owes a line's operator on `today`: the reminder
/// from 31 May, the due day's on 30 June (each once: the store keeps
/// which was sent). None once the report is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// 30 days before the due day.
    Before,
    /// On the due day.
    DueDay,
}

impl Reminder {
    pub fn key(self) -> &'static str {
        match self {
            Reminder::Before => "rappel",
            Reminder::DueDay => "echeance",
        }
    }
}

/// What the clock owes on `today` (the reminders already sent aside).
pub fn reminders_due(year: i32, state: Option<ReportState>, today: Date) -> Vec<Reminder> {
    if matches!(state, Some(ReportState::Remis | ReportState::Justifie)) {
        return Vec::new();
    }
    let Some(c) = report_calendar(year) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if today >= c.reminder && today < c.late_from {
        out.push(Reminder::Before);
    }
    if today >= c.due && today < c.late_from {
        out.push(Reminder::DueDay);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(forecast: i64, actual: i64) -> ReportRow {
        ReportRow {
            post: "Intervenants".into(),
            forecast: Cents(forecast),
            actual: Cents(actual),
            explanation: String::new(),
        }
    }

    #[test]
    fn a_gap_above_15_percent_needs_an_explanation() {
        assert!(!row(100_000, 115_000).needs_explanation(), "15 % exactly");
        assert!(row(100_000, 115_100).needs_explanation());
        assert!(row(100_000, 84_000).needs_explanation(), "under, too");
        assert!(row(0, 1).needs_explanation(), "a post not forecast");
        assert!(!row(0, 0).needs_explanation());
        let mut report = Report {
            rows: vec![row(100_000, 130_000)],
            narrative: "Bien passé.".into(),
        };
        let problems = report.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "explanation.0");
        assert!(problems[0].message.contains("30,0 %"), "{problems:?}");
        report.rows[0].explanation = "Une séance de plus.".into();
        assert!(report.problems().is_empty());
    }

    #[test]
    fn a_line_voted_in_2025_is_reminded_on_31_may_and_on_30_june_and_late_on_1_july_2026() {
        let day = |m, d| Date::new(2026, m, d).unwrap();
        assert_eq!(reminders_due(2025, None, day(5, 30)), vec![]);
        assert_eq!(
            reminders_due(2025, None, day(5, 31)),
            vec![Reminder::Before]
        );
        assert_eq!(
            reminders_due(2025, Some(ReportState::Brouillon), day(6, 30)),
            vec![Reminder::Before, Reminder::DueDay]
        );
        assert_eq!(reminders_due(2025, None, day(7, 1)), vec![]);
        assert_eq!(
            reminders_due(2025, Some(ReportState::Remis), day(6, 30)),
            vec![],
            "a report submitted is not reminded"
        );
        assert!(matches!(
            status(2025, None, day(5, 30)),
            Some(ReportStatus::NotYet(_))
        ));
        assert!(matches!(
            status(2025, None, day(6, 30)),
            Some(ReportStatus::Due(_))
        ));
        assert!(matches!(
            status(2025, None, day(7, 1)),
            Some(ReportStatus::Late(_))
        ));
        assert_eq!(
            status(2025, Some(ReportState::Justifie), day(7, 1)),
            Some(ReportStatus::Justified)
        );
    }
}

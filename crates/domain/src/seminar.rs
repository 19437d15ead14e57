//! A seminar of the Cité's actors: its day, timed sessions, speakers,
//! contribution workshops and walking questions.

use serde::{Deserialize, Serialize};

use crate::values::Slug;

/// A calendar date (Europe/Paris).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Validates the day against the month, leap years included.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The day in Europe/Paris of an instant written in RFC 3339 in UTC
    /// (as the store writes them): `2026-12-01T23:30:00Z` is 2 December.
    pub fn paris_day_of(instant: &str) -> Option<Date> {
        let number = |range: std::ops::Range<usize>| instant.get(range)?.parse::<u32>().ok();
        let date = Date::new(
            i32::try_from(number(0..4)?).ok()?,
            u8::try_from(number(5..7)?).ok()?,
            u8::try_from(number(8..10)?).ok()?,
        )?;
        let hour = number(11..13)?;
        let offset = if date.paris_offset() == "+02:00" {
            2
        } else {
            1
        };
        if hour + offset < 24 {
            return Some(date);
        }
        Date::new(date.year, date.month, date.day + 1)
            .or_else(|| Date::new(date.year, date.month + 1, 1))
            .or_else(|| Date::new(date.year + 1, 1, 1))
    }

    /// Day of the week, 0 = Sunday (Sakamoto's method).
    fn weekday(self) -> u32 {
        const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let y = if self.month < 3 {
            self.year - 1
        } else {
            self.year
        };
        let d = y + y / 4 - y / 100
            + y / 400
            + T[usize::from(self.month.clamp(1, 12)) - 1]
            + i32::from(self.day);
        d.rem_euclid(7).unsigned_abs()
    }

    /// The UTC offset of Europe/Paris during the day (from 3 a.m.): `+02:00`
    /// from the last Sunday of March to the day before the last Sunday of
    /// October, `+01:00` otherwise.
    pub fn paris_offset(self) -> &'static str {
        let last_sunday = |month: u8| {
            let last = Date {
                year: self.year,
                month,
                day: 31,
            };
            31 - last.weekday() as u8
        };
        let summer = match self.month {
            4..=9 => true,
            3 => self.day >= last_sunday(3),
            10 => self.day < last_sunday(10),
            _ => false,
        };
        if summer { "+02:00" } else { "+01:00" }
    }

    /// As written in French: `11 octobre 2022`, `1er mai 2023`.
    pub fn french(self) -> String {
        const MONTHS: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let month = MONTHS
            .get(usize::from(self.month).saturating_sub(1))
            .copied()
            .unwrap_or("");
        let day = if self.day == 1 {
            "1er".to_owned()
        } else {
            self.day.to_string()
        };
        format!("{day} {month} {}", self.year)
    }
}

/// A time of day, to the minute (Europe/Paris).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
}

impl ClockTime {
    pub fn new(hour: u8, minute: u8) -> Option<ClockTime> {
        (hour < 24 && minute < 60).then_some(ClockTime { hour, minute })
    }

    /// French form: `9h00`, `14h30`.
    pub fn french(self) -> String {
        format!("{}h{:02}", self.hour, self.minute)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seminar {
    pub slug: Slug,
    pub title: String,
    pub subtitle: String,
    pub date: Date,
    /// Why the seminar is held (Markdown).
    pub introduction: String,
    /// What the day is for, one line each.
    pub goals: Vec<String>,
    pub half_days: Vec<HalfDay>,
    pub workshops: Vec<Workshop>,
    /// The questions of the walking debate (abandon / maintain / invent).
    pub walking_questions: Vec<String>,
    /// Where it is held.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// How many may register; beyond, registrations wait for a place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Whether registration is open.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub registration_open: bool,
    /// The code attendees type on the day to contribute without an account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl Seminar {
    /// The questions of its contribution board: the walking questions
    /// (`q1`, `q2`…), then each workshop's (`a1`, `a2`…).
    pub fn questions(&self) -> Vec<Question> {
        let walking = self
            .walking_questions
            .iter()
            .enumerate()
            .map(|(i, q)| Question {
                key: format!("q{}", i + 1),
                text: q.clone(),
                workshop: None,
            });
        let workshops = self.workshops.iter().enumerate().map(|(i, w)| Question {
            key: format!("a{}", i + 1),
            text: w.question.clone(),
            workshop: Some(i),
        });
        walking.chain(workshops).collect()
    }
}

/// A question of a contribution board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// `q1`… for the walking questions, `a1`… for the workshops'.
    pub key: String,
    pub text: String,
    /// The workshop it belongs to (index), if any.
    pub workshop: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HalfDay {
    /// "Matinée", "Après-midi".
    pub label: String,
    pub start: ClockTime,
    pub end: ClockTime,
    pub title: String,
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    Ouverture,
    Bilan,
    Conference,
    Ateliers,
    Deambulation,
    Cloture,
}

impl SessionKind {
    pub const ALL: [SessionKind; 6] = [
        SessionKind::Ouverture,
        SessionKind::Bilan,
        SessionKind::Conference,
        SessionKind::Ateliers,
        SessionKind::Deambulation,
        SessionKind::Cloture,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SessionKind::Ouverture => "Ouverture",
            SessionKind::Bilan => "Bilan partagé",
            SessionKind::Conference => "Intervention",
            SessionKind::Ateliers => "Ateliers",
            SessionKind::Deambulation => "Travail déambulatoire",
            SessionKind::Cloture => "Clôture",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub start: ClockTime,
    pub end: Option<ClockTime>,
    pub title: String,
    pub subtitle: Option<String>,
    pub kind: SessionKind,
    /// Parts of the session: one per axis for the morning's review.
    pub parts: Vec<SessionPart>,
}

/// A part of a session, such as the review of one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPart {
    pub title: String,
    pub axis: Option<u8>,
    pub introduction: Option<String>,
    pub interventions: Vec<Intervention>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervention {
    pub title: String,
    pub speakers: Vec<Speaker>,
}

/// A speaker as printed that day, linked to the directory when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub name: String,
    pub function: String,
    pub person: Option<Slug>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workshop {
    pub theme: String,
    pub question: String,
    pub animator: Speaker,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// Places in the workshop (none: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_instant_in_utc_falls_on_its_paris_day() {
        let day = |s: &str| Date::paris_day_of(s).map(Date::iso);
        assert_eq!(day("2026-12-01T22:59:59Z").as_deref(), Some("2026-12-01"));
        assert_eq!(day("2026-12-01T23:00:00Z").as_deref(), Some("2026-12-02"));
        assert_eq!(day("2026-07-31T22:30:00Z").as_deref(), Some("2026-08-01"));
        assert_eq!(day("2026-12-31T23:30:00.5Z").as_deref(), Some("2027-01-01"));
        assert_eq!(day("pas une date"), None);
    }

    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(Date::new(2022, 10, 11).is_some());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2022, 13, 1).is_none());
        assert_eq!(
            Date::new(2022, 10, 11).map(Date::iso).as_deref(),
            Some("2022-10-11")
        );
    }

    #[test]
    fn paris_offset_follows_summer_time() {
        let offset = |y, m, d| Date::new(y, m, d).map(Date::paris_offset);
        assert_eq!(offset(2022, 10, 11), Some("+02:00"));
        assert_eq!(offset(2022, 12, 1), Some("+01:00"));
        assert_eq!(offset(2023, 3, 25), Some("+01:00"));
        assert_eq!(
            offset(2023, 3, 26),
            Some("+02:00"),
            "last Sunday of March 2023"
        );
        assert_eq!(offset(2023, 10, 28), Some("+02:00"));
        assert_eq!(
            offset(2023, 10, 29),
            Some("+01:00"),
            "last Sunday of October 2023"
        );
        assert_eq!(offset(2024, 3, 31), Some("+02:00"));
    }

    #[test]
    fn clock_time_prints_the_french_way() {
        assert_eq!(
            ClockTime::new(9, 0).map(ClockTime::french).as_deref(),
            Some("9h00")
        );
        assert!(ClockTime::new(24, 0).is_none());
    }
}

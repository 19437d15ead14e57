//! Calls for projects (*appels à projets*): the rules a call, its
//! applications, their instruction and scores follow, without IO. Words
//! of Démarches simplifiées for the states; Paris time for deadlines;
//! integer cents for budgets (see `money`).

use serde::{Deserialize, Serialize};

use crate::money::Cents;
use crate::seminar::{ClockTime, Date};

mod adopt;
pub mod application;
mod definition;

pub use adopt::{AdoptError, Adoption, adopt};
pub use definition::{Call, MAX_CRITERIA, MAX_SCALE, MAX_WEIGHT};

/// A problem with what a form sent, by the form's field (`budget.3.amount`)
/// and in French, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// A moment in Europe/Paris, to the minute: a call's opening or deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ParisTime {
    pub date: Date,
    pub time: ClockTime,
}

impl ParisTime {
    /// The instant, in Unix seconds. Summer time begins at 02:00 on the
    /// last Sunday of March (02:00–02:59 does not exist: read as winter
    /// time, the hour after) and ends at 03:00 on the last Sunday of
    /// October (02:00–02:59 happens twice: the first, summer time, is
    /// meant — a deadline is never later than the team wrote).
    pub fn unix(self) -> i64 {
        let Date { year, month, day } = self.date;
        let minutes = i64::from(self.time.hour) * 60 + i64::from(self.time.minute);
        let summer = match self.date.paris_offset() {
            "+02:00" => {
                // The March day: summer time from 02:00 only (the offset
                // given for the day is the one from 03:00).
                !(month == 3 && is_last_sunday(self.date) && minutes < 120)
            }
            // The October day: still summer time before 03:00.
            _ => month == 10 && is_last_sunday(self.date) && minutes < 180,
        };
        let offset = if summer { 2 * 3600 } else { 3600 };
        days_from_civil(year, month, day) * 86_400 + minutes * 60 - offset
    }

    /// A date (`2027-03-28`) and a time (`12:00`, `12h00`) as a form sends
    /// them; no time means noon.
    pub fn parse(date: &str, time: &str) -> Option<ParisTime> {
        let date = crate::referral::parse_date(date)?;
        let time = time.trim();
        let time = if time.is_empty() {
            ClockTime::new(12, 0)?
        } else {
            let (h, m) = time.split_once([':', 'h'])?;
            let m = if m.is_empty() { "0" } else { m };
            ClockTime::new(h.trim().parse().ok()?, m.trim().parse().ok()?)?
        };
        Some(ParisTime { date, time })
    }

    /// `12:00`, as a time field shows it.
    pub fn clock(self) -> String {
        format!("{:02}:{:02}", self.time.hour, self.time.minute)
    }

    /// `3 juillet 2026 à 12h00`.
    pub fn french(self) -> String {
        format!("{} à {}", self.date.french(), self.time.french())
    }
}

fn is_last_sunday(date: Date) -> bool {
    Date::new(date.year, date.month, date.day + 7).is_none()
        && days_from_civil(date.year, date.month, date.day).rem_euclid(7) == 3
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`). 1970-01-01 was a Thursday: day 0, and `days % 7 == 3`
/// on Sundays.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A step of a call: a short intention note first, or the full file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// *Note d'intention* (Roubaix 2020: two pages).
    Intention,
    /// *Dossier complet*.
    Full,
}

/// One step: open from `opens`, and closing at each of its deadlines
/// (Marseille has two a year): an application is taken until the next
/// deadline still to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub opens: ParisTime,
    pub deadlines: Vec<ParisTime>,
}

impl Step {
    /// The deadline an application sent at `now` (Unix seconds) falls
    /// under, if the step takes it: opened, and a deadline not yet passed
    /// (a submission at the deadline's minute itself is on time; one
    /// minute after is not).
    pub fn deadline_for(&self, now: i64) -> Option<ParisTime> {
        if now < self.opens.unix() {
            return None;
        }
        let mut deadlines = self.deadlines.clone();
        deadlines.sort();
        deadlines.into_iter().find(|d| now < d.unix() + 60)
    }
}

/// A criterion of a call's scoring grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable, for exports (`pertinence`).
    pub key: String,
    pub label: String,
    /// Its weight among the criteria (a whole number, 1 or more).
    pub weight: u32,
    /// Scores go from 0 to this (4 for a 0–4 scale).
    pub max: u32,
    /// What a reviewer should look at.
    pub guidance: String,
}

/// An application's state, in Démarches simplifiées' words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Brouillon,
    Deposee,
    EnInstruction,
    ACompleter,
    Retenue,
    Refusee,
    SansSuite,
}

/// What moves an application, and who may do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    /// The applicant sends it (before the deadline).
    Submit,
    /// The cité starts instructing it.
    Instruct,
    /// The cité asks for more: back to the applicant, the deadline
    /// suspended for it.
    AskMore,
    /// The applicant answers: back into instruction.
    Complete,
    /// The committee's decisions.
    Retain,
    Refuse,
    /// Given up (by the applicant before a decision, or the cité).
    Drop,
    /// An intention note retained for the next step: back to the
    /// applicant, as a draft of the full file.
    Advance,
}

impl StepKind {
    pub fn key(self) -> &'static str {
        match self {
            StepKind::Intention => "intention",
            StepKind::Full => "dossier",
        }
    }

    pub fn from_key(key: &str) -> Option<StepKind> {
        [StepKind::Intention, StepKind::Full]
            .into_iter()
            .find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            StepKind::Intention => "note d'intention",
            StepKind::Full => "dossier complet",
        }
    }
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::Submit,
        Event::Instruct,
        Event::AskMore,
        Event::Complete,
        Event::Retain,
        Event::Refuse,
        Event::Drop,
        Event::Advance,
    ];

    /// As the history and the forms name it.
    pub fn key(self) -> &'static str {
        match self {
            Event::Submit => "deposer",
            Event::Instruct => "instruire",
            Event::AskMore => "demander-complements",
            Event::Complete => "completer",
            Event::Retain => "retenir",
            Event::Refuse => "refuser",
            Event::Drop => "classer-sans-suite",
            Event::Advance => "inviter-dossier-complet",
        }
    }

    pub fn from_key(key: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.key() == key)
    }

    /// What the history says of it.
    pub fn label(self) -> &'static str {
        match self {
            Event::Submit => "Déposée",
            Event::Instruct => "Mise en instruction",
            Event::AskMore => "Compléments demandés",
            Event::Complete => "Compléments apportés",
            Event::Retain => "Retenue",
            Event::Refuse => "Refusée",
            Event::Drop => "Classée sans suite",
            Event::Advance => "Invitée au dossier complet",
        }
    }

    /// What a form offers to do, in the imperative.
    pub fn verb(self) -> &'static str {
        match self {
            Event::Submit => "Déposer",
            Event::Instruct => "Mettre en instruction",
            Event::AskMore => "Demander des compléments",
            Event::Complete => "Renvoyer avec les compléments",
            Event::Retain => "Retenir",
            Event::Refuse => "Refuser",
            Event::Drop => "Classer sans suite",
            Event::Advance => "Inviter à déposer le dossier complet",
        }
    }

    /// Moves the applicant makes (the others are the cité's).
    pub fn by_applicant(self) -> bool {
        matches!(self, Event::Submit | Event::Complete)
    }
}

impl State {
    pub const ALL: [State; 7] = [
        State::Brouillon,
        State::Deposee,
        State::EnInstruction,
        State::ACompleter,
        State::Retenue,
        State::Refusee,
        State::SansSuite,
    ];

    pub fn from_key(key: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn key(self) -> &'static str {
        match self {
            State::Brouillon => "brouillon",
            State::Deposee => "deposee",
            State::EnInstruction => "en-instruction",
            State::ACompleter => "a-completer",
            State::Retenue => "retenue",
            State::Refusee => "refusee",
            State::SansSuite => "sans-suite",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Brouillon => "brouillon",
            State::Deposee => "déposée",
            State::EnInstruction => "en instruction",
            State::ACompleter => "à compléter",
            State::Retenue => "retenue",
            State::Refusee => "refusée",
            State::SansSuite => "sans suite",
        }
    }

    /// The state `event` leads to from this one, if it may happen now.
    pub fn after(self, event: Event) -> Option<State> {
        use Event::*;
        use State::*;
        match (self, event) {
            (Brouillon, Submit) => Some(Deposee),
            (Deposee, Instruct) => Some(EnInstruction),
            (Deposee | EnInstruction, AskMore) => Some(ACompleter),
            (ACompleter, Complete) => Some(EnInstruction),
            (EnInstruction, Retain) => Some(Retenue),
            (EnInstruction, Refuse) => Some(Refusee),
            (Brouillon | Deposee | EnInstruction | ACompleter, Drop) => Some(SansSuite),
            (Deposee | EnInstruction, Advance) => Some(Brouillon),
            _ => None,
        }
    }

    /// A decision was taken: nothing moves it any more.
    pub fn closed(self) -> bool {
        matches!(self, State::Retenue | State::Refusee | State::SansSuite)
    }
}

/// A line of a project's budget, by account of the French chart
/// (*plan comptable*): charges 60–68 (and 86, contributions in kind
/// used), products 70–75 (74: subsidies, one line per funder) and 87
/// (contributions in kind received).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// `60`, `64`, `74`, `87`…
    pub account: u16,
    pub label: String,
    /// On account 74: the funder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funder: Option<String>,
    pub amount: Cents,
}

impl BudgetLine {
    pub fn is_charge(&self) -> bool {
        (60..=68).contains(&self.account) || self.account == 86
    }

    pub fn is_product(&self) -> bool {
        (70..=75).contains(&self.account) || self.account == 87
    }
}

/// A budget's totals: it balances when charges equal products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub charges: Cents,
    pub products: Cents,
}

impl Balance {
    pub fn of(lines: &[BudgetLine]) -> Balance {
        Balance {
            charges: lines
                .iter()
                .filter(|l| l.is_charge())
                .map(|l| l.amount)
                .sum(),
            products: lines
                .iter()
                .filter(|l| l.is_product())
                .map(|l| l.amount)
                .sum(),
        }
    }

    /// Products less charges: 0 when the budget balances.
    pub fn gap(self) -> Cents {
        self.products - self.charges
    }

    /// Why the budget does not balance, with the gap in euros.
    pub fn problem(self) -> Option<String> {
        let gap = self.gap();
        match gap.0 {
            0 => None,
            g if g < 0 => Some(format!(
                "le budget n'est pas équilibré : les charges ({}) dépassent les produits ({}) de {}",
                self.charges.french(),
                self.products.french(),
                Cents(-g).french()
            )),
            _ => Some(format!(
                "le budget n'est pas équilibré : les produits ({}) dépassent les charges ({}) de {}",
                self.products.french(),
                self.charges.french(),
                gap.french()
            )),
        }
    }

    /// Each funder's share of the products (account 74 by funder), in
    /// tenths of a percent.
    pub fn shares(self, lines: &[BudgetLine]) -> Vec<(String, Cents, i64)> {
        let mut out: Vec<(String, Cents, i64)> = Vec::new();
        for l in lines.iter().filter(|l| l.account == 74) {
            let funder = l.funder.clone().unwrap_or_else(|| l.label.clone());
            match out.iter_mut().find(|(f, _, _)| *f == funder) {
                Some(entry) => entry.1 = Cents(entry.1.0 + l.amount.0),
                None => out.push((funder, l.amount, 0)),
            }
        }
        for entry in &mut out {
            entry.2 = self.products.share_permille(entry.1).unwrap_or(0);
        }
        out
    }
}

/// One reviewer's score of one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub reviewer: String,
    pub criterion: String,
    pub value: u32,
    pub comment: String,
}

/// The weighted score of one reviewer's scores, on 100 (`None` until the
/// reviewer has scored every criterion): each criterion counts its
/// weight, its score taken as a share of its scale.
pub fn weighted(grid: &[Criterion], scores: &[&Score]) -> Option<u32> {
    let total_weight: u64 = grid.iter().map(|c| u64::from(c.weight)).sum();
    if total_weight == 0 {
        return None;
    }
    // In ten-thousandths, then rounded to the whole point.
    let mut sum: u64 = 0;
    for c in grid {
        let s = scores.iter().find(|s| s.criterion == c.key)?;
        let share = u64::from(s.value.min(c.max)) * 10_000 / u64::from(c.max.max(1));
        sum += share * u64::from(c.weight);
    }
    u32::try_from((sum / total_weight + 50) / 100).ok()
}

/// An application's scores as the instruction page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// Each reviewer who scored every criterion, with their weighted score.
    pub by_reviewer: Vec<(String, u32)>,
    /// The mean of those, on 100.
    pub mean: Option<u32>,
    /// The widest gap between two reviewers.
    pub spread: u32,
    /// Reviewers still to score it.
    pub waiting: Vec<String>,
}

/// Scores an application from every reviewer's scores of it.
pub fn scored(grid: &[Criterion], reviewers: &[String], scores: &[Score]) -> Scored {
    let mut by_reviewer = Vec::new();
    let mut waiting = Vec::new();
    for r in reviewers {
        let theirs: Vec<&Score> = scores.iter().filter(|s| &s.reviewer == r).collect();
        match weighted(grid, &theirs) {
            Some(w) => by_reviewer.push((r.clone(), w)),
            None => waiting.push(r.clone()),
        }
    }
    let values: Vec<u32> = by_reviewer.iter().map(|(_, w)| *w).collect();
    let mean = (!values.is_empty()).then(|| {
        let n = u32::try_from(values.len()).unwrap_or(u32::MAX);
        (values.iter().sum::<u32>() + n / 2) / n
    });
    let spread = match (values.iter().max(), values.iter().min()) {
        (Some(max), Some(min)) => max - min,
        _ => 0,
    };
    Scored {
        by_reviewer,
        mean,
        spread,
        waiting,
    }
}

/// Whether `reviewer` may see the other reviewers' scores of an
/// application: once they have scored every criterion themselves (scores
/// are blind until then).
pub fn sees_others(grid: &[Criterion], reviewer: &str, scores: &[Score]) -> bool {
    let theirs: Vec<&Score> = scores.iter().filter(|s| s.reviewer == reviewer).collect();
    weighted(grid, &theirs).is_some()
}

/// The project an application describes, in the fields of an action
/// sheet: retained, it becomes the programme's action without retyping.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Project {
    pub axis: u8,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub objectives: Vec<String>,
    pub audiences: Vec<crate::Audience>,
    pub perimeter: Vec<crate::PerimeterEntry>,
    pub partners: Vec<crate::Partner>,
    pub operators: Vec<crate::Operator>,
    pub contacts: Vec<crate::Contact>,
    pub themes: Vec<crate::Theme>,
}

impl Project {
    /// The action of the programme a retained project becomes, as fiche
    /// `fiche`: every field carried over, nothing inferred, no review yet.
    pub fn into_action(self, fiche: crate::FicheNumber) -> crate::Action {
        crate::Action {
            fiche,
            axis: self.axis,
            title: self.title,
            title_variants: Vec::new(),
            inferred: crate::Inferred {
                number: false,
                title: false,
            },
            description: self.description,
            objectives: self.objectives,
            audiences: self.audiences,
            perimeter: self.perimeter,
            partners: self.partners,
            operators: self.operators,
            contacts: self.contacts,
            resources: Vec::new(),
            themes: self.themes,
            review: crate::review::ActionReview::default(),
            predecessor: None,
            plain_summary: String::new(),
            plain_summary_reviewed_by: None,
            plain_summary_reviewed_on: None,
            translations: Vec::new(),
        }
    }
}

/// A SIRET as typed (spaces allowed): 14 digits whose Luhn sum checks
/// (La Poste's establishments, SIREN 356000000, excepted by INSEE's rule:
/// their digits sum to a multiple of 5).
pub fn siret(typed: &str) -> Result<String, String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("« {typed} » : un SIRET compte 14 chiffres"));
    }
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let luhn: u32 = values
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| match (i % 2, d * 2) {
            (1, twice) if twice > 9 => twice - 9,
            (1, twice) => twice,
            _ => *d,
        })
        .sum();
    let la_poste = digits.starts_with("356000000") && values.iter().sum::<u32>().is_multiple_of(5);
    if luhn.is_multiple_of(10) || la_poste {
        Ok(digits)
    } else {
        Err(format!(
            "« {typed} » n'est pas un SIRET valable (vérifiez les chiffres)"
        ))
    }
}

/// An association's number in the national register (RNA): `W` and nine
/// digits.
pub fn rna(typed: &str) -> Result<String, String> {
    let t = typed.trim().to_ascii_uppercase();
    let ok = t.len() == 10 && t.starts_with('W') && t[1..].chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(t)
    } else {
        Err(format!(
            "« {typed} » : un numéro RNA s'écrit W suivi de 9 chiffres"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_siret_and_an_rna_number_are_checked() {
        // A number whose Luhn sum checks, typed with spaces; one digit off.
        assert_eq!(siret("123 456 789 00015"), Ok("12345678900015".into()));
        assert!(siret("12345678900016").is_err());
        assert!(siret("1234567890001").is_err());
        // La Poste's establishments follow INSEE's rule of their own.
        assert!(siret("35600000000001").is_ok());
        assert!(siret("35600000000002").is_err());
        assert_eq!(rna("w595012345"), Ok("W595012345".into()));
        assert!(rna("595012345").is_err());
    }

    #[test]
    fn a_retained_project_becomes_an_action_with_every_field() {
        let project = Project {
            axis: 2,
            title: "Ateliers parents-enfants".into(),
            description: "Des ateliers **chaque mercredi**.".into(),
            objectives: vec!["Rapprocher les familles de l'école".into()],
            themes: vec![crate::Theme::ALL[2]],
            ..Project::default()
        };
        let action = project
            .clone()
            .into_action(crate::FicheNumber::new(28).unwrap());
        assert_eq!(action.fiche.get(), 28);
        assert_eq!(
            (action.axis, &action.title, &action.description),
            (2, &project.title, &project.description)
        );
        assert_eq!(action.objectives, project.objectives);
        assert_eq!(action.themes, project.themes);
        assert!(!action.inferred.any());
        assert!(action.review.is_empty());
    }

    fn at(y: i32, mo: u8, d: u8, h: u8, mi: u8) -> ParisTime {
        ParisTime {
            date: Date::new(y, mo, d).unwrap(),
            time: ClockTime::new(h, mi).unwrap(),
        }
    }

    /// Unix seconds of a UTC moment, for the expectations.
    fn utc(y: i32, mo: u8, d: u8, h: i64, mi: i64) -> i64 {
        days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60
    }

    #[test]
    fn paris_deadlines_fall_on_the_right_instant_across_summer_time() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 12, 6), 20_793);
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(at(2027, 1, 15, 12, 0).unix(), utc(2027, 1, 15, 11, 0));
        assert_eq!(at(2027, 7, 3, 12, 0).unix(), utc(2027, 7, 3, 10, 0));
        // 28 March 2027: clocks go from 02:00 to 03:00.
        assert_eq!(at(2027, 3, 28, 1, 59).unix(), utc(2027, 3, 28, 0, 59));
        assert_eq!(at(2027, 3, 28, 3, 0).unix(), utc(2027, 3, 28, 1, 0));
        assert_eq!(at(2027, 3, 27, 23, 59).unix(), utc(2027, 3, 27, 22, 59));
        // 31 October 2027: from 03:00 back to 02:00.
        assert_eq!(at(2027, 10, 31, 2, 30).unix(), utc(2027, 10, 31, 0, 30));
        assert_eq!(at(2027, 10, 31, 3, 0).unix(), utc(2027, 10, 31, 2, 0));
        assert_eq!(at(2027, 10, 30, 23, 0).unix(), utc(2027, 10, 30, 21, 0));
    }

    #[test]
    fn a_submission_one_minute_after_the_deadline_is_refused() {
        let step = Step {
            kind: StepKind::Full,
            opens: at(2027, 3, 1, 9, 0),
            // The day after summer time begins, and one in winter.
            deadlines: vec![at(2027, 10, 31, 12, 0), at(2027, 3, 29, 12, 0)],
        };
        assert_eq!(
            step.deadline_for(utc(2027, 3, 1, 7, 59)),
            None,
            "not yet open"
        );
        let first = at(2027, 3, 29, 12, 0);
        assert_eq!(
            step.deadline_for(utc(2027, 3, 29, 10, 0)),
            Some(first),
            "at 12:00 Paris"
        );
        assert_eq!(step.deadline_for(utc(2027, 3, 29, 10, 0) + 59), Some(first));
        // 12:01 Paris: too late for the first, on time for the second.
        let second = at(2027, 10, 31, 12, 0);
        assert_eq!(step.deadline_for(utc(2027, 3, 29, 10, 1)), Some(second));
        assert_eq!(step.deadline_for(utc(2027, 10, 31, 11, 0)), Some(second));
        assert_eq!(step.deadline_for(utc(2027, 10, 31, 11, 1)), None);
    }

    #[test]
    fn an_application_moves_only_as_instruction_allows() {
        use Event::*;
        let s = State::Brouillon.after(Submit).unwrap();
        assert_eq!(s, State::Deposee);
        let s = s.after(Instruct).unwrap().after(AskMore).unwrap();
        assert_eq!(s, State::ACompleter);
        assert_eq!(
            s.after(Retain),
            None,
            "no decision on what waits for the applicant"
        );
        let s = s.after(Complete).unwrap().after(Retain).unwrap();
        assert!(s.closed());
        for e in [Submit, Instruct, AskMore, Complete, Retain, Refuse, Drop] {
            assert_eq!(s.after(e), None, "{e:?} after a decision");
        }
        assert_eq!(State::Brouillon.after(Retain), None);
    }

    fn line(account: u16, funder: Option<&str>, euros: i64) -> BudgetLine {
        BudgetLine {
            account,
            label: format!("compte {account}"),
            funder: funder.map(str::to_owned),
            amount: Cents(euros * 100),
        }
    }

    #[test]
    fn a_budget_balances_or_says_the_gap_in_euros_and_each_funders_share() {
        let mut lines = vec![
            line(60, None, 2_000),
            line(64, None, 10_000),
            line(86, None, 1_000),
            line(74, Some("État P147 Cité éducative"), 8_000),
            line(74, Some("CAF"), 3_000),
            line(87, None, 1_000),
        ];
        let b = Balance::of(&lines);
        assert_eq!(b.gap(), Cents(-1_000 * 100));
        assert_eq!(
            b.problem().unwrap(),
            "le budget n'est pas équilibré : les charges (13\u{202f}000,00\u{a0}€) dépassent les produits (12\u{202f}000,00\u{a0}€) de 1\u{202f}000,00\u{a0}€"
        );
        lines.push(line(70, None, 1_000));
        let b = Balance::of(&lines);
        assert_eq!(b.problem(), None);
        let shares = b.shares(&lines);
        assert_eq!(
            shares[0],
            ("État P147 Cité éducative".into(), Cents(800_000), 615)
        );
        assert_eq!(shares[1], ("CAF".into(), Cents(300_000), 231));
    }

    fn grid() -> Vec<Criterion> {
        let c = |key: &str, weight: u32| Criterion {
            key: key.into(),
            label: key.into(),
            weight,
            max: 4,
            guidance: String::new(),
        };
        vec![c("pertinence", 2), c("faisabilite", 1), c("partenariat", 1)]
    }

    fn score(reviewer: &str, criterion: &str, value: u32) -> Score {
        Score {
            reviewer: reviewer.into(),
            criterion: criterion.into(),
            value,
            comment: String::new(),
        }
    }

    #[test]
    fn scores_are_weighted_blind_until_given_and_their_spread_shown() {
        let grid = grid();
        let mut scores = vec![
            score("a", "pertinence", 4),
            score("a", "faisabilite", 2),
            score("a", "partenariat", 2),
            score("b", "pertinence", 1),
        ];
        // a: (4/4×2 + 2/4 + 2/4) / 4 = 75 on 100.
        let reviewers = vec!["a".to_owned(), "b".to_owned()];
        let s = scored(&grid, &reviewers, &scores);
        assert_eq!(s.by_reviewer, vec![("a".to_owned(), 75)]);
        assert_eq!(s.waiting, vec!["b".to_owned()]);
        assert!(sees_others(&grid, "a", &scores));
        assert!(
            !sees_others(&grid, "b", &scores),
            "b has not scored everything"
        );
        scores.push(score("b", "faisabilite", 1));
        scores.push(score("b", "partenariat", 0));
        // b: (1/4×2 + 1/4 + 0) / 4 = 18,75 → 19.
        let s = scored(&grid, &reviewers, &scores);
        assert_eq!(s.by_reviewer[1], ("b".to_owned(), 19));
        assert_eq!(s.mean, Some(47));
        assert_eq!(s.spread, 56);
        assert!(s.waiting.is_empty());
    }
}

//! A call as its cité's administrators write it: its text, who may apply,
//! its steps and deadlines, the documents it asks for and its scoring
//! grid. Checked as a whole before it is saved (every problem located by
//! its form field).

use serde::{Deserialize, Serialize};

use super::{Criterion, ParisTime, Problem, Step, StepKind};

/// The most criteria a grid holds, and the largest scale and weight.
pub const MAX_CRITERIA: usize = 12;
pub const MAX_SCALE: u32 = 20;
pub const MAX_WEIGHT: u32 = 10;

/// A call for projects (*appel à projets*) of one cité.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub title: String,
    /// Markdown.
    pub text: String,
    /// The programme's axes it answers (their numbers).
    #[serde(default)]
    pub axes: Vec<u8>,
    /// The priorities it answers, one per line as written.
    #[serde(default)]
    pub priorities: Vec<String>,
    /// The seminar contributions it answers (their ids), if any.
    #[serde(default)]
    pub contributions: Vec<i64>,
    /// Who may apply, as the call says it.
    pub eligible: String,
    /// The programme or years it funds (`2027`, `2027-2029`).
    pub funds: String,
    /// The documents it asks for, one per line.
    #[serde(default)]
    pub documents: Vec<String>,
    /// One step (the full file), or two (an intention note, then the full
    /// file for the projects invited to it).
    pub steps: Vec<Step>,
    pub grid: Vec<Criterion>,
    /// The spread between reviewers (points on 100) above which the
    /// instruction page flags an application.
    pub spread_alert: u32,
}

impl Call {
    /// Its step of this kind.
    pub fn step(&self, kind: StepKind) -> Option<&Step> {
        self.steps.iter().find(|s| s.kind == kind)
    }

    /// The step an application starts in.
    pub fn first_step(&self) -> StepKind {
        self.steps.first().map_or(StepKind::Full, |s| s.kind)
    }

    /// Whether an application in `step` may be invited to a next one.
    pub fn has_step_after(&self, step: StepKind) -> bool {
        step == StepKind::Intention && self.step(StepKind::Full).is_some()
    }

    /// Whether the call takes new applications at `now` (its first step
    /// opened and a deadline still to come).
    pub fn is_open(&self, now: i64) -> bool {
        self.steps
            .first()
            .is_some_and(|s| s.deadline_for(now).is_some())
    }

    /// Whether the call is over at `now`: every deadline of every step
    /// passed.
    pub fn is_over(&self, now: i64) -> bool {
        self.steps
            .iter()
            .flat_map(|s| &s.deadlines)
            .all(|d| now >= d.unix() + 60)
    }

    /// The deadlines still to come at `now`, by step, soonest first.
    pub fn deadlines_after(&self, now: i64) -> Vec<(StepKind, ParisTime)> {
        let mut out: Vec<(StepKind, ParisTime)> = self
            .steps
            .iter()
            .flat_map(|s| s.deadlines.iter().map(move |d| (s.kind, *d)))
            .filter(|(_, d)| now < d.unix() + 60)
            .collect();
        out.sort_by_key(|(_, d)| *d);
        out
    }

    /// Every problem that keeps the call from being saved, by form field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut problem = |field: &str, message: String| {
            out.push(Problem {
                field: field.to_owned(),
                message,
            })
        };
        if self.title.trim().is_empty() {
            problem("title", "Donnez un titre à l'appel.".into());
        }
        if self.eligible.trim().is_empty() {
            problem("eligible", "Dites qui peut candidater.".into());
        }
        if self.funds.trim().is_empty() {
            problem(
                "funds",
                "Dites quelle programmation (ou quelles années) l'appel finance.".into(),
            );
        }
        if self.steps.is_empty() {
            problem(
                "steps.0.opens_date",
                "Donnez au moins une étape, avec son ouverture et une date limite.".into(),
            );
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.deadlines.is_empty() {
                problem(
                    &format!("steps.{i}.deadline_date"),
                    format!("Étape {} : donnez au moins une date limite.", i + 1),
                );
            }
            if s.deadlines.iter().any(|d| d.unix() <= s.opens.unix()) {
                problem(
                    &format!("steps.{i}.deadline_date"),
                    format!(
                        "Étape {} : une date limite précède l'ouverture ({}).",
                        i + 1,
                        s.opens.french()
                    ),
                );
            }
        }
        if let [first, second] = &self.steps[..] {
            if first.kind != StepKind::Intention || second.kind != StepKind::Full {
                problem(
                    "steps.0.kind",
                    "Avec deux étapes, la première est la note d'intention et la seconde le dossier complet.".into(),
                );
            }
        } else if self.steps.len() > 2 {
            problem("steps.2.kind", "Un appel a une ou deux étapes.".into());
        }
        if self.grid.is_empty() {
            problem(
                "grid.0.label",
                "La grille de notation compte au moins un critère.".into(),
            );
        }
        if self.grid.len() > MAX_CRITERIA {
            problem(
                "grid.0.label",
                format!("La grille compte au plus {MAX_CRITERIA} critères."),
            );
        }
        for (i, c) in self.grid.iter().enumerate() {
            if !(1..=MAX_WEIGHT).contains(&c.weight) {
                problem(
                    &format!("grid.{i}.weight"),
                    format!("Critère {} : un poids va de 1 à {MAX_WEIGHT}.", i + 1),
                );
            }
            if !(1..=MAX_SCALE).contains(&c.max) {
                problem(
                    &format!("grid.{i}.max"),
                    format!(
                        "Critère {} : une échelle va de 0 à une note entre 1 et {MAX_SCALE}.",
                        i + 1
                    ),
                );
            }
            if self.grid[..i].iter().any(|o| o.key == c.key) {
                problem(
                    &format!("grid.{i}.key"),
                    format!(
                        "Critère {} : l'identifiant « {} » est déjà pris par un autre critère.",
                        i + 1,
                        c.key
                    ),
                );
            }
        }
        if self.spread_alert > 100 {
            problem(
                "spread_alert",
                "L'écart signalé se compte sur 100 points.".into(),
            );
        }
        out
    }
}

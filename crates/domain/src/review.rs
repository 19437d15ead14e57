//! The review (*bilan*) of a programme: each action's status and review text
//! by year, its indicators with targets and yearly values (entered by the
//! referents, validated by the coordination), the coverage of audiences by
//! territory and axis, and the carry-over to the next programme.

use serde::{Deserialize, Serialize};

use crate::catalogue::{Action, AudienceKind, Catalogue, Programme};
use crate::query::ActionFilter;
use crate::values::{AgeRange, Slug};

/// Where an action stands in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Prevue,
    EnCours,
    Realisee,
    Suspendue,
    Abandonnee,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Prevue,
        ActionStatus::EnCours,
        ActionStatus::Realisee,
        ActionStatus::Suspendue,
        ActionStatus::Abandonnee,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ActionStatus::Prevue => "prevue",
            ActionStatus::EnCours => "en-cours",
            ActionStatus::Realisee => "realisee",
            ActionStatus::Suspendue => "suspendue",
            ActionStatus::Abandonnee => "abandonnee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Prevue => "Prévue",
            ActionStatus::EnCours => "En cours",
            ActionStatus::Realisee => "Réalisée",
            ActionStatus::Suspendue => "Suspendue",
            ActionStatus::Abandonnee => "Abandonnée",
        }
    }

    pub fn from_key(key: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// An action's status and review text for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearReview {
    pub year: i32,
    pub status: ActionStatus,
    /// A short review (Markdown).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// A target: one number ("six mediators"), at most ("up to 4 groups"), or a
/// range ("4 to 5 rounds").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Target {
    /// In French: "6", "jusqu'à 4", "4 à 5", "au moins 3".
    pub fn french(self) -> String {
        let n = |x: f64| crate::review::number(x);
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => n(a),
            (Some(a), Some(b)) => format!("{} à {}", n(a), n(b)),
            (None, Some(b)) => format!("jusqu'à {}", n(b)),
            (Some(a), None) => format!("au moins {}", n(a)),
            (None, None) => String::new(),
        }
    }

    /// The number a value is compared with: the range's top, or the only bound.
    pub fn reference(self) -> Option<f64> {
        self.max.or(self.min)
    }

    /// Whether a value meets the target.
    pub fn met_by(self, value: f64) -> bool {
        self.min.is_none_or(|a| value >= a)
            && (self.min.is_some() || self.max.is_some_and(|b| value >= b))
    }
}

/// A number the French way: `6`, `2,5`.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}").replace('.', ",")
    }
}

/// One year's value of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearValue {
    pub year: i32,
    pub value: f64,
    /// Who entered it (account email).
    pub entered_by: String,
    /// Who validated it, once the coordination has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validated_by: Option<String>,
}

/// What an action measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// "Groupes de parents".
    pub label: String,
    /// "groupes", "séances de 2 h par semaine".
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Where the target comes from ("livret 2022, fiche 10, l. 812").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<YearValue>,
}

impl Indicator {
    pub fn value(&self, year: i32) -> Option<&YearValue> {
        self.values.iter().find(|v| v.year == year)
    }

    /// Change from the year before, for each year with both values:
    /// (year, delta, delta in % of the year before when it is not 0).
    pub fn year_over_year(&self) -> Vec<(i32, f64, Option<f64>)> {
        let mut years: Vec<&YearValue> = self.values.iter().collect();
        years.sort_by_key(|v| v.year);
        years
            .windows(2)
            .filter(|w| w[1].year == w[0].year + 1)
            .map(|w| {
                let delta = w[1].value - w[0].value;
                let pct = (w[0].value != 0.0).then(|| delta / w[0].value * 100.0);
                (w[1].year, delta, pct)
            })
            .collect()
    }
}

/// What the coordination decides for an action in the next programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Maintenir,
    Modifier,
    Abandonner,
}

impl Decision {
    pub const ALL: [Decision; 3] = [
        Decision::Maintenir,
        Decision::Modifier,
        Decision::Abandonner,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Decision::Maintenir => "maintenir",
            Decision::Modifier => "modifier",
            Decision::Abandonner => "abandonner",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Decision::Maintenir => "Maintenir",
            Decision::Modifier => "Modifier",
            Decision::Abandonner => "Abandonner",
        }
    }

    pub fn from_key(key: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.key() == key)
    }

    /// Carried over to the next programme.
    pub fn carries_over(self) -> bool {
        self != Decision::Abandonner
    }
}

/// The review of one action: statuses by year, indicators, the decision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionReview {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<YearReview>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// Why, in a line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub decision_note: String,
    /// The seminar contributions that inspired the decision (their ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<i64>,
}

impl ActionReview {
    pub fn is_empty(&self) -> bool {
        *self == ActionReview::default()
    }

    /// The status of the latest year reviewed.
    pub fn latest(&self) -> Option<&YearReview> {
        self.years.iter().max_by_key(|y| y.year)
    }
}

/// A row of the coverage matrix: an age band, or a kind of audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageRow {
    Ages(u32, u32),
    Audience(AudienceKind),
}

impl CoverageRow {
    /// 0–2, 3–5, 6–10, 11–15, 16–18, 19–25, parents, professionals.
    pub const ALL: [CoverageRow; 8] = [
        CoverageRow::Ages(0, 2),
        CoverageRow::Ages(3, 5),
        CoverageRow::Ages(6, 10),
        CoverageRow::Ages(11, 15),
        CoverageRow::Ages(16, 18),
        CoverageRow::Ages(19, 25),
        CoverageRow::Audience(AudienceKind::Parents),
        CoverageRow::Audience(AudienceKind::Professionnels),
    ];

    pub fn label(self) -> String {
        match self {
            CoverageRow::Ages(a, b) => format!("{a}–{b} ans"),
            CoverageRow::Audience(k) => k.label().to_owned(),
        }
    }

    /// The search filter this row stands for: a cell's count is the number
    /// of results of the search it links to.
    pub fn filter(self, axis: Option<u8>, territory: Option<&Slug>) -> ActionFilter {
        let mut f = ActionFilter {
            axis,
            territory: territory.cloned(),
            ..ActionFilter::default()
        };
        match self {
            CoverageRow::Ages(a, b) => f.ages = AgeRange::new(a, b).ok(),
            CoverageRow::Audience(k) => f.audience = Some(k),
        }
        f
    }
}

/// The columns of the coverage matrix: each sector of the cité, then the
/// whole city (`None`), with their names.
pub fn coverage_columns(catalogue: &Catalogue) -> Vec<(Option<Slug>, String)> {
    catalogue
        .territories
        .iter()
        .filter(|t| t.kind == crate::catalogue::TerritoryKind::Secteur)
        .map(|t| (Some(t.slug.clone()), t.name.clone()))
        .chain([(None, "Toute la ville".to_owned())])
        .collect()
}

/// How many actions of `programme` each (row, territory) reaches, for one
/// axis or all (`axis = None`). Territories are the columns (`None`: the
/// whole city, every action). Uses the search's own rules: an action with no
/// perimeter reaches every territory; an action of a school reaches its
/// sector; for parents, the ages are their children's.
pub fn coverage(
    catalogue: &Catalogue,
    programme: &Programme,
    axis: Option<u8>,
    columns: &[Option<Slug>],
) -> Vec<(CoverageRow, Vec<Vec<u32>>)> {
    CoverageRow::ALL
        .into_iter()
        .map(|row| {
            let cells = columns
                .iter()
                .map(|t| {
                    let f = row.filter(axis, t.as_ref());
                    programme
                        .actions
                        .iter()
                        .filter(|a| f.matches(catalogue, a))
                        .map(|a| a.fiche.get())
                        .collect()
                })
                .collect();
            (row, cells)
        })
        .collect()
}

/// The next programme: the actions whose decision carries them over, each
/// linked to its predecessor (`programme-slug/fiche-n`), its review emptied
/// but for the indicators' definitions (targets kept, values not); the axes
/// as they are. New actions ("invent") are added to it afterwards.
pub fn next_programme(
    from: &Programme,
    slug: Slug,
    title: String,
    start_year: i32,
    end_year: i32,
) -> Programme {
    let actions = from
        .actions
        .iter()
        .filter(|a| a.review.decision.is_some_and(Decision::carries_over))
        .map(|a| {
            let mut next: Action = a.clone();
            next.predecessor = Some(format!("{}/{}", from.slug, a.slug()));
            next.review = ActionReview {
                indicators: a
                    .review
                    .indicators
                    .iter()
                    .map(|i| Indicator {
                        values: Vec::new(),
                        ..i.clone()
                    })
                    .collect(),
                ..ActionReview::default()
            };
            next
        })
        .collect();
    Programme {
        slug,
        title,
        start_year,
        end_year,
        axes: from.axes.clone(),
        actions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_the_french_way_and_compare() {
        let six = Target {
            min: Some(6.0),
            max: Some(6.0),
        };
        let up_to_four = Target {
            min: None,
            max: Some(4.0),
        };
        let four_to_five = Target {
            min: Some(4.0),
            max: Some(5.0),
        };
        assert_eq!(six.french(), "6");
        assert_eq!(up_to_four.french(), "jusqu'à 4");
        assert_eq!(four_to_five.french(), "4 à 5");
        assert!(six.met_by(6.0) && !six.met_by(5.0));
        assert!(four_to_five.met_by(4.0) && !four_to_five.met_by(3.0));
        assert!(up_to_four.met_by(4.0) && !up_to_four.met_by(3.0));
        assert_eq!(number(2.5), "2,5");
    }

    #[test]
    fn year_over_year_deltas_skip_missing_years() {
        let v = |year, value| YearValue {
            year,
            value,
            entered_by: "x".into(),
            validated_by: None,
        };
        let i = Indicator {
            label: "Groupes".into(),
            unit: "groupes".into(),
            target: None,
            source: String::new(),
            values: vec![v(2022, 4.0), v(2020, 2.0), v(2021, 0.0), v(2024, 5.0)],
        };
        assert_eq!(
            i.year_over_year(),
            [(2021, -2.0, Some(-100.0)), (2022, 4.0, None)]
        );
    }
}

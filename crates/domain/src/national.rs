//! The review (*bilan*) aggregated across cités, for the national view:
//! each cité's actions by status and its coverage by age band, the actions
//! by theme, and the indicators summed where their label and unit agree.
//! Counts read each cité's current programme, as its own review does.

use std::collections::BTreeMap;

use crate::catalogue::Catalogue;
use crate::review::{ActionStatus, CoverageRow};
use crate::text::name_key;
use crate::theme::Theme;

/// One cité's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteFigures {
    pub slug: String,
    pub name: String,
    pub actions: usize,
    /// Actions by the status of their latest year, in [`ActionStatus::ALL`]'s
    /// order, then those with no status yet.
    pub statuses: [usize; 6],
    /// Actions reaching each row of [`CoverageRow::ALL`].
    pub coverage: [usize; 8],
}

/// One theme's figures across the cités.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeFigures {
    pub theme: Theme,
    pub actions: usize,
    /// Of which realised (latest status).
    pub realised: usize,
    /// In how many cités.
    pub cites: usize,
}

/// An indicator summed over the actions (of every cité) that measure it
/// with the same label and unit (case, accents and spacing ignored).
#[derive(Debug, Clone, PartialEq)]
pub struct SummedIndicator {
    /// As the first cité writes it.
    pub label: String,
    pub unit: String,
    /// The sum of each action's latest value.
    pub total: f64,
    pub actions: usize,
    pub cites: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NationalReview {
    pub cites: Vec<CiteFigures>,
    pub themes: Vec<ThemeFigures>,
    /// Measured in at least two cités, the most widely shared first.
    pub indicators: Vec<SummedIndicator>,
}

/// The figures of these cités; `all` says whether values awaiting
/// validation count (for a viewer who may see them in that cité).
pub fn national_review(cites: &[(&Catalogue, bool)]) -> NationalReview {
    let mut out = NationalReview {
        cites: Vec::new(),
        themes: Vec::new(),
        indicators: Vec::new(),
    };
    let mut themes: BTreeMap<Theme, (usize, usize, usize)> = BTreeMap::new();
    let mut indicators: BTreeMap<(String, String), (SummedIndicator, Option<String>)> =
        BTreeMap::new();
    for (c, all) in cites {
        let Some(p) = c.current_programme() else {
            out.cites.push(CiteFigures {
                slug: c.cite.slug.to_string(),
                name: c.cite.name.clone(),
                actions: 0,
                statuses: [0; 6],
                coverage: [0; 8],
            });
            continue;
        };
        let mut statuses = [0usize; 6];
        let mut cite_themes: Vec<Theme> = Vec::new();
        for a in &p.actions {
            let status = a.review.latest().map(|y| y.status);
            let i = status
                .and_then(|s| ActionStatus::ALL.iter().position(|x| *x == s))
                .unwrap_or(5);
            statuses[i] += 1;
            for t in &a.themes {
                let e = themes.entry(*t).or_default();
                e.0 += 1;
                if status == Some(ActionStatus::Realisee) {
                    e.1 += 1;
                }
                if !cite_themes.contains(t) {
                    cite_themes.push(*t);
                    e.2 += 1;
                }
            }
            for ind in &a.review.indicators {
                let latest = ind
                    .values
                    .iter()
                    .filter(|v| *all || v.validated_by.is_some())
                    .max_by_key(|v| v.year);
                let Some(v) = latest else { continue };
                let key = (name_key(&ind.label), name_key(&ind.unit));
                let slug = c.cite.slug.to_string();
                let (sum, last_cite) = indicators.entry(key).or_insert_with(|| {
                    (
                        SummedIndicator {
                            label: ind.label.clone(),
                            unit: ind.unit.clone(),
                            total: 0.0,
                            actions: 0,
                            cites: 0,
                        },
                        None,
                    )
                });
                sum.total += v.value;
                sum.actions += 1;
                if last_cite.as_deref() != Some(slug.as_str()) {
                    sum.cites += 1;
                    *last_cite = Some(slug);
                }
            }
        }
        let mut coverage = [0usize; 8];
        for (i, row) in CoverageRow::ALL.iter().enumerate() {
            let f = row.filter(None, None);
            coverage[i] = p.actions.iter().filter(|a| f.matches(c, a)).count();
        }
        out.cites.push(CiteFigures {
            slug: c.cite.slug.to_string(),
            name: c.cite.name.clone(),
            actions: p.actions.len(),
            statuses,
            coverage,
        });
    }
    out.themes = themes
        .into_iter()
        .map(|(theme, (actions, realised, cites))| ThemeFigures {
            theme,
            actions,
            realised,
            cites,
        })
        .collect();
    out.indicators = indicators
        .into_values()
        .map(|(s, _)| s)
        .filter(|s| s.cites >= 2)
        .collect();
    out.indicators.sort_by(|a, b| {
        b.cites
            .cmp(&a.cites)
            .then(b.actions.cmp(&a.actions))
            .then(a.label.cmp(&b.label))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{Indicator, YearReview, YearValue};

    fn value(year: i32, value: f64, validated: bool) -> YearValue {
        YearValue {
            year,
            value,
            entered_by: "r@x.fr".into(),
            validated_by: validated.then(|| "c@x.fr".into()),
        }
    }

    #[test]
    fn indicators_add_up_where_label_and_unit_agree_and_only_validated_values_count_for_the_public()
    {
        let base = Catalogue::empty(crate::catalogue::Cite {
            slug: crate::values::Slug::parse("a").unwrap(),
            name: "A".into(),
            city: "A".into(),
            presentation: String::new(),
            national_id: None,
            communes: Vec::new(),
            qpv: Vec::new(),
            contact_emails: Vec::new(),
            interface_reviews: Vec::new(),
        });
        let with = |slug: &str, label: &str, unit: &str, values: Vec<YearValue>, status| {
            let mut c = base.clone();
            c.cite.slug = crate::values::Slug::parse(slug).unwrap();
            let mut p = crate::catalogue::Programme {
                slug: crate::values::Slug::parse("p").unwrap(),
                title: "P".into(),
                start_year: 2023,
                end_year: 2025,
                axes: Vec::new(),
                actions: Vec::new(),
            };
            let mut a: crate::catalogue::Action = serde_json::from_value(serde_json::json!({
                "fiche": 1, "axis": 1, "title": "T", "title_variants": [],
                "inferred": {"number": false, "title": false}, "description": "",
                "objectives": [], "audiences": [], "perimeter": [], "partners": [],
                "operators": [], "contacts": [], "resources": [], "themes": ["numerique"]
            }))
            .unwrap();
            a.review.indicators.push(Indicator {
                label: label.into(),
                unit: unit.into(),
                target: None,
                source: String::new(),
                values,
            });
            a.review.years.push(YearReview {
                year: 2024,
                status,
                text: String::new(),
            });
            p.actions.push(a);
            c.programmes.push(p);
            c
        };
        let a = with(
            "a",
            "Élèves accompagnés",
            "élèves",
            vec![value(2023, 5.0, true), value(2024, 10.0, true)],
            ActionStatus::Realisee,
        );
        let b = with(
            "b",
            "eleves  accompagnes",
            "Élèves",
            vec![value(2024, 7.0, false)],
            ActionStatus::EnCours,
        );
        let c = with(
            "c",
            "Élèves accompagnés",
            "heures",
            vec![value(2024, 3.0, true)],
            ActionStatus::EnCours,
        );
        let public = national_review(&[(&a, false), (&b, false), (&c, false)]);
        assert!(
            public.indicators.is_empty(),
            "b's value awaits validation; c counts hours"
        );
        let pro = national_review(&[(&a, true), (&b, true), (&c, true)]);
        assert_eq!(pro.indicators.len(), 1);
        assert_eq!(
            (
                pro.indicators[0].total,
                pro.indicators[0].actions,
                pro.indicators[0].cites
            ),
            (17.0, 2, 2)
        );
        assert_eq!(pro.cites[0].statuses[2], 1, "a is realised");
        assert_eq!(pro.themes[0].actions, 3);
        assert_eq!((pro.themes[0].realised, pro.themes[0].cites), (1, 3));
    }
}

//! Which actions fit a question: the filter rules shared by search, the
//! orientation form and the API.
//!
//! **Age policy.** An age filter keeps an action when at least one of its
//! audiences prints an age range that contains the age. An audience printed
//! without ages ("Parents", "Public collèges et lycées") never matches an age:
//! Passerelle does not guess ages the booklet does not print. For parents,
//! the printed range is their children's ages ("Parents d'élèves de 2-11 ans").
//!
//! **Territory policy.** An action with no perimeter runs across the whole
//! cité and matches every territory. Otherwise it matches a territory when one
//! of its perimeter entries is that territory, one of its ancestors (an action
//! of the Secteur Nord serves a school of that sector) or one of its
//! descendants (an action at one school runs within its sector).

use serde::{Deserialize, Serialize};

use crate::catalogue::{Action, AudienceKind, Catalogue};
use crate::text::fold;
use crate::theme::Theme;
use crate::values::Slug;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionFilter {
    pub age: Option<u32>,
    /// An age band: actions with an audience whose printed range overlaps it.
    pub ages: Option<crate::values::AgeRange>,
    pub axis: Option<u8>,
    pub audience: Option<AudienceKind>,
    /// Any of these themes (a need can be several).
    pub themes: Vec<Theme>,
    pub territory: Option<Slug>,
    /// A partner label's slug (`Slug::from_text(label)`) or organisation slug.
    pub partner: Option<Slug>,
    /// An operator label's slug or organisation slug.
    pub operator: Option<Slug>,
}

impl ActionFilter {
    pub fn is_empty(&self) -> bool {
        *self == ActionFilter::default()
    }

    pub fn matches(&self, catalogue: &Catalogue, action: &Action) -> bool {
        self.age.is_none_or(|age| matches_age(action, age))
            && self
                .ages
                .is_none_or(|band| action.age_ranges().any(|r| r.overlaps(band)))
            && self.axis.is_none_or(|axis| action.axis == axis)
            && self
                .audience
                .is_none_or(|kind| action.audiences.iter().any(|a| a.kind == kind))
            && (self.themes.is_empty() || self.themes.iter().any(|t| action.themes.contains(t)))
            && self
                .territory
                .as_ref()
                .is_none_or(|t| matches_territory(catalogue, action, t))
            && self.partner.as_ref().is_none_or(|p| {
                action
                    .partners
                    .iter()
                    .any(|x| &partner_key(&x.label, x.organisation.as_ref()) == p)
            })
            && self.operator.as_ref().is_none_or(|o| {
                action
                    .operators
                    .iter()
                    .any(|x| &partner_key(&x.label, x.organisation.as_ref()) == o)
            })
    }
}

/// The facet key of a partner or operator: its organisation when it names
/// one, else its label's slug.
pub fn partner_key(label: &str, organisation: Option<&Slug>) -> Slug {
    organisation
        .cloned()
        .unwrap_or_else(|| Slug::from_text(label))
}

pub fn matches_age(action: &Action, age: u32) -> bool {
    action.age_ranges().any(|r| r.contains(age))
}

pub fn matches_territory(catalogue: &Catalogue, action: &Action, territory: &Slug) -> bool {
    if action.perimeter.is_empty() {
        return true;
    }
    let lineage: Vec<&Slug> = catalogue
        .territory_lineage(territory)
        .into_iter()
        .map(|t| &t.slug)
        .collect();
    action.perimeter.iter().any(|entry| {
        lineage.contains(&&entry.territory)
            || catalogue
                .territory_lineage(&entry.territory)
                .iter()
                .any(|t| &t.slug == territory)
    })
}

/// Why an action fits an orientation request, in plain French, for the sheet
/// handed to a family.
pub fn reasons(catalogue: &Catalogue, filter: &ActionFilter, action: &Action) -> Vec<String> {
    let mut out = Vec::new();
    let audience = filter.age.and_then(|age| {
        action
            .audiences
            .iter()
            .find(|a| a.ages.is_some_and(|r| r.contains(age)))
    });
    if let Some(a) = audience {
        let ages = a.ages.map(|r| r.to_string()).unwrap_or_default();
        out.push(format!("s'adresse à : {} ({ages})", a.label));
    }
    for t in filter.themes.iter().filter(|t| action.themes.contains(t)) {
        out.push(format!("répond au besoin : {}", t.label()));
    }
    if let Some(t) = &filter.territory {
        if action.perimeter.is_empty() {
            out.push("proposée dans toute la ville".to_owned());
        } else if let Some(name) = catalogue.territory(t).map(|t| t.name.clone()) {
            out.push(format!("proposée sur ce territoire : {name}"));
        }
    }
    out
}

/// Case- and accent-insensitive substring test, for short labels.
pub fn loosely_contains(haystack: &str, needle: &str) -> bool {
    fold(haystack).contains(&fold(needle))
}

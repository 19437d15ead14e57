//! View models shared by several pages: an action as a card, a link.

use passerelle_domain::{Action, Catalogue, Programme};

use crate::shared::text::{Segment, ages, fr, highlight};

#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) href: String,
    pub(crate) label: String,
}

/// An action in a list: title (highlighted), axis, ages, themes.
#[derive(Debug, Clone)]
pub(crate) struct ActionCard {
    pub(crate) href: String,
    pub(crate) fiche: u32,
    pub(crate) title: Vec<Segment>,
    pub(crate) axis: String,
    pub(crate) audiences: Vec<String>,
    pub(crate) excerpt: Vec<Segment>,
    pub(crate) themes: Vec<String>,
}

pub(crate) fn action_href(a: &Action) -> String {
    format!("/actions/{}", a.fiche)
}

/// A plain-text excerpt of the description: the first paragraph, cut at a word.
pub(crate) fn excerpt(description: &str, max: usize) -> String {
    let plain: String = description
        .split("\n\n")
        .next()
        .unwrap_or("")
        .replace(['*', '_'], "")
        .replace("<sup>", "")
        .replace("</sup>", "");
    if plain.chars().count() <= max {
        return plain;
    }
    let cut: String = plain.chars().take(max).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .to_owned();
    format!("{cut}…")
}

pub(crate) fn audience_labels(a: &Action) -> Vec<String> {
    a.audiences
        .iter()
        .map(|x| match x.ages {
            Some(r) => fr(&format!("{} ({})", x.label, ages(r))),
            None => fr(&x.label),
        })
        .collect()
}

pub(crate) fn card(programme: &Programme, a: &Action, stems: &[String]) -> ActionCard {
    let axis = programme
        .axes
        .iter()
        .find(|x| x.number == a.axis)
        .map_or_else(
            || format!("Axe {}", a.axis),
            |x| fr(&format!("Axe {} : {}", x.number, x.title)),
        );
    ActionCard {
        href: action_href(a),
        fiche: a.fiche.get(),
        title: highlight(&a.title, stems),
        axis,
        audiences: audience_labels(a),
        excerpt: highlight(&excerpt(&a.description, 220), stems),
        themes: a.themes.iter().map(|t| t.label().to_owned()).collect(),
    }
}

/// Actions sharing most themes with `a` (then same axis), best first.
pub(crate) fn related<'c>(
    catalogue: &'c Catalogue,
    programme: &'c Programme,
    a: &Action,
    n: usize,
) -> Vec<&'c Action> {
    let _ = catalogue;
    let mut scored: Vec<(usize, bool, &Action)> = programme
        .actions
        .iter()
        .filter(|b| b.fiche != a.fiche)
        .map(|b| {
            (
                b.themes.iter().filter(|t| a.themes.contains(t)).count(),
                b.axis == a.axis,
                b,
            )
        })
        .filter(|(shared, _, _)| *shared > 0)
        .collect();
    scored.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then(y.1.cmp(&x.1))
            .then(x.2.fiche.cmp(&y.2.fiche))
    });
    scored.into_iter().take(n).map(|(_, _, b)| b).collect()
}

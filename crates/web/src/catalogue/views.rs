//! View models shared by several pages: an action as a card, a link.

use passerelle_domain::{Action, Catalogue, Programme};

use crate::shared::i18n::Lang;
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
    pub(crate) title: Vec<Segment>,
    /// The title is the French one (on a page in another language, the
    /// action has no translation to show).
    pub(crate) title_in_french: bool,
    /// "Fiche n°5", in the page's language.
    pub(crate) fiche_label: String,
    /// "Axe 2", in the page's language, and the axis's title.
    pub(crate) axis_label: String,
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

/// An action as a card on a page in `lang`: the interface's words in that
/// language, the action's title translated when it is, its texts in French.
pub(crate) fn card(programme: &Programme, a: &Action, stems: &[String], lang: Lang) -> ActionCard {
    let axis = programme
        .axes
        .iter()
        .find(|x| x.number == a.axis)
        .map_or_else(String::new, |x| fr(&x.title));
    let translated = lang.translation(a);
    ActionCard {
        href: action_href(a),
        title: match translated {
            Some(t) => vec![Segment {
                text: t.title.trim().to_owned(),
                mark: false,
            }],
            None => highlight(&a.title, stems),
        },
        title_in_french: translated.is_none(),
        fiche_label: lang.t_with("fiche-number", &[("n", a.fiche.get().into())]),
        axis_label: lang.t_with("axis-number", &[("n", a.axis.into())]),
        axis,
        audiences: audience_labels(a),
        excerpt: highlight(&excerpt(&a.description, 220), stems),
        themes: a.themes.iter().map(|t| lang.theme(*t)).collect(),
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

//! An action told to a family: short plain sentences built from the
//! structured data only (its audiences, its places, who runs it), never
//! from the professional text, and saying plainly what the data does not
//! hold rather than guessing it.

use crate::{Action, AudienceKind, Catalogue, PerimeterSource, TerritoryKind};

/// What a family reads of an action, besides whom to call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyFacts {
    /// « En bref » (Markdown), empty until the coordination writes it.
    pub summary: String,
    /// "Enfants et jeunes de 2 à 18 ans", "Parents d'élèves, pour des
    /// enfants de 2 à 11 ans": one line per audience, ages in digits.
    pub for_whom: Vec<String>,
    /// The places, grouped by kind, neighbourhoods first.
    pub places: Vec<PlaceGroup>,
    /// The places come from the perimeter printed on the fiche; when
    /// `false`, they are only named in its text.
    pub places_printed: bool,
    /// Who runs it: the operators, by their name in the directory.
    pub run_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceGroup {
    /// "Quartiers", "Écoles".
    pub label: &'static str,
    pub names: Vec<String>,
}

/// The order and plural label of each kind of place, as a family looks
/// for its own: the neighbourhood, the social centre, the school.
const KINDS: [(TerritoryKind, &str); 7] = [
    (TerritoryKind::Quartier, "Quartiers"),
    (TerritoryKind::CentreSocial, "Centres sociaux"),
    (TerritoryKind::Ecole, "Écoles"),
    (TerritoryKind::College, "Collèges"),
    (
        TerritoryKind::ReseauRepPlus,
        "Réseaux d'éducation prioritaire",
    ),
    (TerritoryKind::Secteur, "Secteurs de la ville"),
    (TerritoryKind::Cite, "Toute la ville"),
];

pub fn family_facts(cat: &Catalogue, a: &Action) -> FamilyFacts {
    let mut places: Vec<PlaceGroup> = Vec::new();
    for (kind, label) in KINDS {
        let names: Vec<String> = a
            .perimeter
            .iter()
            .filter_map(|e| cat.territory(&e.territory))
            .filter(|t| t.kind == kind)
            .map(|t| t.name.clone())
            .collect();
        if !names.is_empty() {
            places.push(PlaceGroup { label, names });
        }
    }
    let mut run_by: Vec<String> = Vec::new();
    for o in &a.operators {
        let name = o
            .organisation
            .as_ref()
            .and_then(|s| cat.organisation(s))
            .map_or_else(|| o.label.clone(), |org| org.name.clone());
        if !run_by.contains(&name) {
            run_by.push(name);
        }
    }
    FamilyFacts {
        summary: a.plain_summary.trim().to_owned(),
        for_whom: a
            .audiences
            .iter()
            .filter(|x| x.kind != AudienceKind::Professionnels)
            .map(|x| {
                let mut line = x.label.clone();
                if let Some(r) = x.ages {
                    let ages = ages(r.min(), r.max());
                    if x.kind == AudienceKind::Parents {
                        line.push_str(&format!(", pour des enfants {ages}"));
                    } else {
                        line.push_str(&format!(" {ages}"));
                    }
                }
                if let Some(n) = &x.note {
                    line.push_str(&format!(" ({n})"));
                }
                line
            })
            .collect(),
        places_printed: a
            .perimeter
            .iter()
            .any(|e| e.source == PerimeterSource::Printed),
        places,
        run_by,
    }
}

/// "de 2 à 18 ans", "de 3 ans", "de moins d'un an" — digits always.
fn ages(min: u32, max: u32) -> String {
    match (min, max) {
        (0, 0) => "de moins d'un an".to_owned(),
        (a, b) if a == b => format!("de {a} an{}", if a > 1 { "s" } else { "" }),
        (0, b) => format!("de 0 à {b} an{}", if b > 1 { "s" } else { "" }),
        (a, b) => format!("de {a} à {b} ans"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ages_are_in_digits_places_grouped_and_professionals_left_out() {
        let cat: Catalogue = serde_json::from_value(json!({
            "cite": {"slug": "roubaix", "name": "Cité éducative de Roubaix", "city": "Roubaix", "presentation": ""},
            "programmes": [], "organisations": [], "people": [], "seminars": [],
            "territories": [
                {"slug": "ecole-littre", "name": "École Littré", "kind": "ecole", "parent": null, "aliases": []},
                {"slug": "alma", "name": "Alma", "kind": "quartier", "parent": null, "aliases": []}
            ]
        }))
        .unwrap();
        let a: Action = serde_json::from_value(json!({
            "fiche": 3, "axis": 1, "title": "Lire ensemble", "title_variants": [],
            "inferred": {"number": false, "title": false},
            "description": "", "objectives": [], "partners": [], "contacts": [],
            "resources": [], "themes": [],
            "audiences": [
                {"label": "Parents d'élèves", "kind": "parents", "ages": {"min": 2, "max": 11}, "note": null},
                {"label": "Enfants", "kind": "enfants", "ages": {"min": 6, "max": 6}, "note": "avec une priorité pour les CP"},
                {"label": "Enseignants", "kind": "professionnels", "ages": null, "note": null}
            ],
            "perimeter": [
                {"territory": "ecole-littre", "source": "text"},
                {"territory": "alma", "source": "text"},
                {"territory": "ailleurs", "source": "text"}
            ],
            "operators": [{"label": "ADEP", "organisation": null, "role": "operateur", "count": null}],
            "plain_summary": "  Des livres lus à voix haute.\n"
        }))
        .unwrap();
        let f = family_facts(&cat, &a);
        assert_eq!(
            f.for_whom,
            [
                "Parents d'élèves, pour des enfants de 2 à 11 ans",
                "Enfants de 6 ans (avec une priorité pour les CP)"
            ]
        );
        assert_eq!(
            f.places,
            [
                PlaceGroup {
                    label: "Quartiers",
                    names: vec!["Alma".into()]
                },
                PlaceGroup {
                    label: "Écoles",
                    names: vec!["École Littré".into()]
                },
            ],
            "an unknown territory is left out, not guessed"
        );
        assert!(!f.places_printed, "named in the text only");
        assert_eq!(f.run_by, ["ADEP"]);
        assert_eq!(f.summary, "Des livres lus à voix haute.");
    }

    #[test]
    fn ages_read_as_a_family_says_them() {
        assert_eq!(ages(0, 0), "de moins d'un an");
        assert_eq!(ages(1, 1), "de 1 an");
        assert_eq!(ages(0, 3), "de 0 à 3 ans");
        assert_eq!(ages(11, 15), "de 11 à 15 ans");
    }
}

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
    /// One per audience (professionals left out).
    pub for_whom: Vec<ForWhom>,
    /// The places, grouped by kind, neighbourhoods first.
    pub places: Vec<PlaceGroup>,
    /// The places come from the perimeter printed on the fiche; when
    /// `false`, they are only named in its text.
    pub places_printed: bool,
    /// Who runs it: the operators, by their name in the directory.
    pub run_by: Vec<String>,
}

/// An audience as a family reads it: its label as printed, and the ages
/// (of the children, for parents) in digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForWhom {
    pub label: String,
    /// Parents, the ages being their children's.
    pub parents: bool,
    pub ages: Option<(u32, u32)>,
    /// A note printed with it ("avec une priorité pour les 5-11 ans").
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceGroup {
    pub kind: TerritoryKind,
    pub names: Vec<String>,
}

/// The order of the kinds of place, as a family looks for its own: the
/// neighbourhood, the social centre, the school.
pub const PLACE_ORDER: [TerritoryKind; 7] = [
    TerritoryKind::Quartier,
    TerritoryKind::CentreSocial,
    TerritoryKind::Ecole,
    TerritoryKind::College,
    TerritoryKind::ReseauRepPlus,
    TerritoryKind::Secteur,
    TerritoryKind::Cite,
];

pub fn family_facts(cat: &Catalogue, a: &Action) -> FamilyFacts {
    let mut places: Vec<PlaceGroup> = Vec::new();
    for kind in PLACE_ORDER {
        let names: Vec<String> = a
            .perimeter
            .iter()
            .filter_map(|e| cat.territory(&e.territory))
            .filter(|t| t.kind == kind)
            .map(|t| t.name.clone())
            .collect();
        if !names.is_empty() {
            places.push(PlaceGroup { kind, names });
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
            .map(|x| ForWhom {
                label: x.label.clone(),
                parents: x.kind == AudienceKind::Parents,
                ages: x.ages.map(|r| (r.min(), r.max())),
                note: x.note.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn audiences_keep_their_ages_places_are_grouped_and_professionals_left_out() {
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
                ForWhom {
                    label: "Parents d'élèves".into(),
                    parents: true,
                    ages: Some((2, 11)),
                    note: None
                },
                ForWhom {
                    label: "Enfants".into(),
                    parents: false,
                    ages: Some((6, 6)),
                    note: Some("avec une priorité pour les CP".into())
                }
            ],
            "professionals left out"
        );
        assert_eq!(
            f.places,
            [
                PlaceGroup {
                    kind: TerritoryKind::Quartier,
                    names: vec!["Alma".into()]
                },
                PlaceGroup {
                    kind: TerritoryKind::Ecole,
                    names: vec!["École Littré".into()]
                },
            ],
            "an unknown territory is left out, not guessed"
        );
        assert!(!f.places_printed, "named in the text only");
        assert_eq!(f.run_by, ["ADEP"]);
        assert_eq!(f.summary, "Des livres lus à voix haute.");
    }
}

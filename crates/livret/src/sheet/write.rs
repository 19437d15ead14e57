//! A catalogue written in the spreadsheet's columns, and the template.

use passerelle_domain::{Catalogue, OperatorRole, PerimeterSource, Programme, Slug};

use super::Column;

/// A catalogue in the spreadsheet's columns: the header row, then one row
/// per action of every programme, oldest programme first. Reading these
/// rows back ([`super::parse`]) gives the same actions.
pub fn rows_of(catalogue: &Catalogue) -> Vec<Vec<String>> {
    let mut rows = vec![
        Column::ALL
            .iter()
            .map(|c| c.header().to_owned())
            .collect::<Vec<_>>(),
    ];
    let territory_name = |slug: &Slug| {
        catalogue
            .territories
            .iter()
            .find(|t| &t.slug == slug)
            .map_or_else(|| slug.to_string(), |t| t.name.clone())
    };
    let mut programmes: Vec<&Programme> = catalogue.programmes.iter().collect();
    programmes.sort_by_key(|p| (p.start_year, p.end_year));
    for p in programmes {
        let programme = if p.start_year > 0 {
            format!("{}-{}", p.start_year, p.end_year)
        } else {
            p.title.clone()
        };
        for a in &p.actions {
            let axis = p.axes.iter().find(|x| x.number == a.axis);
            let lines = |items: Vec<String>| items.join("\n");
            let cells = Column::ALL.map(|c| match c {
                Column::Programme => programme.clone(),
                Column::Axe => a.axis.to_string(),
                Column::IntituleAxe => axis.map(|x| x.title.clone()).unwrap_or_default(),
                Column::Fiche => a.fiche.to_string(),
                Column::Intitule => a.title.clone(),
                Column::Description => a.description.clone(),
                Column::Objectifs => lines(a.objectives.clone()),
                Column::Publics => lines(
                    a.audiences
                        .iter()
                        .map(|x| {
                            let mut s = x.label.clone();
                            if let Some(r) = x.ages {
                                s = format!("{s} de {r}");
                            }
                            if let Some(note) = &x.note {
                                s = format!("{s} ({note})");
                            }
                            s
                        })
                        .collect(),
                ),
                Column::Perimetre => lines(
                    a.perimeter
                        .iter()
                        .filter(|e| e.source == PerimeterSource::Printed)
                        .map(|e| territory_name(&e.territory))
                        .collect(),
                ),
                Column::Partenaires => lines(a.partners.iter().map(|x| x.label.clone()).collect()),
                Column::Porteurs => lines(
                    a.operators
                        .iter()
                        .map(|o| {
                            let label = match o.count {
                                Some(n) => format!("{n} {}", o.label),
                                None => o.label.clone(),
                            };
                            match o.role {
                                OperatorRole::Prestataire => format!("{label} (prestataire)"),
                                OperatorRole::Operateur => label,
                            }
                        })
                        .collect(),
                ),
                Column::Contacts => lines(
                    a.contacts
                        .iter()
                        .map(|c| {
                            let mut s = format!("{} : {}", c.group, c.name);
                            for part in [&c.email, &c.phone].into_iter().flatten() {
                                s = format!("{s}, {part}");
                            }
                            s
                        })
                        .collect(),
                ),
                Column::Ressources => lines(
                    a.resources
                        .iter()
                        .map(|r| {
                            if r.title == r.url {
                                r.url.clone()
                            } else {
                                format!("{} : {}", r.title, r.url)
                            }
                        })
                        .collect(),
                ),
            });
            rows.push(cells.to_vec());
        }
    }
    rows
}

/// The note above the template's header row.
pub const TEMPLATE_NOTE: &str = "Modèle Passerelle : une ligne par action, sous la ligne d'en-tête (gardez ses intitulés). Dans les cellules à plusieurs éléments (Objectifs, Publics, Périmètre, Partenaires, Porteurs, Contacts, Ressources), un élément par ligne (Alt+Entrée). Contacts : « Rôle : Prénom NOM, courriel, téléphone ». Publics : « Enfants de 6-11 ans ». Ressources : « Titre : https://… ». Les deux lignes d'exemple sont à remplacer.";

/// The template's rows: the header and two example actions.
pub fn template_rows() -> Vec<Vec<String>> {
    let example = [
        [
            "2023-2025",
            "1",
            "Favoriser la réussite éducative",
            "1",
            "Ateliers de lecture parents-enfants",
            "Des ateliers **hebdomadaires** à la médiathèque, où parents et enfants lisent ensemble.",
            "Donner le goût de la lecture\nAssocier les parents à la scolarité",
            "Enfants de 3-6 ans\nParents d'élèves de 3-6 ans",
            "Quartier Exemple",
            "Médiathèque\nÉcoles maternelles",
            "Association Exemple",
            "Structure : Prénom NOM, prenom.nom@exemple.fr, 03 20 00 00 00\nVille : Autre PERSONNE, autre.personne@exemple.fr",
            "Présentation du projet : https://exemple.fr/projet",
        ],
        [
            "2023-2025",
            "2",
            "Accompagner les jeunes vers l'insertion",
            "2",
            "Accompagnement des 16-25 ans vers l'emploi",
            "Un suivi individuel des jeunes éloignés de l'emploi.",
            "Prévenir le décrochage",
            "Jeunes de 16-25 ans (priorité décrocheurs)",
            "Quartier Exemple",
            "Mission locale",
            "2 centres sociaux",
            "Troïka : Prénom NOM, prenom.nom@exemple.fr",
            "",
        ],
    ];
    let mut rows = vec![
        Column::ALL
            .iter()
            .map(|c| c.header().to_owned())
            .collect::<Vec<_>>(),
    ];
    rows.extend(
        example
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect()),
    );
    rows
}

//! The needs a Cité éducative answers: a small taxonomy, each theme mapped to
//! the data·inclusion *thématique* it corresponds to, where one exists.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One need. The key (kebab-case French) is what URLs, the API and data files use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    /// School attendance, avoidance and dropping out (*assiduité, décrochage*).
    AssiduiteDecrochage,
    /// School climate, conflicts, harassment (*climat scolaire, harcèlement*).
    ClimatScolaire,
    /// Parenting and co-education (*parentalité, coéducation*).
    ParentaliteCoeducation,
    /// French language, reading and literacy (*langue française, lecture*).
    LangueFrancaiseLecture,
    /// Digital skills and digital inclusion (*numérique*).
    Numerique,
    /// Health, disability, emotional and sexual life (*santé, handicap*).
    SanteHandicap,
    /// Guidance, careers, training, integration (*orientation, insertion*).
    OrientationInsertion,
    /// Culture, arts and sport (*culture, sport*).
    CultureSport,
    /// Citizenship, secularism, discrimination (*citoyenneté, discriminations*).
    CitoyenneteDiscriminations,
    /// Early childhood, entering nursery school (*petite enfance*).
    PetiteEnfance,
    /// Cooperation and mutual knowledge between actors (*coopération des acteurs*).
    CooperationActeurs,
}

impl Theme {
    pub const ALL: [Theme; 11] = [
        Theme::AssiduiteDecrochage,
        Theme::ClimatScolaire,
        Theme::ParentaliteCoeducation,
        Theme::LangueFrancaiseLecture,
        Theme::Numerique,
        Theme::SanteHandicap,
        Theme::OrientationInsertion,
        Theme::CultureSport,
        Theme::CitoyenneteDiscriminations,
        Theme::PetiteEnfance,
        Theme::CooperationActeurs,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Theme::AssiduiteDecrochage => "assiduite-decrochage",
            Theme::ClimatScolaire => "climat-scolaire",
            Theme::ParentaliteCoeducation => "parentalite-coeducation",
            Theme::LangueFrancaiseLecture => "langue-francaise-lecture",
            Theme::Numerique => "numerique",
            Theme::SanteHandicap => "sante-handicap",
            Theme::OrientationInsertion => "orientation-insertion",
            Theme::CultureSport => "culture-sport",
            Theme::CitoyenneteDiscriminations => "citoyennete-discriminations",
            Theme::PetiteEnfance => "petite-enfance",
            Theme::CooperationActeurs => "cooperation-acteurs",
        }
    }

    /// The label shown to users (French).
    pub fn label(self) -> &'static str {
        match self {
            Theme::AssiduiteDecrochage => "Assiduité scolaire et décrochage",
            Theme::ClimatScolaire => "Climat scolaire et harcèlement",
            Theme::ParentaliteCoeducation => "Parentalité et coéducation",
            Theme::LangueFrancaiseLecture => "Langue française, lecture et écriture",
            Theme::Numerique => "Numérique",
            Theme::SanteHandicap => "Santé, handicap et vie affective",
            Theme::OrientationInsertion => "Orientation, formation et insertion",
            Theme::CultureSport => "Culture et sport",
            Theme::CitoyenneteDiscriminations => "Citoyenneté, laïcité et discriminations",
            Theme::PetiteEnfance => "Petite enfance",
            Theme::CooperationActeurs => "Coopération entre acteurs",
        }
    }

    /// The data·inclusion v1 *thématique* (`categorie--sous-thematique`) this
    /// theme exports to, where the schema has one.
    pub fn data_inclusion(self) -> Option<&'static str> {
        match self {
            Theme::ParentaliteCoeducation => {
                Some("famille--soutien-a-la-parentalite-et-a-leducation")
            }
            Theme::LangueFrancaiseLecture => Some("lecture-ecriture-calcul--maitriser-le-francais"),
            Theme::Numerique => Some("numerique--maitriser-les-fondamentaux-du-numerique"),
            Theme::SanteHandicap => Some("sante--acces-aux-soins"),
            Theme::OrientationInsertion => {
                Some("choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite")
            }
            Theme::CultureSport => Some("remobilisation--activites-sportives-et-culturelles"),
            Theme::AssiduiteDecrochage
            | Theme::ClimatScolaire
            | Theme::CitoyenneteDiscriminations
            | Theme::PetiteEnfance
            | Theme::CooperationActeurs => None,
        }
    }

    pub fn from_key(key: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.key() == key)
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_match_serde() {
        for t in Theme::ALL {
            assert_eq!(Theme::from_key(t.key()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.key())
            );
        }
        assert_eq!(Theme::from_key("inconnu"), None);
    }
}

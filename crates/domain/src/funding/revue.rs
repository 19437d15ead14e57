//! The yearly *revue de projet* ANCT asks of each cité: its sections, the
//! free text the coordination writes in each (the figures are computed
//! from the data at each reading, never typed), the validation by each
//! of the troïka's three parties — who and when — and its transmission,
//! which needs the three.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The sections, in the order of ANCT's questionnaire: (key, title).
pub const SECTIONS: [(&str, &str); 6] = [
    ("gouvernance", "Gouvernance"),
    ("deploiement", "Déploiement opérationnel"),
    ("cooperation", "Relations avec les autres cités éducatives"),
    ("communication", "Communication"),
    ("finances", "Gestion financière"),
    ("evaluation", "Évaluation"),
];

/// The most characters of a section's text.
pub const MAX_TEXT: usize = 8000;

/// A party of the troïka.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    Ville,
    Prefecture,
    EducationNationale,
}

impl Party {
    pub const ALL: [Party; 3] = [Party::Ville, Party::Prefecture, Party::EducationNationale];

    pub fn key(self) -> &'static str {
        match self {
            Party::Ville => "ville",
            Party::Prefecture => "prefecture",
            Party::EducationNationale => "education-nationale",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Party::Ville => "Ville",
            Party::Prefecture => "Préfecture",
            Party::EducationNationale => "Éducation nationale",
        }
    }

    pub fn from_key(key: &str) -> Option<Party> {
        Party::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// A party's validation: who, and when (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    pub party: Party,
    pub by: String,
    pub at: i64,
}

/// What is kept of a cité's revue for a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revue {
    /// The free text of each section, by its key.
    pub texts: BTreeMap<String, String>,
    pub validations: Vec<Validation>,
    /// When and by whom it was sent to ANCT.
    pub transmitted: Option<(i64, String)>,
}

/// Why a move of the revue is refused, in French.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevueError {
    #[error("la revue est transmise : elle ne change plus")]
    Transmitted,
    #[error("la partie « {0} » a déjà validé cette revue")]
    AlreadyValidated(&'static str),
    #[error(
        "vous avez déjà validé cette revue pour la partie « {0} » : chaque partie valide par une personne différente"
    )]
    SamePerson(&'static str),
    #[error("il manque la validation de : {0}")]
    Missing(String),
    #[error("une modification du texte remet les validations à zéro : validez à nouveau après")]
    Validated,
}

impl Revue {
    /// Changes the texts; only before any validation (what was validated
    /// stays what was validated) and before transmission.
    pub fn write(&mut self, texts: BTreeMap<String, String>) -> Result<(), RevueError> {
        if self.transmitted.is_some() {
            return Err(RevueError::Transmitted);
        }
        let texts: BTreeMap<String, String> = texts
            .into_iter()
            .filter(|(k, _)| SECTIONS.iter().any(|(key, _)| key == k))
            .map(|(k, v)| (k, v.trim().chars().take(MAX_TEXT).collect()))
            .filter(|(_, v): &(String, String)| !v.is_empty())
            .collect();
        if texts != self.texts && !self.validations.is_empty() {
            return Err(RevueError::Validated);
        }
        self.texts = texts;
        Ok(())
    }

    /// A party validates, by someone who validated for no other party.
    pub fn validate(&mut self, party: Party, by: &str, at: i64) -> Result<(), RevueError> {
        if self.transmitted.is_some() {
            return Err(RevueError::Transmitted);
        }
        if self.validations.iter().any(|v| v.party == party) {
            return Err(RevueError::AlreadyValidated(party.label()));
        }
        if let Some(v) = self.validations.iter().find(|v| v.by == by) {
            return Err(RevueError::SamePerson(v.party.label()));
        }
        self.validations.push(Validation {
            party,
            by: by.to_owned(),
            at,
        });
        Ok(())
    }

    /// The parties that have not validated yet.
    pub fn missing(&self) -> Vec<Party> {
        Party::ALL
            .into_iter()
            .filter(|p| !self.validations.iter().any(|v| v.party == *p))
            .collect()
    }

    /// Sends it, once the three parties validated.
    pub fn transmit(&mut self, by: &str, at: i64) -> Result<(), RevueError> {
        if self.transmitted.is_some() {
            return Err(RevueError::Transmitted);
        }
        let missing = self.missing();
        if !missing.is_empty() {
            return Err(RevueError::Missing(
                missing
                    .iter()
                    .map(|p| p.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        self.transmitted = Some((at, by.to_owned()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revue_is_transmitted_once_its_three_parties_validated_each_by_someone_else() {
        let mut r = Revue::default();
        r.write(BTreeMap::from([
            (
                "finances".to_owned(),
                " Enveloppe consommée à 92 %. ".to_owned(),
            ),
            ("inconnue".to_owned(), "ignorée".to_owned()),
        ]))
        .unwrap();
        assert_eq!(r.texts.len(), 1);
        assert_eq!(r.texts["finances"], "Enveloppe consommée à 92 %.");
        assert_eq!(
            r.transmit("coord@roubaix.fr", 1),
            Err(RevueError::Missing(
                "Ville, Préfecture, Éducation nationale".into()
            ))
        );
        r.validate(Party::Ville, "elu@ville-roubaix.fr", 2).unwrap();
        assert_eq!(
            r.validate(Party::Prefecture, "elu@ville-roubaix.fr", 3),
            Err(RevueError::SamePerson("Ville"))
        );
        assert_eq!(
            r.validate(Party::Ville, "autre@ville-roubaix.fr", 3),
            Err(RevueError::AlreadyValidated("Ville"))
        );
        assert_eq!(
            r.write(BTreeMap::new()),
            Err(RevueError::Validated),
            "validated text does not change"
        );
        r.validate(Party::Prefecture, "delegue@nord.gouv.fr", 4)
            .unwrap();
        assert!(r.transmit("coord@roubaix.fr", 5).is_err());
        r.validate(Party::EducationNationale, "ien@ac-lille.fr", 6)
            .unwrap();
        r.transmit("coord@roubaix.fr", 7).unwrap();
        assert_eq!(r.transmitted, Some((7, "coord@roubaix.fr".into())));
        assert_eq!(
            r.validate(Party::Ville, "x@y.fr", 8),
            Err(RevueError::Transmitted)
        );
    }
}

//! A retained application becomes an action of a programme, without
//! retyping: the action sheet from the project's fields, the next free
//! fiche number, the structure found among the cité's organisations (by
//! its name or an alias, accents and case aside) or created, and the
//! person to contact found by email or created (their contact details
//! kept for professionals until the coordination decides otherwise).

use super::application::Form;
use crate::text::fold;
use crate::{
    Action, Catalogue, Email, FicheNumber, Organisation, OrganisationKind, Person, Phone, Slug,
    Visibility,
};

/// What adopting an application writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Adoption {
    pub action: Action,
    /// The structure, when the catalogue did not have it.
    pub new_organisation: Option<Organisation>,
    /// The person to contact, when the catalogue did not have them.
    pub new_person: Option<Person>,
    /// The structure's slug (the applicant becomes its referent).
    pub organisation: Slug,
}

/// Why an application cannot become an action of this programme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdoptError {
    #[error("le programme « {0} » n'existe pas dans cette cité")]
    NoProgramme(String),
    #[error("l'axe {0} du projet n'est pas un axe du programme « {1} »")]
    NoAxis(u8, String),
    #[error("le programme « {0} » n'a plus de numéro de fiche libre")]
    Full(String),
}

/// A slug not taken by any of `taken`, from `text`.
fn free_slug(text: &str, taken: &dyn Fn(&Slug) -> bool) -> Slug {
    let base = Slug::from_text(text);
    if !taken(&base) {
        return base;
    }
    (2..)
        .filter_map(|n| Slug::parse(&format!("{}-{n}", base.as_str())).ok())
        .find(|s| !taken(s))
        .unwrap_or(base)
}

/// The action the application `form` of `applicant` becomes in the
/// programme `programme` of `catalogue`.
pub fn adopt(
    catalogue: &Catalogue,
    programme: &str,
    form: &Form,
    applicant: &str,
) -> Result<Adoption, AdoptError> {
    let p = catalogue
        .programmes
        .iter()
        .find(|p| p.slug.as_str() == programme)
        .ok_or_else(|| AdoptError::NoProgramme(programme.to_owned()))?;
    let mut project = form.project(applicant);
    if !p.axes.iter().any(|a| a.number == project.axis) {
        return Err(AdoptError::NoAxis(project.axis, p.title.clone()));
    }
    let next = p.actions.iter().map(|a| a.fiche.get()).max().unwrap_or(0) + 1;
    let fiche = FicheNumber::new(next).map_err(|_| AdoptError::Full(p.title.clone()))?;

    let name = form.structure.trim();
    let key = fold(name);
    let known = catalogue.organisations.iter().find(|o| {
        fold(&o.name) == key
            || o.aliases.iter().any(|a| fold(a) == key)
            || o.acronym.as_deref().is_some_and(|a| fold(a) == key)
    });
    let (organisation, new_organisation) = match known {
        Some(o) => (o.slug.clone(), None),
        None => {
            let slug = free_slug(name, &|s| {
                catalogue.organisations.iter().any(|o| &o.slug == s)
            });
            let org = Organisation {
                slug: slug.clone(),
                name: name.to_owned(),
                acronym: None,
                kind: if form.rna.trim().is_empty() {
                    OrganisationKind::Autre
                } else {
                    OrganisationKind::Association
                },
                aliases: Vec::new(),
                email_domains: Vec::new(),
                territory: None,
                website: None,
                siret: super::siret(&form.siret).ok(),
            };
            (slug, Some(org))
        }
    };
    for o in &mut project.operators {
        o.organisation = Some(organisation.clone());
    }

    let email = Email::parse(applicant).ok();
    let known_person = catalogue
        .people
        .iter()
        .find(|person| email.as_ref().is_some_and(|e| person.emails.contains(e)));
    let mut new_person = None;
    for c in &mut project.contacts {
        match known_person {
            Some(person) => c.person = person.slug.clone(),
            None => {
                let slug = free_slug(&c.name, &|s| catalogue.people.iter().any(|p| &p.slug == s));
                c.person = slug.clone();
                new_person = Some(Person {
                    slug,
                    name: c.name.clone(),
                    name_variants: Vec::new(),
                    functions: Vec::new(),
                    organisation: Some(organisation.clone()),
                    emails: email.iter().cloned().collect(),
                    phones: c
                        .phone
                        .as_deref()
                        .and_then(|p| Phone::parse(p).ok())
                        .into_iter()
                        .collect(),
                    email_visibility: Visibility::Professionnels,
                    phone_visibility: Visibility::Professionnels,
                });
            }
        }
    }
    Ok(Adoption {
        action: project.into_action(fiche),
        new_organisation,
        new_person,
        organisation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Axis, Cite, Programme};

    fn catalogue() -> Catalogue {
        let mut c = Catalogue::empty(Cite {
            slug: Slug::parse("roubaix").unwrap(),
            name: "Cité éducative de Roubaix".into(),
            city: "Roubaix".into(),
            presentation: String::new(),
            national_id: None,
            communes: Vec::new(),
            qpv: Vec::new(),
            contact_emails: Vec::new(),
            interface_reviews: Vec::new(),
        });
        c.programmes.push(Programme {
            slug: Slug::parse("programmation-2027").unwrap(),
            title: "Programmation 2027".into(),
            start_year: 2027,
            end_year: 2027,
            axes: vec![Axis {
                number: 1,
                title: "Coopérer".into(),
                heading: String::new(),
                ambition: String::new(),
            }],
            actions: Vec::new(),
        });
        c.organisations.push(Organisation {
            slug: Slug::parse("lire-et-faire-lire").unwrap(),
            name: "Lire et faire lire".into(),
            acronym: None,
            kind: OrganisationKind::Association,
            aliases: vec!["Association LIRE".into()],
            email_domains: Vec::new(),
            territory: None,
            website: None,
            siret: None,
        });
        c
    }

    fn form(structure: &str, axis: &str) -> Form {
        Form {
            axis: axis.into(),
            title: "Lire ensemble".into(),
            structure: structure.into(),
            contact_name: "Léa Martin".into(),
            contact_phone: "06 12 34 56 78".into(),
            ..Form::default()
        }
    }

    #[test]
    fn a_retained_project_finds_its_structure_or_creates_it_and_takes_the_next_fiche() {
        let c = catalogue();
        let known = adopt(
            &c,
            "programmation-2027",
            &form("Association Lire", "1"),
            "lea@asso.fr",
        )
        .unwrap();
        assert_eq!(known.action.fiche.get(), 1);
        assert!(known.new_organisation.is_none(), "found by its alias");
        assert_eq!(known.organisation.as_str(), "lire-et-faire-lire");
        assert_eq!(
            known.action.operators[0]
                .organisation
                .as_ref()
                .map(Slug::as_str),
            Some("lire-et-faire-lire")
        );
        let person = known.new_person.unwrap();
        assert_eq!(person.emails[0].as_str(), "lea@asso.fr");
        assert_eq!(person.email_visibility, Visibility::Professionnels);
        assert_eq!(known.action.contacts[0].person, person.slug);

        let new = adopt(
            &c,
            "programmation-2027",
            &form("Compagnie Neuve", "1"),
            "x@y.fr",
        )
        .unwrap();
        assert_eq!(new.new_organisation.unwrap().name, "Compagnie Neuve");
        assert_eq!(
            adopt(&c, "programmation-2027", &form("X", "4"), "x@y.fr"),
            Err(AdoptError::NoAxis(4, "Programmation 2027".into()))
        );
        assert!(matches!(
            adopt(&c, "autre", &form("X", "1"), "x@y.fr"),
            Err(AdoptError::NoProgramme(_))
        ));
    }
}

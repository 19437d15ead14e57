//! The voted subsidies in the columns of the national *SCDL Subventions*
//! schema (2.1.1, OpenDataFrance — décret n° 2017-779): one row per voted
//! funding line, its attributor the organisation that pays the funder's
//! lines ([`attributor`]), its beneficiary the organisation that carries
//! the action. Only voted amounts are published, never what was requested
//! or proposed. A line the schema cannot describe without inventing — no
//! SIRET for its attributor, no date of convention or decision — is left
//! out and said in [`unpublished`].

use passerelle_domain::funding::{FundingLine, Nature, attributor};
use passerelle_domain::money::Cents;
use passerelle_domain::{Catalogue, Organisation};

use crate::tables::{Cell, Constraints, Field, FieldType, Published, Table};

const fn scdl(
    name: &'static str,
    kind: FieldType,
    description: &'static str,
    required: bool,
) -> Field {
    Field {
        name,
        kind,
        description,
        required,
        list: false,
        constraints: Constraints::NONE,
    }
}

const SIRET: &str = "^\\d{14}$";

/// The schema's sixteen columns, in its order, with its constraints.
pub fn fields() -> Vec<Field> {
    let with = |f: Field, c: Constraints| Field {
        constraints: c,
        ..f
    };
    vec![
        scdl(
            "nomAttribuant",
            FieldType::String,
            "Nom officiel de la collectivité attribuant la subvention",
            true,
        ),
        with(
            scdl(
                "idAttribuant",
                FieldType::String,
                "SIRET de l'attribuant (14 chiffres)",
                true,
            ),
            Constraints {
                pattern: Some(SIRET),
                ..Constraints::NONE
            },
        ),
        scdl(
            "dateConvention",
            FieldType::Date,
            "Date de la convention (AAAA-MM-JJ)",
            true,
        ),
        scdl(
            "referenceDecision",
            FieldType::String,
            "Référence de la décision d'attribution",
            false,
        ),
        scdl(
            "nomBeneficiaire",
            FieldType::String,
            "Nom officiel du bénéficiaire",
            true,
        ),
        with(
            scdl(
                "idBeneficiaire",
                FieldType::String,
                "SIRET du bénéficiaire (14 chiffres)",
                false,
            ),
            Constraints {
                pattern: Some(SIRET),
                ..Constraints::NONE
            },
        ),
        with(
            scdl(
                "rnaBeneficiaire",
                FieldType::String,
                "Numéro RNA du bénéficiaire",
                false,
            ),
            Constraints {
                pattern: Some("^W\\d{9}$"),
                ..Constraints::NONE
            },
        ),
        with(
            scdl("objet", FieldType::String, "Objet de la subvention", true),
            Constraints {
                max_length: Some(256),
                ..Constraints::NONE
            },
        ),
        scdl(
            "montant",
            FieldType::Number,
            "Montant total de la subvention, en euros",
            true,
        ),
        with(
            scdl("nature", FieldType::String, "Nature de la subvention", true),
            Constraints {
                values: &[
                    "aide en numéraire",
                    "aide en nature",
                    "aide en numéraire;aide en nature",
                    "aide en nature;aide en numéraire",
                ],
                ..Constraints::NONE
            },
        ),
        with(
            scdl(
                "conditionsVersement",
                FieldType::String,
                "Conditions de versement : unique, échelonné, ou leur description",
                true,
            ),
            Constraints {
                max_length: Some(256),
                ..Constraints::NONE
            },
        ),
        with(
            scdl(
                "datesPeriodeVersement",
                FieldType::String,
                "Date ou période de versement (AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ)",
                true,
            ),
            Constraints {
                pattern: Some(
                    "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$",
                ),
                ..Constraints::NONE
            },
        ),
        with(
            scdl(
                "idRAE",
                FieldType::String,
                "Identifiant au Répertoire des aides aux entreprises",
                false,
            ),
            Constraints {
                max_length: Some(5),
                ..Constraints::NONE
            },
        ),
        with(
            scdl(
                "notificationUE",
                FieldType::Boolean,
                "Aide d'État notifiée à la Commission européenne",
                true,
            ),
            Constraints {
                booleans: ("oui", "non"),
                ..Constraints::NONE
            },
        ),
        with(
            scdl(
                "pourcentageSubvention",
                FieldType::Number,
                "Part du montant attribuée au bénéficiaire (1 : toute)",
                true,
            ),
            Constraints {
                minimum: Some("0.01"),
                maximum: Some("1"),
                ..Constraints::NONE
            },
        ),
        scdl(
            "dispositifAide",
            FieldType::String,
            "Dispositif d'aide à l'origine de la subvention",
            false,
        ),
    ]
}

/// Why a voted line is not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpublished {
    pub fiche: u32,
    pub year: i32,
    pub funder: String,
    pub reason: String,
}

/// An amount in euros as the schema writes it: `25000.50`.
fn euros(c: Cents) -> String {
    format!("{}.{:02}", c.0 / 100, c.0 % 100)
}

/// The organisation carrying an action (its first operator with an
/// organisation), for the beneficiary's columns.
fn beneficiary(catalogue: &Catalogue, fiche: u32) -> (String, Option<&Organisation>) {
    let action = catalogue
        .programmes
        .iter()
        .rev()
        .flat_map(|p| &p.actions)
        .find(|a| a.fiche.get() == fiche);
    let Some(action) = action else {
        return (String::new(), None);
    };
    let operator = action.operators.first();
    let org = action
        .operators
        .iter()
        .filter_map(|o| o.organisation.as_ref())
        .find_map(|slug| catalogue.organisations.iter().find(|o| &o.slug == slug));
    (
        org.map_or_else(
            || operator.map(|o| o.label.clone()).unwrap_or_default(),
            |o| o.name.clone(),
        ),
        org,
    )
}

/// One line's row, or why it cannot be published.
fn row(catalogue: &Catalogue, line: &FundingLine) -> Result<Vec<Cell>, String> {
    let payer = attributor(catalogue, &line.funder).ok_or_else(|| {
        format!(
            "aucune organisation du répertoire ne correspond au financeur « {} »",
            line.funder.label()
        )
    })?;
    let id = payer
        .siret
        .clone()
        .ok_or_else(|| format!("le SIRET de « {} » n'est pas renseigné", payer.name))?;
    let date = line
        .convention
        .as_ref()
        .map(|c| c.date)
        .or(line.decision.as_ref().map(|d| d.0))
        .ok_or_else(|| "ni convention ni décision datée".to_owned())?;
    let (name, org) = beneficiary(catalogue, line.fiche);
    if name.is_empty() {
        return Err("l'action n'a pas de porteur".into());
    }
    let title = catalogue
        .programmes
        .iter()
        .rev()
        .flat_map(|p| &p.actions)
        .find(|a| a.fiche.get() == line.fiche)
        .map(|a| a.title.clone())
        .unwrap_or_default();
    let objet: String = format!("{} — fiche {} : {title}", catalogue.cite.name, line.fiche)
        .chars()
        .take(256)
        .collect();
    let (conditions, period) = match line.payments.as_slice() {
        [] => (
            "versement non encore effectué".to_owned(),
            format!("{0}-01-01/{0}-12-31", line.year),
        ),
        [one] => ("unique".to_owned(), one.date.iso()),
        [first, .., last] => (
            "échelonné".to_owned(),
            format!("{}/{}", first.date.iso(), last.date.iso()),
        ),
    };
    Ok(vec![
        Cell::text(payer.name.clone()),
        Cell::text(id),
        Cell::text(date.iso()),
        Cell::opt(line.decision.as_ref().map(|d| d.1.clone())),
        Cell::text(name),
        Cell::opt(org.and_then(|o| o.siret.clone())),
        Cell::Empty,
        Cell::text(objet),
        Cell::Decimal(euros(line.voted)),
        Cell::text(match line.nature {
            Nature::Numeraire => "aide en numéraire",
            Nature::EnNature => "aide en nature",
        }),
        Cell::text(conditions),
        Cell::text(period),
        Cell::Empty,
        Cell::Boolean(false),
        Cell::Decimal("1.00".into()),
        Cell::text(line.scheme.clone()),
    ])
}

/// The voted lines of the cités (what can be published of them).
pub fn table(cites: &[Published<'_>]) -> Table {
    let rows = cites
        .iter()
        .flat_map(|c| {
            c.subsidies
                .iter()
                .filter(|l| l.voted.0 > 0)
                .filter_map(|l| row(c.catalogue, l).ok())
        })
        .collect();
    Table {
        name: "subventions",
        title: "Subventions",
        description: "Les subventions votées pour les actions de la Cité éducative, au format national SCDL Subventions (2.1.1).",
        fields: fields(),
        primary_key: &[],
        rows,
        updated: None,
    }
}

/// The voted lines of a cité left out of the open data, and why.
pub fn unpublished(catalogue: &Catalogue, lines: &[FundingLine]) -> Vec<Unpublished> {
    lines
        .iter()
        .filter(|l| l.voted.0 > 0)
        .filter_map(|l| {
            row(catalogue, l).err().map(|reason| Unpublished {
                fiche: l.fiche,
                year: l.year,
                funder: l.funder.label(),
                reason,
            })
        })
        .collect()
}

//! An application (*candidature*) to a call: the form as the operator
//! typed it (a draft keeps everything, even what is not valid yet), what
//! submitting asks of it, its budget read in cents, and the project it
//! describes in the fields of an action sheet.

use serde::{Deserialize, Serialize};

use super::{Balance, BudgetLine, Problem, Project, State, StepKind};
use crate::money::Cents;
use crate::text::lines;
use crate::{AgeRange, Audience, AudienceKind, Contact, Operator, OperatorRole, Partner, Slug};

/// The accounts a budget line may name: charges 60–68, products 70–75,
/// contributions in kind 86 (used) and 87 (received).
pub const ACCOUNTS: [(u16, &str); 17] = [
    (60, "Achats"),
    (61, "Services extérieurs"),
    (62, "Autres services extérieurs"),
    (63, "Impôts et taxes"),
    (64, "Charges de personnel"),
    (65, "Autres charges de gestion courante"),
    (66, "Charges financières"),
    (67, "Charges exceptionnelles"),
    (68, "Dotation aux amortissements"),
    (86, "Emplois des contributions volontaires en nature"),
    (70, "Ventes, prestations de services"),
    (71, "Production stockée"),
    (72, "Production immobilisée"),
    (73, "Dotations et produits de tarification"),
    (74, "Subventions d'exploitation"),
    (75, "Autres produits de gestion courante"),
    (87, "Contributions volontaires en nature"),
];

/// The label of an account of the chart, if a budget may name it.
pub fn account_label(account: u16) -> Option<&'static str> {
    ACCOUNTS
        .iter()
        .find(|(a, _)| *a == account)
        .map(|(_, l)| *l)
}

/// A line of the budget as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BudgetRow {
    pub account: String,
    pub label: String,
    /// On account 74: the funder (État – Cité éducative, Ville, CAF…).
    pub funder: String,
    pub amount: String,
}

/// The application form, field by field as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Form {
    // The project, as an action sheet has it.
    pub axis: String,
    pub title: String,
    pub description: String,
    /// One objective per line.
    pub objectives: String,
    /// Audience kinds' keys.
    pub audiences: Vec<String>,
    pub age_min: String,
    pub age_max: String,
    /// Territories' slugs.
    pub territories: Vec<String>,
    /// One partner per line.
    pub partners: String,
    pub starts: String,
    pub ends: String,
    pub place: String,
    // The structure (CERFA 12156*06, fiche 1).
    pub structure: String,
    pub siret: String,
    pub rna: String,
    pub address: String,
    pub representative: String,
    pub representative_role: String,
    /// Its human resources: employees (in full-time equivalents) and
    /// volunteers, as typed.
    pub employees: String,
    pub volunteers: String,
    // The person to contact about the project.
    pub contact_name: String,
    pub contact_phone: String,
    pub budget: Vec<BudgetRow>,
}

/// Days after a refusal or *sans suite* an application's personal fields,
/// files and annotations are erased (its state, dates, scores and amounts
/// stay, for the counts and the programme's record).
pub const RETENTION_DAYS: i64 = 730;

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    pub cite: String,
    pub call: i64,
    /// The applicant's account email.
    pub applicant: String,
    pub state: State,
    pub step: StepKind,
    pub form: Form,
    /// Unix seconds.
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    /// When it entered its state.
    pub since: i64,
    /// Oldest first (empty in lists).
    pub history: Vec<HistoryLine>,
}

/// One line of an application's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub at: i64,
    pub actor: String,
    /// An [`super::Event`]'s key, or `cree`.
    pub event: String,
    pub state: State,
    /// The message of a request for more, the reason of a decision.
    pub note: String,
}

impl Application {
    /// Its title, or what stands for it while the draft has none.
    pub fn title(&self) -> String {
        let t = self.form.title.trim();
        if t.is_empty() {
            format!("Candidature n° {} (sans titre)", self.id)
        } else {
            t.to_owned()
        }
    }

    /// Whether the applicant may change the form: a draft, or one sent
    /// back for more.
    pub fn editable(&self) -> bool {
        matches!(self.state, State::Brouillon | State::ACompleter)
    }

    /// The last request for more information, while it waits for an answer.
    pub fn request(&self) -> Option<&HistoryLine> {
        (self.state == State::ACompleter)
            .then(|| {
                self.history
                    .iter()
                    .rev()
                    .find(|h| h.event == super::Event::AskMore.key())
            })
            .flatten()
    }
}

impl Form {
    /// The budget's lines read in cents, and the problem of each row that
    /// cannot be read (empty rows are skipped).
    pub fn budget_lines(&self) -> (Vec<BudgetLine>, Vec<Problem>) {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for (i, row) in self.budget.iter().enumerate() {
            // A row without an amount is not a line (yet): a funder
            // offered on a new budget and left empty is no problem.
            if row.amount.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let account = row.account.trim().parse::<u16>().ok();
            let Some(account) = account.filter(|a| account_label(*a).is_some()) else {
                problems.push(Problem {
                    field: format!("budget.{i}.account"),
                    message: format!(
                        "Budget, ligne {n} : « {} » n'est pas un compte du budget (60 à 68, 70 à 75, 86 ou 87).",
                        row.account.trim()
                    ),
                });
                continue;
            };
            let amount = match Cents::parse(&row.amount) {
                Ok(a) => a,
                Err(e) => {
                    problems.push(Problem {
                        field: format!("budget.{i}.amount"),
                        message: format!("Budget, ligne {n} (compte {account}) : {e}."),
                    });
                    continue;
                }
            };
            let funder = row.funder.trim();
            if account == 74 && funder.is_empty() {
                problems.push(Problem {
                    field: format!("budget.{i}.funder"),
                    message: format!(
                        "Budget, ligne {n} (compte 74) : nommez le financeur de cette subvention."
                    ),
                });
                continue;
            }
            let label = row.label.trim();
            out.push(BudgetLine {
                account,
                label: if label.is_empty() {
                    account_label(account).unwrap_or_default().to_owned()
                } else {
                    label.to_owned()
                },
                funder: (account == 74).then(|| funder.to_owned()),
                amount,
            });
        }
        (out, problems)
    }

    /// What keeps the form from being sent: the fields the call needs,
    /// well-formed numbers, a budget that reads and balances. `axes`: the
    /// programme's axes; `territories`: the cité's.
    pub fn problems(&self, axes: &[u8], territories: &[String]) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut need = |field: &str, value: &str, what: &str| {
            if value.trim().is_empty() {
                out.push(Problem {
                    field: field.to_owned(),
                    message: format!("Indiquez {what}."),
                });
            }
        };
        need("title", &self.title, "le titre du projet");
        need("description", &self.description, "la description du projet");
        need("objectives", &self.objectives, "au moins un objectif");
        need("structure", &self.structure, "le nom de la structure");
        need("siret", &self.siret, "le SIRET de la structure");
        need(
            "representative",
            &self.representative,
            "le représentant légal",
        );
        need("starts", &self.starts, "la date de début du projet");
        need("ends", &self.ends, "la date de fin du projet");
        need("place", &self.place, "le lieu du projet");
        need(
            "contact_name",
            &self.contact_name,
            "la personne à contacter",
        );
        let mut problem = |field: &str, message: String| {
            out.push(Problem {
                field: field.to_owned(),
                message,
            })
        };
        match self.axis.trim().parse::<u8>() {
            Ok(a) if axes.contains(&a) => {}
            _ => problem(
                "axis",
                "Choisissez l'axe du programme que le projet sert.".into(),
            ),
        }
        if self.audiences.is_empty()
            || self
                .audiences
                .iter()
                .any(|k| AudienceKind::from_key(k).is_none())
        {
            problem("audiences", "Choisissez au moins un public.".into());
        }
        if self.age_range().is_err() {
            problem(
                "age_min",
                "Les âges du public vont de 0 à 120 ans, le premier au plus égal au second (laissez vide s'ils ne s'appliquent pas).".into(),
            );
        }
        if self.territories.iter().any(|t| !territories.contains(t)) {
            problem(
                "territories",
                "Un quartier choisi n'est pas de la cité.".into(),
            );
        }
        if !self.siret.trim().is_empty()
            && let Err(m) = super::siret(&self.siret)
        {
            problem("siret", format!("{m}."));
        }
        if !self.rna.trim().is_empty()
            && let Err(m) = super::rna(&self.rna)
        {
            problem("rna", format!("{m}."));
        }
        for (field, value) in [("starts", &self.starts), ("ends", &self.ends)] {
            if !value.trim().is_empty() && crate::referral::parse_date(value).is_none() {
                problem(field, format!("« {} » n'est pas une date.", value.trim()));
            }
        }
        if let (Some(s), Some(e)) = (
            crate::referral::parse_date(&self.starts),
            crate::referral::parse_date(&self.ends),
        ) && e < s
        {
            problem("ends", "Le projet finit avant de commencer.".into());
        }
        let (budget, unread) = self.budget_lines();
        out.extend(unread);
        if budget.is_empty() {
            out.push(Problem {
                field: "budget.0.amount".into(),
                message: "Remplissez le budget du projet.".into(),
            });
        } else if let Some(gap) = Balance::of(&budget).problem() {
            out.push(Problem {
                field: "budget".into(),
                message: format!("{}.", crate::text::capitalized(&gap)),
            });
        }
        out
    }

    /// The form without what names a person: the person to contact and
    /// the legal representative (the project and its structure stay).
    pub fn erased(&self) -> Form {
        Form {
            contact_name: String::new(),
            contact_phone: String::new(),
            representative: String::new(),
            representative_role: String::new(),
            ..self.clone()
        }
    }

    /// The public's ages: `Ok(None)` if not given, `Err` with what was
    /// typed if they cannot be read.
    pub fn age_range(&self) -> Result<Option<AgeRange>, String> {
        let (min, max) = (self.age_min.trim(), self.age_max.trim());
        if min.is_empty() && max.is_empty() {
            return Ok(None);
        }
        let typed = || format!("{min}–{max}");
        let min: u32 = if min.is_empty() { Ok(0) } else { min.parse() }.map_err(|_| typed())?;
        let max: u32 = if max.is_empty() {
            Ok(AgeRange::MAX_AGE)
        } else {
            max.parse()
        }
        .map_err(|_| typed())?;
        AgeRange::new(min, max).map(Some).map_err(|_| typed())
    }

    /// The project in an action sheet's fields: the structure runs it; the
    /// person to contact is the applicant; nothing is invented.
    pub fn project(&self, applicant: &str) -> Project {
        let ages = self.age_range().ok().flatten();
        let audiences = self
            .audiences
            .iter()
            .filter_map(|k| AudienceKind::from_key(k))
            .map(|kind| Audience {
                label: kind.label().to_owned(),
                kind,
                ages,
                note: None,
            })
            .collect();
        let structure = self.structure.trim();
        let contact_name = self.contact_name.trim();
        let phone = self.contact_phone.trim();
        Project {
            axis: self.axis.trim().parse().unwrap_or(0),
            title: self.title.trim().to_owned(),
            description: self.description.trim().to_owned(),
            objectives: lines(&self.objectives),
            audiences,
            perimeter: self
                .territories
                .iter()
                .filter_map(|t| Slug::parse(t).ok())
                .map(|territory| crate::PerimeterEntry {
                    territory,
                    source: crate::PerimeterSource::Printed,
                })
                .collect(),
            partners: lines(&self.partners)
                .into_iter()
                .map(|label| Partner {
                    label,
                    organisation: None,
                })
                .collect(),
            operators: (!structure.is_empty())
                .then(|| Operator {
                    label: structure.to_owned(),
                    organisation: Some(Slug::from_text(structure)),
                    role: OperatorRole::Operateur,
                    count: None,
                })
                .into_iter()
                .collect(),
            contacts: (!contact_name.is_empty())
                .then(|| Contact {
                    person: Slug::from_text(contact_name),
                    group: "Structure".to_owned(),
                    name: contact_name.to_owned(),
                    email: Some(applicant.to_owned()),
                    phone: (!phone.is_empty()).then(|| phone.to_owned()),
                })
                .into_iter()
                .collect(),
            themes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(account: &str, funder: &str, amount: &str) -> BudgetRow {
        BudgetRow {
            account: account.into(),
            label: String::new(),
            funder: funder.into(),
            amount: amount.into(),
        }
    }

    #[test]
    fn a_budget_is_read_the_same_however_amounts_are_typed_and_its_problems_located() {
        let form = Form {
            budget: vec![
                row("64", "", "12 000,50 €"),
                row("74", "Ville", "12000.5"),
                row("", "", ""),
                row("74", "", "100"),
                row("74", "CAF", ""),
                row("69", "", "5"),
                row("60", "", "-3"),
            ],
            ..Form::default()
        };
        let (lines, problems) = form.budget_lines();
        assert_eq!(lines.len(), 2, "the empty row is skipped");
        assert_eq!(lines[0].amount, lines[1].amount);
        assert_eq!(lines[0].amount, Cents(1_200_050));
        assert_eq!(lines[0].label, "Charges de personnel");
        assert_eq!(Balance::of(&lines).problem(), None);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["budget.3.funder", "budget.5.account", "budget.6.amount"]
        );
        assert!(
            problems[0]
                .message
                .starts_with("Budget, ligne 4 (compte 74)")
        );
        assert!(problems[2].message.contains("ne peut pas être négatif"));
    }

    #[test]
    fn submitting_asks_for_the_fields_of_a_sheet_and_a_balanced_budget() {
        let empty = Form::default().problems(&[1, 2, 3], &[]);
        let fields: Vec<&str> = empty.iter().map(|p| p.field.as_str()).collect();
        for needed in ["title", "siret", "axis", "audiences", "budget.0.amount"] {
            assert!(fields.contains(&needed), "{needed} in {fields:?}");
        }
        let form = Form {
            title: "Lire".into(),
            description: "Des ateliers.".into(),
            objectives: "Lire\n\nÉcrire".into(),
            axis: "2".into(),
            audiences: vec!["enfants".into()],
            age_min: "6".into(),
            age_max: "11".into(),
            structure: "Association Lire".into(),
            siret: "123 456 789 00015".into(),
            representative: "Mme P.".into(),
            starts: "2027-01-04".into(),
            ends: "2026-12-31".into(),
            place: "Roubaix".into(),
            contact_name: "Léa".into(),
            budget: vec![row("64", "", "100"), row("74", "État", "90")],
            ..Form::default()
        };
        let problems = form.problems(&[1, 2, 3], &[]);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0], "Le projet finit avant de commencer.");
        assert!(messages[1].starts_with("Le budget n'est pas équilibré"));
        assert!(messages[1].contains("de 10,00"), "{}", messages[1]);
        let project = form.project("lea@asso.fr");
        assert_eq!(project.objectives, ["Lire", "Écrire"]);
        assert_eq!(project.operators[0].label, "Association Lire");
        assert_eq!(project.contacts[0].email.as_deref(), Some("lea@asso.fr"));
        assert_eq!(project.audiences[0].ages.map(|a| a.min()), Some(6));
    }
}

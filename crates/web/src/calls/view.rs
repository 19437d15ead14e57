//! An application's page: for its applicant, the form (while it may
//! change) or what was sent; for the cité, what was sent with the scoring,
//! the annotations and the moves. One template, its parts shown to whom
//! they are for.

use askama::Template;
use passerelle_domain::AudienceKind;
use passerelle_domain::call::application::{ACCOUNTS, Application, BudgetRow, Form};
use passerelle_domain::call::{Balance, Problem};
use passerelle_domain::money::Cents;
use passerelle_store::calls::AttachmentInfo;

use super::Opened;
use crate::shared::form::{OptionView, Submitted};
use crate::shared::layout::{Meta, Nav};
use crate::shared::state::Snapshot;

/// Empty budget rows offered below those filled.
const SPARE_ROWS: usize = 3;

/// The application form as the template fills it.
pub(crate) struct FormView {
    pub(crate) f: Form,
    pub(crate) axes: Vec<OptionView>,
    pub(crate) audiences: Vec<OptionView>,
    pub(crate) territories: Vec<OptionView>,
    /// (index, row, its account's label).
    pub(crate) budget: Vec<(usize, BudgetRow)>,
    pub(crate) accounts: Vec<(u16, &'static str)>,
}

/// A file as the page lists it.
pub(crate) struct FileView {
    pub(crate) href: String,
    pub(crate) delete_to: Option<String>,
    pub(crate) name: String,
    pub(crate) size: String,
}

/// The budget as read: its lines, totals and each funder's share.
pub(crate) struct BudgetView {
    pub(crate) charges: Vec<(u16, String, String)>,
    pub(crate) products: Vec<(u16, String, String)>,
    pub(crate) total_charges: String,
    pub(crate) total_products: String,
    pub(crate) problem: Option<String>,
    /// (funder, amount, share in %).
    pub(crate) shares: Vec<(String, String, String)>,
}

/// A reviewer's scores as the page shows them.
pub(crate) struct ScoresView {
    pub(crate) reviewer: String,
    pub(crate) total: Option<u32>,
    /// (criterion, score, comment).
    pub(crate) lines: Vec<(String, String, String)>,
}

/// The scoring form of the reviewer viewing: (key, label, max, guidance,
/// value, comment) by criterion.
pub(crate) struct ScoringView {
    pub(crate) criteria: Vec<(String, String, u32, String, String, String)>,
}

#[derive(Template)]
#[template(path = "calls/application.html")]
pub(crate) struct ApplicationPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    pub(crate) base: String,
    pub(crate) title: String,
    pub(crate) call_title: String,
    pub(crate) call_href: String,
    pub(crate) state: &'static str,
    pub(crate) step: &'static str,
    pub(crate) notice: Option<String>,
    pub(crate) problems: Vec<Problem>,
    pub(crate) request: Option<String>,
    pub(crate) deadline: Option<String>,
    /// (when, what, by whom, note).
    pub(crate) history: Vec<(String, String, String, String)>,
    pub(crate) form: Option<FormView>,
    /// A draft answering a request for more: its button says so.
    pub(crate) completing: bool,
    pub(crate) may_delete: bool,
    pub(crate) summary: Vec<(&'static str, Vec<(&'static str, String)>)>,
    pub(crate) budget: BudgetView,
    pub(crate) documents: Vec<String>,
    pub(crate) files: Vec<FileView>,
    pub(crate) may_upload: bool,
    pub(crate) applicant_view: bool,
    pub(crate) scoring: Option<ScoringView>,
    pub(crate) scores: Vec<ScoresView>,
    pub(crate) scores_hidden: bool,
    /// (author, when, text).
    pub(crate) annotations: Option<Vec<(String, String, String)>>,
    pub(crate) moves: Vec<(&'static str, &'static str)>,
    pub(crate) may_declare_conflict: bool,
    /// A retained application, for its instructors: made an action.
    pub(crate) adopt: Option<super::adopt::AdoptView>,
}

/// The form's fields from what a page sent (unknown names ignored).
pub(crate) fn form_from(sent: &Submitted) -> Form {
    let g = |name: &str| sent.get(name).to_owned();
    let budget = (0..sent.rows("budget"))
        .map(|i| BudgetRow {
            account: g(&format!("budget.{i}.account")),
            label: g(&format!("budget.{i}.label")),
            funder: g(&format!("budget.{i}.funder")),
            amount: g(&format!("budget.{i}.amount")),
        })
        // A row is kept as the page showed it (its account chosen), so
        // that the form comes back the same; only blank rows go.
        .filter(|r| {
            ![&r.account, &r.label, &r.funder, &r.amount]
                .iter()
                .all(|v| v.trim().is_empty())
        })
        .collect();
    Form {
        axis: g("axis"),
        title: g("title"),
        description: g("description"),
        objectives: g("objectives"),
        audiences: sent.all("audiences").to_vec(),
        age_min: g("age_min"),
        age_max: g("age_max"),
        territories: sent.all("territories").to_vec(),
        partners: g("partners"),
        starts: g("starts"),
        ends: g("ends"),
        place: g("place"),
        structure: g("structure"),
        siret: g("siret"),
        rna: g("rna"),
        address: g("address"),
        representative: g("representative"),
        representative_role: g("representative_role"),
        employees: g("employees"),
        volunteers: g("volunteers"),
        contact_name: g("contact_name"),
        contact_phone: g("contact_phone"),
        budget,
    }
}

/// The rows a new budget starts with: the usual accounts, and the funders
/// of a cité's actions on account 74.
pub(crate) fn starting_budget() -> Vec<BudgetRow> {
    let row = |account: &str, funder: &str| BudgetRow {
        account: account.into(),
        funder: funder.into(),
        ..BudgetRow::default()
    };
    vec![
        row("60", ""),
        row("61", ""),
        row("62", ""),
        row("64", ""),
        row("86", ""),
        row("70", ""),
        row("74", "État – Cité éducative"),
        row("74", "Ville"),
        row("74", "CAF"),
        row("75", ""),
        row("87", ""),
    ]
}

fn options(items: Vec<(String, String)>, chosen: &[String]) -> Vec<OptionView> {
    items
        .into_iter()
        .map(|(value, label)| OptionView {
            selected: chosen.contains(&value),
            value,
            label,
        })
        .collect()
}

/// The form view of a draft, for the cité's programme and territories.
pub(crate) fn form_view(snapshot: &Snapshot, f: &Form) -> FormView {
    let axes = snapshot
        .programme()
        .map(|p| {
            p.axes
                .iter()
                .map(|a| {
                    (
                        a.number.to_string(),
                        format!("Axe {} : {}", a.number, a.title),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let audiences = AudienceKind::ALL
        .iter()
        .map(|k| (k.key().to_owned(), k.label().to_owned()))
        .collect();
    let territories = snapshot
        .catalogue
        .territories
        .iter()
        .map(|t| (t.slug.as_str().to_owned(), t.name.clone()))
        .collect();
    let mut rows = if f.budget.is_empty() {
        starting_budget()
    } else {
        f.budget.clone()
    };
    rows.extend(std::iter::repeat_n(BudgetRow::default(), SPARE_ROWS));
    let mut accounts: Vec<(u16, &'static str)> = ACCOUNTS.to_vec();
    accounts.sort_by_key(|(a, _)| *a);
    FormView {
        axes: options(axes, std::slice::from_ref(&f.axis)),
        audiences: options(audiences, &f.audiences),
        territories: options(territories, &f.territories),
        budget: rows.into_iter().enumerate().collect(),
        accounts,
        f: f.clone(),
    }
}

/// The budget as read, with its problem if it does not balance.
pub(crate) fn budget_view(f: &Form) -> BudgetView {
    let (lines, _) = f.budget_lines();
    let balance = Balance::of(&lines);
    let describe = |l: &passerelle_domain::call::BudgetLine| {
        let label = match &l.funder {
            Some(funder) => format!("{} — {funder}", l.label),
            None => l.label.clone(),
        };
        (l.account, label, l.amount.french())
    };
    BudgetView {
        charges: lines
            .iter()
            .filter(|l| l.is_charge())
            .map(describe)
            .collect(),
        products: lines
            .iter()
            .filter(|l| l.is_product())
            .map(describe)
            .collect(),
        total_charges: balance.charges.french(),
        total_products: balance.products.french(),
        problem: balance.problem(),
        shares: balance
            .shares(&lines)
            .into_iter()
            .map(|(funder, amount, permille)| {
                (
                    funder,
                    amount.french(),
                    format!("{},{} %", permille / 10, permille % 10),
                )
            })
            .collect(),
    }
}

/// What was sent, section by section, for reading.
pub(crate) fn summary(
    snapshot: &Snapshot,
    f: &Form,
) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let axis = snapshot
        .programme()
        .and_then(|p| {
            p.axes
                .iter()
                .find(|a| a.number.to_string() == f.axis.trim())
        })
        .map_or_else(
            || f.axis.clone(),
            |a| format!("Axe {} : {}", a.number, a.title),
        );
    let audiences = f
        .audiences
        .iter()
        .filter_map(|k| AudienceKind::from_key(k))
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ");
    let ages = match f.age_range() {
        Ok(Some(r)) => format!("de {} à {} ans", r.min(), r.max()),
        _ => String::new(),
    };
    let territories = f
        .territories
        .iter()
        .map(|t| {
            snapshot
                .catalogue
                .territories
                .iter()
                .find(|x| x.slug.as_str() == t)
                .map_or_else(|| t.clone(), |x| x.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        (
            "Le projet",
            vec![
                ("Titre", f.title.clone()),
                ("Axe", axis),
                ("Description", f.description.clone()),
                ("Objectifs", f.objectives.clone()),
                ("Public", audiences),
                ("Âges", ages),
                ("Quartiers", territories),
                ("Partenaires", f.partners.clone()),
                ("Début", f.starts.clone()),
                ("Fin", f.ends.clone()),
                ("Lieu", f.place.clone()),
            ],
        ),
        (
            "La structure",
            vec![
                ("Nom", f.structure.clone()),
                ("SIRET", f.siret.clone()),
                ("RNA", f.rna.clone()),
                ("Adresse", f.address.clone()),
                ("Représentant légal", f.representative.clone()),
                ("Sa fonction", f.representative_role.clone()),
                ("Salariés (ETP)", f.employees.clone()),
                ("Bénévoles", f.volunteers.clone()),
            ],
        ),
        (
            "La personne à contacter",
            vec![
                ("Nom", f.contact_name.clone()),
                ("Téléphone", f.contact_phone.clone()),
            ],
        ),
    ]
}

/// The files of an application as listed; `deletable` for its applicant
/// while it may change.
pub(crate) fn file_views(
    app: &Application,
    files: &[AttachmentInfo],
    deletable: bool,
) -> Vec<FileView> {
    files
        .iter()
        .map(|f| FileView {
            href: format!("/candidatures/{}/pieces/{}", app.id, f.id),
            delete_to: deletable
                .then(|| format!("/candidatures/{}/pieces/{}/supprimer", app.id, f.id)),
            name: f.name.clone(),
            size: size(f.size),
        })
        .collect()
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!(
            "{},{} Mo",
            bytes / (1024 * 1024),
            (bytes % (1024 * 1024)) * 10 / (1024 * 1024)
        )
    } else {
        format!("{} ko", (bytes + 1023) / 1024)
    }
}

/// The history as the page lists it.
pub(crate) fn history(o: &Opened) -> Vec<(String, String, String, String)> {
    o.app
        .history
        .iter()
        .map(|h| {
            let what = passerelle_domain::call::Event::from_key(&h.event)
                .map_or("Créée", |e| e.label())
                .to_owned();
            (
                super::french_instant(h.at),
                what,
                h.actor.clone(),
                h.note.clone(),
            )
        })
        .collect()
}

/// The subsidies an application asks for: its budget's account 74.
pub(crate) fn requested(f: &Form) -> Cents {
    let (lines, _) = f.budget_lines();
    lines
        .iter()
        .filter(|l| l.account == 74)
        .map(|l| l.amount)
        .sum()
}

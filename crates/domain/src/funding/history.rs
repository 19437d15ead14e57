//! What changed between two versions of a funding line or an envelope,
//! field by field and in French: what the money's history shows next to
//! who changed it and when (the versions themselves are stored whole).

use super::{Envelope, FundingLine, Payment};
use crate::money::Cents;
use crate::seminar::Date;

/// One field's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// As a page names it: « Voté ».
    pub field: &'static str,
    /// `—` for nothing.
    pub before: String,
    pub after: String,
}

const NOTHING: &str = "—";

fn amount(c: Cents) -> String {
    c.french()
}

fn date(d: Option<Date>) -> String {
    d.map_or_else(|| NOTHING.to_owned(), Date::french)
}

fn text(t: &str) -> String {
    if t.is_empty() {
        NOTHING.to_owned()
    } else {
        t.to_owned()
    }
}

fn payments(p: &[Payment]) -> String {
    if p.is_empty() {
        return NOTHING.to_owned();
    }
    p.iter()
        .map(|p| {
            format!(
                "{} le {} ({})",
                p.amount.french(),
                p.date.french(),
                p.kind.label().to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fields of a line, as the history compares them.
fn fields(l: Option<&FundingLine>) -> Vec<(&'static str, String)> {
    let Some(l) = l else {
        return FIELDS.iter().map(|f| (*f, NOTHING.to_owned())).collect();
    };
    vec![
        ("Dispositif", text(&l.scheme)),
        ("Nature", l.nature.label().to_owned()),
        ("Demandé", amount(l.requested)),
        ("Proposé", amount(l.proposed)),
        ("Voté", amount(l.voted)),
        ("Engagé", amount(l.committed)),
        ("Date de décision", date(l.decision.as_ref().map(|d| d.0))),
        (
            "Référence de décision",
            text(l.decision.as_ref().map_or("", |d| d.1.as_str())),
        ),
        (
            "Convention",
            text(l.convention.as_ref().map_or("", |c| c.reference.as_str())),
        ),
        (
            "Date de convention",
            date(l.convention.as_ref().map(|c| c.date)),
        ),
        ("Versements", payments(&l.payments)),
    ]
}

const FIELDS: [&str; 11] = [
    "Dispositif",
    "Nature",
    "Demandé",
    "Proposé",
    "Voté",
    "Engagé",
    "Date de décision",
    "Référence de décision",
    "Convention",
    "Date de convention",
    "Versements",
];

/// What changed from `before` to `after` (`None`: the line did not exist,
/// or was removed): every field that differs, in the page's order.
pub fn line_changes(before: Option<&FundingLine>, after: Option<&FundingLine>) -> Vec<FieldChange> {
    fields(before)
        .into_iter()
        .zip(fields(after))
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, a)| FieldChange {
            field: b.0,
            before: b.1,
            after: a.1,
        })
        .collect()
}

/// What changed in an envelope's amount.
pub fn envelope_changes(before: Option<&Envelope>, after: Option<&Envelope>) -> Vec<FieldChange> {
    let show = |e: Option<&Envelope>| e.map_or_else(|| NOTHING.to_owned(), |e| amount(e.amount));
    let (b, a) = (show(before), show(after));
    if b == a {
        return Vec::new();
    }
    vec![FieldChange {
        field: "Montant",
        before: b,
        after: a,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funding::{Funder, PaymentKind};

    #[test]
    fn a_change_of_amount_and_a_payment_are_told_field_by_field() {
        let before = FundingLine {
            requested: Cents(1_000_000),
            ..FundingLine::new(5, 2025, Funder::Etat)
        };
        let mut after = before.clone();
        after.voted = Cents(800_000);
        after.payments.push(Payment {
            date: Date::new(2025, 3, 1).unwrap(),
            amount: Cents(400_000),
            kind: PaymentKind::Acompte,
        });
        let changes = line_changes(Some(&before), Some(&after));
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].field, "Voté");
        assert_eq!(changes[0].before, "0,00\u{a0}€");
        assert_eq!(changes[0].after, "8\u{202f}000,00\u{a0}€");
        assert_eq!(changes[1].field, "Versements");
        assert_eq!(
            changes[1].after,
            format!(
                "4\u{202f}000,00\u{a0}€ le {} (acompte)",
                Date::new(2025, 3, 1).unwrap().french()
            )
        );
        assert!(line_changes(Some(&before), Some(&before)).is_empty());
        let created = line_changes(None, Some(&before));
        assert!(
            created
                .iter()
                .any(|c| c.field == "Demandé" && c.before == "—")
        );
    }
}

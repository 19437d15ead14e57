//! The programme's money: a funding line per action × year × funder with
//! its amounts in integer cents from requested to paid, what is derived
//! from them (never typed), the convention threshold, the financial
//! report's calendar, and the envelopes with their situation and the
//! what-if of a committee's proposals. `history` says what changed
//! between two versions of a line or an envelope.

use serde::{Deserialize, Serialize};

pub mod history;
pub mod report;
pub mod revue;

use crate::money::Cents;
use crate::seminar::Date;
use crate::text::fold;

/// Who funds a line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum Funder {
    /// The State, programme 147 (*politique de la ville*), *Cité éducative*.
    Etat,
    /// The *fonds de la Cité*, managed by the principal of a *collège chef
    /// de file* (named: Roubaix has two).
    FondsCite(String),
    Commune,
    Caf,
    Departement,
    Region,
    /// Any other, as named.
    Autre(String),
}

impl Funder {
    /// As a page or a spreadsheet names it.
    pub fn label(&self) -> String {
        match self {
            Funder::Etat => "État – Cité éducative (P147)".into(),
            Funder::FondsCite(college) => format!("Fonds de la Cité – {college}"),
            Funder::Commune => "Commune".into(),
            Funder::Caf => "CAF".into(),
            Funder::Departement => "Département".into(),
            Funder::Region => "Région".into(),
            Funder::Autre(name) => name.clone(),
        }
    }

    /// Its key in storage and in addresses: `etat`, `commune`, `caf`,
    /// `departement`, `region`, `fonds-cite:<collège>`, `autre:<name>`.
    pub fn key(&self) -> String {
        match self {
            Funder::Etat => "etat".into(),
            Funder::FondsCite(college) => format!("fonds-cite:{college}"),
            Funder::Commune => "commune".into(),
            Funder::Caf => "caf".into(),
            Funder::Departement => "departement".into(),
            Funder::Region => "region".into(),
            Funder::Autre(name) => format!("autre:{name}"),
        }
    }

    /// The funder of a [`Funder::key`].
    pub fn from_key(key: &str) -> Option<Funder> {
        Some(match key {
            "etat" => Funder::Etat,
            "commune" => Funder::Commune,
            "caf" => Funder::Caf,
            "departement" => Funder::Departement,
            "region" => Funder::Region,
            _ => {
                if let Some(college) = key.strip_prefix("fonds-cite:") {
                    Funder::FondsCite(college.to_owned())
                } else {
                    Funder::Autre(key.strip_prefix("autre:")?.to_owned())
                }
            }
        })
    }

    /// Reads a funder as people write it, case and accents aside
    /// (`etat`, `État – Cité éducative`, `Fonds de la Cité – Rosa Parks`,
    /// `Ville`, `caf`…); anything else is an other funder, as typed.
    pub fn read(typed: &str) -> Option<Funder> {
        let t = typed.trim();
        if t.is_empty() {
            return None;
        }
        let f = fold(t);
        let words: Vec<&str> = f
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let starts = |w: &str| words.first() == Some(&w);
        Some(if starts("fonds") {
            let college = t
                .split(['–', '-', ':'])
                .skip(1)
                .collect::<Vec<_>>()
                .join("-")
                .trim()
                .to_owned();
            Funder::FondsCite(college)
        } else if starts("etat") || words.contains(&"p147") {
            Funder::Etat
        } else if starts("commune") || starts("ville") || starts("mairie") {
            Funder::Commune
        } else if starts("caf") {
            Funder::Caf
        } else if starts("departement") || starts("conseil") && words.contains(&"departemental") {
            Funder::Departement
        } else if starts("region") || starts("conseil") && words.contains(&"regional") {
            Funder::Region
        } else {
            Funder::Autre(t.to_owned())
        })
    }
}

/// The organisation of the catalogue that pays a funder's lines (for the
/// open data of subsidies and the conventions): the prefecture for the
/// State, the commune, the département, the région, the CAF, the collège
/// named for a fonds de la Cité, an other funder by its name. `None` when
/// the catalogue has none: nothing is guessed beyond these rules.
pub fn attributor<'c>(
    catalogue: &'c crate::Catalogue,
    funder: &Funder,
) -> Option<&'c crate::Organisation> {
    use crate::OrganisationKind as K;
    let orgs = &catalogue.organisations;
    let named = |o: &crate::Organisation, wanted: &str| {
        let w = fold(wanted);
        fold(&o.name) == w
            || o.aliases.iter().any(|a| fold(a) == w)
            || o.acronym.as_deref().is_some_and(|a| fold(a) == w)
    };
    let starts = |o: &crate::Organisation, prefix: &str| fold(&o.name).starts_with(prefix);
    match funder {
        Funder::Etat => orgs
            .iter()
            .find(|o| o.kind == K::ServiceEtat && starts(o, "prefecture")),
        Funder::Commune => orgs.iter().find(|o| o.kind == K::Commune),
        Funder::Departement => orgs
            .iter()
            .find(|o| o.kind == K::CollectiviteTerritoriale && starts(o, "departement")),
        Funder::Region => orgs
            .iter()
            .find(|o| o.kind == K::CollectiviteTerritoriale && starts(o, "region")),
        Funder::Caf => orgs.iter().find(|o| {
            named(o, "CAF")
                || starts(o, "caf ")
                || starts(o, "caisse d'allocations familiales")
                || starts(o, "caisse d allocations familiales")
        }),
        Funder::FondsCite(college) => orgs.iter().find(|o| {
            o.kind == K::College
                && !college.trim().is_empty()
                && (named(o, college) || fold(&o.name).ends_with(&fold(college)))
        }),
        Funder::Autre(name) => orgs.iter().find(|o| named(o, name)),
    }
}

/// Money or its equivalent in kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nature {
    Numeraire,
    EnNature,
}

impl Nature {
    pub fn key(self) -> &'static str {
        match self {
            Nature::Numeraire => "numeraire",
            Nature::EnNature => "en-nature",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Nature::Numeraire => "Numéraire",
            Nature::EnNature => "En nature",
        }
    }

    /// As typed or as a key, case and accents aside; empty is
    /// *numéraire*, what nearly every line is.
    pub fn read(typed: &str) -> Option<Nature> {
        match fold(typed.trim()).replace(['-', '_'], " ").as_str() {
            "" | "numeraire" | "argent" | "subvention" => Some(Nature::Numeraire),
            "en nature" | "nature" | "valorisation" => Some(Nature::EnNature),
            _ => None,
        }
    }
}

/// A payment's place in the convention's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaymentKind {
    Acompte,
    Solde,
}

impl PaymentKind {
    pub fn key(self) -> &'static str {
        match self {
            PaymentKind::Acompte => "acompte",
            PaymentKind::Solde => "solde",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentKind::Acompte => "Acompte",
            PaymentKind::Solde => "Solde",
        }
    }

    pub fn from_key(key: &str) -> Option<PaymentKind> {
        match key {
            "acompte" => Some(PaymentKind::Acompte),
            "solde" => Some(PaymentKind::Solde),
            _ => None,
        }
    }
}

/// A date as French spreadsheets and forms give it: `31/05/2026`,
/// `31/5/2026`, `2026-05-31`, or a spreadsheet's day number (days since
/// 30 December 1899, what a date cell holds: `46173` is 31 May 2026).
pub fn read_date(typed: &str) -> Option<Date> {
    let t = typed.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    let number = |s: &str| s.trim().parse::<i64>().ok();
    if let Some((d, rest)) = t.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        let y = number(y)?;
        let y = if (0..100).contains(&y) { 2000 + y } else { y };
        return Date::new(
            i32::try_from(y).ok()?,
            u8::try_from(number(m)?).ok()?,
            u8::try_from(number(d)?).ok()?,
        );
    }
    if t.contains('-') {
        let mut parts = t.splitn(3, '-');
        let y = number(parts.next()?)?;
        let m = number(parts.next()?)?;
        let d = number(parts.next()?)?;
        return Date::new(
            i32::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        );
    }
    let serial = number(t.split('.').next()?)?;
    // Only plausible dates (1 January 1990 to 31 December 2099): any other
    // number is not a date cell.
    if !(32_874..=73_415).contains(&serial) {
        return None;
    }
    civil_from_days(serial - 25_569)
}

/// The date `days` after 1 January 1970 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Option<Date> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub date: Date,
    pub amount: Cents,
    pub kind: PaymentKind,
}

/// A convention: its reference and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Convention {
    pub reference: String,
    pub date: Date,
}

/// One funder's line of one action for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingLine {
    pub fiche: u32,
    pub year: i32,
    pub funder: Funder,
    /// The scheme (*dispositif*).
    #[serde(default)]
    pub scheme: String,
    pub nature: Nature,
    pub requested: Cents,
    pub proposed: Cents,
    pub voted: Cents,
    pub committed: Cents,
    #[serde(default)]
    pub decision: Option<(Date, String)>,
    #[serde(default)]
    pub convention: Option<Convention>,
    #[serde(default)]
    pub payments: Vec<Payment>,
}

/// Above this, per funder and year, a convention is required (loi
/// 2000-321, art. 10; décret 2001-495): 23 000 €.
pub const CONVENTION_THRESHOLD: Cents = Cents(2_300_000);

/// What is wrong with a line, by field; a warning does not keep it from
/// being saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub field: &'static str,
    pub message: String,
    pub warning: bool,
}

impl FundingLine {
    /// An empty line of an action, year and funder (*numéraire*, nothing
    /// requested yet).
    pub fn new(fiche: u32, year: i32, funder: Funder) -> FundingLine {
        FundingLine {
            fiche,
            year,
            funder,
            scheme: String::new(),
            nature: Nature::Numeraire,
            requested: Cents(0),
            proposed: Cents(0),
            voted: Cents(0),
            committed: Cents(0),
            decision: None,
            convention: None,
            payments: Vec::new(),
        }
    }

    /// What names it: its action, year and funder.
    pub fn key(&self) -> (u32, i32, Funder) {
        (self.fiche, self.year, self.funder.clone())
    }

    /// What was paid: the sum of the payments.
    pub fn paid(&self) -> Cents {
        self.payments.iter().map(|p| p.amount).sum()
    }

    /// What remains to pay of what was voted (never below zero).
    pub fn rest_to_pay(&self) -> Cents {
        Cents((self.voted.0 - self.paid().0).max(0))
    }

    /// The problems of the line: more paid than voted (an error), more
    /// voted than requested (a warning).
    pub fn problems(&self) -> Vec<LineProblem> {
        let mut out = Vec::new();
        if self.paid() > self.voted {
            out.push(LineProblem {
                field: "paid",
                message: format!(
                    "le versé ({}) dépasse le voté ({})",
                    self.paid().french(),
                    self.voted.french()
                ),
                warning: false,
            });
        }
        if self.voted > self.requested {
            out.push(LineProblem {
                field: "voted",
                message: format!(
                    "le voté ({}) dépasse le demandé ({}) : à vérifier",
                    self.voted.french(),
                    self.requested.french()
                ),
                warning: true,
            });
        }
        out
    }

    /// The line's share of the action's budget (its products), in tenths
    /// of a percent.
    pub fn share_permille(&self, budget: Cents) -> Option<i64> {
        budget.share_permille(self.voted)
    }
}

/// Whether the lines of one action, year and funder need a convention:
/// voted above [`CONVENTION_THRESHOLD`] in all.
pub fn convention_required(lines: &[&FundingLine]) -> bool {
    lines.iter().map(|l| l.voted).sum::<Cents>() > CONVENTION_THRESHOLD
}

/// The financial report's calendar for a line of `year` (the financial
/// year is the calendar year): due six months after it ends, on 30 June;
/// the operator is reminded 30 days before (31 May) and on the day; late
/// from 1 July.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCalendar {
    pub reminder: Date,
    pub due: Date,
    pub late_from: Date,
}

pub fn report_calendar(year: i32) -> Option<ReportCalendar> {
    Some(ReportCalendar {
        reminder: Date::new(year + 1, 5, 31)?,
        due: Date::new(year + 1, 6, 30)?,
        late_from: Date::new(year + 1, 7, 1)?,
    })
}

/// A source's envelope for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub year: i32,
    pub source: Funder,
    pub amount: Cents,
}

/// Where an envelope stands: *programmé* (proposed), *voté*, *engagé*,
/// *versé*, and the rest to vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Situation {
    pub envelope: Cents,
    pub programmed: Cents,
    pub voted: Cents,
    pub committed: Cents,
    pub paid: Cents,
    pub rest: Cents,
}

/// The situation of `source`'s envelope of `year` from the lines.
pub fn situation(
    envelopes: &[Envelope],
    lines: &[FundingLine],
    year: i32,
    source: &Funder,
) -> Situation {
    let envelope: Cents = envelopes
        .iter()
        .filter(|e| e.year == year && &e.source == source)
        .map(|e| e.amount)
        .sum();
    let mine: Vec<&FundingLine> = lines
        .iter()
        .filter(|l| l.year == year && &l.funder == source)
        .collect();
    let sum = |f: fn(&FundingLine) -> Cents| mine.iter().map(|l| f(l)).sum::<Cents>();
    let voted = sum(|l| l.voted);
    Situation {
        envelope,
        programmed: sum(|l| l.proposed),
        voted,
        committed: sum(|l| l.committed),
        paid: sum(FundingLine::paid),
        rest: envelope - voted,
    }
}

/// The what-if: every envelope's situation once `added` lines are voted as
/// proposed (each in place of the line of its action, year and funder, if
/// there is one) and the lines of `removed` (action, year, funder) are
/// taken out — nothing saved.
pub fn what_if(
    envelopes: &[Envelope],
    lines: &[FundingLine],
    added: &[FundingLine],
    removed: &[(u32, i32, Funder)],
) -> Vec<(Envelope, Situation)> {
    let replaced: Vec<(u32, i32, Funder)> = added.iter().map(FundingLine::key).collect();
    let mut after: Vec<FundingLine> = lines
        .iter()
        .filter(|l| !removed.contains(&l.key()) && !replaced.contains(&l.key()))
        .cloned()
        .collect();
    after.extend(added.iter().map(|l| FundingLine {
        voted: l.proposed,
        ..l.clone()
    }));
    envelopes
        .iter()
        .map(|e| (e.clone(), situation(envelopes, &after, e.year, &e.source)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fiche: u32, funder: Funder, requested: i64, voted: i64) -> FundingLine {
        FundingLine {
            requested: Cents(requested),
            proposed: Cents(voted),
            voted: Cents(voted),
            committed: Cents(voted),
            ..FundingLine::new(fiche, 2025, funder)
        }
    }

    #[test]
    fn a_funders_key_gives_it_back_and_dates_are_read_as_spreadsheets_write_them() {
        for f in [
            Funder::Etat,
            Funder::FondsCite("Rosa Parks".into()),
            Funder::Commune,
            Funder::Caf,
            Funder::Departement,
            Funder::Region,
            Funder::Autre("Fondation: X".into()),
        ] {
            assert_eq!(Funder::from_key(&f.key()), Some(f));
        }
        assert_eq!(Funder::from_key("inconnu"), None);
        let may31 = Date::new(2026, 5, 31);
        assert_eq!(read_date("31/05/2026"), may31);
        assert_eq!(read_date("31/5/26"), may31);
        assert_eq!(read_date("2026-05-31"), may31);
        assert_eq!(read_date("2026-05-31 00:00:00"), may31);
        assert_eq!(read_date("46173"), may31);
        assert_eq!(read_date("30/02/2026"), None);
        assert_eq!(read_date("12"), None);
        assert_eq!(read_date("demain"), None);
    }

    #[test]
    fn funders_are_read_as_people_write_them() {
        assert_eq!(Funder::read("État – Cité éducative"), Some(Funder::Etat));
        assert_eq!(Funder::read("etat p147"), Some(Funder::Etat));
        assert_eq!(Funder::read("VILLE"), Some(Funder::Commune));
        assert_eq!(Funder::read("Caf du Nord"), Some(Funder::Caf));
        assert_eq!(
            Funder::read("Fonds de la Cité – Rosa Parks"),
            Some(Funder::FondsCite("Rosa Parks".into()))
        );
        assert_eq!(
            Funder::read("Conseil départemental"),
            Some(Funder::Departement)
        );
        assert_eq!(
            Funder::read("Fondation X"),
            Some(Funder::Autre("Fondation X".into()))
        );
        assert_eq!(Funder::read("  "), None);
    }

    #[test]
    fn what_is_paid_and_left_is_derived_and_a_line_paid_beyond_its_vote_is_refused() {
        let mut l = line(5, Funder::Etat, 1_000_000, 1_200_000);
        l.payments = vec![
            Payment {
                date: Date::new(2025, 3, 1).unwrap(),
                amount: Cents(600_000),
                kind: PaymentKind::Acompte,
            },
            Payment {
                date: Date::new(2025, 12, 1).unwrap(),
                amount: Cents(700_000),
                kind: PaymentKind::Solde,
            },
        ];
        assert_eq!(l.paid(), Cents(1_300_000));
        assert_eq!(l.rest_to_pay(), Cents(0));
        let problems = l.problems();
        assert_eq!(problems.len(), 2);
        assert!(!problems[0].warning && problems[0].message.contains("versé"));
        assert!(problems[1].warning && problems[1].message.contains("demandé"));
        assert_eq!(l.share_permille(Cents(2_400_000)), Some(500));
    }

    #[test]
    fn a_convention_is_required_above_23000_euros_per_funder_and_year() {
        let a = line(5, Funder::Etat, 0, 2_300_000);
        assert!(
            !convention_required(&[&a]),
            "23 000 € exactly: offered, not required"
        );
        let b = line(5, Funder::Etat, 0, 1);
        assert!(convention_required(&[&a, &b]));
    }

    #[test]
    fn the_report_of_a_line_voted_in_2025_is_reminded_on_31_may_and_late_on_1_july_2026() {
        let c = report_calendar(2025).unwrap();
        assert_eq!(c.reminder, Date::new(2026, 5, 31).unwrap());
        assert_eq!(c.due, Date::new(2026, 6, 30).unwrap());
        assert_eq!(c.late_from, Date::new(2026, 7, 1).unwrap());
    }

    /// A property, on generated cases (a small deterministic generator, no
    /// dependency): the envelopes after a what-if are the envelopes before,
    /// plus the proposals added, less the lines removed — to the cent.
    #[test]
    fn after_a_what_if_each_envelope_moves_by_exactly_the_lines_added_and_removed() {
        let funders = [
            Funder::Etat,
            Funder::Commune,
            Funder::FondsCite("Rosa Parks".into()),
        ];
        let mut seed: u64 = 42;
        let mut next = |below: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % below
        };
        for _ in 0..500 {
            let envelopes: Vec<Envelope> = funders
                .iter()
                .map(|f| Envelope {
                    year: 2025,
                    source: f.clone(),
                    amount: Cents(i64::try_from(next(100_000_000)).unwrap()),
                })
                .collect();
            let lines: Vec<FundingLine> = (0..next(12))
                .map(|i| {
                    let f = funders[usize::try_from(next(3)).unwrap()].clone();
                    line(
                        u32::try_from(i).unwrap() + 1,
                        f,
                        0,
                        i64::try_from(next(5_000_000)).unwrap(),
                    )
                })
                .collect();
            // New proposals, and proposals in place of existing lines
            // (a committee's amount for a line already requested).
            let mut added: Vec<FundingLine> = (0..next(4))
                .map(|i| {
                    let f = funders[usize::try_from(next(3)).unwrap()].clone();
                    let mut l = line(100 + u32::try_from(i).unwrap(), f, 0, 0);
                    l.proposed = Cents(i64::try_from(next(5_000_000)).unwrap());
                    l
                })
                .collect();
            let mut removed: Vec<(u32, i32, Funder)> = Vec::new();
            for l in &lines {
                match next(4) {
                    0 => removed.push(l.key()),
                    1 => added.push(FundingLine {
                        proposed: Cents(i64::try_from(next(5_000_000)).unwrap()),
                        ..l.clone()
                    }),
                    _ => {}
                }
            }
            for (e, after) in what_if(&envelopes, &lines, &added, &removed) {
                let before = situation(&envelopes, &lines, e.year, &e.source);
                let plus: Cents = added
                    .iter()
                    .filter(|l| l.funder == e.source)
                    .map(|l| l.proposed)
                    .sum();
                let minus: Cents = lines
                    .iter()
                    .filter(|l| l.funder == e.source)
                    .filter(|l| {
                        removed.contains(&l.key()) || added.iter().any(|a| a.key() == l.key())
                    })
                    .map(|l| l.voted)
                    .sum();
                let out_proposed: Cents = lines
                    .iter()
                    .filter(|l| l.funder == e.source)
                    .filter(|l| {
                        removed.contains(&l.key()) || added.iter().any(|a| a.key() == l.key())
                    })
                    .map(|l| l.proposed)
                    .sum();
                assert_eq!(after.voted, Cents(before.voted.0 + plus.0 - minus.0));
                assert_eq!(
                    after.programmed,
                    Cents(before.programmed.0 + plus.0 - out_proposed.0),
                    "a proposal in place of a line is counted once"
                );
                assert_eq!(after.rest, Cents(before.rest.0 - plus.0 + minus.0));
                assert_eq!(after.envelope, before.envelope);
            }
        }
    }
}

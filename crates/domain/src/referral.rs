//! Referrals (*orientations*): a professional sends a family's request to
//! one action's operator, with the family's agreement, and follows it to
//! its answer. What a referral holds, what may be sent, which answer leads
//! where, when the clock moves one on, and the counts the coordination
//! sees (which hold no personal field).
//!
//! Personal data is kept to the minimum the operator needs to call the
//! family back: the child's first name or initials and age, the school or
//! neighbourhood, the need, and one way to reach the family. It sits in
//! [`Details`], erased as a whole once the referral has been closed for
//! the retention delay, while its state and dates stay for the counts.

use serde::{Deserialize, Serialize};

use crate::seminar::Date;
use crate::values::{Email, Phone};

/// Seconds in a day: every delay here is counted in whole days.
pub const DAY: i64 = 86_400;
/// How long the link mailed to the operator opens the referral.
pub const LINK_DAYS: i64 = 8;
/// Days without an answer after which the operator is reminded, once.
pub const REMINDER_DAYS: i64 = 7;
/// Days without an answer (or without the details asked) after which the
/// referral expires.
pub const EXPIRY_DAYS: i64 = 30;
/// Days a closed referral keeps its personal fields, by default.
pub const DEFAULT_RETENTION_DAYS: u32 = 180;
/// The longest retention an instance may configure: two years.
pub const MAX_RETENTION_DAYS: u32 = 730;
/// Below this age, the agreement is the parent's (or legal guardian's).
pub const PARENTAL_AGE: u8 = 15;
/// The oldest young person the Cités éducatives work for.
pub const MAX_AGE: u8 = 25;

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum State {
    /// Sent, waiting for the operator's answer.
    Sent,
    /// Accepted by the operator, with the next step.
    Accepted,
    /// Refused by the operator, with a reason for the professional.
    Refused,
    /// The operator asked the professional for details.
    NeedsDetails,
    /// Nobody answered in time.
    Expired,
    /// Withdrawn by the professional.
    Cancelled,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Sent,
        State::Accepted,
        State::Refused,
        State::NeedsDetails,
        State::Expired,
        State::Cancelled,
    ];

    /// As stored.
    pub fn key(self) -> &'static str {
        match self {
            State::Sent => "envoyee",
            State::Accepted => "acceptee",
            State::Refused => "refusee",
            State::NeedsDetails => "a-completer",
            State::Expired => "expiree",
            State::Cancelled => "annulee",
        }
    }

    pub fn from_key(key: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.key() == key)
    }

    /// As a page says it.
    pub fn label(self) -> &'static str {
        match self {
            State::Sent => "envoyée",
            State::Accepted => "acceptée",
            State::Refused => "refusée",
            State::NeedsDetails => "à compléter",
            State::Expired => "expirée",
            State::Cancelled => "annulée",
        }
    }

    /// No answer can change it any more: the retention delay runs.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            State::Accepted | State::Refused | State::Expired | State::Cancelled
        )
    }
}

/// How the family prefers to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactBy {
    Phone,
    Email,
    /// Through the professional who sent the referral: the operator gets
    /// no way to reach the family directly.
    Professional,
}

impl ContactBy {
    pub const ALL: [ContactBy; 3] = [ContactBy::Phone, ContactBy::Email, ContactBy::Professional];

    pub fn key(self) -> &'static str {
        match self {
            ContactBy::Phone => "telephone",
            ContactBy::Email => "email",
            ContactBy::Professional => "professionnel",
        }
    }

    pub fn from_key(key: &str) -> Option<ContactBy> {
        ContactBy::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactBy::Phone => "par téléphone",
            ContactBy::Email => "par courriel",
            ContactBy::Professional => "par l'intermédiaire du professionnel",
        }
    }
}

/// The family's agreement, as the professional records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Given by the parent or legal guardian (required under
    /// [`PARENTAL_AGE`]); otherwise by the young person.
    pub by_parent: bool,
    /// Who told the family and asked them (name, function).
    pub told_by: String,
    /// When.
    pub on: Date,
    /// In which language (a code: `fr`, `ar`, `tr`, `pt`, `en`, or the
    /// language's name).
    pub language: String,
}

/// The personal fields of a referral: erased together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    /// First name or initials; no surname.
    pub child: String,
    pub age: u8,
    /// The school or the neighbourhood.
    pub place: String,
    pub need: String,
    pub message: String,
    pub contact_by: ContactBy,
    /// Kept only when the family prefers the phone.
    pub family_phone: Option<String>,
    /// Kept only when the family prefers mail.
    pub family_email: Option<String>,
    pub consent: Consent,
}

impl Details {
    /// The language the family is written to in (their agreement's), when
    /// it is one the interface speaks; French otherwise.
    pub fn family_language(&self) -> &str {
        let code = self.consent.language.as_str();
        if code == "fr"
            || crate::catalogue::FAMILY_LANGUAGES
                .iter()
                .any(|(c, _)| *c == code)
        {
            code
        } else {
            "fr"
        }
    }
}

/// The sending form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Form {
    #[serde(default)]
    pub child: String,
    #[serde(default)]
    pub age: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub need: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub contact_by: String,
    #[serde(default)]
    pub family_phone: String,
    #[serde(default)]
    pub family_email: String,
    /// The agreement box: `1` when ticked.
    #[serde(default)]
    pub consent: String,
    /// `1` when the agreement is the parent's.
    #[serde(default)]
    pub by_parent: String,
    #[serde(default)]
    pub told_by: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub consent_on: String,
    #[serde(default)]
    pub language: String,
}

/// A field refused, and why (in French, for the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn bounded(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        errors.push(FieldError {
            field,
            message: "Ce champ est obligatoire.".into(),
        });
    } else if value.chars().count() > max {
        errors.push(FieldError {
            field,
            message: format!("{max} caractères au plus."),
        });
    }
    value.to_owned()
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Date::new(year, month, day)
}

impl Form {
    /// What may be sent, or every field refused. Nothing is sent without
    /// the agreement box, nor for a child under [`PARENTAL_AGE`] without
    /// the parent's agreement; a way to reach the family is kept only when
    /// the family chose it.
    pub fn validate(&self, today: Date) -> Result<Details, Vec<FieldError>> {
        let mut errors = Vec::new();
        let child = bounded(&mut errors, "child", &self.child, 40, true);
        let age = match self.age.trim().parse::<u8>() {
            Ok(age) if age <= MAX_AGE => age,
            _ => {
                errors.push(FieldError {
                    field: "age",
                    message: format!("Un âge en années, de 0 à {MAX_AGE}."),
                });
                0
            }
        };
        let place = bounded(&mut errors, "place", &self.place, 120, true);
        let need = bounded(&mut errors, "need", &self.need, 600, true);
        let message = bounded(&mut errors, "message", &self.message, 1500, false);
        let told_by = bounded(&mut errors, "told_by", &self.told_by, 120, true);
        let language = bounded(&mut errors, "language", &self.language, 40, true);
        let contact_by = ContactBy::from_key(self.contact_by.trim());
        let (mut family_phone, mut family_email) = (None, None);
        match contact_by {
            None => errors.push(FieldError {
                field: "contact_by",
                message: "Choisissez comment la famille préfère être contactée.".into(),
            }),
            Some(ContactBy::Phone) => match Phone::parse(&self.family_phone) {
                Ok(phone) => family_phone = Some(phone.to_string()),
                Err(_) => errors.push(FieldError {
                    field: "family_phone",
                    message: "Un numéro de téléphone à 10 chiffres, la famille ayant choisi le téléphone."
                        .into(),
                }),
            },
            Some(ContactBy::Email) => match Email::parse(self.family_email.trim()) {
                Ok(email) => family_email = Some(email.to_string()),
                Err(_) => errors.push(FieldError {
                    field: "family_email",
                    message: "Une adresse électronique valide, la famille ayant choisi le courriel."
                        .into(),
                }),
            },
            Some(ContactBy::Professional) => {}
        }
        let on = match parse_date(&self.consent_on) {
            Some(on) if on <= today => Some(on),
            Some(_) => {
                errors.push(FieldError {
                    field: "consent_on",
                    message: "L'accord ne peut pas être daté de demain.".into(),
                });
                None
            }
            None => {
                errors.push(FieldError {
                    field: "consent_on",
                    message: "La date de l'accord, au format AAAA-MM-JJ.".into(),
                });
                None
            }
        };
        if self.consent.trim() != "1" {
            errors.push(FieldError {
                field: "consent",
                message: "Rien n'est envoyé sans l'accord de la famille.".into(),
            });
        }
        let by_parent = self.by_parent.trim() == "1";
        if age < PARENTAL_AGE && !by_parent && errors.iter().all(|e| e.field != "age") {
            errors.push(FieldError {
                field: "by_parent",
                message: format!(
                    "Avant {PARENTAL_AGE} ans, l'accord est celui d'un parent (ou du représentant légal)."
                ),
            });
        }
        match (errors.is_empty(), contact_by, on) {
            (true, Some(contact_by), Some(on)) => Ok(Details {
                child,
                age,
                place,
                need,
                message,
                contact_by,
                family_phone,
                family_email,
                consent: Consent {
                    by_parent,
                    told_by,
                    on,
                    language,
                },
            }),
            _ => Err(errors),
        }
    }
}

/// What someone does to a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The operator accepts, with the next step (date, place, who calls whom).
    Accept { next_step: String },
    /// The operator refuses, with a reason for the professional.
    Refuse { reason: String },
    /// The operator asks the professional for details.
    AskDetails { question: String },
    /// The professional answers the question: the referral waits for the
    /// operator again.
    Complete { answer: String },
    /// The professional withdraws it.
    Cancel,
    /// The clock: no answer in time.
    Expire,
}

impl Event {
    /// Where this event leads from `state`, if it may happen there.
    pub fn next(&self, state: State) -> Option<State> {
        use State::{Accepted, Cancelled, Expired, NeedsDetails, Refused, Sent};
        match (self, state) {
            (Event::Accept { .. }, Sent | NeedsDetails) => Some(Accepted),
            (Event::Refuse { .. }, Sent | NeedsDetails) => Some(Refused),
            (Event::AskDetails { .. }, Sent) => Some(NeedsDetails),
            (Event::Complete { .. }, NeedsDetails) => Some(Sent),
            (Event::Cancel, Sent | NeedsDetails) => Some(Cancelled),
            (Event::Expire, Sent | NeedsDetails) => Some(Expired),
            _ => None,
        }
    }

    /// The states it may happen in (what a store's conditional update
    /// checks).
    pub fn from_states(&self) -> Vec<State> {
        State::ALL
            .into_iter()
            .filter(|s| self.next(*s).is_some())
            .collect()
    }

    /// As the referral's history records it.
    pub fn key(&self) -> &'static str {
        match self {
            Event::Accept { .. } => "acceptee",
            Event::Refuse { .. } => "refusee",
            Event::AskDetails { .. } => "precisions-demandees",
            Event::Complete { .. } => "completee",
            Event::Cancel => "annulee",
            Event::Expire => "expiree",
        }
    }

    /// Its text (the next step, the reason, the question, the answer).
    pub fn note(&self) -> &str {
        match self {
            Event::Accept { next_step: t }
            | Event::Refuse { reason: t }
            | Event::AskDetails { question: t }
            | Event::Complete { answer: t } => t,
            Event::Cancel | Event::Expire => "",
        }
    }

    /// An operator's answer (it ends the wait the reminder counts).
    pub fn is_answer(&self) -> bool {
        matches!(
            self,
            Event::Accept { .. } | Event::Refuse { .. } | Event::AskDetails { .. }
        )
    }

    /// The text is required and bounded.
    pub fn check(&self) -> Result<(), String> {
        let note = self.note().trim();
        match self {
            Event::Cancel | Event::Expire => Ok(()),
            _ if note.is_empty() => Err(match self {
                Event::Accept { .. } => "Indiquez la suite : la date, le lieu, qui appelle qui.",
                Event::Refuse { .. } => "Indiquez la raison au professionnel.",
                Event::AskDetails { .. } => "Indiquez les précisions demandées.",
                _ => "Indiquez les précisions apportées.",
            }
            .to_owned()),
            _ if note.chars().count() > 1000 => Err("1 000 caractères au plus.".into()),
            _ => Ok(()),
        }
    }
}

/// One line of a referral's history: an event, an opening by an
/// administrator for support, a link renewed, a reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryLine {
    /// Unix seconds.
    pub at: i64,
    /// The account's email, `lien` for the mailed link, `horloge` for the clock.
    pub actor: String,
    /// [`Event::key`], or `consultee`, `lien-renouvele`, `relance`, `envoyee`.
    pub event: String,
    /// The state after it.
    pub state: State,
    /// Its text (erased with the personal fields).
    pub note: String,
}

/// A referral as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    pub id: i64,
    pub cite: String,
    /// The action's fiche number.
    pub fiche: u32,
    /// The sender's account email.
    pub sender: String,
    pub state: State,
    /// Unix seconds: when it was sent, when it entered its state, when the
    /// operator first answered, when it closed, when the operator was
    /// reminded (in this wait), when its personal fields were erased.
    pub sent_at: i64,
    pub since: i64,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub reminded_at: Option<i64>,
    pub erased_at: Option<i64>,
    /// `None` once erased.
    pub details: Option<Details>,
    /// Oldest first.
    pub history: Vec<HistoryLine>,
}

/// What the clock owes a referral at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Remind the operator (once per wait).
    Remind,
    Expire,
    /// Erase its personal fields.
    Erase,
}

/// What the clock owes this referral at `now`, given the retention delay.
pub fn due(r: &Referral, now: i64, retention_days: u32) -> Option<Due> {
    let waited = now - r.since;
    match r.state {
        State::Sent | State::NeedsDetails if waited >= EXPIRY_DAYS * DAY => Some(Due::Expire),
        State::Sent if waited >= REMINDER_DAYS * DAY && r.reminded_at.is_none() => {
            Some(Due::Remind)
        }
        s if s.is_closed()
            && r.erased_at.is_none()
            && r.closed_at
                .is_some_and(|c| now - c >= i64::from(retention_days) * DAY) =>
        {
            Some(Due::Erase)
        }
        _ => None,
    }
}

/// A referral's dates without anything personal: what the coordination's
/// counts are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub fiche: u32,
    pub state: State,
    pub sent_at: i64,
    pub answered_at: Option<i64>,
}

/// The counts of one action's referrals.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionCounts {
    pub fiche: u32,
    /// In the order of [`State::ALL`].
    pub by_state: [u32; 6],
    pub received: u32,
    /// Days from sending to the first answer, the median of those answered.
    pub median_days_to_answer: Option<f64>,
    /// (year, received, accepted), by year of sending: what the review shows.
    pub years: Vec<(i32, u32, u32)>,
}

impl ActionCounts {
    /// The years in words, as the counts page and the review show them
    /// (« 2026 : 3 reçues, 2 acceptées ; … »).
    pub fn years_in_words(&self) -> String {
        let plural = |n: u32| if n > 1 { "s" } else { "" };
        self.years
            .iter()
            .map(|(y, r, a)| {
                format!(
                    "{y}\u{a0}: {r} reçue{}, {a} acceptée{}",
                    plural(*r),
                    plural(*a)
                )
            })
            .collect::<Vec<_>>()
            .join(" ; ")
    }
}

/// The year (UTC) of a unix instant.
pub fn year_of(unix: i64) -> i32 {
    // Days since 1970-01-01 to a civil year (Howard Hinnant's algorithm).
    let z = unix.div_euclid(DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    i32::try_from(year).unwrap_or(i32::MAX)
}

/// The counts per action, by fiche number.
pub fn counts(stats: &[Stat]) -> Vec<ActionCounts> {
    let mut fiches: Vec<u32> = stats.iter().map(|s| s.fiche).collect();
    fiches.sort_unstable();
    fiches.dedup();
    fiches
        .into_iter()
        .map(|fiche| {
            let mine: Vec<&Stat> = stats.iter().filter(|s| s.fiche == fiche).collect();
            let mut by_state = [0u32; 6];
            for s in &mine {
                if let Some(i) = State::ALL.iter().position(|x| *x == s.state) {
                    by_state[i] += 1;
                }
            }
            let mut delays: Vec<i64> = mine
                .iter()
                .filter_map(|s| s.answered_at.map(|a| a - s.sent_at))
                .collect();
            delays.sort_unstable();
            #[allow(clippy::cast_precision_loss, reason = "delays are far below 2^52 s")]
            let median = match delays.len() {
                0 => None,
                n if n % 2 == 1 => Some(delays[n / 2] as f64 / DAY as f64),
                n => Some((delays[n / 2 - 1] + delays[n / 2]) as f64 / 2.0 / DAY as f64),
            };
            let mut years: Vec<(i32, u32, u32)> = Vec::new();
            for s in &mine {
                let year = year_of(s.sent_at);
                let accepted = u32::from(s.state == State::Accepted);
                match years.iter_mut().find(|(y, _, _)| *y == year) {
                    Some(row) => {
                        row.1 += 1;
                        row.2 += accepted;
                    }
                    None => years.push((year, 1, accepted)),
                }
            }
            years.sort_unstable();
            ActionCounts {
                fiche,
                by_state,
                received: u32::try_from(mine.len()).unwrap_or(u32::MAX),
                median_days_to_answer: median,
                years,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;

//! Taking part in an event: registrations with ranked workshops, their fair
//! assignment, and contributions to the board (abandon / maintain / invent).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::Email;

/// Who a participant is, as they say when registering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParticipantKind {
    Parent,
    Enseignant,
    ProfessionnelEducation,
    Association,
    Institution,
    Jeune,
    Autre,
}

impl ParticipantKind {
    pub const ALL: [ParticipantKind; 7] = [
        ParticipantKind::Parent,
        ParticipantKind::Enseignant,
        ParticipantKind::ProfessionnelEducation,
        ParticipantKind::Association,
        ParticipantKind::Institution,
        ParticipantKind::Jeune,
        ParticipantKind::Autre,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ParticipantKind::Parent => "parent",
            ParticipantKind::Enseignant => "enseignant",
            ParticipantKind::ProfessionnelEducation => "professionnel-education",
            ParticipantKind::Association => "association",
            ParticipantKind::Institution => "institution",
            ParticipantKind::Jeune => "jeune",
            ParticipantKind::Autre => "autre",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ParticipantKind::Parent => "Parent",
            ParticipantKind::Enseignant => "Enseignant(e), personnel de l'Éducation nationale",
            ParticipantKind::ProfessionnelEducation => {
                "Professionnel(le) de l'éducation (centre social, médiation, animation…)"
            }
            ParticipantKind::Association => "Association",
            ParticipantKind::Institution => "Institution (Ville, État, Département…)",
            ParticipantKind::Jeune => "Jeune",
            ParticipantKind::Autre => "Autre",
        }
    }

    pub fn from_key(key: &str) -> Option<ParticipantKind> {
        ParticipantKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationStatus {
    /// Has a place at the event.
    Confirmed,
    /// The event is full: waits for a place (in order of registration).
    Waiting,
    /// Cancelled by the participant.
    Cancelled,
}

impl RegistrationStatus {
    pub fn key(self) -> &'static str {
        match self {
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waiting => "waiting",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegistrationStatus::Confirmed => "inscription confirmée",
            RegistrationStatus::Waiting => "en liste d'attente",
            RegistrationStatus::Cancelled => "annulée",
        }
    }

    pub fn from_key(key: &str) -> Option<RegistrationStatus> {
        [
            RegistrationStatus::Confirmed,
            RegistrationStatus::Waiting,
            RegistrationStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

/// What a participant gives when registering (or changing it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationForm {
    pub name: String,
    pub email: Email,
    pub organisation: String,
    pub kind: ParticipantKind,
    /// Workshops by index, most wanted first, each once.
    pub choices: Vec<usize>,
}

/// A registration as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: i64,
    /// The cité whose event it is (its slug).
    pub cite: String,
    /// The event's slug.
    pub event: String,
    pub name: String,
    /// None once anonymised.
    pub email: Option<Email>,
    pub organisation: String,
    pub kind: ParticipantKind,
    pub choices: Vec<usize>,
    pub status: RegistrationStatus,
    /// The workshop assigned by the organisers, if any.
    pub workshop: Option<usize>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// Assigns registrants to workshops by their ranked choices, within the
/// workshops' capacities (`None`: no limit).
///
/// `wishes` are the registrants' ranked choices (workshop indexes), in order
/// of priority: the order of registration. The algorithm goes rank by rank:
/// first every registrant, in priority order, gets their first choice if it
/// has a place left; then those still without a workshop get their second
/// choice if it has a place left; and so on. So:
///
/// - no workshop gets more people than its capacity;
/// - nobody is left without a workshop while a workshop they ranked has a
///   place (places only ever decrease, so it had none at that rank either);
/// - as many people as possible get their first choice, and between two
///   people wanting the last place at the same rank, the earlier registration
///   wins;
/// - the same input gives the same result (no randomness, no hashing).
///
/// Choices naming no workshop, and repeated choices, are ignored. Those who
/// get nothing (every workshop they ranked is full, or they ranked none) get
/// `None`: the organisers see them listed and place them by hand.
pub fn assign(capacities: &[Option<u32>], wishes: &[Vec<usize>]) -> Vec<Option<usize>> {
    let mut left: Vec<Option<u32>> = capacities.to_vec();
    let mut out: Vec<Option<usize>> = vec![None; wishes.len()];
    let longest = wishes.iter().map(Vec::len).max().unwrap_or(0);
    for rank in 0..longest {
        for (who, choices) in wishes.iter().enumerate() {
            if out[who].is_some() {
                continue;
            }
            let Some(&w) = choices.get(rank) else {
                continue;
            };
            if choices[..rank].contains(&w) {
                continue;
            }
            match left.get_mut(w) {
                Some(Some(n)) if *n > 0 => {
                    *n -= 1;
                    out[who] = Some(w);
                }
                Some(None) => out[who] = Some(w),
                _ => {}
            }
        }
    }
    out
}

/// The longest contribution, in characters: a sticky note, not an essay.
pub const MAX_CONTRIBUTION_CHARS: usize = 500;

/// Why a contribution is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContributionError {
    Empty,
    TooLong(usize),
}

impl fmt::Display for ContributionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContributionError::Empty => f.write_str("La contribution est vide."),
            ContributionError::TooLong(n) => write!(
                f,
                "La contribution compte {n} caractères ; {MAX_CONTRIBUTION_CHARS} au plus."
            ),
        }
    }
}

/// A contribution's text, spaces tidied, within the limits.
pub fn contribution_text(text: &str) -> Result<String, ContributionError> {
    let lines: Vec<String> = text
        .replace("\r\n", "\n")
        .lines()
        .map(crate::text::squash_spaces)
        .collect();
    let text = lines.join("\n").trim().to_owned();
    let n = text.chars().count();
    if n == 0 {
        Err(ContributionError::Empty)
    } else if n > MAX_CONTRIBUTION_CHARS {
        Err(ContributionError::TooLong(n))
    } else {
        Ok(text)
    }
}

/// A contribution to the board, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub id: i64,
    /// The cité whose event it is (its slug).
    pub cite: String,
    pub event: String,
    /// The question's key (`q1`, `a2`).
    pub question: String,
    pub text: String,
    /// Who wrote it, as shown ("Nadia B.", "Participant·e").
    pub author: String,
    /// The fiche of the catalogue it is about, if any.
    pub fiche: Option<u32>,
    pub created_at: String,
    /// Hidden by a moderator, with the reason.
    pub hidden: Option<String>,
    pub supports: u32,
}

/// The contributions of one question, most supported first, then oldest
/// first: the order of a restitution.
pub fn by_support(contributions: &mut [Contribution]) {
    contributions.sort_by(|a, b| b.supports.cmp(&a.supports).then(a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for the randomised property test.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n.max(1)
        }
    }

    fn check_properties(capacities: &[Option<u32>], wishes: &[Vec<usize>]) {
        let out = assign(capacities, wishes);
        assert_eq!(out.len(), wishes.len());
        // Same input, same result.
        assert_eq!(out, assign(capacities, wishes));
        // No workshop over capacity.
        for (w, cap) in capacities.iter().enumerate() {
            let n = out.iter().filter(|a| **a == Some(w)).count();
            if let Some(cap) = cap {
                assert!(n <= *cap as usize, "workshop {w}: {n} > {cap}");
            }
        }
        // Everyone assigned got a workshop they ranked.
        for (who, a) in out.iter().enumerate() {
            if let Some(w) = a {
                assert!(wishes[who].contains(w));
            }
        }
        // Nobody left out while a place they ranked is free.
        for (who, a) in out.iter().enumerate() {
            if a.is_none() {
                for &w in &wishes[who] {
                    let Some(cap) = capacities.get(w) else {
                        continue;
                    };
                    let taken = out.iter().filter(|x| **x == Some(w)).count();
                    assert!(
                        cap.is_some_and(|c| taken >= c as usize),
                        "registrant {who} unassigned while workshop {w} has room"
                    );
                }
            }
        }
        // Nobody took, at a later rank, a place someone else wanted earlier:
        // if A ranked w at i, better than what A got, whoever holds w got it
        // at rank i or before.
        let rank_of = |who: usize| out[who].and_then(|w| wishes[who].iter().position(|x| *x == w));
        for (a, wa) in wishes.iter().enumerate() {
            let ra = rank_of(a).unwrap_or(usize::MAX);
            for (i, w) in wa.iter().enumerate().take(ra.min(wa.len())) {
                if wa[..i].contains(w) || capacities.get(*w).is_none() {
                    continue;
                }
                for (b, wb) in out.iter().enumerate() {
                    if *wb == Some(*w) {
                        assert!(
                            rank_of(b).is_some_and(|rb| rb <= i),
                            "{b} holds workshop {w} from a rank after {i}, when {a} wanted it"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn first_choices_first_then_second_in_order_of_registration() {
        // Two places in workshop 0, one in workshop 1, unlimited workshop 2.
        let caps = [Some(2), Some(1), None];
        let wishes = vec![vec![0, 1], vec![0, 2], vec![0, 1], vec![1, 0], vec![]];
        assert_eq!(
            assign(&caps, &wishes),
            [Some(0), Some(0), None, Some(1), None]
        );
        // The third registrant's choices were full at every rank; the fifth ranked none.
    }

    #[test]
    fn repeated_and_unknown_choices_are_ignored() {
        let caps = [Some(1), Some(1)];
        let wishes = vec![vec![0], vec![0, 0, 7, 1]];
        assert_eq!(assign(&caps, &wishes), [Some(0), Some(1)]);
    }

    #[test]
    fn the_properties_hold_over_many_random_inputs() {
        let mut rng = Lcg(2022);
        for _ in 0..2_000 {
            let workshops = 1 + rng.next(6) as usize;
            let capacities: Vec<Option<u32>> = (0..workshops)
                .map(|_| {
                    if rng.next(5) == 0 {
                        None
                    } else {
                        Some(rng.next(8) as u32)
                    }
                })
                .collect();
            let people = rng.next(40) as usize;
            let wishes: Vec<Vec<usize>> = (0..people)
                .map(|_| {
                    let n = rng.next(workshops as u64 + 2) as usize;
                    (0..n)
                        .map(|_| rng.next(workshops as u64 + 1) as usize)
                        .collect()
                })
                .collect();
            check_properties(&capacities, &wishes);
        }
    }

    #[test]
    fn a_contribution_is_short_and_not_empty() {
        assert_eq!(contribution_text("  \n "), Err(ContributionError::Empty));
        assert_eq!(
            contribution_text("Garder   les\r\ncafés des parents ").as_deref(),
            Ok("Garder les\ncafés des parents")
        );
        let long = "a".repeat(MAX_CONTRIBUTION_CHARS + 1);
        assert_eq!(
            contribution_text(&long),
            Err(ContributionError::TooLong(MAX_CONTRIBUTION_CHARS + 1))
        );
    }
}

//! The newsletter (*lettre d'infos*): lists, subscribers, issues and the
//! delivery of each issue to each subscriber, with the rules that decide
//! what a delivery's SMTP answer does (retry, give up, suspend).

use serde::{Deserialize, Serialize};

/// How long a confirmation link stays usable.
pub const CONFIRMATION_DAYS: i64 = 7;

/// How many times a temporary failure (4xx, a lost connection) is tried
/// again before the delivery is given up.
pub const MAX_ATTEMPTS: u32 = 6;

/// A cité's list: people subscribe to lists, an issue goes to one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewsletterList {
    pub id: i64,
    pub cite: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Offered on the public form, and its issues archived publicly.
    pub public: bool,
}

/// Where a subscriber stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SubscriberStatus {
    /// Subscribed by the form, the confirmation link not yet followed:
    /// nothing is sent.
    Pending,
    Confirmed,
    Unsubscribed,
    /// Too many permanent failures: nothing is sent until they subscribe again.
    Suspended,
}

impl SubscriberStatus {
    pub fn key(self) -> &'static str {
        match self {
            SubscriberStatus::Pending => "pending",
            SubscriberStatus::Confirmed => "confirmed",
            SubscriberStatus::Unsubscribed => "unsubscribed",
            SubscriberStatus::Suspended => "suspended",
        }
    }

    pub fn from_key(key: &str) -> Option<SubscriberStatus> {
        [
            SubscriberStatus::Pending,
            SubscriberStatus::Confirmed,
            SubscriberStatus::Unsubscribed,
            SubscriberStatus::Suspended,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    /// As the administration pages say it.
    pub fn label(self) -> &'static str {
        match self {
            SubscriberStatus::Pending => "en attente de confirmation",
            SubscriberStatus::Confirmed => "confirmé",
            SubscriberStatus::Unsubscribed => "désinscrit",
            SubscriberStatus::Suspended => "suspendu (adresse en échec)",
        }
    }
}

/// One subscriber of a cité (one per address and cité).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscriber {
    pub id: i64,
    pub cite: String,
    pub email: String,
    pub status: SubscriberStatus,
    /// The lists they receive (ids), confirmed ones only.
    pub lists: Vec<i64>,
    /// How consent was given: `formulaire` or `import : <basis>`.
    pub consent_source: String,
    /// When consent was given (RFC 3339).
    pub consent_at: String,
    pub confirmed_at: Option<String>,
    /// Permanent failures since the last success.
    pub bounces: u32,
    pub created_at: String,
    /// The token of the preferences and unsubscribe links of every mail.
    pub token: String,
}

/// One line of a subscriber's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscriberEvent {
    pub at: String,
    /// `subscribed`, `confirmed`, `lists`, `unsubscribed`, `bounced`,
    /// `suspended`, `imported`.
    pub event: String,
    pub detail: String,
}

impl SubscriberEvent {
    /// As the history says it.
    pub fn label(&self) -> &'static str {
        match self.event.as_str() {
            "subscribed" => "inscription demandée",
            "confirmed" => "inscription confirmée",
            "lists" => "listes modifiées",
            "unsubscribed" => "désinscription",
            "bounced" => "échec définitif de distribution",
            "suspended" => "adresse suspendue",
            "imported" => "ajout par import",
            _ => "événement",
        }
    }
}

/// What a subscription by the public form did: always answered the same way
/// to the visitor (nobody learns whether an address is known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscribed {
    /// A confirmation link is to be sent to the address.
    Confirm,
    /// No list the address could receive was asked for: nothing to send.
    Nothing,
}

/// Where an issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum IssueStatus {
    Draft,
    /// To be sent at `scheduled_at`.
    Scheduled,
    /// Its deliveries are queued; some still wait.
    Sending,
    Sent,
}

impl IssueStatus {
    pub fn key(self) -> &'static str {
        match self {
            IssueStatus::Draft => "draft",
            IssueStatus::Scheduled => "scheduled",
            IssueStatus::Sending => "sending",
            IssueStatus::Sent => "sent",
        }
    }

    pub fn from_key(key: &str) -> Option<IssueStatus> {
        [
            IssueStatus::Draft,
            IssueStatus::Scheduled,
            IssueStatus::Sending,
            IssueStatus::Sent,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            IssueStatus::Draft => "brouillon",
            IssueStatus::Scheduled => "programmée",
            IssueStatus::Sending => "en cours d'envoi",
            IssueStatus::Sent => "envoyée",
        }
    }

    /// Whether it can still be changed.
    pub fn editable(self) -> bool {
        matches!(self, IssueStatus::Draft | IssueStatus::Scheduled)
    }
}

/// What an issue is made of, besides its introduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Blocks {
    /// The actions added or changed since the list's last issue.
    #[serde(default)]
    pub changes: bool,
    /// The next events, with their registration links.
    #[serde(default)]
    pub events: bool,
    /// One fiche presented.
    #[serde(default)]
    pub fiche: Option<u32>,
    /// A free block, in Markdown.
    #[serde(default)]
    pub free: String,
}

/// An issue of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub id: i64,
    pub cite: String,
    pub list: i64,
    pub title: String,
    /// Markdown.
    pub intro: String,
    pub blocks: Blocks,
    pub status: IssueStatus,
    pub scheduled_at: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// What was mailed, frozen when it was queued: the body's HTML and text
    /// (without the links of each recipient).
    pub html: Option<String>,
    pub text: Option<String>,
}

/// What an administrator writes of an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueDraft {
    pub list: i64,
    pub title: String,
    pub intro: String,
    pub blocks: Blocks,
}

/// Where the deliveries of an issue stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    pub waiting: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
    /// Not sent because the address left the list meanwhile.
    pub cancelled: u64,
}

impl Progress {
    pub fn total(&self) -> u64 {
        self.waiting + self.sending + self.sent + self.failed + self.cancelled
    }

    /// Whether nothing remains to be tried.
    pub fn done(&self) -> bool {
        self.waiting == 0 && self.sending == 0
    }
}

/// A delivery taken from the queue by one worker, to be sent now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub issue: i64,
    pub subscriber: i64,
    pub cite: String,
    pub email: String,
    pub token: String,
    /// Tries before this one.
    pub attempts: u32,
}

/// What the SMTP server answered a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (2xx): the answer's text.
    Sent(String),
    /// A temporary failure (4xx, or no answer): tried again later.
    Temporary(String),
    /// A permanent failure (5xx): counted as a bounce.
    Permanent(String),
}

impl Outcome {
    /// The answer, as recorded on the delivery.
    pub fn answer(&self) -> &str {
        match self {
            Outcome::Sent(a) | Outcome::Temporary(a) | Outcome::Permanent(a) => a,
        }
    }
}

/// Seconds to wait before trying again after `attempts` tries: one minute,
/// doubled at each try, at most six hours.
pub fn backoff(attempts: u32) -> i64 {
    60i64
        .saturating_mul(1i64 << (attempts.clamp(1, 20) - 1))
        .min(6 * 3600)
}

/// Seconds after which a delivery taken by a worker that said nothing more
/// (stopped, killed) is taken again by any worker.
pub const LEASE_SECS: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_and_stops_at_six_hours() {
        assert_eq!(backoff(1), 60);
        assert_eq!(backoff(2), 120);
        assert_eq!(backoff(3), 240);
        assert_eq!(backoff(20), 6 * 3600);
    }

    #[test]
    fn statuses_read_back_their_keys() {
        for s in [
            SubscriberStatus::Pending,
            SubscriberStatus::Confirmed,
            SubscriberStatus::Unsubscribed,
            SubscriberStatus::Suspended,
        ] {
            assert_eq!(SubscriberStatus::from_key(s.key()), Some(s));
        }
        for s in [
            IssueStatus::Draft,
            IssueStatus::Scheduled,
            IssueStatus::Sending,
            IssueStatus::Sent,
        ] {
            assert_eq!(IssueStatus::from_key(s.key()), Some(s));
        }
        assert_eq!(SubscriberStatus::from_key("other"), None);
    }
}

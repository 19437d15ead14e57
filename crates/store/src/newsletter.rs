//! What the newsletter asks of storage: lists, subscribers and their
//! history, issues, and the delivery queue.

use async_trait::async_trait;
use passerelle_domain::newsletter::{
    Claimed, Issue, IssueDraft, NewsletterList, Outcome, Progress, Subscribed, Subscriber,
    SubscriberEvent,
};

use crate::StoreError;

/// A subscription asked for by the public form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription<'a> {
    pub cite: &'a str,
    pub email: &'a str,
    /// Ids of the lists asked for (public lists of the cité only are kept).
    pub lists: &'a [i64],
    /// SHA-256 of the confirmation link's token.
    pub confirm_hash: &'a str,
    /// Unix seconds after which the link is refused.
    pub confirm_expires: i64,
    /// A new preferences token, used if the address is new.
    pub token: &'a str,
}

/// What an import of subscribers did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Imported {
    /// New addresses.
    pub added: u64,
    /// Known addresses, given the lists.
    pub known: u64,
    /// Addresses left alone: they unsubscribed or were suspended.
    pub refused: Vec<String>,
}

/// Newsletter storage. Every method that names a cité reads and writes
/// that cité only.
#[async_trait]
pub trait NewsletterStore: Send + Sync + std::fmt::Debug {
    /// Creates a list; `None` if the cité has one with this slug already.
    async fn create_list(&self, list: &NewsletterList) -> Result<Option<i64>, StoreError>;
    /// Changes a list's name, description and public flag.
    async fn update_list(&self, list: &NewsletterList) -> Result<bool, StoreError>;
    /// The cité's lists, by name.
    async fn lists(&self, cite: &str) -> Result<Vec<NewsletterList>, StoreError>;

    /// Records a subscription asked for by the public form: a new address is
    /// pending; a known one keeps what it receives and gets the new lists
    /// once it confirms. Nothing is sent to it before.
    async fn subscribe(&self, request: &Subscription<'_>) -> Result<Subscribed, StoreError>;
    /// Follows a confirmation link (one use, before it expires): the
    /// subscriber and the lists asked for are confirmed.
    async fn confirm(&self, confirm_hash: &str, now: i64)
    -> Result<Option<Subscriber>, StoreError>;
    /// The subscriber a mail's preferences link names.
    async fn subscriber_by_token(&self, token: &str) -> Result<Option<Subscriber>, StoreError>;
    /// Sets the lists a subscriber receives (from their preferences page;
    /// no list at all is an unsubscription).
    async fn set_lists(&self, token: &str, lists: &[i64]) -> Result<bool, StoreError>;
    /// Unsubscribes at once from every list; the deliveries still waiting
    /// for them are cancelled. `false` if the token names nobody.
    async fn unsubscribe(&self, token: &str) -> Result<bool, StoreError>;
    /// Adds confirmed subscribers to lists of the cité, with the recorded
    /// consent basis, in one transaction; an address already known gains
    /// the lists; one that unsubscribed or was suspended is left alone
    /// (an import never subscribes again someone who left). Each address
    /// comes with the preferences token it gets if it is new.
    async fn import_subscribers(
        &self,
        cite: &str,
        emails: &[(String, String)],
        lists: &[i64],
        basis: &str,
        actor: &str,
    ) -> Result<Imported, StoreError>;
    /// The cité's subscribers, by address.
    async fn subscribers(&self, cite: &str) -> Result<Vec<Subscriber>, StoreError>;
    /// One subscriber of the cité, with their history (oldest first).
    async fn subscriber(
        &self,
        cite: &str,
        id: i64,
    ) -> Result<Option<(Subscriber, Vec<SubscriberEvent>)>, StoreError>;
    /// Erases a subscriber and everything about them (history, deliveries).
    async fn erase_subscriber(&self, cite: &str, id: i64) -> Result<bool, StoreError>;
    /// Erases the subscriptions never confirmed whose link expired before
    /// `now`. Returns how many.
    async fn erase_unconfirmed(&self, now: i64) -> Result<u64, StoreError>;

    /// Creates an issue (a draft).
    async fn create_issue(&self, cite: &str, draft: &IssueDraft) -> Result<i64, StoreError>;
    /// Changes a draft or scheduled issue; `false` if it is queued already.
    async fn update_issue(
        &self,
        cite: &str,
        id: i64,
        draft: &IssueDraft,
    ) -> Result<bool, StoreError>;
    /// Schedules an editable issue for `at` (RFC 3339), or back to a draft.
    async fn schedule_issue(
        &self,
        cite: &str,
        id: i64,
        at: Option<&str>,
    ) -> Result<bool, StoreError>;
    /// The cité's issues, newest first.
    async fn issues(&self, cite: &str) -> Result<Vec<Issue>, StoreError>;
    async fn issue(&self, cite: &str, id: i64) -> Result<Option<Issue>, StoreError>;
    /// When the list's last issue was queued, if any.
    async fn last_issue_at(&self, cite: &str, list: i64) -> Result<Option<String>, StoreError>;
    /// The scheduled issues due at `now` (RFC 3339), as (cité, id).
    async fn due_issues(&self, now: &str) -> Result<Vec<(String, i64)>, StoreError>;

    /// Queues an editable issue, in one transaction: its content frozen, one
    /// delivery per confirmed subscriber of its list (unique on issue and
    /// subscriber). Returns how many were queued, or `None` if the issue was
    /// queued already (by another server, or a second click).
    async fn enqueue(
        &self,
        cite: &str,
        id: i64,
        html: &str,
        text: &str,
    ) -> Result<Option<u64>, StoreError>;
    /// Takes up to `limit` deliveries due at `now` (unix seconds), waiting or
    /// left `sending` by a worker silent for [`passerelle_domain::newsletter::LEASE_SECS`]:
    /// they are `sending` until recorded. Two workers never take the same row.
    async fn claim(&self, now: i64, limit: u32) -> Result<Vec<Claimed>, StoreError>;
    /// Records the SMTP answer of a delivery in the transaction that changes
    /// its state: sent; waiting again after a backoff (temporary); failed
    /// (permanent, or temporary too many times), a permanent failure
    /// counting as a bounce and `max_bounces` of them suspending the
    /// address. The issue is sent when no delivery remains.
    async fn record(
        &self,
        delivery: &Claimed,
        outcome: &Outcome,
        now: i64,
        max_bounces: u32,
    ) -> Result<(), StoreError>;
    /// Where the deliveries of an issue stand.
    async fn progress(&self, cite: &str, id: i64) -> Result<Progress, StoreError>;
    /// Where every delivery of the instance stands (the queue's depth).
    async fn queue(&self) -> Result<Progress, StoreError>;
}

/// Deliveries counted by status (`status`, count), as a [`Progress`].
pub fn tally(rows: Vec<(String, i64)>) -> Progress {
    let mut p = Progress::default();
    for (status, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        match status.as_str() {
            "waiting" => p.waiting = n,
            "sending" => p.sending = n,
            "sent" => p.sent = n,
            "failed" => p.failed = n,
            _ => p.cancelled = n,
        }
    }
    p
}

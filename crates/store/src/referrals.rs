//! What referrals ask of storage: the referral with its personal fields
//! and history, the operator's link, the clock's work, and counts that
//! hold nothing personal.

use async_trait::async_trait;
use passerelle_domain::referral::{Details, Due, Event, Referral, Stat, State};

use crate::StoreError;

/// A referral being sent.
#[derive(Debug, Clone, Copy)]
pub struct NewReferral<'a> {
    pub cite: &'a str,
    pub fiche: u32,
    /// The sender's account email.
    pub sender: &'a str,
    pub details: &'a Details,
    /// SHA-256 of the link's token mailed to the operator.
    pub link_hash: &'a str,
    /// Unix seconds after which the link is refused.
    pub link_expires: i64,
    /// Unix seconds.
    pub now: i64,
}

/// Referral storage. Every method that names a cité reads and writes that
/// cité only.
#[async_trait]
pub trait ReferralStore: Send + Sync + std::fmt::Debug {
    /// Records a referral sent, with its first history line.
    async fn create_referral(&self, new: &NewReferral<'_>) -> Result<i64, StoreError>;
    /// One referral, with its history (oldest first).
    async fn referral(&self, cite: &str, id: i64) -> Result<Option<Referral>, StoreError>;
    /// The referral a link's token names (by its SHA-256), with the link's
    /// expiry; whatever the expiry (the caller says it expired).
    async fn referral_by_link(
        &self,
        link_hash: &str,
    ) -> Result<Option<(Referral, i64)>, StoreError>;
    /// Applies an event, conditional on the referral's state being the one
    /// it was read in (of two answers at once, one only is recorded), and
    /// records it in the history in the same transaction. Returns the new
    /// state, or `None` if the event may not happen now.
    async fn move_referral(
        &self,
        cite: &str,
        id: i64,
        event: &Event,
        actor: &str,
        now: i64,
    ) -> Result<Option<State>, StoreError>;
    /// Replaces the operator's link (the old one stops working), for a
    /// referral whose personal fields are still kept; recorded in the
    /// history. With `remind`, only once per wait for an answer and only
    /// while it is [`State::Sent`]: the reminder.
    async fn renew_link(
        &self,
        cite: &str,
        id: i64,
        link_hash: &str,
        expires: i64,
        remind: bool,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Records that someone who is neither the sender nor the operator (an
    /// administrator, for support) opened the referral.
    async fn note_access(
        &self,
        cite: &str,
        id: i64,
        actor: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The referrals an account sent in a cité, newest first (no history).
    async fn referrals_sent(&self, cite: &str, sender: &str) -> Result<Vec<Referral>, StoreError>;
    /// The referrals sent to an action, newest first (no history).
    async fn referrals_to(&self, cite: &str, fiche: u32) -> Result<Vec<Referral>, StoreError>;
    /// The dates and states of a cité's referrals, nothing personal.
    async fn referral_stats(&self, cite: &str) -> Result<Vec<Stat>, StoreError>;
    /// What the clock owes at `now`, in every cité, as (cité, id, what).
    async fn due_referrals(
        &self,
        now: i64,
        retention_days: u32,
    ) -> Result<Vec<(String, i64, Due)>, StoreError>;
    /// Erases a referral's personal fields (the details, the link, the
    /// history's texts), keeping its state and dates for the counts.
    async fn erase_referral(&self, cite: &str, id: i64, now: i64) -> Result<bool, StoreError>;
}

//! What calls for projects ask of storage: the calls, their reviewers,
//! the applications with their history, the scores, the declared
//! conflicts, the private annotations and the attachments. Every method
//! that names a cité reads and writes that cité only.

use async_trait::async_trait;
use passerelle_domain::call::application::{Application, Form};
use passerelle_domain::call::{Call, Event, Score, State, StepKind};
use passerelle_domain::money::Cents;

use crate::StoreError;

/// A call as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCall {
    pub id: i64,
    pub cite: String,
    pub call: Call,
    /// Unix seconds; `None` while it is a draft only its administrators see.
    pub published_at: Option<i64>,
    /// Each save adds one; a save names the version it changes.
    pub version: i64,
    pub reviewers: Vec<String>,
    /// One more at each write to the call, its applications, their scores
    /// or conflicts: what was read at a revision holds while it is current.
    pub revision: i64,
}

/// Who writes, and when (unix seconds).
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub actor: &'a str,
    pub now: i64,
}

/// A move of an application, made by `actor` at `now`.
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    pub event: Event,
    /// The state it was read in: of two moves at once, one only happens.
    pub from: State,
    pub to: State,
    /// The step it is in afterwards.
    pub step: StepKind,
    pub actor: &'a str,
    /// The message of a request, the reason of a decision.
    pub note: &'a str,
    pub now: i64,
}

/// A file attached to an application, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: i64,
    pub application: i64,
    pub name: String,
    /// What its bytes are (`application/pdf`…), as sniffed.
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub at: i64,
}

/// A private annotation of the cité on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub author: String,
    pub at: i64,
    pub text: String,
}

/// A committee's meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committee {
    pub id: i64,
    pub call: i64,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// The members present, as typed.
    pub members: Vec<String>,
}

/// A committee's decision on an application, with the amount proposed
/// per funder line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub application: i64,
    pub committee: i64,
    pub state: State,
    pub reason: String,
    pub amounts: Vec<(String, Cents)>,
    pub at: i64,
    pub actor: String,
}

#[async_trait]
pub trait CallStore: Send + Sync + std::fmt::Debug {
    /// Creates a call (unpublished); returns its id.
    async fn create_call(
        &self,
        cite: &str,
        call: &Call,
        actor: &str,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// Saves a call still at `version`, publishing it when `publish` (its
    /// first publication date kept); returns its new version, or `None`
    /// when someone saved it meanwhile (nothing written).
    async fn save_call(
        &self,
        cite: &str,
        id: i64,
        call: &Call,
        version: i64,
        publish: bool,
        by: By<'_>,
    ) -> Result<Option<i64>, StoreError>;
    async fn call(&self, cite: &str, id: i64) -> Result<Option<StoredCall>, StoreError>;
    /// A cité's calls, newest first.
    async fn calls(&self, cite: &str) -> Result<Vec<StoredCall>, StoreError>;
    /// Names the call's reviewers (replacing the list).
    async fn set_reviewers(
        &self,
        cite: &str,
        call: i64,
        reviewers: &[String],
        actor: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Starts a draft application of `applicant` to a call.
    async fn create_application(
        &self,
        cite: &str,
        call: i64,
        applicant: &str,
        step: StepKind,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// One application with its history.
    async fn application(&self, cite: &str, id: i64) -> Result<Option<Application>, StoreError>;
    /// The applications of an applicant in a cité, newest first.
    async fn applications_of(
        &self,
        cite: &str,
        applicant: &str,
    ) -> Result<Vec<Application>, StoreError>;
    /// The applications to a call (drafts excepted), oldest first.
    async fn applications_to(&self, cite: &str, call: i64) -> Result<Vec<Application>, StoreError>;
    /// Saves the form of an application its applicant may still change
    /// (a draft, or one sent back for more); false otherwise.
    async fn save_form(
        &self,
        cite: &str,
        id: i64,
        applicant: &str,
        form: &Form,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Deletes a draft of its applicant, with its attachments.
    async fn delete_draft(&self, cite: &str, id: i64, applicant: &str) -> Result<bool, StoreError>;
    /// Moves an application still in `from`, recording the move in its
    /// history and the activity log; false if it was no longer in `from`.
    async fn move_application(&self, cite: &str, id: i64, m: &Move<'_>)
    -> Result<bool, StoreError>;

    /// Every score of a call's applications, as (application, score).
    async fn scores(&self, cite: &str, call: i64) -> Result<Vec<(i64, Score)>, StoreError>;
    /// Saves one reviewer's score of one criterion (replacing theirs).
    async fn save_score(
        &self,
        cite: &str,
        application: i64,
        score: &Score,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Records a reviewer's declared conflict of interest with an
    /// application: their scores of it are removed.
    async fn declare_conflict(
        &self,
        cite: &str,
        application: i64,
        reviewer: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The declared conflicts of a call, as (application, reviewer).
    async fn conflicts(&self, cite: &str, call: i64) -> Result<Vec<(i64, String)>, StoreError>;
    async fn annotate(
        &self,
        cite: &str,
        application: i64,
        author: &str,
        text: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Oldest first.
    async fn annotations(
        &self,
        cite: &str,
        application: i64,
    ) -> Result<Vec<Annotation>, StoreError>;

    /// Stores a file of an application; returns its id.
    async fn add_attachment(
        &self,
        cite: &str,
        info: &AttachmentInfo,
        bytes: &[u8],
    ) -> Result<i64, StoreError>;
    async fn attachments(
        &self,
        cite: &str,
        application: i64,
    ) -> Result<Vec<AttachmentInfo>, StoreError>;
    /// One file of one application, with its bytes.
    async fn attachment(
        &self,
        cite: &str,
        application: i64,
        id: i64,
    ) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError>;
    async fn delete_attachment(
        &self,
        cite: &str,
        application: i64,
        id: i64,
    ) -> Result<bool, StoreError>;

    /// Records a committee's meeting; returns its id.
    async fn create_committee(
        &self,
        cite: &str,
        call: i64,
        held_on: &str,
        members: &[String],
        by: By<'_>,
    ) -> Result<i64, StoreError>;
    /// A call's committees, oldest first.
    async fn committees(&self, cite: &str, call: i64) -> Result<Vec<Committee>, StoreError>;
    /// Moves an application to the committee's decision (`m.to`), with the
    /// amounts proposed, in one transaction: the move and the amounts are
    /// in its history; false if it was no longer in `m.from`.
    async fn decide(
        &self,
        cite: &str,
        id: i64,
        m: &Move<'_>,
        committee: i64,
        amounts: &[(String, Cents)],
    ) -> Result<bool, StoreError>;
    /// The decisions on a call's applications.
    async fn decisions(&self, cite: &str, call: i64) -> Result<Vec<Decision>, StoreError>;
    /// Adds a line to an application's history (and the activity log)
    /// without moving it: what became of it (`action`: the fiche it
    /// became).
    async fn log_application(
        &self,
        cite: &str,
        id: i64,
        event: &str,
        note: &str,
        by: By<'_>,
    ) -> Result<bool, StoreError>;
    /// The applications refused or *sans suite* since before `before`
    /// (unix seconds) whose personal data are not erased yet, as (cité, id).
    async fn due_erasures(&self, before: i64) -> Result<Vec<(String, i64)>, StoreError>;
    /// Erases an application's personal data: the person to contact and
    /// the representative in its form, its applicant's address, its files,
    /// its annotations and the reviewers' comments; its state, dates,
    /// scores and amounts stay. False if it was erased already.
    async fn erase_application(&self, cite: &str, id: i64, now: i64) -> Result<bool, StoreError>;
}

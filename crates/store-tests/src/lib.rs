//! The conformance suite of the store traits: every test is written once,
//! against the traits of [`passerelle_store::Store`],
//! and each database's store crate runs all of them with [`conformance!`]
//! and a [`Harness`] that gives a store on a fresh database. So the stores
//! cannot drift apart: what one guarantees, the other does too.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test suite: a failed unwrap is a failed test"
)]

use async_trait::async_trait;
use passerelle_domain::{Catalogue, Email, Entity, ParticipantKind, RegistrationForm, diff};
use passerelle_store::{CatalogueStore, ImportRecord};

pub mod accounts;
pub mod backup;
pub mod calls;
pub mod catalogue;
pub mod concurrency;
pub mod editing;
pub mod funding;
pub mod newsletter;
pub mod participation;
pub mod referrals;
pub mod signin;

/// What a store under test implements.
pub trait Store: passerelle_store::Store + Clone + 'static {}

impl<T> Store for T where T: passerelle_store::Store + Clone + 'static {}

/// How a database's tests get their stores.
#[async_trait]
pub trait Harness: Send + Sync {
    type Store: Store;

    /// Whether the database reports other servers' writes
    /// ([`passerelle_store::Store::changes`]).
    const FEED: bool;

    /// A store on a new, empty database of its own, which several
    /// connections use at once (not an in-memory database of one).
    async fn fresh(&self) -> Self::Store;

    /// A directory for files (backups), removed after the test.
    fn scratch(&self) -> std::path::PathBuf;

    /// Runs one SQL statement on the database of a store this harness gave,
    /// on a connection of its own: to show what the database itself refuses.
    async fn execute(&self, store: &Self::Store, sql: &str) -> Result<(), String>;
}

/// Runs one SQL statement on the database at `url`, on a connection of its
/// own (`C`: the database's connection type), for [`Harness::execute`].
pub async fn execute_on<C>(url: &str, sql: &str) -> Result<(), String>
where
    C: sqlx::Connection,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
{
    let mut conn = C::connect(url).await.map_err(|e| e.to_string())?;
    let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string());
    let _ = conn.close().await;
    done
}

/// Generates one `#[tokio::test]` per test of the suite, each running on
/// the harness `$harness` evaluates to (`Option<H>`: `None` skips the
/// suite, for a database the machine does not have, with a message).
#[macro_export]
macro_rules! conformance {
    ($harness:expr) => {
        $crate::conformance!(@each $harness;
            catalogue::updates_and_removals_apply_in_place,
            catalogue::an_unknown_cite_has_no_entities,
            catalogue::cites_are_listed_in_the_order_they_were_added,
            backup::a_backup_taken_during_writes_is_consistent_and_restores_exactly,
            backup::backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup,
            backup::after_a_restore_editing_goes_on_and_history_keeps_everything,
            catalogue::an_export_imported_into_an_empty_database_is_the_same_database,
            editing::of_two_concurrent_edits_one_wins_and_the_other_gets_what_changed,
            editing::an_edit_then_restoring_the_previous_version_gives_it_back_exactly,
            editing::creating_twice_conflicts_and_missing_entities_are_none,
            editing::history_and_activity_cannot_be_altered,
            editing::an_archived_entity_leaves_the_catalogue_keeps_its_history_and_comes_back,
            editing::every_write_raises_its_cites_version_and_the_feed_tells,
            editing::each_entity_has_the_dates_of_its_first_and_last_version,
            accounts::accounts_are_unique_by_email_whatever_its_case,
            accounts::a_role_in_one_cite_is_changed_or_taken_away_without_touching_another,
            accounts::a_one_time_link_works_once_and_not_after_it_expires,
            accounts::api_tokens_name_their_account_until_revoked_or_deactivated,
            accounts::failures_count_over_their_window_and_are_cleared,
            accounts::a_password_reset_ends_the_other_reset_links_and_the_api_tokens,
            accounts::a_server_key_is_written_once_and_shared,
            signin::sessions_end_when_idle_or_old_and_their_owner_ends_them,
            signin::a_totp_step_and_a_recovery_code_work_once_and_enrolling_ends_other_sessions,
            signin::a_sign_in_under_way_is_taken_once_and_not_after_ten_minutes,
            signin::an_identity_moves_its_account_to_a_new_email_and_a_taken_one_is_a_conflict,
            signin::an_allow_listed_account_waits_for_a_role_and_an_invitation_is_accepted_by_email,
            participation::a_full_event_keeps_a_waiting_list_that_moves_up_when_someone_cancels,
            participation::each_person_supports_a_contribution_once_and_concurrent_supports_all_count,
            concurrency::a_hundred_registrations_for_forty_places_then_twenty_cancellations,
            concurrency::sixteen_saves_of_one_entity_from_the_same_version_one_wins,
            concurrency::concurrent_imports_of_two_cites_and_edits_all_land,
            newsletter::nothing_is_sent_before_confirmation_and_a_confirmation_link_works_once,
            newsletter::workers_share_the_queue_and_each_subscriber_gets_each_issue_once,
            newsletter::a_delivery_left_sending_by_a_stopped_worker_is_taken_again_after_its_lease,
            newsletter::temporary_failures_wait_and_permanent_ones_suspend_the_address,
            newsletter::an_unsubscription_cancels_what_waits_and_no_import_brings_it_back,
            newsletter::unconfirmed_subscriptions_are_erased_once_their_link_expired,
            newsletter::a_cites_subscribers_and_issues_are_its_own,
            newsletter::a_scheduled_issue_is_due_at_its_time_and_a_queued_one_is_frozen,
            referrals::a_referral_moves_as_answered_and_two_answers_at_once_record_one,
            referrals::the_clock_reminds_expires_and_erases_keeping_the_counts,
            calls::an_application_moves_from_the_state_it_was_read_in_and_keeps_its_history,
            calls::scores_conflicts_annotations_and_files_are_kept_per_application,
            calls::a_committee_decides_once_with_its_amounts_in_cents,
            calls::a_refused_application_is_erased_after_its_retention_keeping_its_counts,
            funding::lines_and_envelopes_keep_every_version_with_who_and_a_stale_save_writes_nothing,
            funding::of_concurrent_saves_of_one_line_from_the_same_version_one_lands,
            funding::a_report_is_submitted_once_and_accepted_a_reminder_claimed_once_and_a_revue_saved_from_its_version,
        );
    };
    (@each $harness:expr; $($module:ident :: $test:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                if let Some(harness) = $harness {
                    $crate::$module::$test(&harness).await;
                }
            }
        )*
    };
}

/// The bundled Roubaix programme.
pub fn roubaix() -> Catalogue {
    passerelle_livret::bundled::roubaix().unwrap().1.catalogue
}

/// The record of a test import.
pub fn record() -> ImportRecord {
    ImportRecord {
        source: "test".into(),
        added: 0,
        updated: 0,
        removed: 0,
        report: "[]".into(),
    }
}

/// A fresh store holding Roubaix.
pub async fn seeded<H: Harness>(h: &H) -> H::Store {
    let store = h.fresh().await;
    let entities = roubaix().to_entities();
    store
        .apply("roubaix", &entities, &diff(&[], &entities), &record())
        .await
        .unwrap();
    store
}

/// Fiche 1's key.
pub const FICHE_1: &str = "programmation-2020-2022/fiche-1";

/// An entity with another title.
pub fn retitled(e: &Entity, title: &str) -> Entity {
    let mut e = e.clone();
    e.body["title"] = serde_json::Value::String(title.to_owned());
    e
}

/// A registration form for this address.
pub fn form(email: &str) -> RegistrationForm {
    RegistrationForm {
        name: "Nadia".into(),
        email: Email::parse(email).unwrap(),
        organisation: "Centre social".into(),
        kind: ParticipantKind::Parent,
        choices: vec![1, 0],
    }
}

//! The SQLite store, on a real database file.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]
#![allow(
    clippy::print_stdout,
    reason = "the crash test's writer reports to its parent on stdout"
)]

use passerelle_domain::{Catalogue, ChangeOp, diff};
use passerelle_store::{CatalogueStore, ImportRecord};
use passerelle_store_sqlite::SqliteStore;

fn roubaix() -> Catalogue {
    passerelle_livret::bundled::roubaix().unwrap().1.catalogue
}

fn record() -> ImportRecord {
    ImportRecord {
        source: "test".into(),
        added: 0,
        updated: 0,
        removed: 0,
        report: "[]".into(),
    }
}

#[tokio::test]
async fn a_catalogue_written_then_reopened_reads_back_identical() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/p.db", dir.path().display());
    let catalogue = roubaix();
    let entities = catalogue.to_entities();
    {
        let store = SqliteStore::open(&url).await.unwrap();
        let changes = diff(&store.entities("roubaix").await.unwrap(), &entities);
        assert!(changes.iter().all(|c| c.op == ChangeOp::Added));
        store
            .apply("roubaix", &entities, &changes, &record())
            .await
            .unwrap();
        store.close().await;
    }
    let store = SqliteStore::open(&url).await.unwrap();
    assert_eq!(store.cites().await.unwrap(), ["roubaix"]);
    let back = Catalogue::from_entities(store.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(back, catalogue);
    assert!(store.integrity_check().await.unwrap().is_empty());
}

#[tokio::test]
async fn updates_and_removals_apply_in_place() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let mut catalogue = roubaix();
    let first = catalogue.to_entities();
    store
        .apply("roubaix", &first, &diff(&[], &first), &record())
        .await
        .unwrap();
    catalogue.programmes[0].actions[0].title = "Nouveau titre".into();
    catalogue.people.pop();
    let second = catalogue.to_entities();
    let changes = diff(&store.entities("roubaix").await.unwrap(), &second);
    assert_eq!(changes.len(), 2);
    store
        .apply("roubaix", &second, &changes, &record())
        .await
        .unwrap();
    let back = Catalogue::from_entities(store.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(back, catalogue);
    assert!(diff(&store.entities("roubaix").await.unwrap(), &second).is_empty());
}

#[tokio::test]
async fn an_unknown_cite_has_no_entities() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    assert!(store.entities("lille").await.unwrap().is_empty());
    assert!(store.cites().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_backup_taken_during_writes_is_consistent_and_restores_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/p.db", dir.path().display());
    let store = SqliteStore::open(&url).await.unwrap();
    let catalogue = roubaix();
    let first = catalogue.to_entities();
    store
        .apply("roubaix", &first, &diff(&[], &first), &record())
        .await
        .unwrap();

    // A writer keeps retitling fiche 1 while the backup is taken.
    let writer = {
        let store = store.clone();
        let catalogue = catalogue.clone();
        tokio::spawn(async move {
            for i in 0..40 {
                let mut c = catalogue.clone();
                c.programmes[0].actions[0].title = format!("Titre {i}");
                let new = c.to_entities();
                let changes = diff(&store.entities("roubaix").await.unwrap(), &new);
                store
                    .apply("roubaix", &new, &changes, &record())
                    .await
                    .unwrap();
            }
        })
    };
    let backup = dir.path().join("sauvegarde.db");
    store.backup(&backup).await.unwrap();
    writer.await.unwrap();

    // The backup is a database of its own, whole, holding one of the states.
    let copy = SqliteStore::open(&format!("sqlite://{}", backup.display()))
        .await
        .unwrap();
    assert!(copy.integrity_check().await.unwrap().is_empty());
    let saved = Catalogue::from_entities(copy.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(saved.programmes[0].actions.len(), 27);
    copy.close().await;

    // Restoring gives back exactly what was saved.
    store.restore(&backup).await.unwrap();
    let back = Catalogue::from_entities(store.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(back, saved);
    assert!(store.integrity_check().await.unwrap().is_empty());
    assert!(backup.exists(), "the backup file is kept");
}

#[tokio::test]
async fn backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&format!("sqlite://{}/p.db", dir.path().display()))
        .await
        .unwrap();
    let existing = dir.path().join("existe.db");
    std::fs::write(&existing, b"x").unwrap();
    let err = store.backup(&existing).await.unwrap_err().to_string();
    assert!(err.contains("exists already"), "{err}");
    let junk = dir.path().join("pas-une-base.db");
    std::fs::write(&junk, b"ceci n'est pas une base SQLite").unwrap();
    let err = store.restore(&junk).await.unwrap_err().to_string();
    assert!(err.contains("cannot be used"), "{err}");
    assert!(store.restore(&dir.path().join("absent.db")).await.is_err());
}

mod editing {
    use super::*;
    use passerelle_domain::{Entity, EntityKind};
    use passerelle_store::StoreError;

    async fn seeded() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&format!("sqlite://{}/p.db", dir.path().display()))
            .await
            .unwrap();
        let entities = roubaix().to_entities();
        store
            .apply("roubaix", &entities, &diff(&[], &entities), &record())
            .await
            .unwrap();
        (dir, store)
    }

    const FICHE_1: &str = "programmation-2020-2022/fiche-1";

    fn retitled(e: &Entity, title: &str) -> Entity {
        let mut e = e.clone();
        e.body["title"] = serde_json::Value::String(title.to_owned());
        e
    }

    #[tokio::test]
    async fn of_two_concurrent_edits_one_wins_and_the_other_gets_what_changed() {
        let (_dir, store) = seeded().await;
        let start = store
            .entity("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(start.version, 1);
        let (ea, eb) = (
            retitled(&start.entity, "Titre A"),
            retitled(&start.entity, "Titre B"),
        );
        let (a, b) = tokio::join!(
            store.save("roubaix", &ea, start.version, "alice"),
            store.save("roubaix", &eb, start.version, "bruno"),
        );
        let (won, lost) = match (a, b) {
            (Ok(v), Err(e)) => ((v, "Titre A"), e),
            (Err(e), Ok(v)) => ((v, "Titre B"), e),
            other => panic!("exactly one save must win: {other:?}"),
        };
        assert_eq!(won.0, 2);
        match lost {
            StoreError::Conflict {
                expected,
                current: Some(current),
                ..
            } => {
                assert_eq!(expected, 1);
                assert_eq!(current.version, 2);
                assert_eq!(
                    current.entity.body["title"], won.1,
                    "the loser sees what changed meanwhile"
                );
            }
            other => panic!("expected a conflict, got {other}"),
        }
        let now = store
            .entity("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            now.entity.body["title"], won.1,
            "nothing silently overwritten"
        );
    }

    #[tokio::test]
    async fn an_edit_then_restoring_the_previous_version_gives_it_back_exactly() {
        let (_dir, store) = seeded().await;
        let original = store
            .entity("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap()
            .unwrap();
        let v2 = store
            .save(
                "roubaix",
                &retitled(&original.entity, "Modifié"),
                1,
                "alice",
            )
            .await
            .unwrap();
        let history = store
            .history("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap();
        assert_eq!(
            history
                .iter()
                .map(|h| (h.version, h.actor.as_str()))
                .collect::<Vec<_>>(),
            [(1, "import:test"), (2, "alice")]
        );
        let previous = Entity {
            kind: EntityKind::Action,
            key: FICHE_1.into(),
            body: history[0].body.clone().unwrap(),
        };
        store.save("roubaix", &previous, v2, "alice").await.unwrap();
        let restored = store
            .entity("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(restored.entity.body, original.entity.body);
        assert_eq!(
            restored.version, 3,
            "a restore is a new version, not a rewrite of history"
        );
        let log = store.activity(10).await.unwrap();
        assert_eq!(log[0].actor, "alice");
        assert_eq!(log[0].target, format!("action:{FICHE_1}"));
    }

    #[tokio::test]
    async fn creating_twice_conflicts_and_missing_entities_are_none() {
        let (_dir, store) = seeded().await;
        let new = Entity {
            kind: EntityKind::Person,
            key: "nouvelle-personne".into(),
            body: serde_json::json!({"slug": "nouvelle-personne"}),
        };
        assert_eq!(store.save("roubaix", &new, 0, "alice").await.unwrap(), 1);
        assert!(matches!(
            store.save("roubaix", &new, 0, "bruno").await,
            Err(StoreError::Conflict { .. })
        ));
        assert!(
            store
                .entity("roubaix", EntityKind::Person, "personne")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn history_and_activity_cannot_be_altered() {
        let (dir, store) = seeded().await;
        store.close().await;
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}/p.db", dir.path().display()))
            .await
            .unwrap();
        for statement in [
            "UPDATE history SET actor = 'x'",
            "DELETE FROM history",
            "UPDATE activity SET actor = 'x'",
            "DELETE FROM activity",
        ] {
            let err = sqlx::query(statement)
                .execute(&pool)
                .await
                .unwrap_err()
                .to_string();
            assert!(err.contains("append-only"), "{statement}: {err}");
        }
    }

    #[tokio::test]
    async fn after_a_restore_editing_goes_on_and_history_keeps_everything() {
        let (dir, store) = seeded().await;
        let backup = dir.path().join("b.db");
        store.backup(&backup).await.unwrap();
        let start = store
            .entity("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap()
            .unwrap();
        store
            .save(
                "roubaix",
                &retitled(&start.entity, "Après sauvegarde"),
                1,
                "alice",
            )
            .await
            .unwrap();
        store.restore(&backup).await.unwrap();
        let restored = store
            .entity("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(restored.entity.body, start.entity.body);
        assert_eq!(restored.version, 3);
        let v = store
            .save("roubaix", &retitled(&restored.entity, "Encore"), 3, "bruno")
            .await
            .unwrap();
        assert_eq!(v, 4);
        let versions: Vec<u64> = store
            .history("roubaix", EntityKind::Action, FICHE_1)
            .await
            .unwrap()
            .iter()
            .map(|h| h.version)
            .collect();
        assert_eq!(versions, [1, 2, 3, 4]);
    }
}

#[tokio::test]
async fn accounts_are_unique_by_email_whatever_its_case() {
    use passerelle_domain::{Account, Email, Role};
    use passerelle_store::AccountStore;
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    assert_eq!(store.count_administrators().await.unwrap(), 0);
    let account = Account {
        email: Email::parse("jcamus@ville-roubaix.fr").unwrap(),
        name: "Julia Camus".into(),
        role: Role::Administrateur,
        organisation: None,
        active: true,
    };
    store
        .create_account(&account, "$argon2id$hash", "cli")
        .await
        .unwrap();
    let (found, hash) = store
        .account("JCamus@Ville-Roubaix.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found, hash.as_str()), (account.clone(), "$argon2id$hash"));
    let mut other = account.clone();
    other.email = Email::parse("JCAMUS@ville-roubaix.fr").unwrap();
    assert!(store.create_account(&other, "x", "cli").await.is_err());
    assert_eq!(store.count_administrators().await.unwrap(), 1);
    assert_eq!(store.activity(1).await.unwrap()[0].action, "create-account");
}

#[tokio::test]
async fn an_archived_entity_leaves_the_catalogue_keeps_its_history_and_comes_back() {
    use passerelle_domain::EntityKind;
    use passerelle_store::{HistoryEvent, StoreError};
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let entities = roubaix().to_entities();
    let changes = diff(&[], &entities);
    store
        .apply("roubaix", &entities, &changes, &record())
        .await
        .unwrap();
    let key = "programmation-2020-2022/fiche-5";
    let before = store.entities("roubaix").await.unwrap().len();
    let v1 = store
        .entity("roubaix", EntityKind::Action, key)
        .await
        .unwrap()
        .unwrap();
    let v2 = store
        .set_archived(
            "roubaix",
            EntityKind::Action,
            key,
            v1.version,
            true,
            "admin",
        )
        .await
        .unwrap();
    assert_eq!(store.entities("roubaix").await.unwrap().len(), before - 1);
    let archived = store.archived("roubaix").await.unwrap();
    assert_eq!(archived.len(), 1);
    assert_eq!(archived[0].entity.body, v1.entity.body);
    // A stale version is refused, the entity stays as it is.
    assert!(matches!(
        store
            .set_archived(
                "roubaix",
                EntityKind::Action,
                key,
                v1.version,
                false,
                "admin"
            )
            .await,
        Err(StoreError::Conflict { .. })
    ));
    store
        .set_archived("roubaix", EntityKind::Action, key, v2, false, "admin")
        .await
        .unwrap();
    assert_eq!(store.entities("roubaix").await.unwrap().len(), before);
    let events: Vec<HistoryEvent> = store
        .history("roubaix", EntityKind::Action, key)
        .await
        .unwrap()
        .iter()
        .map(|h| h.event)
        .collect();
    assert_eq!(
        events,
        [
            HistoryEvent::Save,
            HistoryEvent::Archive,
            HistoryEvent::Unarchive
        ]
    );
    assert_eq!(store.activity(1).await.unwrap()[0].action, "unarchive");
}

#[tokio::test]
async fn a_one_time_link_works_once_and_not_after_it_expires() {
    use passerelle_domain::{Account, Email, Role, Slug};
    use passerelle_store::{AccountStore, LinkPurpose, OneTimeLink, StoreError};
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let invited = Account {
        email: Email::parse("referent@centre-social.fr").unwrap(),
        name: "Réf Érent".into(),
        role: Role::Referent,
        organisation: Some(Slug::parse("atd-quart-monde").unwrap()),
        active: true,
    };
    let link = OneTimeLink {
        purpose: LinkPurpose::Invitation,
        account: invited.clone(),
        expires_at: 2_000,
    };
    store.create_link("h1", &link, "admin@x.fr").await.unwrap();
    // The invitation is not a reset link, and it expires.
    assert!(
        store
            .link("h1", LinkPurpose::Reset, 1_000)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .link("h1", LinkPurpose::Invitation, 2_000)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .link("h1", LinkPurpose::Invitation, 1_000)
            .await
            .unwrap(),
        Some(link.clone())
    );
    let created = store
        .use_link("h1", LinkPurpose::Invitation, 1_000, "hash-1")
        .await
        .unwrap();
    assert_eq!(created, invited);
    assert!(matches!(
        store
            .use_link("h1", LinkPurpose::Invitation, 1_000, "hash-2")
            .await,
        Err(StoreError::InvalidLink)
    ));
    assert_eq!(
        store
            .account("referent@centre-social.fr")
            .await
            .unwrap()
            .unwrap()
            .1,
        "hash-1"
    );
    // A reset replaces the password and ends the sessions.
    store
        .create_session("s1", "referent@centre-social.fr", "c", i64::MAX)
        .await
        .unwrap();
    let reset = OneTimeLink {
        purpose: LinkPurpose::Reset,
        ..link
    };
    store
        .create_link("h2", &reset, "referent@centre-social.fr")
        .await
        .unwrap();
    assert!(matches!(
        store
            .use_link("h2", LinkPurpose::Reset, 3_000, "late")
            .await,
        Err(StoreError::InvalidLink)
    ));
    store
        .use_link("h2", LinkPurpose::Reset, 1_500, "hash-3")
        .await
        .unwrap();
    assert_eq!(
        store
            .account("referent@centre-social.fr")
            .await
            .unwrap()
            .unwrap()
            .1,
        "hash-3"
    );
    assert!(store.session("s1", 0).await.unwrap().is_none());
}

#[tokio::test]
async fn api_tokens_name_their_account_until_revoked_or_deactivated() {
    use passerelle_domain::{Account, Email, Role};
    use passerelle_store::AccountStore;
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let mut account = Account {
        email: Email::parse("coord@ville-roubaix.fr").unwrap(),
        name: "Coord".into(),
        role: Role::Administrateur,
        organisation: None,
        active: true,
    };
    store.create_account(&account, "h", "cli").await.unwrap();
    store
        .create_api_token("t1", "coord@ville-roubaix.fr", "script")
        .await
        .unwrap();
    store
        .create_api_token("t2", "coord@ville-roubaix.fr", "autre")
        .await
        .unwrap();
    assert_eq!(store.api_token("t1").await.unwrap(), Some(account.clone()));
    assert_eq!(
        store
            .api_tokens("coord@ville-roubaix.fr")
            .await
            .unwrap()
            .len(),
        2
    );
    store
        .revoke_api_token("coord@ville-roubaix.fr", "script")
        .await
        .unwrap();
    assert_eq!(store.api_token("t1").await.unwrap(), None);
    account.active = false;
    store.update_account(&account, "admin").await.unwrap();
    assert_eq!(store.api_token("t2").await.unwrap(), None);
    assert_eq!(store.accounts().await.unwrap(), [account]);
}

/// Crash safety: a writer process is killed (SIGKILL) in the middle of a
/// burst of saves; every save it had acknowledged must be in the database.
mod crash {
    use super::*;
    use passerelle_domain::{Entity, EntityKind};
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    const DB_VAR: &str = "PASSERELLE_CRASH_TEST_DB";

    fn counter(n: u64) -> Entity {
        Entity {
            kind: EntityKind::Seminar,
            key: "compteur".into(),
            body: serde_json::json!({ "n": n }),
        }
    }

    /// The child: saves forever, printing each acknowledged version. Does
    /// nothing when run as an ordinary test.
    #[tokio::test]
    async fn writer_child() {
        let Ok(path) = std::env::var(DB_VAR) else {
            return;
        };
        let store = SqliteStore::open(&format!("sqlite://{path}"))
            .await
            .unwrap();
        let mut version = 0;
        loop {
            version = store
                .save("roubaix", &counter(version + 1), version, "crash-test")
                .await
                .unwrap();
            println!("ack {version}");
        }
    }

    #[tokio::test]
    async fn every_acknowledged_write_survives_a_sigkill() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crash.db");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_VAR, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut last_ack = 0u64;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            if let Some(v) = line.strip_prefix("ack ") {
                last_ack = v.parse().unwrap();
                if last_ack >= 200 {
                    break;
                }
            }
        }
        child.kill().unwrap(); // SIGKILL, mid-burst: the writer is still saving.
        child.wait().unwrap();
        assert!(last_ack >= 200, "the writer acknowledged {last_ack} saves");

        let store = SqliteStore::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        assert!(store.integrity_check().await.unwrap().is_empty());
        let stored = store
            .entity("roubaix", EntityKind::Seminar, "compteur")
            .await
            .unwrap()
            .unwrap();
        assert!(
            stored.version >= last_ack,
            "acknowledged {last_ack}, found {}",
            stored.version
        );
        assert_eq!(
            stored.entity.body["n"], stored.version,
            "the body of the version found"
        );
        let history = store
            .history("roubaix", EntityKind::Seminar, "compteur")
            .await
            .unwrap();
        let versions: Vec<u64> = history.iter().map(|h| h.version).collect();
        assert_eq!(
            versions,
            (1..=stored.version).collect::<Vec<_>>(),
            "no acknowledged version lost"
        );
    }
}

mod participation {
    use super::*;
    use passerelle_domain::{Email, ParticipantKind, RegistrationForm, RegistrationStatus};
    use passerelle_store::{ParticipationStore, StoreError};

    fn form(email: &str) -> RegistrationForm {
        RegistrationForm {
            name: "Nadia".into(),
            email: Email::parse(email).unwrap(),
            organisation: "Centre social".into(),
            kind: ParticipantKind::Parent,
            choices: vec![1, 0],
        }
    }

    #[tokio::test]
    async fn a_full_event_keeps_a_waiting_list_that_moves_up_when_someone_cancels() {
        let store = SqliteStore::open("sqlite::memory:").await.unwrap();
        let reg = |n: u32| {
            let store = store.clone();
            async move {
                store
                    .register(
                        "roubaix",
                        "sem",
                        "2022-10-11",
                        &form(&format!("p{n}@x.fr")),
                        &format!("t{n}"),
                        Some(2),
                    )
                    .await
                    .unwrap()
            }
        };
        let statuses = [
            reg(1).await.status,
            reg(2).await.status,
            reg(3).await.status,
            reg(4).await.status,
        ];
        use RegistrationStatus::{Confirmed, Waiting};
        assert_eq!(statuses, [Confirmed, Confirmed, Waiting, Waiting]);
        let again = store
            .register(
                "roubaix",
                "sem",
                "2022-10-11",
                &form("P1@X.FR"),
                "t9",
                Some(2),
            )
            .await;
        assert!(matches!(again, Err(StoreError::DuplicateRegistration(_))));
        let promoted = store
            .cancel_registration("t1", Some(2), false)
            .await
            .unwrap();
        assert_eq!(
            promoted.map(|r| r.email.unwrap().to_string()),
            Some("p3@x.fr".to_owned())
        );
        let promoted = store
            .cancel_registration("t2", Some(2), true)
            .await
            .unwrap();
        assert_eq!(
            promoted.map(|r| r.email.unwrap().to_string()),
            Some("p4@x.fr".to_owned())
        );
        assert!(store.registration("t2").await.unwrap().is_none(), "deleted");
        let all = store.registrations("roubaix", "sem").await.unwrap();
        assert_eq!(all.len(), 3);
        // Cancelled, an address may register again.
        store
            .register(
                "roubaix",
                "sem",
                "2022-10-11",
                &form("p1@x.fr"),
                "t10",
                Some(2),
            )
            .await
            .unwrap();
        assert_eq!(
            store.anonymise_registrations("2022-10-11").await.unwrap(),
            0
        );
        assert_eq!(
            store.anonymise_registrations("2022-10-12").await.unwrap(),
            4
        );
        let all = store.registrations("roubaix", "sem").await.unwrap();
        assert!(all.iter().all(|r| r.email.is_none() && r.name == "Anonyme"));
        assert!(
            store.registration("t3").await.unwrap().is_none(),
            "the private link is dead"
        );
    }

    #[tokio::test]
    async fn each_person_supports_a_contribution_once_and_concurrent_supports_all_count() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/p.db", dir.path().display());
        let store = SqliteStore::open(&url).await.unwrap();
        let c = store
            .contribute(
                "roubaix",
                "sem",
                "q3",
                "Inventer des cafés des parents",
                "Nadia",
                "p:1",
                Some(10),
            )
            .await
            .unwrap();
        assert_eq!((c.supports, c.fiche), (0, Some(10)));
        assert!(store.support(c.id, "a").await.unwrap());
        assert!(!store.support(c.id, "a").await.unwrap(), "once per person");
        let mut tasks = Vec::new();
        for i in 0..100 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store.support(c.id, &format!("s{i}")).await.unwrap()
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap());
        }
        assert_eq!(
            store.contribution(c.id).await.unwrap().unwrap().supports,
            101
        );
        store
            .moderate(c.id, Some("hors sujet"), "admin")
            .await
            .unwrap();
        assert!(
            store
                .contributions("roubaix", "sem", false)
                .await
                .unwrap()
                .is_empty()
        );
        let all = store.contributions("roubaix", "sem", true).await.unwrap();
        assert_eq!(all[0].hidden.as_deref(), Some("hors sujet"));
        store.moderate(c.id, None, "admin").await.unwrap();
        assert_eq!(
            store
                .contributions("roubaix", "sem", false)
                .await
                .unwrap()
                .len(),
            1
        );
        store
            .set_synthesis("roubaix", "sem", "q3", "Deux idées fortes.", "admin")
            .await
            .unwrap();
        assert_eq!(
            store
                .synthesis("roubaix", "sem", "q3")
                .await
                .unwrap()
                .as_deref(),
            Some("Deux idées fortes.")
        );
    }
}

//! Calls for projects: a call saved names the version it changes, an
//! application moves only from the state it was read in (of two decisions
//! at once, one lands) with each move in its history and the activity
//! log, scores are one per reviewer and criterion, a declared conflict
//! removes the reviewer's scores, files keep their bytes, and a cité's
//! calls and applications are its own.

use passerelle_domain::call::application::Form;
use passerelle_domain::call::{Call, Criterion, Event, ParisTime, Score, State, Step, StepKind};
use passerelle_domain::{ClockTime, Date};
use passerelle_store::calls::{AttachmentInfo, By, Move};
use passerelle_store::{CallStore, CatalogueStore};

use crate::Harness;

const NOW: i64 = 1_800_000_000;

pub fn call() -> Call {
    let at = |m, d| ParisTime {
        date: Date::new(2027, m, d).unwrap(),
        time: ClockTime::new(12, 0).unwrap(),
    };
    Call {
        title: "Réussite éducative 2027".into(),
        text: "Un appel **ouvert** aux associations.".into(),
        axes: vec![1, 2],
        priorities: vec!["Lecture".into()],
        contributions: Vec::new(),
        eligible: "Associations de Roubaix".into(),
        funds: "2027".into(),
        documents: vec!["Statuts".into()],
        steps: vec![Step {
            kind: StepKind::Full,
            opens: at(1, 4),
            deadlines: vec![at(3, 31)],
        }],
        grid: vec![Criterion {
            key: "pertinence".into(),
            label: "Pertinence".into(),
            weight: 2,
            max: 4,
            guidance: String::new(),
        }],
        spread_alert: 25,
    }
}

fn to(event: Event, from: State, actor: &str, now: i64) -> Move<'_> {
    Move {
        event,
        from,
        to: from.after(event).unwrap(),
        step: StepKind::Full,
        actor,
        note: "",
        now,
    }
}

pub async fn an_application_moves_from_the_state_it_was_read_in_and_keeps_its_history<
    H: Harness,
>(
    h: &H,
) {
    let store = h.fresh().await;
    let id = store
        .create_call("roubaix", &call(), "admin@exemple.fr", NOW)
        .await
        .unwrap();
    assert!(store.call("autre-cite", id).await.unwrap().is_none());
    let mut changed = call();
    changed.title = "Réussite éducative 2027-2028".into();
    let v = store
        .save_call(
            "roubaix",
            id,
            &changed,
            1,
            true,
            By {
                actor: "admin@exemple.fr",
                now: NOW + 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(v, Some(2));
    assert_eq!(
        store
            .save_call(
                "roubaix",
                id,
                &call(),
                1,
                false,
                By {
                    actor: "autre@exemple.fr",
                    now: NOW + 11
                },
            )
            .await
            .unwrap(),
        None,
        "a save from an old version writes nothing"
    );
    let stored = store.call("roubaix", id).await.unwrap().unwrap();
    assert_eq!(stored.call.title, "Réussite éducative 2027-2028");
    assert_eq!(stored.published_at, Some(NOW + 10));
    store
        .set_reviewers(
            "roubaix",
            id,
            &["b@exemple.fr".into(), "a@exemple.fr".into()],
            "admin@exemple.fr",
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        store.call("roubaix", id).await.unwrap().unwrap().reviewers,
        vec!["a@exemple.fr".to_owned(), "b@exemple.fr".to_owned()]
    );

    let app = store
        .create_application("roubaix", id, "asso@exemple.fr", StepKind::Full, NOW)
        .await
        .unwrap();
    let form = Form {
        title: "Lire à deux".into(),
        ..Form::default()
    };
    assert!(
        !store
            .save_form("roubaix", app, "autre@exemple.fr", &form, NOW)
            .await
            .unwrap()
    );
    assert!(
        store
            .save_form("roubaix", app, "asso@exemple.fr", &form, NOW)
            .await
            .unwrap()
    );
    assert!(
        store
            .applications_to("roubaix", id)
            .await
            .unwrap()
            .is_empty(),
        "a draft is nobody's business but its applicant's"
    );
    assert!(
        store
            .move_application(
                "roubaix",
                app,
                &to(Event::Submit, State::Brouillon, "asso@exemple.fr", NOW + 20)
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_form("roubaix", app, "asso@exemple.fr", &Form::default(), NOW)
            .await
            .unwrap(),
        "a submitted application no longer changes"
    );
    let listed = store.applications_to("roubaix", id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].form.title, "Lire à deux");
    assert_eq!(listed[0].submitted_at, Some(NOW + 20));
    assert_eq!(listed[0].state, State::Deposee);
    assert!(
        store
            .applications_to("autre-cite", id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .delete_draft("roubaix", app, "asso@exemple.fr")
            .await
            .unwrap()
    );
    store
        .move_application(
            "roubaix",
            app,
            &to(
                Event::Instruct,
                State::Deposee,
                "admin@exemple.fr",
                NOW + 30,
            ),
        )
        .await
        .unwrap();
    // Two decisions at once: one lands.
    let retain = to(
        Event::Retain,
        State::EnInstruction,
        "admin@exemple.fr",
        NOW + 40,
    );
    let refuse = to(
        Event::Refuse,
        State::EnInstruction,
        "troika@exemple.fr",
        NOW + 40,
    );
    let (a, b) = tokio::join!(
        store.move_application("roubaix", app, &retain),
        store.move_application("roubaix", app, &refuse),
    );
    assert!(a.unwrap() ^ b.unwrap(), "exactly one decision is recorded");
    let stored = store.application("roubaix", app).await.unwrap().unwrap();
    assert!(matches!(stored.state, State::Retenue | State::Refusee));
    assert_eq!(stored.form.title, "Lire à deux");
    assert_eq!(stored.submitted_at, Some(NOW + 20));
    let events: Vec<&str> = stored.history.iter().map(|h| h.event.as_str()).collect();
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(&events[..3], ["cree", "deposer", "instruire"]);
    assert!(
        store
            .application("autre-cite", app)
            .await
            .unwrap()
            .is_none()
    );
    let log = store.activity(Some("roubaix"), 50).await.unwrap();
    assert!(
        log.iter()
            .any(|l| l.action == "candidature-deposer" && l.actor == "porteur de projet"),
        "{log:?}"
    );
    assert_eq!(
        store
            .applications_of("roubaix", "asso@exemple.fr")
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .applications_of("autre-cite", "asso@exemple.fr")
            .await
            .unwrap()
            .is_empty()
    );

    // A draft can be deleted by its applicant only.
    let draft = store
        .create_application("roubaix", id, "asso@exemple.fr", StepKind::Full, NOW)
        .await
        .unwrap();
    assert!(
        !store
            .delete_draft("roubaix", draft, "autre@exemple.fr")
            .await
            .unwrap()
    );
    assert!(
        store
            .delete_draft("roubaix", draft, "asso@exemple.fr")
            .await
            .unwrap()
    );
    assert!(store.application("roubaix", draft).await.unwrap().is_none());
}

pub async fn scores_conflicts_annotations_and_files_are_kept_per_application<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let id = store
        .create_call("roubaix", &call(), "admin@exemple.fr", NOW)
        .await
        .unwrap();
    let app = store
        .create_application("roubaix", id, "asso@exemple.fr", StepKind::Full, NOW)
        .await
        .unwrap();
    store
        .move_application(
            "roubaix",
            app,
            &to(Event::Submit, State::Brouillon, "asso@exemple.fr", NOW),
        )
        .await
        .unwrap();
    let score = |reviewer: &str, value| Score {
        reviewer: reviewer.into(),
        criterion: "pertinence".into(),
        value,
        comment: "Clair.".into(),
    };
    store
        .save_score("roubaix", app, &score("a@exemple.fr", 2), NOW)
        .await
        .unwrap();
    store
        .save_score("roubaix", app, &score("a@exemple.fr", 3), NOW + 1)
        .await
        .unwrap();
    store
        .save_score("roubaix", app, &score("b@exemple.fr", 4), NOW)
        .await
        .unwrap();
    // Of another cité: nothing written.
    store
        .save_score("autre-cite", app, &score("c@exemple.fr", 1), NOW)
        .await
        .unwrap();
    let scores = store.scores("roubaix", id).await.unwrap();
    assert_eq!(
        scores
            .iter()
            .map(|(a, s)| (*a, s.reviewer.as_str(), s.value))
            .collect::<Vec<_>>(),
        vec![(app, "a@exemple.fr", 3), (app, "b@exemple.fr", 4)]
    );
    store
        .declare_conflict("roubaix", app, "b@exemple.fr", NOW)
        .await
        .unwrap();
    assert_eq!(store.scores("roubaix", id).await.unwrap().len(), 1);
    assert_eq!(
        store.conflicts("roubaix", id).await.unwrap(),
        vec![(app, "b@exemple.fr".to_owned())]
    );
    store
        .annotate(
            "roubaix",
            app,
            "admin@exemple.fr",
            "Appeler la directrice.",
            NOW,
        )
        .await
        .unwrap();
    let notes = store.annotations("roubaix", app).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "Appeler la directrice.");
    assert!(
        store
            .annotations("autre-cite", app)
            .await
            .unwrap()
            .is_empty()
    );

    let bytes: Vec<u8> = b"%PDF-1.7\n\x00\x01\x02\xff binary".to_vec();
    let info = AttachmentInfo {
        id: 0,
        application: app,
        name: "statuts.pdf".into(),
        media_type: "application/pdf".into(),
        size: i64::try_from(bytes.len()).unwrap(),
        sha256: "abc".into(),
        at: NOW,
    };
    assert!(
        store
            .add_attachment("autre-cite", &info, &bytes)
            .await
            .is_err()
    );
    let file = store
        .add_attachment("roubaix", &info, &bytes)
        .await
        .unwrap();
    let (read, back) = store
        .attachment("roubaix", app, file)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, bytes, "the bytes come back as they were");
    assert_eq!(read.name, "statuts.pdf");
    assert!(
        store
            .attachment("autre-cite", app, file)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .attachment("roubaix", app + 1, file)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.attachments("roubaix", app).await.unwrap().len(), 1);
    // The whole database's copy carries the files.
    let dump = passerelle_store::Store::export(&store).await.unwrap();
    let files = dump
        .counts()
        .into_iter()
        .find(|(t, _)| *t == "attachments")
        .unwrap();
    assert_eq!(files.1, 1);
    assert!(store.delete_attachment("roubaix", app, file).await.unwrap());
    assert!(store.attachments("roubaix", app).await.unwrap().is_empty());
}

pub async fn a_committee_decides_once_with_its_amounts_in_cents<H: Harness>(h: &H) {
    use passerelle_domain::money::Cents;
    let store = h.fresh().await;
    let by = By {
        actor: "admin@exemple.fr",
        now: NOW,
    };
    let id = store
        .create_call("roubaix", &call(), by.actor, NOW)
        .await
        .unwrap();
    let other = store
        .create_call("roubaix", &call(), by.actor, NOW)
        .await
        .unwrap();
    let app = store
        .create_application("roubaix", id, "asso@exemple.fr", StepKind::Full, NOW)
        .await
        .unwrap();
    for (event, from) in [
        (Event::Submit, State::Brouillon),
        (Event::Instruct, State::Deposee),
    ] {
        assert!(
            store
                .move_application("roubaix", app, &to(event, from, by.actor, NOW))
                .await
                .unwrap()
        );
    }
    let members = vec![
        "Mme la sous-préfète".to_owned(),
        "M. le principal".to_owned(),
    ];
    let committee = store
        .create_committee("roubaix", id, "2027-04-15", &members, by)
        .await
        .unwrap();
    let elsewhere = store
        .create_committee("roubaix", other, "2027-04-15", &members, by)
        .await
        .unwrap();
    assert_eq!(
        store.committees("roubaix", id).await.unwrap()[0].members,
        members
    );
    assert!(store.committees("autre-cite", id).await.unwrap().is_empty());
    let amounts = vec![
        ("État – Cité éducative".to_owned(), Cents(800_050)),
        ("Ville".to_owned(), Cents(400_000)),
    ];
    let retain = to(Event::Retain, State::EnInstruction, by.actor, NOW + 5);
    assert!(
        !store
            .decide("roubaix", app, &retain, elsewhere, &amounts)
            .await
            .unwrap(),
        "a committee of another call decides nothing here"
    );
    let refuse = to(
        Event::Refuse,
        State::EnInstruction,
        "troika@exemple.fr",
        NOW + 5,
    );
    let (a, b) = tokio::join!(
        store.decide("roubaix", app, &retain, committee, &amounts),
        store.decide("roubaix", app, &refuse, committee, &[]),
    );
    assert!(a.unwrap() ^ b.unwrap(), "one decision lands");
    let decisions = store.decisions("roubaix", id).await.unwrap();
    assert_eq!(decisions.len(), 1);
    let d = &decisions[0];
    assert_eq!(d.committee, committee);
    if d.state == State::Retenue {
        assert_eq!(d.amounts, amounts, "amounts come back to the cent");
        let history = store
            .application("roubaix", app)
            .await
            .unwrap()
            .unwrap()
            .history;
        let last = history.last().unwrap();
        assert_eq!(last.event, "montants");
        assert!(last.note.contains("8\u{202f}000,50"), "{}", last.note);
    } else {
        assert!(d.amounts.is_empty());
    }
    assert!(store.decisions("autre-cite", id).await.unwrap().is_empty());
}

pub async fn a_refused_application_is_erased_after_its_retention_keeping_its_counts<H: Harness>(
    h: &H,
) {
    use passerelle_domain::call::application::RETENTION_DAYS;
    let store = h.fresh().await;
    let id = store
        .create_call("roubaix", &call(), "admin@exemple.fr", NOW)
        .await
        .unwrap();
    let app = store
        .create_application("roubaix", id, "asso@exemple.fr", StepKind::Full, NOW)
        .await
        .unwrap();
    let form = Form {
        title: "Lire à deux".into(),
        structure: "Association Lire".into(),
        contact_name: "Léa Martin".into(),
        contact_phone: "06 12 34 56 78".into(),
        representative: "Mme P.".into(),
        ..Form::default()
    };
    store
        .save_form("roubaix", app, "asso@exemple.fr", &form, NOW)
        .await
        .unwrap();
    for (event, from, actor) in [
        (Event::Submit, State::Brouillon, "asso@exemple.fr"),
        (Event::Instruct, State::Deposee, "admin@exemple.fr"),
        (Event::Refuse, State::EnInstruction, "admin@exemple.fr"),
    ] {
        let m = to(event, from, actor, NOW);
        assert!(store.move_application("roubaix", app, &m).await.unwrap());
    }
    let info = AttachmentInfo {
        id: 0,
        application: app,
        name: "statuts.pdf".into(),
        media_type: "application/pdf".into(),
        size: 9,
        sha256: "x".into(),
        at: NOW,
    };
    store
        .add_attachment("roubaix", &info, b"%PDF-1.7\n")
        .await
        .unwrap();
    store
        .annotate("roubaix", app, "admin@exemple.fr", "Appeler Léa", NOW)
        .await
        .unwrap();
    let log = store.activity(Some("roubaix"), 50).await.unwrap();
    assert!(
        log.iter().all(|l| !l.actor.contains("asso@exemple.fr")),
        "the activity log never holds an applicant's address: {log:?}"
    );
    let day = 86_400;
    // At a moment t, what closed before t − RETENTION_DAYS is due.
    let at = NOW + RETENTION_DAYS * day;
    assert!(
        store
            .due_erasures(at - RETENTION_DAYS * day)
            .await
            .unwrap()
            .is_empty(),
        "not before the retention delay"
    );
    let due = store
        .due_erasures(at + 1 - RETENTION_DAYS * day)
        .await
        .unwrap();
    assert_eq!(due, vec![("roubaix".to_owned(), app)]);
    assert!(
        store
            .erase_application("roubaix", app, NOW + RETENTION_DAYS * day + 1)
            .await
            .unwrap()
    );
    assert!(
        !store.erase_application("roubaix", app, NOW).await.unwrap(),
        "once"
    );
    let erased = store.application("roubaix", app).await.unwrap().unwrap();
    assert_eq!(erased.state, State::Refusee, "the state stays");
    assert_eq!(erased.form.title, "Lire à deux");
    assert!(erased.form.contact_name.is_empty() && erased.form.representative.is_empty());
    assert!(erased.applicant.is_empty());
    assert!(erased.history.iter().all(|h| h.actor != "asso@exemple.fr"));
    assert!(store.attachments("roubaix", app).await.unwrap().is_empty());
    assert!(store.annotations("roubaix", app).await.unwrap().is_empty());
    assert!(store.due_erasures(i64::MAX).await.unwrap().is_empty());
}

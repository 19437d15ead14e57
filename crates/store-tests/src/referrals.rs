//! Referrals: the states move only where the domain allows, two answers at
//! once record one, the clock's work is found, the erasure keeps the
//! counts, and a cité's referrals are its own.

use passerelle_domain::Date;
use passerelle_domain::referral::{Consent, ContactBy, DAY, Details, Due, Event, State, counts};
use passerelle_store::{NewReferral, ReferralStore};

use crate::Harness;

const NOW: i64 = 1_800_000_000;

fn details() -> Details {
    Details {
        child: "Y. B.".into(),
        age: 9,
        place: "École Jules Guesde".into(),
        need: "Venir à l'école le matin".into(),
        message: String::new(),
        contact_by: ContactBy::Phone,
        family_phone: Some("06 12 34 56 78".into()),
        family_email: None,
        consent: Consent {
            by_parent: true,
            told_by: "Mme Martin, médiatrice".into(),
            on: Date::new(2027, 1, 14).unwrap(),
            language: "ar".into(),
        },
    }
}

async fn send<S: ReferralStore>(store: &S, cite: &str, fiche: u32, link: &str, now: i64) -> i64 {
    let d = details();
    store
        .create_referral(&NewReferral {
            cite,
            fiche,
            sender: "pro@exemple.fr",
            details: &d,
            link_hash: link,
            link_expires: now + 8 * DAY,
            now,
        })
        .await
        .unwrap()
}

pub async fn a_referral_moves_as_answered_and_two_answers_at_once_record_one<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let id = send(&store, "roubaix", 5, "lien-1", NOW).await;
    let (found, expires) = store.referral_by_link("lien-1").await.unwrap().unwrap();
    assert_eq!((found.id, expires), (id, NOW + 8 * DAY));
    assert_eq!(found.details, Some(details()));
    assert!(store.referral("autre-cite", id).await.unwrap().is_none());
    let ask = Event::AskDetails {
        question: "Quels horaires ?".into(),
    };
    assert_eq!(
        store
            .move_referral("roubaix", id, &ask, "op@exemple.fr", NOW + DAY)
            .await
            .unwrap(),
        Some(State::NeedsDetails)
    );
    let complete = Event::Complete {
        answer: "Le matin".into(),
    };
    store
        .move_referral("roubaix", id, &complete, "pro@exemple.fr", NOW + 2 * DAY)
        .await
        .unwrap();
    let accept = Event::Accept {
        next_step: "Appel lundi".into(),
    };
    let refuse = Event::Refuse {
        reason: "Complet".into(),
    };
    let (a, b) = tokio::join!(
        store.move_referral("roubaix", id, &accept, "op@exemple.fr", NOW + 3 * DAY),
        store.move_referral("roubaix", id, &refuse, "lien", NOW + 3 * DAY),
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    assert_eq!(
        outcomes.iter().filter(|o| o.is_some()).count(),
        1,
        "{outcomes:?}"
    );
    let r = store.referral("roubaix", id).await.unwrap().unwrap();
    assert!(r.state.is_closed());
    assert_eq!(r.answered_at, Some(NOW + DAY), "the first answer counts");
    assert_eq!(r.closed_at, Some(NOW + 3 * DAY));
    let events: Vec<&str> = r.history.iter().map(|l| l.event.as_str()).collect();
    assert_eq!(
        events[..3],
        ["envoyee", "precisions-demandees", "completee"]
    );
    assert_eq!(events.len(), 4);
    assert_eq!(
        store
            .move_referral(
                "roubaix",
                id,
                &Event::Cancel,
                "pro@exemple.fr",
                NOW + 4 * DAY
            )
            .await
            .unwrap(),
        None,
        "a closed referral stays closed"
    );
    assert_eq!(
        store
            .referrals_sent("roubaix", "pro@exemple.fr")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .referrals_sent("roubaix", "autre@exemple.fr")
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(store.referrals_to("roubaix", 5).await.unwrap().len(), 1);
    assert_eq!(store.referrals_to("roubaix", 6).await.unwrap().len(), 0);
}

pub async fn the_clock_reminds_expires_and_erases_keeping_the_counts<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let id = send(&store, "roubaix", 5, "lien-a", NOW).await;
    let other = send(&store, "lille", 2, "lien-b", NOW + 3 * DAY).await;
    assert!(
        store
            .due_referrals(NOW + 7 * DAY - 1, 180)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.due_referrals(NOW + 7 * DAY, 180).await.unwrap(),
        [("roubaix".to_owned(), id, Due::Remind)]
    );
    assert!(
        store
            .renew_link(
                "roubaix",
                id,
                "lien-a2",
                NOW + 15 * DAY,
                true,
                NOW + 7 * DAY
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_link(
                "roubaix",
                id,
                "lien-a3",
                NOW + 15 * DAY,
                true,
                NOW + 7 * DAY
            )
            .await
            .unwrap(),
        "one reminder per wait"
    );
    assert!(
        store.referral_by_link("lien-a").await.unwrap().is_none(),
        "the old link is gone"
    );
    assert!(store.referral_by_link("lien-a2").await.unwrap().is_some());
    let due = store.due_referrals(NOW + 30 * DAY, 180).await.unwrap();
    assert_eq!(
        due,
        [
            ("roubaix".to_owned(), id, Due::Expire),
            ("lille".to_owned(), other, Due::Remind)
        ]
    );
    store
        .move_referral("roubaix", id, &Event::Expire, "horloge", NOW + 30 * DAY)
        .await
        .unwrap();
    assert!(
        !store
            .due_referrals(NOW + 209 * DAY, 180)
            .await
            .unwrap()
            .iter()
            .any(|d| d.1 == id && d.2 == Due::Erase)
    );
    assert!(
        store
            .due_referrals(NOW + 210 * DAY, 180)
            .await
            .unwrap()
            .contains(&("roubaix".to_owned(), id, Due::Erase))
    );
    store
        .note_access("roubaix", id, "admin@exemple.fr", NOW + 100 * DAY)
        .await
        .unwrap();
    assert!(
        store
            .erase_referral("roubaix", id, NOW + 210 * DAY)
            .await
            .unwrap()
    );
    let r = store.referral("roubaix", id).await.unwrap().unwrap();
    assert_eq!(r.details, None);
    assert_eq!(r.state, State::Expired);
    assert!(r.history.iter().all(|l| l.note.is_empty()));
    assert!(
        r.history
            .iter()
            .any(|l| l.event == "consultee" && l.actor == "admin@exemple.fr")
    );
    assert!(store.referral_by_link("lien-a2").await.unwrap().is_none());
    let c = counts(&store.referral_stats("roubaix").await.unwrap());
    assert_eq!(
        (c.len(), c[0].fiche, c[0].by_state[4]),
        (1, 5, 1),
        "the counts stay"
    );
    assert!(
        !store
            .due_referrals(NOW + 900 * DAY, 180)
            .await
            .unwrap()
            .iter()
            .any(|d| d.1 == id)
    );
}

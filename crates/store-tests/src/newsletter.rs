//! The newsletter: double opt-in, the delivery queue (once per issue and
//! subscriber, shared by workers, resumed after a crash), bounces,
//! unsubscription, imports and erasure.

use std::collections::HashSet;

use passerelle_domain::newsletter::{
    Blocks, Claimed, IssueDraft, IssueStatus, LEASE_SECS, NewsletterList, Outcome, Progress,
    Subscribed, SubscriberStatus,
};
use passerelle_store::{NewsletterStore, Subscription};

use crate::Harness;

const NOW: i64 = 1_800_000_000;

async fn list<S: NewsletterStore>(store: &S, cite: &str, slug: &str, public: bool) -> i64 {
    store
        .create_list(&NewsletterList {
            id: 0,
            cite: cite.into(),
            slug: slug.into(),
            name: format!("Lettre {slug}"),
            description: String::new(),
            public,
        })
        .await
        .unwrap()
        .unwrap()
}

fn draft(list: i64, title: &str) -> IssueDraft {
    IssueDraft {
        list,
        title: title.into(),
        intro: "Bonjour".into(),
        blocks: Blocks::default(),
    }
}

async fn issue<S: NewsletterStore>(store: &S, cite: &str, list: i64, title: &str) -> i64 {
    store.create_issue(cite, &draft(list, title)).await.unwrap()
}

async fn subscribe<S: NewsletterStore>(
    store: &S,
    cite: &str,
    email: &str,
    lists: &[i64],
) -> Subscribed {
    store
        .subscribe(&Subscription {
            cite,
            email,
            lists,
            confirm_hash: &format!("hash-{cite}-{email}"),
            confirm_expires: NOW + 7 * 86_400,
            token: &format!("token-{cite}-{email}"),
        })
        .await
        .unwrap()
}

/// Claims everything due and records it as sent; returns what was sent.
async fn drain<S: NewsletterStore>(store: &S, now: i64) -> Vec<Claimed> {
    let mut sent = Vec::new();
    loop {
        let batch = store.claim(now, 10).await.unwrap();
        if batch.is_empty() {
            return sent;
        }
        for d in batch {
            store
                .record(&d, &Outcome::Sent("250 OK".into()), now, 3)
                .await
                .unwrap();
            sent.push(d);
        }
    }
}

pub async fn nothing_is_sent_before_confirmation_and_a_confirmation_link_works_once<H: Harness>(
    h: &H,
) {
    let store = h.fresh().await;
    let pros = list(&store, "roubaix", "pros", true).await;
    let hidden = list(&store, "roubaix", "interne", false).await;
    assert_eq!(
        list_again(&store, "pros").await,
        None,
        "a second list with the same slug is refused"
    );
    // A list that is not public cannot be asked for by the form.
    assert_eq!(
        subscribe(&store, "roubaix", "a@x.fr", &[hidden]).await,
        Subscribed::Nothing
    );
    assert_eq!(
        subscribe(&store, "roubaix", "a@x.fr", &[pros]).await,
        Subscribed::Confirm
    );
    let first = issue(&store, "roubaix", pros, "Avant").await;
    assert_eq!(
        store
            .enqueue("roubaix", first, "<p>1</p>", "1")
            .await
            .unwrap(),
        Some(0)
    );
    assert_eq!(
        store.issue("roubaix", first).await.unwrap().unwrap().status,
        IssueStatus::Sent,
        "an issue with nobody to send to is sent at once"
    );
    assert!(store.claim(NOW, 10).await.unwrap().is_empty());

    // An expired link is refused; the right one works once.
    assert!(
        store
            .confirm("hash-roubaix-a@x.fr", NOW + 8 * 86_400)
            .await
            .unwrap()
            .is_none()
    );
    let confirmed = store
        .confirm("hash-roubaix-a@x.fr", NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(confirmed.status, SubscriberStatus::Confirmed);
    assert_eq!(confirmed.lists, vec![pros]);
    assert!(
        store
            .confirm("hash-roubaix-a@x.fr", NOW)
            .await
            .unwrap()
            .is_none()
    );

    let second = issue(&store, "roubaix", pros, "Après").await;
    assert_eq!(
        store
            .enqueue("roubaix", second, "<p>2</p>", "2")
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .enqueue("roubaix", second, "<p>2</p>", "2")
            .await
            .unwrap(),
        None,
        "an issue is queued once"
    );
    let sent = drain(&store, NOW).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].email, "a@x.fr");
    assert_eq!(sent[0].token, "token-roubaix-a@x.fr");
    let issue = store.issue("roubaix", second).await.unwrap().unwrap();
    assert_eq!(issue.status, IssueStatus::Sent);
    assert_eq!(issue.text.as_deref(), Some("2"));
    assert_eq!(
        store.progress("roubaix", second).await.unwrap(),
        Progress {
            sent: 1,
            ..Progress::default()
        }
    );
    let (_, history) = store
        .subscriber("roubaix", confirmed.id)
        .await
        .unwrap()
        .unwrap();
    let events: Vec<&str> = history.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["subscribed", "confirmed"]);
}

async fn list_again<S: NewsletterStore>(store: &S, slug: &str) -> Option<i64> {
    store
        .create_list(&NewsletterList {
            id: 0,
            cite: "roubaix".into(),
            slug: slug.into(),
            name: "Autre".into(),
            description: String::new(),
            public: true,
        })
        .await
        .unwrap()
}

async fn import<S: NewsletterStore>(store: &S, cite: &str, n: usize, list: i64) {
    let emails: Vec<(String, String)> = (0..n)
        .map(|i| (format!("p{i}@x.fr"), format!("tok-{cite}-{i}")))
        .collect();
    let done = store
        .import_subscribers(cite, &emails, &[list], "liste papier signée", "admin@x.fr")
        .await
        .unwrap();
    assert_eq!(done.added, n as u64);
}

pub async fn workers_share_the_queue_and_each_subscriber_gets_each_issue_once<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let pros = list(&store, "roubaix", "pros", true).await;
    import(&store, "roubaix", 60, pros).await;
    let id = issue(&store, "roubaix", pros, "Numéro 1").await;
    assert_eq!(
        store.enqueue("roubaix", id, "<p>x</p>", "x").await.unwrap(),
        Some(60)
    );
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { drain(&store, NOW).await })
        })
        .collect();
    let mut seen = HashSet::new();
    let mut total = 0;
    for w in workers {
        for d in w.await.unwrap() {
            total += 1;
            seen.insert(d.subscriber);
        }
    }
    assert_eq!((total, seen.len()), (60, 60), "60 sent, none twice");
    assert_eq!(
        store.progress("roubaix", id).await.unwrap(),
        Progress {
            sent: 60,
            ..Progress::default()
        }
    );
    assert_eq!(
        store.issue("roubaix", id).await.unwrap().unwrap().status,
        IssueStatus::Sent
    );
}

pub async fn a_delivery_left_sending_by_a_stopped_worker_is_taken_again_after_its_lease<
    H: Harness,
>(
    h: &H,
) {
    let store = h.fresh().await;
    let pros = list(&store, "roubaix", "pros", true).await;
    import(&store, "roubaix", 3, pros).await;
    let id = issue(&store, "roubaix", pros, "Numéro 1").await;
    store.enqueue("roubaix", id, "<p>x</p>", "x").await.unwrap();
    // A worker takes two and dies without a word.
    let lost = store.claim(NOW, 2).await.unwrap();
    assert_eq!(lost.len(), 2);
    assert_eq!(store.progress("roubaix", id).await.unwrap().sending, 2);
    // Meanwhile, another takes only the third.
    let other = store.claim(NOW + 1, 10).await.unwrap();
    assert_eq!(other.len(), 1);
    assert!(!lost.iter().any(|l| l.subscriber == other[0].subscriber));
    store
        .record(&other[0], &Outcome::Sent("250 OK".into()), NOW + 1, 3)
        .await
        .unwrap();
    assert!(
        store.claim(NOW + 2, 10).await.unwrap().is_empty(),
        "the two are still held"
    );
    // After the lease, the two are taken again, with the same ids.
    let again = drain(&store, NOW + LEASE_SECS + 1).await;
    let ids: HashSet<i64> = again.iter().map(|d| d.subscriber).collect();
    assert_eq!(ids, lost.iter().map(|d| d.subscriber).collect());
    // The late answer of the stopped worker changes nothing.
    store
        .record(&lost[0], &Outcome::Permanent("550 non".into()), NOW, 1)
        .await
        .unwrap();
    let p = store.progress("roubaix", id).await.unwrap();
    assert_eq!((p.sent, p.sending, p.failed), (3, 0, 0));
}

pub async fn temporary_failures_wait_and_permanent_ones_suspend_the_address<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let pros = list(&store, "roubaix", "pros", true).await;
    import(&store, "roubaix", 1, pros).await;
    let first = issue(&store, "roubaix", pros, "Numéro 1").await;
    store
        .enqueue("roubaix", first, "<p>x</p>", "x")
        .await
        .unwrap();
    let d = store.claim(NOW, 10).await.unwrap().remove(0);
    store
        .record(&d, &Outcome::Temporary("451 plus tard".into()), NOW, 2)
        .await
        .unwrap();
    assert_eq!(store.progress("roubaix", first).await.unwrap().waiting, 1);
    assert!(
        store.claim(NOW + 30, 10).await.unwrap().is_empty(),
        "it waits its backoff"
    );
    let d = store.claim(NOW + 61, 10).await.unwrap().remove(0);
    assert_eq!(d.attempts, 1);
    store
        .record(&d, &Outcome::Permanent("550 inconnu".into()), NOW + 61, 2)
        .await
        .unwrap();
    assert_eq!(store.progress("roubaix", first).await.unwrap().failed, 1);
    let subscriber = store.subscribers("roubaix").await.unwrap().remove(0);
    assert_eq!(
        (subscriber.status, subscriber.bounces),
        (SubscriberStatus::Confirmed, 1)
    );

    let second = issue(&store, "roubaix", pros, "Numéro 2").await;
    store
        .enqueue("roubaix", second, "<p>x</p>", "x")
        .await
        .unwrap();
    let d = store.claim(NOW + 100, 10).await.unwrap().remove(0);
    store
        .record(&d, &Outcome::Permanent("550 inconnu".into()), NOW + 100, 2)
        .await
        .unwrap();
    let subscriber = store.subscribers("roubaix").await.unwrap().remove(0);
    assert_eq!(
        (subscriber.status, subscriber.bounces),
        (SubscriberStatus::Suspended, 2)
    );
    let third = issue(&store, "roubaix", pros, "Numéro 3").await;
    assert_eq!(
        store
            .enqueue("roubaix", third, "<p>x</p>", "x")
            .await
            .unwrap(),
        Some(0),
        "a suspended address is sent nothing"
    );
    let (_, history) = store
        .subscriber("roubaix", subscriber.id)
        .await
        .unwrap()
        .unwrap();
    let events: Vec<&str> = history.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["imported", "bounced", "bounced", "suspended"]);
}

pub async fn an_unsubscription_cancels_what_waits_and_no_import_brings_it_back<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let pros = list(&store, "roubaix", "pros", true).await;
    import(&store, "roubaix", 2, pros).await;
    let id = issue(&store, "roubaix", pros, "Numéro 1").await;
    store.enqueue("roubaix", id, "<p>x</p>", "x").await.unwrap();
    assert!(store.unsubscribe("tok-roubaix-0").await.unwrap());
    assert!(!store.unsubscribe("nobody").await.unwrap());
    let sent = drain(&store, NOW).await;
    assert_eq!(
        sent.iter().map(|d| d.email.as_str()).collect::<Vec<_>>(),
        ["p1@x.fr"]
    );
    let p = store.progress("roubaix", id).await.unwrap();
    assert_eq!((p.sent, p.cancelled), (1, 1));

    let again = store
        .import_subscribers(
            "roubaix",
            &[
                ("P0@X.FR".into(), "t".into()),
                ("p1@x.fr".into(), "u".into()),
            ],
            &[pros],
            "fichier du centre social",
            "admin@x.fr",
        )
        .await
        .unwrap();
    assert_eq!(
        (again.added, again.known, again.refused),
        (0, 1, vec!["P0@X.FR".to_owned()])
    );
    // Their own preferences page may bring them back.
    assert!(store.set_lists("tok-roubaix-0", &[pros]).await.unwrap());
    let back = store
        .subscriber_by_token("tok-roubaix-0")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (back.status, back.lists),
        (SubscriberStatus::Confirmed, vec![pros])
    );
    // No list at all is an unsubscription.
    assert!(store.set_lists("tok-roubaix-0", &[]).await.unwrap());
    let gone = store
        .subscriber_by_token("tok-roubaix-0")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.status, SubscriberStatus::Unsubscribed);

    // Erasure leaves nothing of them.
    assert!(store.erase_subscriber("roubaix", gone.id).await.unwrap());
    assert!(
        store
            .subscriber("roubaix", gone.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .subscriber_by_token("tok-roubaix-0")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.subscribers("roubaix").await.unwrap().len(), 1);
}

pub async fn unconfirmed_subscriptions_are_erased_once_their_link_expired<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let pros = list(&store, "roubaix", "pros", true).await;
    let families = list(&store, "roubaix", "familles", true).await;
    subscribe(&store, "roubaix", "new@x.fr", &[pros]).await;
    subscribe(&store, "roubaix", "old@x.fr", &[pros]).await;
    store
        .confirm("hash-roubaix-old@x.fr", NOW)
        .await
        .unwrap()
        .unwrap();
    // The confirmed one asks for another list and does not confirm it.
    subscribe(&store, "roubaix", "old@x.fr", &[families]).await;
    assert_eq!(store.erase_unconfirmed(NOW).await.unwrap(), 0);
    assert_eq!(store.erase_unconfirmed(NOW + 8 * 86_400).await.unwrap(), 1);
    let left = store.subscribers("roubaix").await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        (
            left[0].email.as_str(),
            left[0].status,
            left[0].lists.clone()
        ),
        ("old@x.fr", SubscriberStatus::Confirmed, vec![pros])
    );
}

pub async fn a_cites_subscribers_and_issues_are_its_own<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let roubaix = list(&store, "roubaix", "pros", true).await;
    let tourcoing = list(&store, "tourcoing", "pros", true).await;
    import(&store, "roubaix", 2, roubaix).await;
    import(&store, "tourcoing", 3, tourcoing).await;
    // A list of another cité is not taken.
    assert_eq!(
        subscribe(&store, "roubaix", "z@x.fr", &[tourcoing]).await,
        Subscribed::Nothing
    );
    let id = issue(&store, "tourcoing", tourcoing, "Numéro 1").await;
    assert!(store.issue("roubaix", id).await.unwrap().is_none());
    assert!(store.issues("roubaix").await.unwrap().is_empty());
    assert_eq!(store.enqueue("roubaix", id, "x", "x").await.unwrap(), None);
    assert_eq!(
        store.enqueue("tourcoing", id, "x", "x").await.unwrap(),
        Some(3)
    );
    let sent = drain(&store, NOW).await;
    assert!(sent.iter().all(|d| d.cite == "tourcoing"));
    let someone = store.subscribers("tourcoing").await.unwrap().remove(0);
    assert!(
        store
            .subscriber("roubaix", someone.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!store.erase_subscriber("roubaix", someone.id).await.unwrap());
    assert_eq!(store.subscribers("roubaix").await.unwrap().len(), 2);
    assert_eq!(store.lists("roubaix").await.unwrap().len(), 1);
}

pub async fn a_scheduled_issue_is_due_at_its_time_and_a_queued_one_is_frozen<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let pros = list(&store, "roubaix", "pros", true).await;
    let id = issue(&store, "roubaix", pros, "Numéro 1").await;
    assert!(
        store
            .schedule_issue("roubaix", id, Some("2027-01-10T08:00:00Z"))
            .await
            .unwrap()
    );
    assert!(
        store
            .due_issues("2027-01-10T07:59:59Z")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.due_issues("2027-01-10T08:00:00Z").await.unwrap(),
        vec![("roubaix".to_owned(), id)]
    );
    assert_eq!(store.last_issue_at("roubaix", pros).await.unwrap(), None);
    store.enqueue("roubaix", id, "x", "x").await.unwrap();
    assert!(
        store
            .last_issue_at("roubaix", pros)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .due_issues("2027-01-10T08:00:00Z")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .update_issue("roubaix", id, &draft(pros, "Changé"))
            .await
            .unwrap()
    );
    assert!(!store.schedule_issue("roubaix", id, None).await.unwrap());
    assert_eq!(
        store.issue("roubaix", id).await.unwrap().unwrap().title,
        "Numéro 1"
    );
}

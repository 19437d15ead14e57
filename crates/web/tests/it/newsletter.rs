//! The newsletter's routes in process: only the cité's administrators
//! manage it (every role × the mutating routes, and another cité's
//! administrator), nothing is written by a refused request, and the
//! one-click unsubscription works with no cookie and no redirect while
//! its GET changes nothing.

use passerelle_domain::newsletter::{NewsletterList, SubscriberStatus};
use passerelle_store::NewsletterStore;

use crate::editing::{Fixture, Who, fixture, fixture_of, get_as, post_as};
use crate::post_form;

async fn list(f: &Fixture, cite: &str) -> i64 {
    f.store
        .create_list(&NewsletterList {
            id: 0,
            cite: cite.into(),
            slug: "pros".into(),
            name: "Lettre des professionnels".into(),
            description: String::new(),
            public: true,
        })
        .await
        .unwrap()
        .unwrap()
}

/// What each role gets, in the order of [`Who::ALL`].
const ADMIN_ONLY: [u16; 6] = [401, 403, 403, 403, 403, 303];

#[tokio::test]
async fn only_the_cites_administrators_manage_lists_issues_and_subscribers() {
    let mut failures = Vec::new();
    for (who, want) in Who::ALL.into_iter().zip(ADMIN_ONLY) {
        let f = fixture().await;
        let id = list(&f, "roubaix").await;
        let created = post_as(
            &f,
            who,
            "/admin/lettre/listes",
            &[("name", "Familles"), ("public", "1")],
        )
        .await;
        let renamed = post_as(
            &f,
            who,
            &format!("/admin/lettre/listes/{id}"),
            &[("name", "Renommée")],
        )
        .await;
        let issue = post_as(
            &f,
            who,
            "/admin/lettre/nouvelle",
            &[
                ("list", &id.to_string()),
                ("title", "Lettre n°1"),
                ("changes", "1"),
            ],
        )
        .await;
        for (what, got) in [
            ("create a list", &created),
            ("rename it", &renamed),
            ("compose", &issue),
        ] {
            if got.status.as_u16() != want {
                failures.push(format!("{who:?} {what}: {} (expected {want})", got.status));
            }
        }
        let lists = f.store.lists("roubaix").await.unwrap();
        let issues = f.store.issues("roubaix").await.unwrap();
        let wrote =
            lists.len() != 1 || lists[0].name != "Lettre des professionnels" || !issues.is_empty();
        if wrote != (want == 303) {
            failures.push(format!("{who:?}: wrote {wrote} with {}", created.status));
        }
        let page = get_as(&f, who, "/admin/lettre/abonnes").await;
        let read = [401, 403, 403, 403, 403, 200][Who::ALL.iter().position(|w| *w == who).unwrap()];
        if page.status.as_u16() != read {
            failures.push(format!(
                "{who:?} GET subscribers: {} (expected {read})",
                page.status
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn another_cites_administrator_manages_nothing_here() {
    let f = fixture_of(&["roubaix", "tourcoing"]).await;
    let id = list(&f, "tourcoing").await;
    // Every role is held in Roubaix only.
    let got = post_as(
        &f,
        Who::Admin,
        "/tourcoing/admin/lettre/listes",
        &[("name", "Familles")],
    )
    .await;
    assert_eq!(got.status, 403);
    let got = post_as(
        &f,
        Who::Admin,
        &format!("/tourcoing/admin/lettre/listes/{id}"),
        &[("name", "Pris")],
    )
    .await;
    assert_eq!(got.status, 403);
    assert_eq!(
        f.store.lists("tourcoing").await.unwrap()[0].name,
        "Lettre des professionnels"
    );
    // Roubaix's own routes do not reach Tourcoing's list.
    let got = post_as(
        &f,
        Who::Admin,
        &format!("/roubaix/admin/lettre/listes/{id}"),
        &[("name", "Pris")],
    )
    .await;
    assert_eq!(got.status, 404);
    assert_eq!(
        f.store.lists("tourcoing").await.unwrap()[0].name,
        "Lettre des professionnels"
    );
}

#[tokio::test]
async fn one_click_unsubscribes_without_a_cookie_and_its_get_changes_nothing() {
    let f = fixture().await;
    let id = list(&f, "roubaix").await;
    f.store
        .import_subscribers(
            "roubaix",
            &[(
                "nadia@exemple.fr".into(),
                "jeton-de-nadia-0123456789".into(),
            )],
            &[id],
            "bulletin papier signé",
            "admin@exemple.fr",
        )
        .await
        .unwrap();
    let status = |f: &Fixture| {
        let store = f.store.clone();
        async move {
            store
                .subscriber_by_token("jeton-de-nadia-0123456789")
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };
    let link = "/lettre/desinscription/jeton-de-nadia-0123456789";
    let page = get_as(&f, Who::Anonymous, link).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Me désinscrire"));
    assert_eq!(
        status(&f).await,
        SubscriberStatus::Confirmed,
        "a GET unsubscribes nobody"
    );
    let done = post_form(&f.app, link, "List-Unsubscribe=One-Click", &[]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.headers.get("location").is_none());
    assert_eq!(done.headers.get("cache-control").unwrap(), "no-store");
    assert_eq!(status(&f).await, SubscriberStatus::Unsubscribed);
    let unknown = post_form(
        &f.app,
        "/lettre/desinscription/personne",
        "List-Unsubscribe=One-Click",
        &[],
    )
    .await;
    assert_eq!(unknown.status, 404);
}

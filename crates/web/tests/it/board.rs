//! The contribution board's rules for those without a role in the cité:
//! the day's code, identities that joining again does not renew, and the
//! budget an address shares.

use axum::http::Method;
use passerelle_store::ParticipationStore;

use crate::editing::fixture;
use crate::seminar::{EVENT, join, open_event, send_code, send_code_from};
use crate::{post_form, send};

#[tokio::test]
async fn an_account_without_a_role_in_the_cite_follows_the_public_rules_on_the_board() {
    use passerelle_domain::{Account, Email, Membership, Role};
    let f = fixture().await;
    open_event(&f).await;
    // Someone of another cité only, signed in.
    let elsewhere = Account::member(
        Email::parse("parent@tourcoing.fr").unwrap(),
        "Parent d'ailleurs",
        Membership::new("tourcoing", Role::Contributeur, None),
    );
    crate::editing::open_session(
        &f.store,
        &elsewhere,
        "passerelle_session=ailleurs",
        "csrf-ailleurs",
    )
    .await;
    let board = format!("/seminaire/{EVENT}/contributions");
    let body = "csrf=csrf-ailleurs&question=q1&text=Sans+le+code";
    let posted = post_form(
        &f.app,
        &board,
        body,
        &[("cookie", "passerelle_session=ailleurs")],
    )
    .await;
    assert_eq!(posted.status, 401, "{}", posted.body);
    assert!(
        f.store
            .contributions("roubaix", EVENT, true)
            .await
            .unwrap()
            .is_empty()
    );
    // The board offers them the day's code, as to anyone.
    let page = send(
        &f.app,
        Method::GET,
        &board,
        &[("cookie", "passerelle_session=ailleurs")],
    )
    .await;
    assert!(
        page.body.contains("/code\""),
        "the day's-code form is shown"
    );
}

#[tokio::test]
async fn joining_the_board_again_gives_no_new_supporter_and_no_new_quota() {
    let f = fixture().await;
    open_event(&f).await;
    let board = format!("/seminaire/{EVENT}/contributions");
    let (nadia, csrf) = join(&f, "Nadia").await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("question", "q1"),
        ("text", "Garder le café des parents"),
    ])
    .unwrap();
    assert_eq!(
        post_form(&f.app, &board, &body, &[("cookie", &nadia)])
            .await
            .status,
        303
    );
    let id = f
        .store
        .contributions("roubaix", EVENT, false)
        .await
        .unwrap()[0]
        .id;
    let support = format!("/seminaire/{EVENT}/contributions/{id}/soutenir");
    // Five times: join again with the code from the same browser (its
    // participant cookie kept), support again.
    for _ in 0..5 {
        let again = send_code_from(&f, "roubaix", "", Some(&nadia)).await;
        assert_eq!(again.status, 303, "{}", again.body);
        assert!(
            again.cookie("passerelle_participant").is_none(),
            "a new identity"
        );
        post_form(
            &f.app,
            &support,
            &format!("csrf={csrf}"),
            &[("cookie", &nadia)],
        )
        .await;
    }
    assert_eq!(f.store.contribution(id).await.unwrap().unwrap().supports, 1);
    // A client that drops its cookies gets at most its address's share of
    // identities: 50 a quarter of an hour.
    let mut identities = 1;
    for _ in 0..60 {
        if send_code(&f, "roubaix", "")
            .await
            .cookie("passerelle_participant")
            .is_some()
        {
            identities += 1;
        }
    }
    assert_eq!(identities, 50, "identities from one address");
    let refused = send_code(&f, "roubaix", "").await;
    assert_eq!(refused.status, 429);
}

#[tokio::test]
async fn contributions_posted_with_the_code_share_their_addresss_budget() {
    let f = fixture().await;
    open_event(&f).await;
    let board = format!("/seminaire/{EVENT}/contributions");
    let mut posted = 0;
    let mut refused = 0;
    // Five identities of one address, 30 contributions each.
    for i in 0..5 {
        let (cookie, csrf) = join(&f, &format!("P{i}")).await;
        for n in 0..30 {
            let body = serde_urlencoded::to_string([
                ("csrf", csrf.as_str()),
                ("question", "q1"),
                ("text", &format!("Idée {i}-{n}")),
            ])
            .unwrap();
            match post_form(&f.app, &board, &body, &[("cookie", &cookie)])
                .await
                .status
                .as_u16()
            {
                303 => posted += 1,
                429 => refused += 1,
                other => panic!("{other}"),
            }
        }
    }
    assert_eq!(posted, 120, "the address's budget");
    assert_eq!(refused, 30);
}

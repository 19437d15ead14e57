//! Referrals through the JSON API with a personal token: the operator lists
//! and answers, the sender follows; the same permissions as the pages.

use axum::http::Method;
use passerelle_domain::referral::State;
use passerelle_store::ReferralStore;
use serde_json::json;

use crate::editing::{Fixture, Who, fixture, get_as, post_as};
use crate::referrals::{CHILD, mails, send};

/// A personal token created on `/compte` by `who`.
async fn token(f: &Fixture, who: Who) -> String {
    let created = post_as(f, who, "/compte/jetons", &[("label", "logiciel")]).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let token = created.created_token();
    format!("Bearer {token}")
}

async fn call(f: &Fixture, method: Method, uri: &str, body: &str, auth: &str) -> crate::Answer {
    let mut headers = vec![("content-type", "application/json")];
    if !auth.is_empty() {
        headers.push(("authorization", auth));
    }
    crate::request(
        &f.app,
        method,
        uri,
        axum::body::Body::from(body.to_owned()),
        &headers,
    )
    .await
}

#[tokio::test]
async fn an_operator_lists_and_answers_its_referrals_with_a_personal_token() {
    let f = fixture().await;
    let id = send(&f).await;
    let operator = token(&f, Who::ReferentOwn).await;
    let listed = call(&f, Method::GET, "/api/v1/orientations", "", &operator).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let list = listed.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["fiche"], 5);
    assert_eq!(list[0]["state"], "envoyee");
    assert_eq!(list[0]["role"], "operator");
    assert!(
        !listed.body.contains(CHILD),
        "a list holds no personal field"
    );
    let uri = format!("/api/v1/orientations/{id}");
    let one = call(&f, Method::GET, &uri, "", &operator).await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one = one.json();
    assert_eq!(one["details"]["child"], CHILD);
    assert_eq!(one["details"]["age"], 9);
    assert_eq!(one["answers"], json!(["accepter", "refuser", "preciser"]));
    assert_eq!(one["history"][0]["event"], "envoyee");

    let answer = format!("{uri}/reponse");
    let bad = call(
        &f,
        Method::POST,
        &answer,
        &json!({"decision": "peut-etre", "text": "x"}).to_string(),
        &operator,
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let empty = call(
        &f,
        Method::POST,
        &answer,
        &json!({"decision": "accepter", "text": " "}).to_string(),
        &operator,
    )
    .await;
    assert_eq!(
        empty.status, 422,
        "the next step is required: {}",
        empty.body
    );
    let before = mails(&f).len();
    let accepted = call(
        &f,
        Method::POST,
        &answer,
        &json!({"decision": "accepter", "text": "Atelier mardi 14 h ; nous appelons la famille."})
            .to_string(),
        &operator,
    )
    .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(accepted.json()["state"], "acceptee");
    assert_eq!(accepted.json()["answers"], json!([]));
    let told: Vec<String> = mails(&f)[before..].iter().map(|m| m.to.clone()).collect();
    assert_eq!(
        told,
        ["troika@nord.gouv.fr", "famille.b@exemple.fr"],
        "the sender and the family are told, as through the page"
    );
    let stored = f.store.referral("roubaix", id).await.unwrap().unwrap();
    assert_eq!(stored.state, State::Accepted);
    assert_eq!(
        stored.history.last().unwrap().actor,
        "referent@citeo.com",
        "the token's account is recorded as the one who answered"
    );
    let again = call(
        &f,
        Method::POST,
        &answer,
        &json!({"decision": "refuser", "text": "Complet"}).to_string(),
        &operator,
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.body);

    // The sender follows it (a session works too), and may not answer.
    let followed = get_as(&f, Who::Troika, &uri).await;
    assert_eq!(followed.status, 200);
    assert_eq!(followed.json()["role"], "sender");
    assert_eq!(followed.json()["state"], "acceptee");
}

#[tokio::test]
async fn the_api_opens_a_referral_only_to_those_the_pages_open_it_to() {
    let f = fixture().await;
    let id = send(&f).await;
    let uri = format!("/api/v1/orientations/{id}");
    let answer = format!("{uri}/reponse");
    let body = json!({"decision": "preciser", "text": "Quels horaires ?"}).to_string();
    assert_eq!(call(&f, Method::GET, &uri, "", "").await.status, 401);
    assert_eq!(call(&f, Method::POST, &answer, &body, "").await.status, 401);
    assert_eq!(
        call(&f, Method::GET, &uri, "", "Bearer pas-un-jeton")
            .await
            .status,
        401
    );
    for who in [Who::ReferentOther, Who::Contributor] {
        let t = token(&f, who).await;
        let got = call(&f, Method::GET, &uri, "", &t).await;
        assert_eq!(got.status, 404, "{who:?}");
        assert!(!got.body.contains(CHILD));
        assert_eq!(
            call(&f, Method::POST, &answer, &body, &t).await.status,
            404,
            "{who:?}"
        );
        let listed = call(&f, Method::GET, "/api/v1/orientations", "", &t).await;
        assert_eq!(listed.status, 200);
        assert_eq!(listed.json(), json!([]), "{who:?}");
    }
    let admin = token(&f, Who::Admin).await;
    let sender = token(&f, Who::Troika).await;
    for (who, t) in [("sender", &sender), ("administrator", &admin)] {
        assert_eq!(
            call(&f, Method::POST, &answer, &body, t).await.status,
            403,
            "the {who} does not answer for the operator"
        );
    }
    let support = call(&f, Method::GET, &uri, "", &admin).await;
    assert_eq!(support.status, 200);
    assert_eq!(support.json()["role"], "support");
    assert_eq!(
        support.json()["history"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["event"],
        "consultee",
        "an administrator's opening is recorded"
    );
    let stored = f.store.referral("roubaix", id).await.unwrap().unwrap();
    assert_eq!(
        stored.state,
        State::Sent,
        "nobody but the operator answered"
    );
}

//! The second factor, sessions one can see and end, the password policy,
//! and `security.txt`, through the web as people use them.

use std::sync::Arc;

use axum::Router;
use axum::http::Method;
use passerelle_auth::totp::{code_at_step, step_at};
use passerelle_domain::{Account, Email, Membership, Role};
use passerelle_store::AccountStore;
use passerelle_store_sqlite::SqliteStore;
use passerelle_web::{SecurityTxt, SignInPolicy};

use crate::input_of as value_of;
use crate::{Answer, post_form, roubaix_state, send};

const ADMIN: &str = "coordination@ville-roubaix.fr";
const ADMIN_PASSWORD: &str = "un-mot-de-passe-bien-long";
const TROIKA: &str = "prefecture@nord.gouv.fr";
const TROIKA_PASSWORD: &str = "une-phrase-de-passe";

async fn app_with(policy: SignInPolicy) -> Router {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    for (email, role, password) in [
        (ADMIN, Role::Administrateur, ADMIN_PASSWORD),
        (TROIKA, Role::Troika, TROIKA_PASSWORD),
    ] {
        let account = Account::member(
            Email::parse(email).unwrap(),
            "Julia Camus",
            Membership::new("roubaix", role, None),
        );
        let hash =
            passerelle_auth::hash_password(password, email, passerelle_auth::Strength::Everyone)
                .unwrap();
        store.create_account(&account, &hash, "test").await.unwrap();
    }
    passerelle_web::app(
        roubaix_state()
            .with_accounts(Arc::new(store), false)
            .with_signin_policy(policy),
    )
}

async fn app() -> Router {
    app_with(SignInPolicy::default()).await
}

fn session_of(a: &Answer) -> String {
    a.cookie("passerelle_session").expect("a session cookie")
}

/// Signs in with a password: the answer and the session's cookie.
async fn password(app: &Router, email: &str, password: &str) -> (Answer, String) {
    let form = send(app, Method::GET, "/connexion", &[]).await;
    let cookie = form.cookie("passerelle_csrf").unwrap();
    let body = serde_urlencoded::to_string([
        ("email", email),
        ("password", password),
        ("csrf", &value_of(&form.body, "csrf")),
    ])
    .unwrap();
    let a = post_form(app, "/connexion", &body, &[("cookie", &cookie)]).await;
    let session = session_of(&a);
    (a, session)
}

async fn get(app: &Router, uri: &str, session: &str) -> Answer {
    send(app, Method::GET, uri, &[("cookie", session)]).await
}

/// Posts a form with the session's CSRF token (read from `page`).
async fn post(
    app: &Router,
    uri: &str,
    session: &str,
    page: &str,
    pairs: &[(&str, &str)],
) -> Answer {
    let csrf = value_of(page, "csrf");
    let mut all = pairs.to_vec();
    all.push(("csrf", &csrf));
    post_form(
        app,
        uri,
        &serde_urlencoded::to_string(&all).unwrap(),
        &[("cookie", session)],
    )
    .await
}

/// Gives a code on the code page (`page`, its form).
async fn give(app: &Router, session: &str, page: &str, code: &str) -> Answer {
    post(app, "/connexion/code", session, page, &[("code", code)]).await
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn now() -> i64 {
    passerelle_store::rows::unix_now()
}

/// Enrols through the pages: the secret, and the recovery codes shown.
async fn enrol(app: &Router, session: &str) -> (Vec<u8>, Vec<String>) {
    let page = get(app, "/connexion/second-facteur", session).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let secret = hex_bytes(&value_of(&page.body, "secret"));
    let code = code_at_step(&secret, step_at(now()));
    let done = post(
        app,
        "/connexion/second-facteur",
        session,
        &page.body,
        &[("secret", &value_of(&page.body, "secret")), ("code", &code)],
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let list = done.body.split("class=\"recovery-codes\">").nth(1).unwrap();
    let list = list.split("</ol>").next().unwrap();
    let codes: Vec<String> = list
        .split("<li>")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap().to_owned())
        .collect();
    (secret, codes)
}

#[tokio::test]
async fn an_administrator_without_a_second_factor_is_sent_to_enrol_and_can_do_nothing_else() {
    let app = app().await;
    let (signed, session) = password(&app, ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(signed.status, 303);
    assert_eq!(signed.header("location"), Some("/connexion/second-facteur"));
    for page in [
        "/admin",
        "/compte",
        "/admin/comptes",
        "/connexion",
        "/actions/5",
    ] {
        let a = get(&app, page, &session).await;
        assert_eq!(a.status, 303, "{page}");
        assert_eq!(
            a.header("location"),
            Some("/connexion/second-facteur"),
            "{page}"
        );
    }
    let tokens = post_form(
        &app,
        "/compte/jetons",
        "label=x&csrf=y",
        &[("cookie", &session)],
    )
    .await;
    assert_eq!(tokens.status, 403);
    // The enrolment: a QR code drawn here, the secret in text, no outside image.
    let page = get(&app, "/connexion/second-facteur", &session).await;
    assert!(page.body.contains("<svg role=\"img\""), "{}", page.body);
    assert!(page.body.contains("class=\"secret\""));
    assert!(
        !page.body.contains("<img"),
        "the QR code is not fetched from anywhere"
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let wrong = post(
        &app,
        "/connexion/second-facteur",
        &session,
        &page.body,
        &[
            ("secret", &value_of(&page.body, "secret")),
            ("code", "000000"),
        ],
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(
        get(&app, "/admin", &session).await.status,
        303,
        "still nothing else"
    );
    let (_, codes) = enrol(&app, &session).await;
    assert_eq!(codes.len(), 10);
    let account = get(&app, "/compte", &session).await;
    assert_eq!(account.status, 200, "now the rest");
    assert!(
        account.body.contains("Il vous reste 10 code(s) de secours"),
        "{}",
        account.body
    );
}

#[tokio::test]
async fn a_sign_in_asks_for_a_code_once_used_and_a_recovery_code_once() {
    let app = app().await;
    let (_, first) = password(&app, ADMIN, ADMIN_PASSWORD).await;
    let (secret, codes) = enrol(&app, &first).await;
    let enrolled_step = step_at(now());
    let (signed, session) = password(&app, ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(signed.header("location"), Some("/connexion/code"));
    // Waiting for its code, the session signs nobody in.
    assert_eq!(get(&app, "/compte", &session).await.status, 401);
    let form = get(&app, "/connexion/code", &session).await;
    assert_eq!(form.status, 200);
    // The enrolment's code was used: refused.
    let reused = code_at_step(&secret, enrolled_step);
    let a = give(&app, &session, &form.body, &reused).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("déjà utilisé"));
    let next = code_at_step(&secret, enrolled_step + 1);
    let a = give(&app, &session, &form.body, &next).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(get(&app, "/compte", &session).await.status, 200);
    // Another sign-in: that code again is refused; a recovery code works once.
    let (_, third) = password(&app, ADMIN, ADMIN_PASSWORD).await;
    let form = get(&app, "/connexion/code", &third).await;
    let a = give(&app, &third, &form.body, &next).await;
    assert_eq!(a.status, 422);
    let typed = codes[0].to_uppercase().replace('-', " ");
    let a = give(&app, &third, &form.body, &typed).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let (_, fourth) = password(&app, ADMIN, ADMIN_PASSWORD).await;
    let form = get(&app, "/connexion/code", &fourth).await;
    let a = give(&app, &fourth, &form.body, &codes[0]).await;
    assert_eq!(a.status, 422, "a recovery code works once");
    // Attempts are throttled like passwords: five failures since the last
    // success, and even a good code waits.
    for _ in 0..4 {
        give(&app, &fourth, &form.body, "123456").await;
    }
    let a = give(&app, &fourth, &form.body, &codes[1]).await;
    assert!(
        a.body.contains("Trop d&#39;essais") || a.body.contains("Trop d'essais"),
        "{}",
        a.body
    );
    // Replacing the factor asks for the current one.
    let page = get(&app, "/connexion/second-facteur", &first).await;
    assert!(page.body.contains("name=\"current\""));
    let new_secret = hex_bytes(&value_of(&page.body, "secret"));
    let a = post(
        &app,
        "/connexion/second-facteur",
        &first,
        &page.body,
        &[
            ("secret", &value_of(&page.body, "secret")),
            ("code", &code_at_step(&new_secret, step_at(now()))),
            ("current", "000000"),
        ],
    )
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
}

#[tokio::test]
async fn the_switch_requires_a_second_factor_of_everyone() {
    let relaxed = app().await;
    let (signed, session) = password(&relaxed, TROIKA, TROIKA_PASSWORD).await;
    assert_eq!(signed.header("location"), Some("/connexion"));
    assert_eq!(get(&relaxed, "/compte", &session).await.status, 200);
    let strict = app_with(SignInPolicy {
        second_factor_for_everyone: true,
        ..SignInPolicy::default()
    })
    .await;
    let (signed, session) = password(&strict, TROIKA, TROIKA_PASSWORD).await;
    assert_eq!(signed.header("location"), Some("/connexion/second-facteur"));
    assert_eq!(get(&strict, "/compte", &session).await.status, 303);
}

#[tokio::test]
async fn one_ends_another_session_from_the_account_page_and_it_is_refused_at_once() {
    let app = app().await;
    let (_, phone) = password(&app, TROIKA, TROIKA_PASSWORD).await;
    let (_, desk) = password(&app, TROIKA, TROIKA_PASSWORD).await;
    let page = get(&app, "/compte", &desk).await;
    assert_eq!(
        page.body.matches("name=\"id\"").count(),
        1,
        "the other session only has a button"
    );
    assert!(page.body.contains("cette session"));
    let id = value_of(&page.body, "id");
    let ended = post(
        &app,
        "/compte/sessions/fermer",
        &desk,
        &page.body,
        &[("id", &id)],
    )
    .await;
    assert_eq!(ended.status, 303);
    assert_eq!(get(&app, "/compte", &phone).await.status, 401);
    assert_eq!(get(&app, "/compte", &desk).await.status, 200);
    let again = post(
        &app,
        "/compte/sessions/fermer",
        &desk,
        &page.body,
        &[("id", &id)],
    )
    .await;
    assert_eq!(again.status, 404);
    // "End all other sessions".
    let (_, tablet) = password(&app, TROIKA, TROIKA_PASSWORD).await;
    let page = get(&app, "/compte", &desk).await;
    let a = post(
        &app,
        "/compte/sessions/fermer-les-autres",
        &desk,
        &page.body,
        &[],
    )
    .await;
    assert_eq!(a.status, 303);
    assert_eq!(get(&app, "/compte", &tablet).await.status, 401);
    assert_eq!(get(&app, "/compte", &desk).await.status, 200);
}

#[tokio::test]
async fn changing_the_password_asks_for_it_follows_the_policy_and_ends_the_other_sessions() {
    let app = app().await;
    let (_, other) = password(&app, TROIKA, TROIKA_PASSWORD).await;
    let (_, here) = password(&app, TROIKA, TROIKA_PASSWORD).await;
    let page = get(&app, "/compte", &here).await;
    let change = |current: &'static str, new: &'static str| {
        let (app, here, body) = (app.clone(), here.clone(), page.body.clone());
        async move {
            post(
                &app,
                "/compte/mot-de-passe",
                &here,
                &body,
                &[
                    ("current", current),
                    ("password", new),
                    ("confirmation", new),
                ],
            )
            .await
        }
    };
    let a = change("pas-le-bon", "une-autre-phrase-de-passe").await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("Le mot de passe actuel est incorrect"));
    let a = change(TROIKA_PASSWORD, "qwerty123456").await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("les plus répandus"), "{}", a.body);
    let a = change(TROIKA_PASSWORD, &*"x".repeat(129).leak()).await;
    assert!(a.body.contains("128"), "{}", a.body);
    let a = change(TROIKA_PASSWORD, "une-autre-phrase-de-passe").await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        get(&app, "/compte", &other).await.status,
        401,
        "the other session ended"
    );
    assert_eq!(get(&app, "/compte", &here).await.status, 200);
    let (signed, _) = password(&app, TROIKA, "une-autre-phrase-de-passe").await;
    assert_eq!(signed.status, 303);
}

#[tokio::test]
async fn an_administrators_new_password_needs_sixteen_characters() {
    let app = app().await;
    let (_, session) = password(&app, ADMIN, ADMIN_PASSWORD).await;
    enrol(&app, &session).await;
    let page = get(&app, "/compte", &session).await;
    assert!(page.body.contains("16 caractères au moins"));
    let a = post(
        &app,
        "/compte/mot-de-passe",
        &session,
        &page.body,
        &[
            ("current", ADMIN_PASSWORD),
            ("password", "quinze-carac-15"),
            ("confirmation", "quinze-carac-15"),
        ],
    )
    .await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("au moins 16 caractères"), "{}", a.body);
}

#[tokio::test]
async fn security_txt_says_whom_to_tell_until_when() {
    let none = app().await;
    assert_eq!(
        send(&none, Method::GET, "/.well-known/security.txt", &[])
            .await
            .status,
        404
    );
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(200);
    let app = passerelle_web::app(roubaix_state().with_security_txt(SecurityTxt {
        contacts: vec!["mailto:rssi@ville-roubaix.fr".into()],
        expires,
        policy: None,
        preferred_languages: "fr, en".into(),
        canonical: None,
    }));
    let a = send(&app, Method::GET, "/.well-known/security.txt", &[]).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("text/plain; charset=utf-8"));
    assert!(
        a.body
            .starts_with("Contact: mailto:rssi@ville-roubaix.fr\nExpires: "),
        "{}",
        a.body
    );
    let line = a.body.lines().find(|l| l.starts_with("Expires: ")).unwrap();
    let parsed = time::OffsetDateTime::parse(
        line.trim_start_matches("Expires: "),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(parsed.unix_timestamp(), expires.unix_timestamp());
}

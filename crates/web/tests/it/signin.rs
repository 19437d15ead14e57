//! Signing in and out: CSRF, passwords, cookies, throttling.

use std::sync::Arc;

use axum::Router;
use axum::http::Method;
use passerelle_domain::{Account, Email, Membership, Role};
use passerelle_store::AccountStore;
use passerelle_store_sqlite::SqliteStore;

use crate::{Answer, post_form, roubaix_state, send};

const EMAIL: &str = "coordination@ville-roubaix.fr";
const PASSWORD: &str = "un-mot-de-passe-solide";

async fn app(secure: bool) -> Router {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let account = Account::member(
        Email::parse(EMAIL).unwrap(),
        "Coordination",
        // Not an administrator: these tests are about the password; the
        // second factor's are in `second_factor.rs`.
        Membership::new("roubaix", Role::Troika, None),
    );
    let hash = passerelle_auth::hash_password(PASSWORD, EMAIL, passerelle_auth::Strength::Everyone)
        .unwrap();
    store.create_account(&account, &hash, "test").await.unwrap();
    passerelle_web::app(roubaix_state().with_accounts(Arc::new(store), secure))
}

fn set_cookies(a: &Answer) -> Vec<String> {
    a.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The login form's CSRF token, and the cookie that goes with it.
async fn form(app: &Router) -> (String, String) {
    let a = send(app, Method::GET, "/connexion", &[]).await;
    assert_eq!(a.status, 200);
    let cookie = set_cookies(&a)
        .into_iter()
        .find(|c| c.starts_with("passerelle_csrf="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let value = cookie.split(';').next().unwrap().to_owned();
    let token = value.trim_start_matches("passerelle_csrf=").to_owned();
    assert!(a.body.contains(&format!("name=\"csrf\" value=\"{token}\"")));
    (token, value)
}

async fn sign_in(app: &Router, password: &str) -> Answer {
    let (token, cookie) = form(app).await;
    let body = format!(
        "email={}&password={password}&csrf={token}",
        EMAIL.replace('@', "%40")
    );
    post_form(app, "/connexion", &body, &[("cookie", &cookie)]).await
}

fn session_cookie(a: &Answer) -> String {
    set_cookies(a)
        .into_iter()
        .find(|c| c.starts_with("passerelle_session="))
        .unwrap()
}

#[tokio::test]
async fn signing_in_sets_a_protected_session_cookie() {
    let app = app(false).await;
    let a = sign_in(&app, PASSWORD).await;
    assert_eq!(a.status, 303);
    let cookie = session_cookie(&a);
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && cookie.contains("Max-Age=43200"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"));
    let session = cookie.split(';').next().unwrap().to_owned();
    let page = send(&app, Method::GET, "/connexion", &[("cookie", &session)]).await;
    assert!(page.body.contains("Vous êtes connecté(e)"), "{}", page.body);
    // Behind HTTPS the cookie is Secure.
    let secure = app_secure_sign_in().await;
    assert!(secure.contains("; Secure"), "{secure}");
}

async fn app_secure_sign_in() -> String {
    let app = app(true).await;
    session_cookie(&sign_in(&app, PASSWORD).await)
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = app(false).await;
    let body = format!(
        "email={}&password={PASSWORD}&csrf=faux",
        EMAIL.replace('@', "%40")
    );
    let a = post_form(&app, "/connexion", &body, &[]).await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("Le formulaire a expiré"));
    let a = post_form(
        &app,
        "/connexion",
        &body,
        &[("cookie", "passerelle_csrf=autre")],
    )
    .await;
    assert_eq!(a.status, 403);
    assert!(
        set_cookies(&a)
            .iter()
            .all(|c| !c.starts_with("passerelle_session="))
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_french_and_the_email_kept() {
    let app = app(false).await;
    let a = sign_in(&app, "pas-le-bon-mot-de-passe").await;
    assert_eq!(a.status, 401);
    assert!(
        a.body
            .contains("Adresse électronique ou mot de passe incorrect.")
    );
    assert!(a.body.contains(&format!("value=\"{EMAIL}\"")));
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let app = app(false).await;
    for _ in 0..5 {
        assert_eq!(sign_in(&app, "mauvais-mot-de-passe").await.status, 401);
    }
    let a = sign_in(&app, PASSWORD).await;
    assert_eq!(a.status, 429);
    assert_eq!(a.header("retry-after"), Some("900"));
    assert!(
        a.body.contains("Trop d&#39;essais") || a.body.contains("Trop d'essais"),
        "{}",
        a.body
    );
}

#[tokio::test]
async fn signing_out_needs_the_sessions_token_and_ends_the_session() {
    let app = app(false).await;
    let session = session_cookie(&sign_in(&app, PASSWORD).await)
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = send(&app, Method::GET, "/connexion", &[("cookie", &session)]).await;
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let refused = post_form(&app, "/deconnexion", "csrf=faux", &[("cookie", &session)]).await;
    assert_eq!(refused.status, 403);
    let out = post_form(
        &app,
        "/deconnexion",
        &format!("csrf={csrf}"),
        &[("cookie", &session)],
    )
    .await;
    assert_eq!(out.status, 303);
    assert!(session_cookie(&out).contains("Max-Age=0"));
    let page = send(&app, Method::GET, "/connexion", &[("cookie", &session)]).await;
    assert!(
        page.body.contains("<h1>Se connecter</h1>"),
        "the old cookie no longer signs in"
    );
}

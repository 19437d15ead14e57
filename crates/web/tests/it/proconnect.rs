//! Signing in with ProConnect against a real OpenID provider: panva's
//! `oidc-provider` 8 (the engine ProConnect runs) on Debian's Node, started
//! by `tests/proconnect/provider.mjs` with ProConnect's claims, ES256-signed
//! ID tokens and userinfo, and its acr values. The browser's part (the
//! provider's pages, its cookies, the redirects) is played here over HTTP;
//! Passerelle is the router in process. Skipped when `npm ci` was not run in
//! `tests/proconnect`, unless `PASSERELLE_REQUIRE_OIDC` is set (as in CI).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use axum::Router;
use axum::http::Method;
use passerelle_domain::{Account, Email, InstanceRole, Membership, Role};
use passerelle_store::{AccountStore, LinkPurpose, OneTimeLink, SignInStore};
use passerelle_store_sqlite::SqliteStore;
use passerelle_web::{AllowList, AppState, Editing, Mailer, ProConnect};
use serde_json::json;

use crate::{Answer, post_form, roubaix_state, send};

const BASE: &str = "http://passerelle.test";
const CLIENT_ID: &str = "passerelle-roubaix";
const CLIENT_SECRET: &str = "un-secret-de-test-assez-long-0123456789";

/// The provider, stopped when dropped.
struct Provider {
    child: Child,
    issuer: String,
    /// The browser's cookies at the provider.
    cookies: HashMap<String, String>,
    agent: ureq::Agent,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn provider() -> Option<Provider> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/proconnect");
    let required = std::env::var_os("PASSERELLE_REQUIRE_OIDC").is_some();
    if !dir.join("node_modules/oidc-provider").exists() {
        assert!(
            !required,
            "run `npm ci` in tests/proconnect: PASSERELLE_REQUIRE_OIDC is set"
        );
        eprintln!("skipped: no oidc-provider in tests/proconnect/node_modules");
        return None;
    }
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(&dir)
        .env("CLIENT_ID", CLIENT_ID)
        .env("CLIENT_SECRET", CLIENT_SECRET)
        .env(
            "REDIRECT_URI",
            format!("{BASE}/connexion/proconnect/retour"),
        )
        .env(
            "POST_LOGOUT_REDIRECT_URI",
            format!("{BASE}/deconnexion/proconnect"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let issuer = line
        .trim()
        .strip_prefix("listening ")
        .expect("the provider's address")
        .to_owned();
    let agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    Some(Provider {
        child,
        issuer,
        cookies: HashMap::new(),
        agent,
    })
}

/// What the browser met at the provider on its way back to Passerelle.
struct Journey {
    /// The provider showed its sign-in form (not a silent sign-in).
    asked: bool,
    /// Passerelle's answer to the way back.
    back: Answer,
    /// The way back's address (to replay it).
    callback: String,
    /// The cookie binding the sign-in to the browser.
    bound: String,
}

impl Provider {
    fn base(&self) -> String {
        self.issuer.trim_end_matches("/api/v2").to_owned()
    }

    fn admin(&self, path: &str, body: serde_json::Value) {
        let res = self
            .agent
            .post(&format!("{}{path}", self.base()))
            .header("content-type", "application/json")
            .send(body.to_string())
            .unwrap();
        assert_eq!(res.status().as_u16(), 204);
    }

    /// Registers a person at the provider (`sub` is what they type).
    fn person(&self, sub: &str, email: &str, amr: &[&str]) {
        self.admin(
            "/test/people",
            json!({ sub: {
                "claims": {
                    "email": email, "given_name": "Julia", "usual_name": "Camus",
                    "uid": sub, "siret": "21590512800015", "idp_id": "fia1",
                    "organization_label": "Ville de Roubaix",
                },
                "amr": amr, "acr": "eidas1",
            }}),
        );
    }

    fn tamper(&self, mode: &str) {
        self.admin("/test/tamper", json!({ "mode": mode }));
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// One request at the provider with its cookies: status, location, body.
    fn call(
        &mut self,
        method: &str,
        url: &str,
        form: Option<&[(&str, &str)]>,
    ) -> (u16, String, String) {
        let url = if url.starts_with('/') {
            format!("{}{url}", self.base())
        } else {
            url.to_owned()
        };
        let cookies = self.cookie_header();
        let mut res = match form {
            Some(pairs) => self
                .agent
                .post(&url)
                .header("cookie", &cookies)
                .send_form(pairs.iter().copied())
                .unwrap(),
            None => {
                assert_eq!(method, "GET");
                self.agent
                    .get(&url)
                    .header("cookie", &cookies)
                    .call()
                    .unwrap()
            }
        };
        for set in res.headers().get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (pair, attrs) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attrs.contains("expires=Thu, 01 Jan 1970") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let location = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let status = res.status().as_u16();
        (
            status,
            location,
            res.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    /// From Passerelle's start to its way back, signing in as `login`
    /// when the provider asks.
    async fn journey(&mut self, app: &Router, login: &str) -> Journey {
        let start = send(app, Method::GET, "/connexion/proconnect", &[]).await;
        assert_eq!(start.status, 303, "{}", start.body);
        let bound = start.cookie("passerelle_oidc").unwrap();
        let mut url = start.header("location").unwrap().to_owned();
        let mut asked = false;
        for _ in 0..10 {
            if url.starts_with(BASE) {
                let callback = url.trim_start_matches(BASE).to_owned();
                let back = send(app, Method::GET, &callback, &[("cookie", &bound)]).await;
                return Journey {
                    asked,
                    back,
                    callback,
                    bound,
                };
            }
            let (status, location, body) = self.call("GET", &url, None);
            if status == 200 && body.contains("name=\"login\"") {
                asked = true;
                let action = body
                    .split("action=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_owned();
                let (status, location, body) =
                    self.call("POST", &action, Some(&[("login", login)]));
                assert_eq!(status, 303, "{body}");
                url = location;
            } else {
                assert!(matches!(status, 302 | 303), "{status} at {url}: {body}");
                url = location;
            }
        }
        panic!("no way back to Passerelle");
    }
}

fn client(issuer: &str, client_id: &str) -> passerelle_oidc::ClientConfig {
    passerelle_oidc::ClientConfig {
        issuer: issuer.to_owned(),
        client_id: client_id.into(),
        client_secret: CLIENT_SECRET.into(),
        redirect_uri: format!("{BASE}/connexion/proconnect/retour"),
        post_logout_redirect_uri: format!("{BASE}/deconnexion/proconnect"),
        acr_values: vec![
            "eidas1".into(),
            "eidas1-mfa".into(),
            "eidas2".into(),
            "eidas3".into(),
        ],
        scopes: passerelle_oidc::PROCONNECT_SCOPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
    }
}

struct Fixture {
    app: Router,
    state: AppState,
    store: Arc<SqliteStore>,
}

async fn fixture(issuer: &str) -> Fixture {
    fixture_with(issuer, CLIENT_ID).await
}

async fn fixture_with(issuer: &str, client_id: &str) -> Fixture {
    let store = Arc::new(SqliteStore::open("sqlite::memory:").await.unwrap());
    let state = roubaix_state()
        .with_accounts(store.clone(), false)
        .with_editing(Editing::new(store.clone(), Mailer::log(), BASE))
        .with_proconnect(ProConnect::new(
            client(issuer, client_id),
            vec![(
                "roubaix".into(),
                AllowList {
                    domains: vec!["ac-lille.fr".into()],
                    sirets: Vec::new(),
                },
            )],
        ));
    Fixture {
        app: passerelle_web::app(state.clone()),
        state,
        store,
    }
}

fn member(email: &str, role: Role) -> Account {
    Account::member(
        Email::parse(email).unwrap(),
        "Julia Camus",
        Membership::new("roubaix", role, None),
    )
}

fn signed_in(j: &Journey) -> Option<String> {
    j.back.cookie("passerelle_session")
}

async fn page(f: &Fixture, uri: &str, session: &str) -> Answer {
    send(&f.app, Method::GET, uri, &[("cookie", session)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proconnect_sign_in_against_a_real_openid_provider() {
    let Some(mut op) = provider() else { return };
    let f = fixture(&op.issuer).await;

    // The button, without JavaScript: a form to /connexion/proconnect.
    let form = send(&f.app, Method::GET, "/connexion", &[]).await;
    assert!(form.body.contains("action=\"/connexion/proconnect\""));
    assert!(form.body.contains("Qu’est-ce que ProConnect ?"));

    // Only the parameters ProConnect accepts, a state and a nonce of 32+
    // characters, PKCE.
    let start = send(&f.app, Method::GET, "/connexion/proconnect", &[]).await;
    let authorize = start.header("location").unwrap();
    let query = authorize.split_once('?').unwrap().1;
    let params: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
    let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "nonce",
            "claims",
            "code_challenge",
            "code_challenge_method"
        ]
    );
    for (k, v) in &params {
        if k == "state" || k == "nonce" {
            assert!(v.len() >= 32, "{k}");
        }
    }

    // An account that exists signs in, attached by its verified email.
    f.store
        .create_account(&member("agent@nord.gouv.fr", Role::Troika), "", "test")
        .await
        .unwrap();
    op.person("sub-agent", "agent@nord.gouv.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-agent").await;
    assert!(j.asked);
    assert_eq!(j.back.status, 303, "{}", j.back.body);
    assert_eq!(j.back.header("location"), Some("/connexion"));
    let agent = signed_in(&j).unwrap();
    let account = page(&f, "/compte", &agent).await;
    assert_eq!(account.status, 200);
    assert!(account.body.contains("agent@nord.gouv.fr") && account.body.contains("(ProConnect)"));
    assert_eq!(
        f.store
            .identity_account(&op.issuer, "sub-agent")
            .await
            .unwrap()
            .as_deref(),
        Some("agent@nord.gouv.fr")
    );

    // The same `state` again: refused, nobody signed in.
    let replay = send(&f.app, Method::GET, &j.callback, &[("cookie", &j.bound)]).await;
    assert_eq!(replay.status, 400);
    assert!(replay.cookie("passerelle_session").is_none());

    // Logout goes through end_session_endpoint; the next sign-in asks again.
    let csrf = account.input("csrf");
    let out = post_form(
        &f.app,
        "/deconnexion",
        &format!("csrf={csrf}"),
        &[("cookie", &agent)],
    )
    .await;
    assert_eq!(out.status, 303);
    let end = out.header("location").unwrap().to_owned();
    assert!(
        end.starts_with(&format!("{}/session/end?", op.issuer)),
        "{end}"
    );
    assert!(
        end.contains("id_token_hint=") && end.contains("state="),
        "{end}"
    );
    let (status, _, body) = op.call("GET", &end, None);
    assert_eq!(status, 200, "{body}");
    let xsrf = body
        .split("name=\"xsrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (status, location, _) = op.call(
        "POST",
        "/api/v2/session/end/confirm",
        Some(&[("xsrf", &xsrf), ("logout", "yes")]),
    );
    assert_eq!(status, 303);
    assert!(
        location.starts_with(&format!("{BASE}/deconnexion/proconnect")),
        "{location}"
    );
    let landed = send(&f.app, Method::GET, location.trim_start_matches(BASE), &[]).await;
    assert!(landed.body.contains("Vous êtes déconnecté(e)"));
    assert_eq!(page(&f, "/compte", &agent).await.status, 401);
    let again = op.journey(&f.app, "sub-agent").await;
    assert!(again.asked, "after logout, ProConnect asks again");
    // Without logout, the provider's session makes the next one silent
    // (what the logout above prevents).
    let silent = op.journey(&f.app, "sub-agent").await;
    assert!(!silent.asked);
    assert!(signed_in(&silent).is_some());

    // An invited person: the invitation is accepted by the sign-in.
    f.store
        .create_link(
            "lien-invitation",
            &OneTimeLink {
                purpose: LinkPurpose::Invitation,
                account: member("invitee@ville-roubaix.fr", Role::Referent),
                expires_at: passerelle_store::rows::unix_now() + 3600,
            },
            "admin@ville-roubaix.fr",
        )
        .await
        .unwrap();
    op.cookies.clear(); // another browser
    op.person("sub-invitee", "invitee@ville-roubaix.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-invitee").await;
    assert_eq!(j.back.status, 303, "{}", j.back.body);
    let (invitee, _) = f
        .store
        .account("invitee@ville-roubaix.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invitee.memberships[0].role, Role::Referent);

    // Someone nobody expects: the refusal page says whom to ask.
    op.cookies.clear(); // another browser
    op.person("sub-stranger", "quelquun@exemple.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-stranger").await;
    assert_eq!(j.back.status, 403);
    assert!(
        j.back
            .body
            .contains("aucun compte Passerelle ne vous attend"),
        "{}",
        j.back.body
    );
    assert!(j.back.body.contains("Qui contacter"));
    assert!(signed_in(&j).is_none());
    assert!(
        f.store
            .account("quelquun@exemple.fr")
            .await
            .unwrap()
            .is_none()
    );

    // The allow-list: an account without a role, which an administrator
    // then gives one.
    op.cookies.clear(); // another browser
    op.person("sub-teacher", "prof@ac-lille.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-teacher").await;
    assert_eq!(j.back.status, 303);
    let teacher = signed_in(&j).unwrap();
    let (made, password) = f.store.account("prof@ac-lille.fr").await.unwrap().unwrap();
    assert!(made.memberships.is_empty() && password.is_empty());
    assert_eq!(made.name, "Julia Camus");
    assert_eq!(
        page(&f, "/admin", &teacher).await.status,
        403,
        "no role, nothing internal"
    );
    let admin = member("coordination@ville-roubaix.fr", Role::Administrateur);
    crate::editing::open_session(&f.store, &admin, "passerelle_session=admin", "jeton-admin").await;
    let accounts = page(&f, "/admin/comptes", "passerelle_session=admin").await;
    assert!(
        accounts.body.contains("En attente d&#39;un rôle")
            || accounts.body.contains("En attente d'un rôle")
    );
    assert!(accounts.body.contains("prof@ac-lille.fr"));
    let body = "email=prof%40ac-lille.fr&name=Julia+Camus&role=contributeur&organisation=&csrf=jeton-admin";
    let given = post_form(
        &f.app,
        "/admin/comptes/inviter",
        body,
        &[("cookie", "passerelle_session=admin")],
    )
    .await;
    assert_eq!(given.status, 303, "{}", given.body);
    let (teacher_account, _) = f.store.account("prof@ac-lille.fr").await.unwrap().unwrap();
    assert_eq!(teacher_account.memberships[0].role, Role::Contributeur);
    assert!(
        !page(&f, "/admin/comptes", "passerelle_session=admin")
            .await
            .body
            .contains("En attente")
    );

    // The same subject with a new email: the account follows, both addresses told.
    op.cookies.clear(); // another browser
    op.person("sub-agent", "agent.nouveau@nord.gouv.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-agent").await;
    assert_eq!(j.back.status, 303, "{}", j.back.body);
    assert!(
        f.store
            .account("agent@nord.gouv.fr")
            .await
            .unwrap()
            .is_none()
    );
    let (moved, _) = f
        .store
        .account("agent.nouveau@nord.gouv.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.memberships[0].role, Role::Troika);
    let told: Vec<String> = f
        .state
        .editing()
        .unwrap()
        .logged_mail()
        .into_iter()
        .filter(|m| m.subject.contains("adresse a changé"))
        .map(|m| m.to)
        .collect();
    assert_eq!(told, ["agent@nord.gouv.fr", "agent.nouveau@nord.gouv.fr"]);

    // ... unless another account holds it: a task on /instance, not a 500.
    op.cookies.clear(); // another browser
    op.person("sub-agent", "prof@ac-lille.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-agent").await;
    assert_eq!(j.back.status, 409, "{}", j.back.body);
    assert!(signed_in(&j).is_none());
    let mut root = member("root@ville-roubaix.fr", Role::Administrateur);
    root.instance_role = Some(InstanceRole::Administrateur);
    crate::editing::open_session(&f.store, &root, "passerelle_session=root", "jeton-root").await;
    let instance = page(&f, "/instance", "passerelle_session=root").await;
    assert!(
        instance.body.contains("Identités ProConnect à régler"),
        "{}",
        instance.body
    );
    assert!(
        instance.body.contains("agent.nouveau@nord.gouv.fr")
            && instance.body.contains("prof@ac-lille.fr")
    );
    op.person("sub-agent", "agent.nouveau@nord.gouv.fr", &["pwd"]);

    // Everything is in the activity log.
    let actions: Vec<String> = passerelle_store::CatalogueStore::activity(&*f.store, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    for action in [
        "sign-in",
        "attach-identity",
        "provision-account",
        "change-email",
        "identity-conflict",
        "proconnect-refused",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_or_stale_token_signs_nobody_in() {
    let Some(mut op) = provider() else { return };
    let f = fixture(&op.issuer).await;
    f.store
        .create_account(&member("agent@nord.gouv.fr", Role::Troika), "", "test")
        .await
        .unwrap();
    op.person("sub-agent", "agent@nord.gouv.fr", &["pwd"]);
    for (mode, said) in [
        ("nonce", "nonce"),
        ("key", "clé que le fournisseur ne publie pas"),
        ("aud", "autre service"),
        ("exp", "expiré"),
    ] {
        op.tamper(mode);
        let j = op.journey(&f.app, "sub-agent").await;
        assert_eq!(j.back.status, 400, "{mode}: {}", j.back.body);
        assert!(j.back.body.contains(said), "{mode}: {}", j.back.body);
        assert!(
            j.back.body.contains("Personne n&#39;a été connecté")
                || j.back.body.contains("Personne n'a été connecté")
        );
        assert!(signed_in(&j).is_none(), "{mode}");
    }
    // Untampered, the same person signs in: the refusals were the tokens'.
    let j = op.journey(&f.app, "sub-agent").await;
    assert_eq!(j.back.status, 303, "{}", j.back.body);
    // A way back without the browser's binding cookie is refused too.
    let start = send(&f.app, Method::GET, "/connexion/proconnect", &[]).await;
    let state = start
        .header("location")
        .unwrap()
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let forged = send(
        &f.app,
        Method::GET,
        &format!("/connexion/proconnect/retour?code=x&state={state}"),
        &[],
    )
    .await;
    assert_eq!(forged.status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_without_mfa_from_proconnect_still_gives_a_code() {
    let Some(mut op) = provider() else { return };
    let f = fixture(&op.issuer).await;
    let admin = member("coordination@ville-roubaix.fr", Role::Administrateur);
    f.store.create_account(&admin, "", "test").await.unwrap();
    // Without a factor and without mfa: sent to enrol.
    op.person("sub-admin", "coordination@ville-roubaix.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-admin").await;
    assert_eq!(j.back.header("location"), Some("/connexion/second-facteur"));
    // With ProConnect's mfa: in at once.
    op.person(
        "sub-admin",
        "coordination@ville-roubaix.fr",
        &["pwd", "mfa"],
    );
    op.cookies.clear();
    let j = op.journey(&f.app, "sub-admin").await;
    assert_eq!(j.back.header("location"), Some("/connexion"));
    assert_eq!(
        page(&f, "/compte", &signed_in(&j).unwrap()).await.status,
        200
    );
    // Enrolled, and without mfa: the code is asked.
    f.store
        .confirm_enrolment(
            "coordination@ville-roubaix.fr",
            &"ab".repeat(20),
            1,
            &[],
            "aucune",
            1,
        )
        .await
        .unwrap();
    op.person("sub-admin", "coordination@ville-roubaix.fr", &["pwd"]);
    op.cookies.clear();
    let j = op.journey(&f.app, "sub-admin").await;
    assert_eq!(j.back.header("location"), Some("/connexion/code"));
    assert_eq!(
        page(&f, "/compte", &signed_in(&j).unwrap()).await.status,
        401
    );
}

/// ProConnect signs userinfo when the service registered an algorithm,
/// and answers JSON otherwise; either is read, and an RS256 ID token as
/// well as an ES256 one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn userinfo_as_plain_json_and_an_rs256_id_token_are_accepted_too() {
    let Some(mut op) = provider() else { return };
    let f = fixture_with(&op.issuer, &format!("{CLIENT_ID}-json")).await;
    f.store
        .create_account(&member("agent@nord.gouv.fr", Role::Troika), "", "test")
        .await
        .unwrap();
    op.person("sub-agent", "agent@nord.gouv.fr", &["pwd"]);
    let j = op.journey(&f.app, "sub-agent").await;
    assert_eq!(j.back.status, 303, "{}", j.back.body);
    let account = page(&f, "/compte", &signed_in(&j).unwrap()).await;
    assert!(account.body.contains("agent@nord.gouv.fr"));
}

//! Two `passerelle serve` processes on one PostgreSQL database, as behind
//! a load balancer: a write through one is seen by the other (pages,
//! search, API); the other catches up after losing its feed; a session
//! opened on one works on the other, and one ended on one is refused by the
//! other; wrong passwords count on both.

use std::time::{Duration, Instant};

use crate::{
    Answer, Database, Env, databases, imported_with_token, request, start_server, start_server_with,
};

/// The two servers of one PostgreSQL instance, stopped when dropped.
struct Pair {
    a: (std::process::Child, String),
    b: (std::process::Child, String),
    token: String,
    _env: Env,
}

impl Drop for Pair {
    fn drop(&mut self) {
        for child in [&mut self.a.0, &mut self.b.0] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn pair() -> Option<Pair> {
    let database = databases()
        .into_iter()
        .find(|d| matches!(d, Database::Postgres(_)))?;
    let env = Env::on(&database);
    let token = imported_with_token(&env);
    let a = start_server(&env);
    let b = start_server(&env);
    Some(Pair {
        a,
        b,
        token,
        _env: env,
    })
}

fn get(addr: &str, path: &str) -> Answer {
    request(addr, "GET", path, &[], "").unwrap()
}

/// Polls `check` for up to `limit`: how long it took to hold.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    None
}

/// Retitles fiche 10 through server `addr`'s API.
fn retitle(addr: &str, token: &str, title: &str) {
    let path = "/api/v1/entities/action/programmation-2020-2022%2Ffiche-10";
    let auth = format!("Bearer {token}");
    let current = request(addr, "GET", path, &[("Authorization", &auth)], "").unwrap();
    assert_eq!(current.status, 200, "{}", current.body);
    let current: serde_json::Value = serde_json::from_str(&current.body).unwrap();
    let mut body = current["body"].clone();
    body["title"] = serde_json::json!(title);
    let put = serde_json::json!({"version": current["version"], "body": body}).to_string();
    let saved = request(
        addr,
        "PUT",
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &put,
    )
    .unwrap();
    assert_eq!(saved.status, 200, "{}", saved.body);
}

#[test]
fn a_write_through_one_server_is_seen_by_the_other_even_after_its_feed_is_cut() {
    let Some(pair) = pair() else {
        return; // no PostgreSQL: several servers need one
    };
    let (a, b) = (&pair.a.1, &pair.b.1);
    for n in 1..=5 {
        let title = format!("Passerelle{n}");
        retitle(a, &pair.token, &title);
        let seen = within(Duration::from_secs(5), || {
            get(b, "/actions/10").body.contains(&title)
                && get(b, &format!("/actions?q={title}"))
                    .body
                    .contains("/actions/10")
                && get(b, "/api/v1/actions/10").body.contains(&title)
        });
        assert!(seen.is_some(), "write {n} not seen through B within 5 s");
    }
    let health = get(b, "/healthz");
    assert_eq!(health.status, 200);
    assert!(health.body.contains("\"in_step\":true"), "{}", health.body);
    assert_eq!(get(b, "/readyz").status, 200);

    // B's (and A's) listening connections are cut; a write lands meanwhile.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = pair._env.database_url().unwrap().to_owned();
    let cut = rt.block_on(async {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let cut: Vec<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        cut
    });
    assert_eq!(cut, [true, true], "each server listens on one connection");
    retitle(a, &pair.token, "Après la coupure");
    let caught_up = within(Duration::from_secs(2), || {
        get(b, "/actions/10").body.contains("Après la coupure")
    });
    assert!(caught_up.is_some(), "B not consistent again within 2 s");
}

/// Signs in through `addr`: the answer (a session cookie when it worked).
fn sign_in(addr: &str, password: &str) -> Answer {
    let form = get(addr, "/connexion");
    let csrf = form.cookie("passerelle_csrf").unwrap();
    let body = serde_urlencoded::to_string([
        ("email", "coordination@ville-roubaix.fr"),
        ("password", password),
        ("csrf", csrf.as_str()),
    ])
    .unwrap();
    request(
        addr,
        "POST",
        "/connexion",
        &[
            ("Cookie", &format!("passerelle_csrf={csrf}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &body,
    )
    .unwrap()
}

/// A request with a session's cookie, and a form (with the CSRF token
/// read from `page`) when `form` is some.
fn with_session(
    addr: &str,
    path: &str,
    session: &str,
    form: Option<(&str, &[(&str, &str)])>,
) -> Answer {
    let cookie = format!("passerelle_session={session}");
    match form {
        None => request(addr, "GET", path, &[("Cookie", &cookie)], "").unwrap(),
        Some((page, pairs)) => {
            let csrf = value_of(page, "csrf");
            let mut all = pairs.to_vec();
            all.push(("csrf", &csrf));
            let body = serde_urlencoded::to_string(&all).unwrap();
            request(
                addr,
                "POST",
                path,
                &[
                    ("Cookie", &cookie),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ],
                &body,
            )
            .unwrap()
        }
    }
}

fn value_of(html: &str, name: &str) -> String {
    let after = html
        .split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .unwrap();
    after.split('"').next().unwrap().to_owned()
}

/// The administrator's second factor, enrolled through `addr`'s pages:
/// the recovery codes shown.
fn enrol(addr: &str, session: &str) -> Vec<String> {
    let page = with_session(addr, "/connexion/second-facteur", session, None);
    assert_eq!(page.status, 200, "{}", page.body);
    let hex = value_of(&page.body, "secret");
    let secret: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();
    let code = passerelle_auth::totp::code_at_step(&secret, passerelle_auth::totp::step_at(now));
    let done = with_session(
        addr,
        "/connexion/second-facteur",
        session,
        Some((&page.body, &[("secret", &hex), ("code", &code)])),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    let list = done.body.split("class=\"recovery-codes\">").nth(1).unwrap();
    list.split("</ol>")
        .next()
        .unwrap()
        .split("<li>")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap().to_owned())
        .collect()
}

/// Two sessions of one administrator, one on each server; the one on B
/// ends the one on A from `/compte`: A refuses it at its next request.
#[test]
fn a_session_ended_from_the_account_page_of_one_server_is_refused_by_the_other() {
    let Some(pair) = pair() else {
        return;
    };
    let (a, b) = (&pair.a.1, &pair.b.1);
    let on_a = sign_in(a, "un-long-mot-de-passe")
        .cookie("passerelle_session")
        .unwrap();
    let codes = enrol(a, &on_a);
    assert_eq!(with_session(a, "/compte", &on_a, None).status, 200);
    let signed = sign_in(b, "un-long-mot-de-passe");
    assert_eq!(signed.header("location"), Some("/connexion/code"));
    let on_b = signed.cookie("passerelle_session").unwrap();
    let form = with_session(b, "/connexion/code", &on_b, None);
    let passed = with_session(
        b,
        "/connexion/code",
        &on_b,
        Some((&form.body, &[("code", &codes[0])])),
    );
    assert_eq!(passed.status, 303, "{}", passed.body);
    let account = with_session(b, "/compte", &on_b, None);
    assert_eq!(account.status, 200);
    let id = value_of(&account.body, "id");
    let ended = with_session(
        b,
        "/compte/sessions/fermer",
        &on_b,
        Some((&account.body, &[("id", &id)])),
    );
    assert_eq!(ended.status, 303, "{}", ended.body);
    assert_eq!(with_session(a, "/compte", &on_a, None).status, 401);
    assert_eq!(
        with_session(a, "/compte", &on_b, None).status,
        200,
        "B's session works on A"
    );
}

#[test]
fn a_session_opened_on_one_server_works_on_the_other_and_failures_count_on_both() {
    let Some(pair) = pair() else {
        return;
    };
    let (a, b) = (&pair.a.1, &pair.b.1);
    let signed_in = sign_in(a, "un-long-mot-de-passe");
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let session = signed_in.cookie("passerelle_session").unwrap();
    // An administrator: the second factor first (on either server).
    assert_eq!(
        with_session(b, "/compte", &session, None).header("location"),
        Some("/connexion/second-facteur")
    );
    enrol(b, &session);
    let account = request(
        b,
        "GET",
        "/compte",
        &[("Cookie", &format!("passerelle_session={session}"))],
        "",
    )
    .unwrap();
    assert_eq!(account.status, 200, "{}", account.body);
    assert!(account.body.contains("Julia Camus"));

    // Five wrong passwords, spread over both servers, lock the account on both.
    for (n, addr) in [a, b, a, b, a].iter().enumerate() {
        let wrong = sign_in(addr, "pas-le-bon-mot-de-passe");
        assert_eq!(wrong.status, 401, "attempt {n}: {}", wrong.body);
    }
    for addr in [a, b] {
        let locked = sign_in(addr, "un-long-mot-de-passe");
        assert_eq!(locked.status, 429, "{}", locked.body);
        assert!(locked.body.contains("Trop d&#39;essais") || locked.body.contains("Trop d'essais"));
    }
}

#[test]
fn a_sqlite_instance_migrated_to_postgresql_serves_the_same_pages_and_history() {
    let Some(Database::Postgres(admin)) = databases()
        .into_iter()
        .find(|d| matches!(d, Database::Postgres(_)))
    else {
        return;
    };
    // A SQLite instance with an edit (history), an account, a registration,
    // a contribution and its support.
    let sqlite = Env::new();
    let token = imported_with_token(&sqlite);
    {
        let (mut child, addr) = start_server(&sqlite);
        retitle(&addr, &token, "Titre modifié avant la migration");
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = sqlite.open_store().await;
        let form = passerelle_domain::RegistrationForm {
            name: "Nadia".into(),
            email: passerelle_domain::Email::parse("nadia@exemple.fr").unwrap(),
            organisation: String::new(),
            kind: passerelle_domain::ParticipantKind::Parent,
            choices: Vec::new(),
        };
        store
            .register(
                "roubaix",
                "roubaix-seminaire-2022-10-11",
                "2022-10-11",
                &form,
                "t",
                None,
            )
            .await
            .unwrap();
        let c = store
            .contribute(
                "roubaix",
                "roubaix-seminaire-2022-10-11",
                "q1",
                "Une idée",
                "Nadia",
                "p:1",
                None,
            )
            .await
            .unwrap();
        store.support(c.id, "p:2").await.unwrap();
        store.close().await;
    });

    let target = Env::on(&Database::Postgres(admin));
    let url = target.database_url().unwrap().to_owned();
    let migrated = sqlite.run(&["migrate", "--to", &url]);
    let said = String::from_utf8_lossy(&migrated.stdout);
    assert!(
        migrated.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    assert!(said.contains("history : "), "{said}");
    assert!(
        said.contains("supports : 1 ligne(s) copiée(s) sur 1"),
        "{said}"
    );
    // Copying again is refused: the database is no longer empty.
    let again = sqlite.run(&["migrate", "--to", &url]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("n'est pas vide"));

    let (mut from, a) = start_server(&sqlite);
    let (mut to, b) = start_server(&target);
    let auth = format!("Bearer {token}");
    for path in [
        "/",
        "/actions",
        "/actions/10",
        "/actions?q=parents",
        "/annuaire",
        "/bilan",
        "/seminaire/roubaix-seminaire-2022-10-11",
        "/api/v1/actions",
        "/api/v1/entities/action/programmation-2020-2022%2Ffiche-10/history",
        "/seminaire/roubaix-seminaire-2022-10-11/inscriptions.csv",
        "/seminaire/roubaix-seminaire-2022-10-11/restitution",
    ] {
        let x = request(&a, "GET", path, &[("Authorization", &auth)], "").unwrap();
        let y = request(&b, "GET", path, &[("Authorization", &auth)], "").unwrap();
        assert_eq!(x.status, 200, "{path}: {}", x.body);
        assert_eq!(
            x.body.replace(&a, "SERVER"),
            y.body.replace(&b, "SERVER"),
            "{path} differs after the migration"
        );
    }
    for child in [&mut from, &mut to] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

#[test]
fn a_server_on_postgresql_stops_gracefully_on_sigterm() {
    let Some(database) = databases()
        .into_iter()
        .find(|d| matches!(d, Database::Postgres(_)))
    else {
        return;
    };
    let env = Env::on(&database);
    let (mut child, addr) = start_server(&env);
    assert_eq!(get(&addr, "/healthz").status, 200);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // The listening connection must not keep the store from closing.
    let stopped = within(Duration::from_secs(10), || {
        child.try_wait().unwrap().is_some()
    });
    assert!(stopped.is_some(), "did not stop within 10 s of SIGTERM");
}

#[test]
fn a_server_that_polls_instead_of_listening_catches_up_within_seconds() {
    let Some(database) = databases()
        .into_iter()
        .find(|d| matches!(d, Database::Postgres(_)))
    else {
        return;
    };
    let env = Env::on(&database);
    let token = imported_with_token(&env);
    let (mut a, addr_a) = start_server(&env);
    let (mut b, addr_b) = start_server_with(&env, &[("PASSERELLE_CHANGE_FEED", "poll")]);
    retitle(&addr_a, &token, "Vu par sondage");
    let seen = within(Duration::from_secs(5), || {
        get(&addr_b, "/actions/10").body.contains("Vu par sondage")
    });
    for child in [&mut a, &mut b] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(
        seen.is_some(),
        "the polling server did not catch up within 5 s"
    );
}

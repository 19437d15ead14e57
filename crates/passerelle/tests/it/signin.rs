//! Sign-in from the command line and the configuration: administrators'
//! passwords, removing a lost second factor, ProConnect's and
//! `security.txt`'s settings checked at start-up.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use crate::{Env, admin_create, http_get, write};

#[test]
fn an_administrators_password_is_long_and_not_a_common_one() {
    let env = Env::new();
    env.ok(&["import"]);
    for (password, said) in [
        ("quinze-caracter", "au moins 16 caractères"),
        ("qwertyuiopasdfghjkl", "les plus répandus"),
        (&*"a".repeat(129), "128 caractères"),
    ] {
        let refused = admin_create(&env, "coordination@ville-roubaix.fr", password);
        assert!(!refused.status.success());
        let err = String::from_utf8_lossy(&refused.stderr);
        assert!(err.contains(said), "{err}");
    }
    assert!(
        admin_create(&env, "coordination@ville-roubaix.fr", "seize-caracteres")
            .status
            .success()
    );
}

#[test]
fn a_lost_second_factor_is_removed_from_the_command_line() {
    let env = Env::new();
    env.ok(&["import"]);
    assert!(
        admin_create(
            &env,
            "coordination@ville-roubaix.fr",
            "un-long-mot-de-passe"
        )
        .status
        .success()
    );
    let none = env.run(&[
        "admin",
        "remove-second-factor",
        "--email",
        "coordination@ville-roubaix.fr",
    ]);
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("n'a pas de double authentification"));
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = env.open_store().await;
        store
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
        store.close().await;
    });
    let out = env.ok(&[
        "admin",
        "remove-second-factor",
        "--email",
        "coordination@ville-roubaix.fr",
    ]);
    assert!(out.contains("double authentification retirée"), "{out}");
}

/// `serve` with this configuration: its address, or its error.
pub(crate) fn serve(env: &Env, config: &str) -> Result<(std::process::Child, String), String> {
    let path = env.path("passerelle.toml");
    write(&path, config);
    let mut child = env
        .command()
        .args([
            "--config",
            path.to_str().unwrap(),
            "serve",
            "--bind",
            "127.0.0.1:0",
        ])
        .env("PASSERELLE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    if line.is_empty() {
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        child.wait().unwrap();
        return Err(err);
    }
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    Ok((child, addr))
}

#[test]
fn proconnect_and_security_txt_are_checked_and_served_as_configured() {
    let env = Env::new();
    env.ok(&["import"]);
    let plain_http = "base_url = \"https://passerelle.example.org\"\n[proconnect]\nissuer = \"http://proconnect.example.org/api/v2\"\nclient_id = \"x\"\nclient_secret = \"y\"\n";
    let err = serve(&env, plain_http).expect_err("refused");
    assert!(err.contains("https://"), "{err}");
    let bad_siret = "base_url = \"https://passerelle.example.org\"\n[proconnect]\nissuer = \"https://auth.agentconnect.gouv.fr/api/v2\"\nclient_id = \"x\"\nclient_secret = \"y\"\n[cites.roubaix]\nproconnect_sirets = [\"123\"]\n";
    let err = serve(&env, bad_siret).expect_err("refused");
    assert!(
        err.contains("[cites.roubaix] proconnect_sirets") && err.contains("14 chiffres"),
        "{err}"
    );
    let soon = (time::OffsetDateTime::now_utc() + time::Duration::days(10))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let good = format!(
        "base_url = \"https://passerelle.example.org\"\n[proconnect]\nissuer = \"https://auth.agentconnect.gouv.fr/api/v2\"\nclient_id = \"x\"\nclient_secret = \"y\"\n[cites.roubaix]\nproconnect_domains = [\"ville-roubaix.fr\"]\n[security_txt]\ncontact = [\"mailto:rssi@ville-roubaix.fr\"]\nexpires = \"{soon}\"\n"
    );
    let (mut child, addr) = serve(&env, &good).expect("serves");
    let (status, body) = http_get(&addr, "/connexion");
    assert!(status.contains("200"), "{status}");
    assert!(
        body.contains("S’identifier avec") && body.contains("ProConnect"),
        "the button"
    );
    let (status, body) = http_get(&addr, "/.well-known/security.txt");
    assert!(status.contains("200"));
    assert!(
        body.contains("Contact: mailto:rssi@ville-roubaix.fr") && body.contains("Expires: "),
        "{body}"
    );
    child.kill().unwrap();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    child.wait().unwrap();
    assert!(log.contains("security.txt expires within 30 days"), "{log}");
}

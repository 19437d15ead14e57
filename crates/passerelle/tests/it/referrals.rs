//! `passerelle referrals`: an operator follows and answers referrals from
//! the command line, through a running server's API with a personal token.

use passerelle_domain::referral::{Consent, ContactBy, Details, State};
use passerelle_store::NewReferral;

use crate::{Env, admin_create, imported_with_token, start_server};

/// The server, stopped when dropped.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The operator: an account whose email is one of fiche 5's contacts.
const OPERATOR: &str = "marie-claude.venant@nord.gouv.fr";

fn referral_sent(env: &Env) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = env.open_store().await;
        let now = i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .unwrap();
        let details = Details {
            child: "Yanis B.".into(),
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
                on: passerelle_domain::Date::new(2026, 12, 1).unwrap(),
                language: "ar".into(),
            },
        };
        let id = store
            .create_referral(&NewReferral {
                cite: "roubaix",
                fiche: 5,
                sender: "coordination@ville-roubaix.fr",
                details: &details,
                link_hash: "lien-cli",
                link_expires: now + 8 * passerelle_domain::referral::DAY,
                now,
            })
            .await
            .unwrap();
        store.close().await;
        id
    })
}

#[test]
fn an_operator_lists_reads_and_answers_referrals_from_the_command_line() {
    let env = Env::new();
    let coordination = imported_with_token(&env);
    assert!(
        admin_create(&env, OPERATOR, "un-autre-long-mot-de-passe")
            .status
            .success()
    );
    let operator = env
        .ok(&["admin", "token", "--email", OPERATOR, "--label", "outil"])
        .trim()
        .to_owned();
    let id = referral_sent(&env);
    let (child, addr) = start_server(&env);
    let _running = Running(child);
    let server = format!("http://{addr}");
    let cli = |token: &str, args: &[&str]| {
        env.command()
            .args(["referrals", "--server", &server])
            .args(args)
            .env("PASSERELLE_TOKEN", token)
            .output()
            .unwrap()
    };
    let listed = cli(&operator, &["list"]);
    assert!(listed.status.success(), "{listed:?}");
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listed.contains(&format!("n° {id} — envoyée — fiche 5 «"))
            && listed.contains("(reçue par votre action)")
            && listed.ends_with("1 orientation(s)\n"),
        "{listed}"
    );
    assert!(!listed.contains("Yanis"), "a list holds no personal field");
    let shown = String::from_utf8(cli(&operator, &["show", &id.to_string()]).stdout).unwrap();
    assert!(shown.contains("Enfant : Yanis B., 9 ans"), "{shown}");
    assert!(shown.contains("par téléphone, 06 12 34 56 78"), "{shown}");
    assert!(shown.contains("Réponses possibles : accepter, refuser, preciser"));

    // The coordination reads it (for support) but does not answer for the operator.
    let refused = cli(
        &coordination,
        &[
            "answer",
            &id.to_string(),
            "--decision",
            "accepter",
            "--text",
            "Oui",
        ],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(
        stderr.contains("erreur : le serveur refuse (statut 403) : Seul l'opérateur"),
        "{stderr}"
    );
    let answered = cli(
        &operator,
        &[
            "answer",
            &id.to_string(),
            "--decision",
            "accepter",
            "--text",
            "Atelier mardi 14 h ; nous appelons la famille.",
        ],
    );
    assert!(answered.status.success(), "{answered:?}");
    assert_eq!(
        String::from_utf8(answered.stdout).unwrap(),
        format!("Réponse enregistrée : l'orientation n° {id} est acceptée.\n")
    );
    let again = cli(
        &operator,
        &[
            "answer",
            &id.to_string(),
            "--decision",
            "refuser",
            "--text",
            "Complet",
        ],
    );
    assert!(
        String::from_utf8(again.stderr)
            .unwrap()
            .contains("(statut 409)"),
        "answered once"
    );
    let json = cli(&operator, &["--format", "json", "show", &id.to_string()]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["state"], State::Accepted.key());
    assert_eq!(json["history"][1]["actor"], OPERATOR);

    let bad = cli("pas-un-jeton", &["list"]);
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("(statut 401)")
    );
    let nowhere = env
        .command()
        .args(["referrals", "--server", "http://127.0.0.1:9", "list"])
        .env("PASSERELLE_TOKEN", &operator)
        .output()
        .unwrap();
    let stderr = String::from_utf8(nowhere.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "erreur : le serveur http://127.0.0.1:9/api/v1/orientations ne répond pas"
        ),
        "{stderr}"
    );
}

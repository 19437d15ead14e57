//! The commands: import, check, export, serve, configuration, backup,
//! accounts, cités.

use std::path::Path;
use std::process::Command;

use crate::{BOOKLET, Env, admin_create, http, http_get, start_server, write};

#[test]
fn importing_twice_changes_nothing_the_second_time() {
    let env = Env::new();
    let first = env.ok(&["import", BOOKLET]);
    assert!(
        first.contains("l'import a changé 124 élément(s) (124 ajout(s)"),
        "{first}"
    );
    let second = env.ok(&["import", BOOKLET]);
    assert!(
        second.contains("l'import a changé 0 élément(s)"),
        "{second}"
    );
}

#[test]
fn a_corrected_booklet_updates_in_place_and_dry_run_changes_nothing() {
    let env = Env::new();
    env.ok(&["import", BOOKLET]);
    let corrected = std::fs::read_to_string(BOOKLET)
        .unwrap()
        .replace("Servives", "Services")
        .replace("abelqaid@", "abelgaid@");
    let file = env.path("corrige.md");
    write(&file, &corrected);
    let dry = env.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(
        dry.contains(
            "l'import changerait 3 élément(s) (0 ajout(s), 3 mise(s) à jour, 0 suppression(s))"
        ),
        "{dry}"
    );
    assert!(
        dry.contains("~ action programmation-2020-2022/fiche-12 (partners)"),
        "{dry}"
    );
    assert!(
        dry.contains("~ action programmation-2020-2022/fiche-18 (contacts)"),
        "{dry}"
    );
    assert!(
        dry.contains("~ person anne-sophie-belgaid (emails)"),
        "{dry}"
    );
    // The dry run wrote nothing: the real import still has the 3 changes.
    let real = env.ok(&["import", file.to_str().unwrap()]);
    assert!(real.contains("l'import a changé 3 élément(s)"), "{real}");
    let json = env.ok(&["export", "--format", "json"]);
    assert!(!json.contains("Servives") && !json.contains("abelqaid"));
}

#[test]
fn exported_markdown_reimports_to_the_same_data() {
    let env = Env::new();
    env.ok(&["import", BOOKLET]);
    let json = env.ok(&["export", "--format", "json"]);
    let md = env.path("export.md");
    env.ok(&[
        "export",
        "--format",
        "markdown",
        "--output",
        md.to_str().unwrap(),
    ]);
    let other = Env::new();
    other.ok(&["import", md.to_str().unwrap()]);
    assert_eq!(json, other.ok(&["export", "--format", "json"]));
    // Exports are deterministic.
    assert_eq!(json, env.ok(&["export", "--format", "json"]));
}

#[test]
fn search_loads_the_bundled_programme_into_an_empty_database() {
    let env = Env::new();
    let out = env.ok(&["search", "éloquence"]);
    assert!(
        out.starts_with("1 action(s)\n  fiche 21 · axe 3 · Concours d'éloquence"),
        "{out}"
    );
    let out = env.ok(&["search", "--age", "10", "--theme", "culture-sport"]);
    assert_eq!(out.lines().next(), Some("3 action(s)"), "{out}");
    assert!(
        out.contains("fiche 21") && out.contains("fiche 22") && out.contains("fiche 25"),
        "{out}"
    );
    let json = env.ok(&["search", "parents", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["facets"]["theme"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
}

#[test]
fn check_prints_located_irregularities_as_text_and_json() {
    let env = Env::new();
    let text = env.ok(&["check", BOOKLET]);
    assert!(
        text.contains("livret-2022.md:897: avertissement [fiche 12] : « Servives municipaux »"),
        "{text}"
    );
    let json = env.ok(&["check", BOOKLET, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["irregularities"].as_array().is_some_and(|a| {
        a.iter()
            .any(|i| i["code"] == "missing-heading" && i["line"] == 1192)
    }));
}

#[test]
fn check_measures_the_readability_of_every_description_as_text_and_json() {
    let env = Env::new();
    let text = env.ok(&["check", BOOKLET]);
    let section = text
        .split("Lisibilité")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    // Each of the 27 descriptions, with its score, band and LIX.
    for n in 1..=27 {
        assert!(
            section.contains(&format!("fiche {n} «")),
            "fiche {n}: {section}"
        );
    }
    assert!(section.contains("), LIX "), "{section}");
    assert!(
        section.contains("  ligne "),
        "the sentences at fault, by line: {section}"
    );
    assert!(
        section.contains("27 action(s) sans « En bref »"),
        "{section}"
    );
    let json = env.ok(&["check", BOOKLET, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let measured = v["readability"].as_array().unwrap();
    assert_eq!(measured.len(), 27, "one description per fiche");
    for m in measured {
        assert_eq!(m["field"], "description");
        assert!(
            m["flesch"].is_i64() && m["lix"].is_i64() && m["band"].is_string(),
            "{m}"
        );
    }
    assert!(
        measured
            .iter()
            .any(|m| m["faults"].as_array().is_some_and(|f| {
                f.iter().any(|f| {
                    f["line"].is_u64()
                        && f["message"]
                            .as_str()
                            .is_some_and(|s| s.starts_with("phrase de"))
                })
            }))
    );
}

#[test]
fn bad_input_is_refused_in_french_with_its_file_line_or_option() {
    let env = Env::new();
    let dir = env.path("");
    let file = |name: &str, bytes: &[u8]| {
        let p = env.path(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let binary = file("binaire.md", b"# Titre\n\x00\x01\x02");
    let latin1 = file("latin1.md", b"# Titre\n\n## Fiche n\xb01 \x96 R\xe9ussir\n");
    let empty = file("vide.md", b"");
    let notes = file(
        "notes.md",
        "# Notes\n\nRien qui ressemble à une fiche.\n".as_bytes(),
    );
    let workbook = file("classeur.xlsx", b"pas un classeur");
    let headless = file("tableau.csv", b"1;2;3\n4;5;6\n");
    let config = file("mauvais.toml", b"port = 80\n");
    let absent = env.path("absent.md").to_str().unwrap().to_owned();
    let cases: Vec<Vec<&str>> = vec![
        vec!["import", &binary],
        vec!["import", &latin1],
        vec!["check", &empty],
        vec!["import", &notes],
        vec!["import", &absent],
        vec!["import", &workbook],
        vec!["import", &headless],
        vec!["--config", &config, "import"],
        vec!["search", "x", "--theme", "inconnu"],
        vec!["search", "x", "--audience", "inconnu"],
        vec!["export", "--format", "zip"],
        vec!["imprt"],
        vec!["import", "--bogus"],
        vec![
            "admin",
            "token",
            "--email",
            "personne@nulle-part.fr",
            "--label",
            "x",
        ],
    ];
    let mut transcript = String::new();
    for args in &cases {
        let out = env
            .command()
            .env("PASSERELLE_LOG", "off")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).replace(dir.to_str().unwrap(), "[DIR]/");
        assert!(err.starts_with("erreur : "), "{args:?}: {err}");
        transcript.push_str(&format!(
            "$ passerelle {}\n{err}\n",
            args.join(" ").replace(dir.to_str().unwrap(), "[DIR]/")
        ));
    }
    insta::assert_snapshot!("bad_input", transcript);
}

#[test]
fn serve_prints_its_url_answers_and_stops_gracefully_on_sigterm() {
    let env = Env::new();
    let (mut child, line) = crate::spawn_server(&env);
    assert!(
        line.starts_with("Passerelle sert la Cité éducative de Roubaix sur http://127.0.0.1:"),
        "{line}"
    );
    let addr = line
        .trim()
        .trim_end_matches('/')
        .rsplit("http://")
        .next()
        .unwrap()
        .to_owned();
    let (status, body) = http_get(&addr, "/healthz");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("\"actions\":27"), "{body}");
    let (status, body) = http_get(&addr, "/actions/26");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Bons baisers de Roubaix"));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    // The database it seeded is there for the next start.
    assert!(env.path("passerelle.db").exists());
}

#[test]
fn configuration_file_then_environment_then_flags() {
    let env = Env::new();
    let from_file = env.path("depuis-fichier");
    let config = env.path("passerelle.toml");
    write(
        &config,
        &format!("data_dir = {:?}\n", from_file.display().to_string()),
    );
    let run = |extra_env: Option<(&str, &Path)>, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_passerelle"));
        c.arg("--config")
            .arg(&config)
            .args(args)
            .env_remove("PASSERELLE_DATA_DIR")
            .env_remove("PASSERELLE_DATABASE_URL");
        if let Some((k, v)) = extra_env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(None, &["import"]);
    assert!(
        from_file.join("passerelle.db").exists(),
        "the file's data_dir is used"
    );
    let from_env = env.path("depuis-env");
    run(Some(("PASSERELLE_DATA_DIR", &from_env)), &["import"]);
    assert!(
        from_env.join("passerelle.db").exists(),
        "the environment overrides the file"
    );
    let from_flag = env.path("depuis-option");
    run(
        Some(("PASSERELLE_DATA_DIR", &from_env)),
        &["--data-dir", from_flag.to_str().unwrap(), "import"],
    );
    assert!(
        from_flag.join("passerelle.db").exists(),
        "the flag overrides the environment"
    );
}

#[test]
fn backup_then_restore_brings_back_the_saved_programme() {
    let env = Env::new();
    env.ok(&["import"]);
    let saved = env.ok(&["export", "--format", "json"]);
    let backup = env.path("sauvegarde.db");
    let out = env.ok(&["backup", backup.to_str().unwrap()]);
    assert!(out.starts_with("sauvegarde écrite"), "{out}");
    // Change the data, then restore.
    let corrected = std::fs::read_to_string(BOOKLET)
        .unwrap()
        .replace("Servives", "Services");
    let file = env.path("corrige.md");
    write(&file, &corrected);
    env.ok(&["import", file.to_str().unwrap()]);
    assert_ne!(env.ok(&["export", "--format", "json"]), saved);
    env.ok(&["restore", backup.to_str().unwrap()]);
    assert_eq!(env.ok(&["export", "--format", "json"]), saved);
    // A backup never overwrites a file.
    let again = env.run(&["backup", backup.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn the_first_administrator_is_created_with_a_password_of_their_own() {
    let env = Env::new();
    let out = admin_create(
        &env,
        "coordination@ville-roubaix.fr",
        "un-long-mot-de-passe",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "compte administrateur de la cité « roubaix » créé pour coordination@ville-roubaix.fr ; la double authentification lui sera demandée à sa première connexion\n"
    );

    let again = admin_create(
        &env,
        "Coordination@Ville-Roubaix.fr",
        "un-autre-long-mot-de-passe",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("un compte existe déjà"));
    let short = admin_create(&env, "autre@ville-roubaix.fr", "court");
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("au moins 16 caractères"));
    let bad = admin_create(&env, "pas-une-adresse", "un-long-mot-de-passe");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--email"));
}

/// Crash safety through the server: a burst of API writes, SIGKILL in the
/// middle of it, a restart; every write the server acknowledged is there,
/// and the database's integrity check is clean.
#[test]
fn every_write_the_server_acknowledged_survives_a_sigkill() {
    for database in crate::databases() {
        acknowledged_writes_survive_a_sigkill(&Env::on(&database));
    }
}

fn acknowledged_writes_survive_a_sigkill(env: &Env) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};
    let token = crate::imported_with_token(env);
    let (mut child, addr) = start_server(env);
    let path = "/api/v1/entities/organisation/citeo";
    let (code, current) = http(&addr, "GET", path, &token, "").unwrap();
    assert_eq!(code, 200, "{current}");
    let current: serde_json::Value = serde_json::from_str(&current).unwrap();
    let body = current["body"].clone();

    // The writer: saves acronym "n" at each step, recording what was acknowledged.
    let acked: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
    let count = Arc::new(AtomicU64::new(0));
    let writer = {
        let (acked, count, addr, token) =
            (acked.clone(), count.clone(), addr.clone(), token.clone());
        let mut version = current["version"].as_u64().unwrap();
        std::thread::spawn(move || {
            for n in 1.. {
                let mut b = body.clone();
                b["acronym"] = serde_json::json!(format!("n{n}"));
                let req = serde_json::json!({"version": version, "body": b}).to_string();
                match http(&addr, "PUT", path, &token, &req) {
                    Some((200, answer)) => {
                        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
                        version = answer["version"].as_u64().unwrap();
                        acked.lock().unwrap().push((n, version));
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    Some((code, answer)) => panic!("write {n}: {code} {answer}"),
                    None => break, // the server is gone
                }
            }
        })
    };
    while count.load(Ordering::SeqCst) < 100 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL while the writer is still writing
    child.wait().unwrap();
    writer.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 100);

    let (mut child, addr) = start_server(env);
    let (code, history) = http(&addr, "GET", &format!("{path}/history"), &token, "").unwrap();
    assert_eq!(code, 200);
    let history: Vec<serde_json::Value> = serde_json::from_str(&history).unwrap();
    for (n, version) in &acked {
        let found = history
            .iter()
            .find(|h| h["version"].as_u64() == Some(*version))
            .unwrap_or_else(|| panic!("acknowledged version {version} lost"));
        assert_eq!(found["body"]["acronym"], format!("n{n}"));
    }
    let (_, now) = http(&addr, "GET", path, &token, "").unwrap();
    let now: serde_json::Value = serde_json::from_str(&now).unwrap();
    assert!(now["version"].as_u64() >= acked.last().map(|a| a.1));
    child.kill().unwrap();
    child.wait().unwrap();

    let rt = tokio::runtime::Runtime::new().unwrap();
    let problems = rt.block_on(async {
        let store = env.open_store().await;
        let problems = store.integrity_check().await.unwrap();
        store.close().await;
        problems
    });
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn invitations_and_tokens_from_the_command_line() {
    let env = Env::new();
    let link = env.ok(&[
        "admin",
        "invite",
        "--email",
        "referent@citeo.com",
        "--name",
        "Référente",
        "--role",
        "referent",
        "--organisation",
        "citeo",
    ]);
    let token = link.trim().rsplit('/').next().unwrap();
    assert!(
        link.starts_with("http://127.0.0.1:8080/invitation/"),
        "{link}"
    );
    assert_eq!(token.len(), 64);
    let refused = env.run(&[
        "admin", "invite", "--email", "x@y.fr", "--name", "X", "--role", "referent",
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--organisation"));
    let refused = env.run(&[
        "admin", "invite", "--email", "x@y.fr", "--name", "X", "--role", "chef",
    ]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--role"));
    // An instance role needs no cité; a cité role names one that exists.
    let reader = env.ok(&[
        "admin",
        "invite",
        "--email",
        "anct@anct.gouv.fr",
        "--name",
        "ANCT",
        "--role",
        "lecteur-national",
    ]);
    assert!(reader.contains("/invitation/"), "{reader}");
    let refused = env.run(&[
        "--cite", "lille", "admin", "invite", "--email", "x@y.fr", "--name", "X",
    ]);
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("aucune cité « lille »"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // A token needs an existing account.
    let none = env.run(&[
        "admin",
        "token",
        "--email",
        "personne@nulle-part.fr",
        "--label",
        "x",
    ]);
    assert!(String::from_utf8_lossy(&none.stderr).contains("aucun compte actif"));
}

#[test]
fn cites_are_added_listed_and_removed_with_a_backup_when_they_hold_data() {
    let env = Env::new();
    // On a fresh instance Roubaix comes first and stays the default.
    env.ok(&[
        "cite",
        "add",
        "--slug",
        "tourcoing",
        "--name",
        "Cité éducative de Tourcoing",
    ]);
    let booklet = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/roubaix/livret-2022.md"
    );
    env.ok(&[
        "cite",
        "add",
        "--slug",
        "lille",
        "--name",
        "Cité éducative de Lille",
        "--from",
        booklet,
    ]);
    let list = env.ok(&["cite", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert!(
        lines[0].starts_with("roubaix\t") && lines[0].ends_with("(par défaut)"),
        "{list}"
    );
    assert!(
        lines[1].starts_with("tourcoing\t") && lines[1].contains("\t0 action(s)"),
        "{list}"
    );
    assert!(
        lines[2].starts_with("lille\t") && lines[2].contains("\t27 action(s)"),
        "{list}"
    );

    // A slug that is one of Passerelle's own path words, or taken, is refused.
    for (slug, says) in [
        ("actions", "sert déjà aux adresses"),
        ("lille", "existe déjà"),
    ] {
        let out = env.run(&["cite", "add", "--slug", slug, "--name", "X de Y"]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{slug}: {err}");
    }

    // Commands read the cité asked for.
    let found = env.ok(&["search", "--cite", "lille", "éloquence"]);
    assert!(found.contains("loquence"), "{found}");

    // A cité holding data is kept unless forced; forcing writes a backup first.
    let refused = env.run(&["cite", "remove", "lille"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert!(
        env.ok(&["cite", "list"]).contains("lille\t"),
        "nothing removed"
    );
    let removed = env.ok(&["cite", "remove", "lille", "--force"]);
    assert!(removed.contains("Sauvegarde écrite"), "{removed}");
    let backups: Vec<_> = std::fs::read_dir(env.path("backups"))
        .expect("backups")
        .collect();
    assert_eq!(backups.len(), 1);
    // An empty cité goes without a backup.
    let removed = env.ok(&["cite", "remove", "tourcoing"]);
    assert!(!removed.contains("Sauvegarde"), "{removed}");
    let list = env.ok(&["cite", "list"]);
    assert_eq!(list.lines().count(), 1, "{list}");
}

#[test]
fn a_cite_is_brought_in_from_a_spreadsheet_and_updated_by_its_corrected_version() {
    let env = Env::new();
    let xlsx = env.path("roubaix.xlsx");
    let csv = env.path("roubaix.csv");
    env.ok(&[
        "export",
        "--format",
        "xlsx",
        "--output",
        xlsx.to_str().unwrap(),
    ]);
    env.ok(&[
        "export",
        "--format",
        "sheet-csv",
        "--output",
        csv.to_str().unwrap(),
    ]);
    // Exported, then read back into Roubaix: nothing changes.
    let back = env.ok(&["import", xlsx.to_str().unwrap(), "--dry-run"]);
    assert!(back.contains("changerait 0 élément(s)"), "{back}");
    // A new cité from the spreadsheet gives the same spreadsheet back.
    let added = env.ok(&[
        "cite",
        "add",
        "--slug",
        "tourcoing",
        "--name",
        "Cité éducative de Tourcoing",
        "--from",
        xlsx.to_str().unwrap(),
    ]);
    assert!(
        added.contains("Cité « Cité éducative de Tourcoing » ajoutée"),
        "{added}"
    );
    assert!(
        added.contains("roubaix.xlsx, feuille « Actions », ligne"),
        "problems located by sheet and row: {added}"
    );
    let again = env.path("tourcoing.csv");
    env.ok(&[
        "--cite",
        "tourcoing",
        "export",
        "--format",
        "sheet-csv",
        "--output",
        again.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&csv).unwrap());
    // The same spreadsheet twice: nothing; a corrected one: in place.
    let twice = env.ok(&["--cite", "tourcoing", "import", csv.to_str().unwrap()]);
    assert!(twice.contains("a changé 0 élément(s)"), "{twice}");
    let text = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    let corrected = env.path("corrige.csv");
    write(
        &corrected,
        &text.replacen(
            "Partage d'informations et animation",
            "Partage d'informations, animation",
            1,
        ),
    );
    let dry = env.ok(&[
        "--cite",
        "tourcoing",
        "import",
        corrected.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(
        dry.contains("changerait 1 élément(s) (0 ajout(s), 1 mise(s) à jour"),
        "{dry}"
    );
    assert!(
        dry.contains("~ action programmation-2020-2022/fiche-1 (title)"),
        "{dry}"
    );
    env.ok(&["--cite", "tourcoing", "import", corrected.to_str().unwrap()]);
    let json = env.ok(&["--cite", "tourcoing", "export", "--format", "json"]);
    assert!(json.contains("Partage d'informations, animation"));
    let roubaix = env.ok(&["export", "--format", "json"]);
    assert!(
        !roubaix.contains("Partage d'informations, animation"),
        "Roubaix is untouched"
    );
    // The quality report reads a spreadsheet too, each point located.
    let bad = env.path("erreurs.csv");
    write(
        &bad,
        "Programme;Axe;Intitulé de l'axe;Fiche;Intitulé;Contacts\n2023-2025;1;Axe;1;Action;\"Structure : Jean DUPONT, jean.dupont@\"\n",
    );
    let report = env.ok(&["--cite", "tourcoing", "check", bad.to_str().unwrap()]);
    assert!(
        report.contains("erreurs.csv, ligne 2, colonne Contacts: erreur [fiche 1] : adresse « jean.dupont@ » invalide"),
        "{report}"
    );
    let unknown = env.run(&["--cite", "lille", "import", csv.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("aucune cité « lille »"));
}

#[test]
fn every_commands_help_is_in_french_and_says_what_each_argument_is() {
    let env = Env::new();
    let commands: [&[&str]; 24] = [
        &[],
        &["import"],
        &["check"],
        &["export"],
        &["newsletter"],
        &["newsletter", "send"],
        &["newsletter", "status"],
        &["newsletter", "subscribers", "export"],
        &["referrals"],
        &["referrals", "list"],
        &["referrals", "show"],
        &["referrals", "answer"],
        &["cite", "add"],
        &["cite", "list"],
        &["cite", "remove"],
        &["admin", "create"],
        &["admin", "invite"],
        &["admin", "token"],
        &["backup"],
        &["migrate"],
        &["restore"],
        &["search"],
        &["serve"],
        &["cite"],
    ];
    let mut problems = Vec::new();
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let out = env.run(&args);
        let help = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || !help.contains("\nUtilisation : passerelle") {
            problems.push(format!("{command:?}: {help}"));
            continue;
        }
        for english in [
            "Usage:",
            "Print help",
            "[default:",
            "[env:",
            "possible values",
            "Commands:",
            "Options:",
            "[OPTIONS]",
            "[FILE]",
            "<FILE>",
            "<ID>",
            "[QUERY]",
        ] {
            if help.contains(english) {
                problems.push(format!("{command:?} says « {english} »"));
            }
        }
        let lines: Vec<&str> = help.lines().collect();
        // A value named after its flag in capitals is clap's English
        // identifier (`--data-dir <DATA_DIR>`), unless French says the same.
        for line in &lines {
            let Some((flag, rest)) = line.trim().split_once(" <") else {
                continue;
            };
            let Some(flag) = flag.rsplit(' ').next().and_then(|f| f.strip_prefix("--")) else {
                continue;
            };
            let value = rest.split('>').next().unwrap_or_default();
            let english = flag.to_uppercase().replace('-', "_");
            if value == english
                && !["FORMAT", "PROGRAMME", "ORGANISATION", "JOURS"].contains(&value)
            {
                problems.push(format!(
                    "{command:?}: « --{flag} <{value}> » is not named in French"
                ));
            }
        }
        for (i, raw) in lines.iter().enumerate() {
            // An argument listed without a word of help: its name alone,
            // and no help under it (clap puts it there when lines are long).
            let line = raw.trim();
            let named = line.starts_with('-') || line.starts_with('<') || line.starts_with('[');
            let alone = (line.ends_with('>') || line.ends_with(']')) && !line.contains("  ");
            let under = lines
                .get(i + 1)
                .is_some_and(|next| next.starts_with("          ") && !next.trim().is_empty());
            if named && alone && !under {
                problems.push(format!("{command:?}: « {line} » has no help"));
            }
        }
        if !help.contains("-h, --help") || !help.contains("Affiche cette aide") {
            problems.push(format!("{command:?}: no French help flag"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! The `passerelle` command, run for real against a fresh database per test.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BOOKLET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/roubaix/livret-2022.md"
);

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_passerelle"))
            .args(args)
            .env("PASSERELLE_DATA_DIR", self.dir.path())
            .env_remove("PASSERELLE_DATABASE_URL")
            .output()
            .expect("passerelle runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

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
    assert!(v.as_array().is_some_and(|a| {
        a.iter()
            .any(|i| i["code"] == "missing-heading" && i["line"] == 1192)
    }));
}

#[test]
fn bad_input_is_refused_with_a_clear_located_error() {
    let env = Env::new();
    let bin = env.path("binaire.md");
    std::fs::write(&bin, b"# Titre\n\x00\x01\x02").unwrap();
    let out = env.run(&["import", bin.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("binaire.md") && err.contains("line 2"),
        "{err}"
    );
    let empty = env.path("vide.md");
    write(&empty, "");
    let err =
        String::from_utf8_lossy(&env.run(&["check", empty.to_str().unwrap()]).stderr).to_string();
    assert!(err.contains("the booklet is empty"), "{err}");
    let out = env.run(&["search", "x", "--theme", "inconnu"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`inconnu` is not a theme"));
}

/// A GET over a raw TCP connection: status line and body.
fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.lines().next().unwrap_or("").to_owned();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_prints_its_url_answers_and_stops_gracefully_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("PASSERELLE_DATA_DIR", env.dir.path())
        .env("PASSERELLE_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
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
    let bad = env.path("mauvais.toml");
    write(&bad, "port = 80\n");
    let out = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .arg("--config")
        .arg(&bad)
        .arg("import")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("mauvais.toml is not a valid configuration")
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

fn admin_create(env: &Env, email: &str, password: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["admin", "create", "--email", email, "--name", "Julia Camus"])
        .env("PASSERELLE_DATA_DIR", env.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
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
        "compte administrateur créé pour coordination@ville-roubaix.fr\n"
    );
    let again = admin_create(
        &env,
        "Coordination@Ville-Roubaix.fr",
        "un-autre-long-mot-de-passe",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short = admin_create(&env, "autre@ville-roubaix.fr", "court");
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("au moins 12 caractères"));
    let bad = admin_create(&env, "pas-une-adresse", "un-long-mot-de-passe");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--email"));
}

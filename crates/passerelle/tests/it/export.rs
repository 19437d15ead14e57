//! `passerelle export`: the booklet as a PDF, the open data as directories,
//! for one cité or all of them.

use crate::{BOOKLET, Env};

fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_booklet_pdf_is_the_same_file_for_the_same_data() {
    let env = Env::new();
    let (one, two) = (env.path("one.pdf"), env.path("two.pdf"));
    env.ok(&[
        "export",
        "--format",
        "pdf",
        "--output",
        one.to_str().unwrap(),
    ]);
    env.ok(&[
        "export",
        "--format",
        "pdf",
        "--output",
        two.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&one).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes, std::fs::read(&two).unwrap(), "same data, same bytes");
    let text = pdf_text(&one);
    assert!(text.contains("Sommaire"));
    assert!(!text.contains("Programme du séminaire"));
    // A seminar in front, one sheet alone.
    let with = env.path("with.pdf");
    env.ok(&[
        "export",
        "--format",
        "pdf",
        "--evenement",
        "roubaix-seminaire-2022-10-11",
        "--output",
        with.to_str().unwrap(),
    ]);
    assert!(pdf_text(&with).contains("Programme du séminaire"));
    let sheet = env.path("fiche.pdf");
    env.ok(&[
        "export",
        "--format",
        "pdf",
        "--fiche",
        "7",
        "--output",
        sheet.to_str().unwrap(),
    ]);
    let text = pdf_text(&sheet);
    assert!(text.contains("Fiche n°7 – ") && !text.contains("Sommaire"));
    let wrong = env.run(&["export", "--format", "pdf", "--fiche", "99"]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr)
            .contains("la fiche n°99 n'est pas dans ce programme")
    );
}

#[test]
fn open_data_goes_into_a_directory_and_national_holds_every_cite() {
    let env = Env::new();
    let dir = env.path("donnees");
    let said = env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert!(
        said.contains("actions.csv, actions-tableur.csv, actions.json"),
        "{said}"
    );
    let actions = std::fs::read_to_string(dir.join("actions.csv")).unwrap();
    assert!(actions.starts_with("cite,programme,fiche,axe,titre,"));
    assert_eq!(
        actions
            .lines()
            .filter(|l| l.starts_with("roubaix,"))
            .count(),
        27
    );
    let sheet = std::fs::read(dir.join("contacts-tableur.csv")).unwrap();
    assert!(sheet.starts_with(b"\xEF\xBB\xBFcite;programme;fiche;"));
    env.ok(&[
        "export",
        "--format",
        "datapackage",
        "--output",
        dir.to_str().unwrap(),
    ]);
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(package["name"], "passerelle-roubaix");
    let names: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "actions",
            "organisations",
            "contacts",
            "territoires",
            "evenements",
            "subventions"
        ]
    );
    // Without a directory: said plainly.
    let none = env.run(&["export", "--format", "datainclusion"]);
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("--output DIR"));
    // Two cités: the national export holds both, each row naming its cité.
    env.ok(&[
        "cite",
        "add",
        "--slug",
        "tourcoing",
        "--name",
        "Cité éducative de Tourcoing",
        "--from",
        BOOKLET,
    ]);
    let national = env.path("national");
    env.ok(&[
        "export",
        "--format",
        "datainclusion",
        "--national",
        "--output",
        national.to_str().unwrap(),
    ]);
    let services: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(national.join("services.json")).unwrap())
            .unwrap();
    let ids: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 54);
    assert_eq!(
        ids.iter()
            .filter(|i| i.starts_with("passerelle-tourcoing--"))
            .count(),
        27
    );
    let one = env.path("tourcoing");
    env.ok(&[
        "--cite",
        "tourcoing",
        "export",
        "--format",
        "csv",
        "--output",
        one.to_str().unwrap(),
    ]);
    let actions: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(one.join("actions.json")).unwrap()).unwrap();
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 27);
    assert!(actions.iter().all(|row| row["cite"] == "tourcoing"));
    let refused = env.run(&["export", "--format", "pdf", "--national"]);
    assert!(!refused.status.success());
}

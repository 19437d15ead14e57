//! Publication on the web: the booklet as PDF and as one HTML page, the open
//! data page and its files, the Atom feeds; what the public gets and what a
//! signed-in professional gets; the national files of several cités.

use std::process::Command;

use crate::editing::{Fixture, Who, fixture, fixture_of, form_values, get_as, set, submit};
use crate::{get, roubaix};

/// The text of a PDF, by poppler's `pdftotext` (Debian's poppler-utils).
pub(crate) fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) runs");
    assert!(out.status.success());
    passerelle_domain::text::squash_spaces(&String::from_utf8(out.stdout).unwrap())
}

/// Marie-Claude Venant's email, kept for professionals from now on.
async fn hide_an_email(f: &Fixture) -> String {
    let uri = "/admin/personnes/marie-claude-venant";
    let mut values = form_values(&get_as(f, Who::Admin, uri).await.body);
    let email = values
        .iter()
        .find(|(k, _)| k == "emails")
        .map(|(_, v)| v.lines().next().unwrap_or_default().to_owned())
        .unwrap();
    set(&mut values, "email_visibility", "professionnels");
    assert_eq!(submit(f, Who::Admin, uri, &values).await.status, 303);
    email
}

#[tokio::test]
async fn the_booklet_pdf_leaves_out_what_is_kept_for_professionals_unless_one_asks() {
    let f = fixture().await;
    let email = hide_an_email(&f).await;
    for uri in ["/livret.pdf", "/actions/5.pdf"] {
        let public = get_as(&f, Who::Anonymous, uri).await;
        assert_eq!(public.status, 200, "{uri}");
        assert_eq!(public.header("content-type"), Some("application/pdf"));
        assert!(public.bytes.starts_with(b"%PDF-"));
        let text = pdf_text(&public.bytes);
        assert!(text.contains("Fiche n°5 – "), "{uri}");
        assert!(
            !text.contains(&email),
            "{uri} prints {email} for the public"
        );
        let contributor = pdf_text(&get_as(&f, Who::Contributor, uri).await.bytes);
        assert!(
            !contributor.contains(&email),
            "{uri} prints {email} for a contributor"
        );
        let pro = get_as(&f, Who::Troika, uri).await;
        assert!(
            pdf_text(&pro.bytes).contains(&email),
            "{uri} hides {email} from the troïka"
        );
        // The professional's copy is never cached on the way.
        assert_eq!(pro.header("cache-control"), Some("private, no-store"));
    }
    let sheet = pdf_text(&get(&roubaix(), "/actions/5.pdf").await.bytes);
    assert!(!sheet.contains("Fiche n°6 – "));
}

#[tokio::test]
async fn the_booklet_pdf_opens_with_a_seminar_when_one_is_named() {
    let app = roubaix();
    let without = pdf_text(&get(&app, "/livret.pdf").await.bytes);
    assert!(!without.contains("Programme du séminaire"));
    let with = get(&app, "/livret.pdf?evenement=roubaix-seminaire-2022-10-11").await;
    assert_eq!(with.status, 200);
    assert!(pdf_text(&with.bytes).contains("Programme du séminaire"));
    for (uri, status) in [
        ("/livret.pdf?evenement=aucun", 404),
        ("/livret.pdf?programme=aucun", 404),
        ("/actions/99.pdf", 404),
        ("/actions/x.pdf", 404),
        ("/livret.pdf?programme=programmation-2020-2022", 200),
    ] {
        assert_eq!(get(&app, uri).await.status, status, "{uri}");
    }
}

#[tokio::test]
async fn the_html_booklet_holds_every_sheet_once_with_links_to_its_pdfs() {
    let page = get(&roubaix(), "/livret").await;
    assert_eq!(page.status, 200);
    for n in 1..=27 {
        assert_eq!(
            page.body.matches(&format!("id=\"fiche-{n}\"")).count(),
            1,
            "fiche {n}"
        );
    }
    assert!(page.body.contains("href=\"/livret.pdf\""));
    assert!(
        page.body
            .contains("href=\"/livret.pdf?evenement=roubaix-seminaire-2022-10-11\"")
    );
    assert!(
        page.body
            .contains("<link rel=\"alternate\" type=\"application/pdf\"")
    );
    // One h1, the axes h2, the sheets h3.
    assert_eq!(page.body.matches("<h1").count(), 1);
    assert!(page.body.contains("<h3 id=\"t-12\">"));
}

#[tokio::test]
async fn every_page_of_a_cite_links_its_feeds() {
    let app = roubaix();
    for uri in ["/", "/actions/3", "/annuaire", "/donnees"] {
        let page = get(&app, uri).await;
        assert!(
            page.body.contains(r#"<link rel="alternate" type="application/atom+xml" title="Actions ajoutées ou modifiées (Atom)" href="/flux/actions.atom">"#),
            "{uri}"
        );
        assert!(
            page.body.contains(r#"href="/flux/evenements.atom""#),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn the_feeds_say_what_changed_last_and_link_the_cites_pages() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{}", crate::editing::FICHE5);
    let mut values = form_values(&get_as(&f, Who::Admin, &uri).await.body);
    set(&mut values, "title", "Médiation sociale, nouvelle version");
    assert_eq!(submit(&f, Who::Admin, &uri, &values).await.status, 303);
    let feed = get(&f.app, "/flux/actions.atom").await;
    assert_eq!(feed.status, 200);
    assert_eq!(
        feed.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let first = feed.body.split("<entry>").nth(1).unwrap();
    assert!(
        first.contains("Fiche n°5 : Médiation sociale, nouvelle version"),
        "{first}"
    );
    assert!(
        first.contains(r#"href="http://passerelle.test/actions/5""#),
        "{first}"
    );
    let events = get(&f.app, "/flux/evenements.atom").await;
    assert!(
        events
            .body
            .contains(r#"href="http://passerelle.test/seminaire/roubaix-seminaire-2022-10-11""#)
    );
}

#[tokio::test]
async fn the_data_page_lists_each_dataset_with_its_licence_date_and_formats() {
    let f = fixture().await;
    let page = get(&f.app, "/donnees").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Licence Ouverte / Open Licence version 2.0")
    );
    for file in [
        "actions.csv",
        "actions-tableur.csv",
        "organisations.json",
        "contacts.csv",
        "territoires.csv",
        "evenements.json",
        "services.json",
        "structures.json",
        "datapackage.json",
    ] {
        assert!(
            page.body.contains(&format!("href=\"/donnees/{file}\"")),
            "{file}"
        );
        let answer = get(&f.app, &format!("/donnees/{file}")).await;
        assert_eq!(answer.status, 200, "{file}");
    }
    // The update date is the history's: today, as the fixture imported.
    let today = passerelle_domain::Date::paris_day_of(&passerelle_store::rows::now()).unwrap();
    assert!(page.body.contains(&today.french()), "no update date");
    assert_eq!(get(&f.app, "/donnees/personnes.csv").await.status, 404);
    let sheet = get(&f.app, "/donnees/actions-tableur.csv").await;
    assert!(sheet.bytes.starts_with(b"\xEF\xBB\xBF"));
    assert!(
        sheet
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment"),
        "the spreadsheet's file is downloaded"
    );
}

#[tokio::test]
async fn open_data_never_holds_what_is_kept_for_professionals_even_for_them() {
    let f = fixture().await;
    let email = hide_an_email(&f).await;
    for file in [
        "contacts.csv",
        "contacts-tableur.csv",
        "contacts.json",
        "services.json",
        "actions.json",
    ] {
        for who in [Who::Anonymous, Who::Troika, Who::Admin] {
            let answer = get_as(&f, who, &format!("/donnees/{file}")).await;
            assert_eq!(answer.status, 200);
            assert!(
                !answer.body.contains(&email),
                "{file} holds {email} for {who:?}"
            );
        }
    }
    let feed = get_as(&f, Who::Troika, "/flux/actions.atom").await;
    assert!(!feed.body.contains(&email));
}

#[tokio::test]
async fn the_national_files_hold_every_cites_rows_under_its_own_address() {
    let f = fixture_of(&["roubaix", "tourcoing"]).await;
    let page = get(&f.app, "/donnees").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("href=\"/donnees/actions.csv\""));
    let csv = get(&f.app, "/donnees/actions.csv").await;
    assert_eq!(csv.status, 200);
    let rows: Vec<&str> = csv.body.lines().skip(1).collect();
    assert_eq!(
        rows.iter().filter(|r| r.starts_with("roubaix,")).count(),
        27
    );
    assert_eq!(
        rows.iter().filter(|r| r.starts_with("tourcoing,")).count(),
        27
    );
    assert!(
        csv.body
            .contains("http://passerelle.test/tourcoing/actions/5")
    );
    // A cité's own files hold its rows only.
    let one: serde_json::Value = get(&f.app, "/tourcoing/donnees/actions.json").await.json();
    let one = one.as_array().unwrap();
    assert_eq!(one.len(), 27);
    assert!(one.iter().all(|row| row["cite"] == "tourcoing"));
    let services: serde_json::Value = get(&f.app, "/donnees/services.json").await.json();
    assert_eq!(services.as_array().unwrap().len(), 54);
    let feed = get(&f.app, "/tourcoing/flux/actions.atom").await;
    assert!(
        feed.body
            .contains("http://passerelle.test/tourcoing/actions/5")
    );
    assert!(!feed.body.contains("http://passerelle.test/roubaix/"));
}

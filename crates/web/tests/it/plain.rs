//! Plain French for families: the « En bref » field with its review, the
//! readability the editing preview and the quality report show.

use passerelle_domain::EntityKind;

use crate::editing::{
    FICHE5, Who, fixture, form_values, get_as, post_as, set, stored_body, submit,
};
use crate::{get, roubaix};

/// Two sentences a family can read, then one no one should have to.
const SUMMARY: &str = "Une médiatrice vient à l'école de votre enfant.\n\n\
Elle vous aide à parler avec les enseignants.\n\n\
Elle vous explique aussi comment marchent l'école, la cantine, les rendez-vous avec la directrice et les sorties de la classe.";

#[tokio::test]
async fn the_plain_summary_is_scored_as_typed_then_saved_with_its_review() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{FICHE5}");
    let form = get_as(&f, Who::Admin, &uri).await;
    assert!(form.body.contains("En bref, en français facile"));
    let mut values = form_values(&form.body);
    set(&mut values, "plain_summary", SUMMARY);
    let mut pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.push(("intent", "apercu"));
    let preview = post_as(&f, Who::Admin, &uri, &pairs).await;
    assert_eq!(preview.status, 200);
    let start = preview
        .body
        .find("Aperçu de « En bref, en français facile »")
        .expect("the summary previewed");
    let scored = &preview.body[start..start + preview.body[start..].find("</section>").unwrap()];
    assert!(scored.contains("3 phrases, 36 mots"), "{scored}");
    assert!(
        scored.contains("Ligne 5\u{a0}: phrase de 20 mots (au plus 15)"),
        "the long sentence is located on its line: {scored}"
    );
    assert!(!scored.contains("Ligne 1\u{a0}:"), "the short ones pass");

    set(
        &mut values,
        "plain_summary_reviewed_by",
        "Atelier FALC du centre social",
    );
    set(&mut values, "plain_summary_reviewed_on", "2026-11-20");
    assert_eq!(submit(&f, Who::Admin, &uri, &values).await.status, 303);
    let stored = stored_body(&f, EntityKind::Action, "programmation-2020-2022/fiche-5").await;
    assert_eq!(stored["plain_summary"], SUMMARY);
    assert_eq!(
        stored["plain_summary_reviewed_by"],
        "Atelier FALC du centre social"
    );
    assert_eq!(
        stored["plain_summary_reviewed_on"],
        serde_json::json!({"year": 2026, "month": 11, "day": 20})
    );

    let quality = get_as(&f, Who::Admin, "/qualite").await;
    let section = section(&quality.body);
    assert!(section.contains("26 actions sans «\u{a0}En bref\u{a0}»"));
    assert!(!section.contains("<a href=\"/actions/5\">fiche n°5</a>"));
    assert!(section.contains("relu par Atelier FALC du centre social le 20 novembre 2026"));

    // A bad date is refused next to its field, nothing saved.
    set(&mut values, "plain_summary_reviewed_on", "2026-02-30");
    let refused = submit(&f, Who::Admin, &uri, &values).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Indiquez une date réelle"));
}

fn section(html: &str) -> &str {
    let start = html
        .find("<section aria-labelledby=\"lisibilite\">")
        .expect("a readability section");
    let end = start + html[start..].find("</section>").unwrap() + "</section>".len();
    &html[start..end]
}

#[tokio::test]
async fn the_quality_report_measures_every_description_and_lists_the_missing_summaries() {
    let page = get(&roubaix(), "/qualite").await;
    let section = section(&page.body);
    assert!(section.contains("27 actions sans «\u{a0}En bref\u{a0}»"));
    assert_eq!(
        section
            .matches("<details class=\"readable-detail\">")
            .count(),
        27
    );
    insta::assert_snapshot!("quality_readability", section);
}

/// The page's `<main>`, as a family reads it.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("a main element") + "</main>".len();
    &html[start..end]
}

#[tokio::test]
async fn the_family_view_of_fiches_2_10_and_24_says_only_what_the_data_holds() {
    let app = roubaix();
    for n in [2, 10, 24] {
        let page = get(&app, &format!("/actions/{n}/familles")).await;
        assert_eq!(page.status, 200);
        let main = main_of(&page.body);
        // Nothing the data lacks: no day, no price, no address, said so.
        assert!(main.contains("La fiche ne dit pas les jours, les horaires, le prix"));
        assert!(
            main.contains(&format!("href=\"/actions/{n}\"")),
            "the professional text is one link away"
        );
        insta::assert_snapshot!(format!("family_{n}"), main);
    }
    // Fiche 2 prints no perimeter: the view does not guess one.
    let two = get(&app, "/actions/2/familles").await;
    assert!(two.body.contains("La fiche ne dit pas où."));
    // Fiche 24's operator, by its name in the directory, and its contact
    // closest to the field first, with a phone to tap.
    let page = get(&app, "/actions/24/familles").await;
    let main = main_of(&page.body);
    let gaelle = main.find("Gaëlle").unwrap();
    let troika = main.find("pilotage de la Cité éducative").unwrap();
    assert!(gaelle < troika);
    assert!(main.contains("href=\"tel:+33320664500\""), "{main}");
    assert_eq!(get(&app, "/actions/99/familles").await.status, 404);
}

#[tokio::test]
async fn the_plain_summary_shows_to_families_once_written() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{FICHE5}");
    let mut values = form_values(&get_as(&f, Who::Admin, &uri).await.body);
    set(
        &mut values,
        "plain_summary",
        "Une médiatrice vient à l'école de votre enfant.",
    );
    assert_eq!(submit(&f, Who::Admin, &uri, &values).await.status, 303);
    let page = get_as(&f, Who::Anonymous, "/actions/5/familles").await;
    assert!(
        page.body
            .contains("<p>Une médiatrice vient à l'école de votre enfant.</p>"),
        "{}",
        page.body
    );
    let sheet = get_as(&f, Who::Anonymous, "/orienter/fiche?besoin=assiduite-decrochage&besoin=climat-scolaire&besoin=parentalite-coeducation").await;
    assert!(
        sheet
            .body
            .contains("Une médiatrice vient à l'école de votre enfant.")
    );
}

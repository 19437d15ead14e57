//! Plain French for families: the « En bref » field with its review, the
//! readability the editing preview and the quality report show.

use passerelle_domain::EntityKind;
use passerelle_store::CatalogueStore;

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

#[tokio::test]
async fn the_family_pages_speak_the_families_languages_arabic_right_to_left() {
    let app = roubaix();
    for n in [2, 10, 24] {
        let page = get(&app, &format!("/ar/actions/{n}/familles")).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">")
        );
        let main = main_of(&page.body);
        // The data stays as stored, in French, and says so.
        assert!(main.contains("<bdi lang=\"fr\" dir=\"ltr\">"));
        assert!(main.contains("الأسماء والنصوص الموجودة في البطاقة مكتوبة باللغة الفرنسية."));
        insta::assert_snapshot!(format!("family_{n}_ar"), main);
    }
    let page = get(&app, "/ar/actions/10/familles").await;
    // The switcher: each language in itself, marked as such.
    for (code, name) in [
        ("fr", "Français"),
        ("ar", "العربية"),
        ("tr", "Türkçe"),
        ("pt", "Português"),
        ("en", "English"),
    ] {
        let prefix = if code == "fr" {
            String::new()
        } else {
            format!("/{code}")
        };
        assert!(
            page.body.contains(&format!(
                "<a href=\"{prefix}/actions/10/familles\" lang=\"{code}\" hreflang=\"{code}\""
            )),
            "{code}"
        );
        assert!(page.body.contains(&format!(">{name}</a>")));
    }
    assert!(page.body.contains("aria-current=\"page\">العربية</a>"));
    // Drafted by us: the page says it awaits a native speaker.
    assert!(page.body.contains("في انتظار مراجعة شخص لغته الأم العربية"));
    // The French page has neither `dir` nor the notice.
    let french = get(&app, "/actions/10/familles").await;
    assert!(
        french
            .body
            .starts_with("<!doctype html>\n<html lang=\"fr\">")
    );
    assert!(!french.body.contains("lang=\"fr\">Formation"));

    for lang in ["tr", "pt", "en"] {
        let page = get(&app, &format!("/{lang}/actions/10/familles")).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .starts_with(&format!("<!doctype html>\n<html lang=\"{lang}\">"))
        );
        let sheet = get(
            &app,
            &format!("/{lang}/orienter/fiche?age=9&lieu=ecole-littre"),
        )
        .await;
        assert_eq!(sheet.status, 200, "{lang}");
    }
    let en = get(&app, "/en/orienter/fiche?age=9&lieu=ecole-littre").await;
    assert!(
        en.body
            .contains("<p class=\"lead\">For your child aged 9.</p>")
    );
    assert!(
        en.body
            .contains("Place: <bdi lang=\"fr\">École Littré</bdi>")
    );
    // A page only in French (the professionals' seminar) is sent there.
    let untranslated = get(&app, "/ar/seminaire").await;
    assert_eq!(untranslated.status, 303, "{}", untranslated.body);
}

#[tokio::test]
async fn the_family_sheet_in_arabic() {
    let page = get(
        &roubaix(),
        "/ar/orienter/fiche?age=9&lieu=ecole-littre&besoin=culture-sport",
    )
    .await;
    assert_eq!(page.status, 200);
    insta::assert_snapshot!("orient_sheet_ar", main_of(&page.body));
}

#[tokio::test]
async fn a_sheet_in_another_language_prints_the_french_alongside_for_the_professional() {
    let app = roubaix();
    let uri = "/orienter/fiche?age=9&lieu=ecole-littre&besoin=culture-sport";
    let french = get(&app, uri).await;
    let arabic = get(&app, &format!("/ar{uri}")).await;
    let alongside = arabic
        .body
        .matches("<div class=\"sheet-fr\" lang=\"fr\" dir=\"ltr\">")
        .count();
    assert!(alongside > 0);
    assert_eq!(
        alongside,
        french.body.matches("<dl class=\"plain-facts\">").count(),
        "each action of the French sheet, once, beside its Arabic"
    );
    assert!(
        !french.body.contains("sheet-fr"),
        "nothing doubled in French"
    );
    let block = arabic.body.split("class=\"sheet-fr\"").nth(1).unwrap();
    let block = block.split("</div>").next().unwrap();
    assert!(block.contains("En français, pour le professionnel"));
    assert!(
        block.contains("<dt>Pour qui ?</dt>") || block.contains("<dt>Pour qui\u{a0}?</dt>"),
        "{block}"
    );
    assert!(
        !block.contains("<bdi lang=\"fr\">"),
        "the block is French as a whole: no lang attribute inside it"
    );
}

#[tokio::test]
async fn a_translation_shows_in_its_language_said_unreviewed_until_it_is_and_is_counted() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{FICHE5}");
    let mut values = form_values(&get_as(&f, Who::Admin, &uri).await.body);
    for (row, lang, title, state) in [
        ("0", "ar", "الوساطة الاجتماعية في المدرسة الابتدائية", "relu"),
        ("1", "tr", "İlkokulda sosyal arabuluculuk", "traduit"),
        (
            "2",
            "pt",
            "Mediação social na escola primária",
            "a-traduire",
        ),
    ] {
        set(&mut values, &format!("translations.{row}.lang"), lang);
        set(&mut values, &format!("translations.{row}.title"), title);
        set(&mut values, &format!("translations.{row}.summary"), "");
        set(&mut values, &format!("translations.{row}.state"), state);
        set(&mut values, &format!("translations.{row}.reviewed_by"), "");
        set(
            &mut values,
            &format!("translations.{row}.ordre"),
            &(row.parse::<u32>().unwrap() + 1).to_string(),
        );
    }
    let saved = submit(&f, Who::Admin, &uri, &values).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stored = stored_body(&f, EntityKind::Action, "programmation-2020-2022/fiche-5").await;
    assert_eq!(stored["translations"][0]["state"], "relu");

    // Reviewed: the Arabic title, the French one beside it, no notice.
    let ar = get_as(&f, Who::Anonymous, "/ar/actions/5/familles").await;
    assert!(
        ar.body
            .contains("<h1>الوساطة الاجتماعية في المدرسة الابتدائية</h1>"),
        "{}",
        ar.body
    );
    assert!(
        ar.body
            .contains("<p class=\"note\"><bdi lang=\"fr\">Médiation sociale")
    );
    assert!(!ar.body.contains("لم يراجع هذه الترجمة بعد"));
    // Translated only: shown, and said to await review, in Turkish.
    let tr = get_as(&f, Who::Anonymous, "/tr/actions/5/familles").await;
    assert!(tr.body.contains("<h1>İlkokulda sosyal arabuluculuk</h1>"));
    assert!(
        tr.body
            .contains("Bu çeviri henüz anadili Türkçe olan biri tarafından kontrol edilmedi.")
    );
    // Still to translate, or none: the French title, said in the language.
    let pt = get_as(&f, Who::Anonymous, "/pt/actions/5/familles").await;
    assert!(!pt.body.contains("Mediação social na escola primária"));
    assert!(pt.body.contains("<h1><bdi lang=\"fr\">Médiation sociale"));
    assert!(
        pt.body
            .contains("Os nomes e os textos da ficha estão escritos em francês.")
    );
    // French is untouched.
    let fr = get_as(&f, Who::Anonymous, "/actions/5/familles").await;
    assert!(fr.body.contains("<h1><bdi>Médiation sociale"));

    // The action page and the catalogue's cards show the translated title
    // too, the French one beside it on the action page.
    let ar = get_as(&f, Who::Anonymous, "/ar/actions/5").await;
    assert!(
        ar.body
            .contains("<h1 id=\"t-5\">الوساطة الاجتماعية في المدرسة الابتدائية</h1>"),
        "{}",
        ar.body
    );
    assert!(
        ar.body
            .contains("<p class=\"note\"><bdi lang=\"fr\">Médiation sociale")
    );
    let search = get_as(&f, Who::Anonymous, "/ar/actions?axe=1").await;
    assert!(
        search
            .body
            .contains("<a href=\"/ar/actions/5\">الوساطة الاجتماعية في المدرسة الابتدائية</a>"),
        "{}",
        search.body
    );
    let pt = get_as(&f, Who::Anonymous, "/pt/actions/5").await;
    assert!(
        pt.body
            .contains("<h1 id=\"t-5\" lang=\"fr\">Médiation sociale")
    );
    assert!(
        pt.body
            .contains("Esta ficha está escrita em francês, para os profissionais.")
    );

    let quality = get_as(&f, Who::Admin, "/qualite").await;
    for (language, translated, reviewed) in [
        ("arabe", 1, 1),
        ("turc", 1, 0),
        ("portugais", 0, 0),
        ("anglais", 0, 0),
    ] {
        assert!(
            quality.body.contains(&format!(
                "<tr><th scope=\"row\">{language}</th><td>{translated}</td><td>{reviewed}</td><td>27</td><td>"
            )),
            "{language}"
        );
    }
}

#[tokio::test]
async fn the_coordination_records_a_native_speakers_review_of_the_interface() {
    let f = fixture().await;
    let draft = "في انتظار مراجعة شخص لغته الأم العربية";
    let before = get_as(&f, Who::Anonymous, "/ar/actions/10/familles").await;
    assert!(before.body.contains(draft));
    let form = "action=\"/qualite/interface\"";
    assert!(get_as(&f, Who::Admin, "/qualite").await.body.contains(form));
    for who in [Who::Anonymous, Who::Troika, Who::ReferentOwn] {
        assert!(
            !get_as(&f, who, "/qualite").await.body.contains(form),
            "{who:?}"
        );
    }
    let review = [("lang", "ar"), ("by", "Nadia Benali"), ("on", "2026-11-30")];
    let refused = post_as(&f, Who::Troika, "/qualite/interface", &review).await;
    assert_eq!(refused.status, 403);
    let unnamed = post_as(
        &f,
        Who::Admin,
        "/qualite/interface",
        &[("lang", "ar"), ("by", " "), ("on", "2026-11-30")],
    )
    .await;
    assert_eq!(unnamed.status, 422);
    assert!(unnamed.body.contains("Indiquez qui a relu la traduction"));
    let unknown = post_as(
        &f,
        Who::Admin,
        "/qualite/interface",
        &[("lang", "xx"), ("by", "Nadia Benali"), ("on", "2026-11-30")],
    )
    .await;
    assert_eq!(unknown.status, 422);
    assert!(
        !get_as(&f, Who::Anonymous, "/ar/actions/10/familles")
            .await
            .body
            .contains("Nadia"),
        "nothing recorded by refused forms"
    );

    let saved = post_as(&f, Who::Admin, "/qualite/interface", &review).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = get_as(&f, Who::Anonymous, "/ar/actions/10/familles").await;
    assert!(!after.body.contains(draft));
    assert!(
        after.body.contains("وراجعها \u{2068}Nadia Benali\u{2069}"),
        "the Arabic pages name their reviewer"
    );
    let turkish = get_as(&f, Who::Anonymous, "/tr/actions/10/familles").await;
    assert!(
        turkish.body.contains("kontrol etmesini bekliyor"),
        "another language stays a draft"
    );
    let report = get_as(&f, Who::Anonymous, "/qualite").await;
    assert!(
        report
            .body
            .contains("relue par Nadia Benali le 30 novembre 2026")
    );
    assert_eq!(
        report
            .body
            .matches("rédigée par l&#39;équipe de Passerelle, à relire")
            .count(),
        3
    );
    let history = f
        .store
        .history("roubaix", EntityKind::Cite, "roubaix")
        .await
        .unwrap();
    assert_eq!(
        history.last().unwrap().actor,
        "coordination@ville-roubaix.fr",
        "the record is in the cité's history"
    );
}

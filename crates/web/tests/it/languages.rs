//! The interface in the families' languages: every translated page type
//! in Arabic, Turkish, Portuguese and English says nothing of the
//! interface in French, links to the pages in its language, and sends the
//! professionals' pages (only in French) to their French form.

use crate::{get, roubaix};

const LANGS: [&str; 4] = ["ar", "tr", "pt", "en"];

/// One page of each translated type, as a family or a professional beside
/// one opens it.
const PAGES: [&str; 13] = [
    "/",
    "/actions",
    "/actions?q=parents&age=8",
    "/actions?q=zzzzzz",
    "/axes/2",
    "/actions/10",
    "/orienter",
    "/orienter?qui=enfant&age=9&lieu=ecole-littre&besoin=culture-sport",
    "/orienter?qui=parent&age=4&besoin=numerique",
    "/annuaire",
    "/annuaire/organisations/ville-de-roubaix",
    "/annuaire/personnes/anne-sophie-belgaid",
    "/annuaire/territoires/secteur-nord",
];

/// The messages of a catalogue without variables: (key, text).
fn messages(ftl: &str) -> Vec<(String, String)> {
    ftl.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = "))
        .filter(|(_, v)| !v.contains('{') && !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The page's text outside what it marks as French (`lang="fr"`), tags
/// and attributes left out: what it says in its own language.
fn own_language_text(html: &str) -> String {
    let body = &html[html.find("<body").unwrap_or(0)..];
    let mut out = String::new();
    let mut french_depth: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        if french_depth.is_empty() {
            out.push_str(&rest[..lt]);
            out.push(' ');
        }
        let gt = rest[lt..].find('>').map_or(rest.len(), |g| lt + g);
        let tag = &rest[lt + 1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let void = matches!(
            name.as_str(),
            "br" | "input" | "img" | "meta" | "link" | "hr" | "source"
        ) || tag.ends_with('/');
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
            if french_depth.last() == Some(&depth) {
                french_depth.pop();
            }
        } else if !void && !tag.starts_with('!') {
            if tag.contains(" lang=\"fr\"") {
                french_depth.push(depth);
            }
            depth += 1;
        }
        rest = &rest[(gt + 1).min(rest.len())..];
    }
    out
}

#[tokio::test]
async fn every_translated_page_speaks_its_language_and_links_within_it() {
    let app = roubaix();
    let french = messages(include_str!("../../locales/fr.ftl"));
    for lang in LANGS {
        let theirs = messages(match lang {
            "ar" => include_str!("../../locales/ar.ftl"),
            "tr" => include_str!("../../locales/tr.ftl"),
            "pt" => include_str!("../../locales/pt.ftl"),
            _ => include_str!("../../locales/en.ftl"),
        });
        // The French words this language says otherwise, long enough not
        // to be a name in the data.
        let french_only: Vec<&(String, String)> = french
            .iter()
            .filter(|(k, v)| {
                v.chars().count() >= 8 && !theirs.iter().any(|(k2, v2)| k2 == k && v2 == v)
            })
            .collect();
        for path in PAGES {
            let uri = format!("/{lang}{path}");
            let page = get(&app, &uri).await;
            assert_eq!(page.status, 200, "{uri}: {}", page.body);
            let dir = if lang == "ar" { " dir=\"rtl\"" } else { "" };
            assert!(
                page.body.contains(&format!("<html lang=\"{lang}\"{dir}>")),
                "{uri}"
            );
            let text = own_language_text(&page.body);
            for (key, words) in &french_only {
                assert!(
                    !text.contains(words.as_str()),
                    "{uri} says « {words} » ({key}) in French"
                );
            }
            // The menu leads to the translated pages in this language, and
            // says which ones are only in French.
            assert!(
                page.body.contains(&format!("<a href=\"/{lang}/actions\"")),
                "{uri}"
            );
            assert!(
                page.body.contains("<a href=\"/seminaire\" hreflang=\"fr\""),
                "{uri}"
            );
            // The switcher offers the same page in French.
            let french_href = path.replace('&', "&#38;");
            assert!(
                page.body.contains(&format!(
                    "<a href=\"{french_href}\" lang=\"fr\" hreflang=\"fr\">Français</a>"
                )),
                "{uri}"
            );
        }
    }
}

#[tokio::test]
async fn french_pages_keep_french_links_and_the_professionals_pages_stay_french() {
    let app = roubaix();
    let home = get(&app, "/").await;
    assert!(home.body.contains("<html lang=\"fr\">"));
    assert!(home.body.contains("<a class=\"entry\" href=\"/actions\">"));
    assert!(!home.body.contains("href=\"/ar/actions\""));
    for path in [
        "/livret",
        "/seminaire",
        "/bilan",
        "/qualite",
        "/actions/10/orienter",
    ] {
        let page = get(&app, &format!("/tr{path}")).await;
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.headers["location"], path, "{path}");
    }
}

#[tokio::test]
async fn the_catalogue_in_arabic_names_needs_publics_and_ages_in_arabic() {
    let app = roubaix();
    let page = get(&app, "/ar/actions?theme=culture-sport").await;
    let text = own_language_text(&page.body);
    // The facets: a need and a public in Arabic, an age band in Arabic
    // words, a territory's name as the data holds it, marked French.
    assert!(text.contains("الثقافة والرياضة"), "{text}");
    assert!(text.contains("الأطفال والشباب"), "{text}");
    assert!(page.body.contains("إزالة عامل التصفية"), "{}", page.body);
    assert!(
        page.body.contains("<span lang=\"fr\" dir=\"ltr\">Secteur"),
        "{}",
        page.body
    );
    // The number of actions, with the Arabic plural.
    let count = page
        .body
        .split("<h2 id=\"h-results\" aria-live=\"polite\">")
        .nth(1)
        .and_then(|r| r.split("</h2>").next())
        .unwrap_or_default()
        .to_owned();
    assert!(
        ["أنشطة", "نشاطًا", "نشاطان", "نشاط واحد"]
            .iter()
            .any(|w| count.contains(w)),
        "{count}"
    );
    let main = &page.body[page.body.find("<main").unwrap_or(0)..];
    let main = &main[..main.find("</main>").map_or(main.len(), |e| e + 7)];
    insta::assert_snapshot!("search_ar", main);
}

#[tokio::test]
async fn an_error_page_speaks_the_readers_language_and_keeps_the_precise_message() {
    let app = roubaix();
    let ar = get(&app, "/ar/actions/999").await;
    assert_eq!(ar.status, 404);
    assert!(
        ar.body.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{}",
        ar.body
    );
    assert!(
        ar.body.contains("<h1>الصفحة غير موجودة</h1>"),
        "{}",
        ar.body
    );
    assert!(
        ar.body.contains(
            "<p class=\"note\" lang=\"fr\" dir=\"ltr\">Il n&#39;y a pas de fiche n°999 dans le programme.</p>"
        ),
        "{}",
        ar.body
    );
    assert!(
        ar.body
            .contains("<a href=\"/ar/actions\">البحث عن نشاط</a>")
    );
    let bad = get(&app, "/en/orienter?age=40").await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("<h1>Incomplete request</h1>"),
        "{}",
        bad.body
    );
    // In French, the page is as it was: the precise message as its lead.
    let fr = get(&app, "/actions/999").await;
    assert_eq!(fr.status, 404);
    assert!(fr.body.contains("<h1>Page introuvable</h1>"));
    assert!(
        fr.body
            .contains("<p class=\"lead\">Il n&#39;y a pas de fiche n°999 dans le programme.</p>")
    );
}

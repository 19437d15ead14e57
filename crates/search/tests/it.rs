//! Search over the bundled Roubaix programme, as a professional uses it.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use passerelle_domain::text::fold;
use passerelle_domain::{ActionFilter, Catalogue, Slug, Theme};
use passerelle_search::SearchIndex;

fn catalogue() -> Catalogue {
    passerelle_livret::bundled::roubaix().unwrap().1.catalogue
}

fn fiches(index: &SearchIndex, cat: &Catalogue, q: &str, filter: &ActionFilter) -> Vec<u32> {
    index
        .search(cat, q, filter)
        .unwrap()
        .actions
        .iter()
        .map(|h| h.id.rsplit("fiche-").next().unwrap().parse().unwrap())
        .collect()
}

/// For each fiche, the word of its description (6 letters or more) that the
/// fewest other fiches share; at most two others, so top 3 is meaningful.
fn distinctive_words(cat: &Catalogue) -> Vec<(u32, String)> {
    let texts: Vec<(u32, String)> = cat
        .actions()
        .map(|(_, a)| {
            (
                a.fiche.get(),
                fold(&format!(
                    "{} {} {} {:?} {:?}",
                    a.title,
                    a.description,
                    a.objectives.join(" "),
                    a.partners,
                    a.audiences
                )),
            )
        })
        .collect();
    cat.actions()
        .map(|(_, a)| {
            let shared = |w: &str| {
                let stem: String = fold(w).chars().take(6).collect();
                texts
                    .iter()
                    .filter(|(n, t)| *n != a.fiche.get() && t.contains(&stem))
                    .count()
            };
            let word = a
                .description
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| w.chars().count() >= 6)
                .min_by_key(|w| shared(w))
                .filter(|w| shared(w) <= 2)
                .unwrap_or_else(|| panic!("no distinctive word in fiche {}", a.fiche))
                .to_owned();
            (a.fiche.get(), word)
        })
        .collect()
}

fn typo(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'x' { 'z' } else { 'x' };
    chars.into_iter().collect()
}

#[test]
fn a_distinctive_word_finds_each_fiche_in_the_top_3_with_and_without_accents_and_with_a_typo() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    let none = ActionFilter::default();
    let words = distinctive_words(&cat);
    assert_eq!(words.len(), 27);
    for (n, word) in words {
        for q in [word.clone(), fold(&word), word.to_uppercase(), typo(&word)] {
            let found = fiches(&index, &cat, &q, &none);
            assert!(
                found.iter().take(3).any(|f| *f == n),
                "fiche {n}: `{q}` gave {found:?}"
            );
        }
    }
}

#[test]
fn accents_and_case_do_not_matter() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    let none = ActionFilter::default();
    assert_eq!(
        fiches(&index, &cat, "éloquence", &none),
        fiches(&index, &cat, "ELOQUENCE", &none)
    );
    assert_eq!(fiches(&index, &cat, "éloquence", &none)[0], 21);
    assert_eq!(fiches(&index, &cat, "laicite", &none)[0], 27);
}

#[test]
fn french_stemming_matches_other_forms_of_a_word() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    // "médiateur" in the text; the plural and the other form are found.
    assert!(fiches(&index, &cat, "médiateurs", &ActionFilter::default()).contains(&5));
    assert!(fiches(&index, &cat, "parentalité", &ActionFilter::default()).contains(&2));
}

#[test]
fn a_typo_in_a_short_word_is_not_tolerated() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    assert!(fiches(&index, &cat, "spurt", &ActionFilter::default()).is_empty());
}

#[test]
fn age_filter_keeps_only_actions_whose_audience_includes_the_age() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    let filter = ActionFilter {
        age: Some(10),
        ..ActionFilter::default()
    };
    let found = fiches(&index, &cat, "", &filter);
    assert_eq!(found, [2, 3, 9, 21, 22, 24, 25]);
    for (_, a) in cat.actions() {
        let includes = a.age_ranges().any(|r| r.contains(10));
        assert_eq!(
            found.contains(&a.fiche.get()),
            includes,
            "fiche {}",
            a.fiche
        );
    }
    // An action with no printed age (fiche 10, parents) is not returned for an age.
    assert!(!found.contains(&10));
}

#[test]
fn filters_combine_and_facets_count_the_matches() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    let filter = ActionFilter {
        axis: Some(3),
        themes: vec![Theme::CultureSport],
        ..ActionFilter::default()
    };
    let r = index.search(&cat, "", &filter).unwrap();
    let found: Vec<u32> = r
        .actions
        .iter()
        .map(|h| h.id.rsplit("fiche-").next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(found, [21, 22, 23, 25, 26]);
    assert_eq!(r.facets.axis.len(), 1);
    assert_eq!(r.facets.axis[0].count, 5);
    let culture = r
        .facets
        .theme
        .iter()
        .find(|f| f.key == "culture-sport")
        .unwrap();
    assert_eq!(culture.count, 5);
    let all = index.search(&cat, "", &ActionFilter::default()).unwrap();
    assert_eq!(all.actions.len(), 27);
    let axis_counts: Vec<usize> = all.facets.axis.iter().map(|f| f.count).collect();
    assert_eq!(axis_counts, [8, 9, 10]);
    let parents = all
        .facets
        .audience
        .iter()
        .find(|f| f.key == "parents")
        .unwrap();
    let with_parents = cat
        .actions()
        .filter(|(_, a)| {
            a.audiences
                .iter()
                .any(|x| x.kind == passerelle_domain::AudienceKind::Parents)
        })
        .count();
    assert_eq!((parents.count, with_parents), (8, 8));
}

#[test]
fn territory_filter_follows_the_territory_tree() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    let at = |slug: &str| ActionFilter {
        territory: Some(Slug::parse(slug).unwrap()),
        ..ActionFilter::default()
    };
    let littre = fiches(&index, &cat, "", &at("ecole-littre"));
    // A school of the Secteur Nord: Nord actions, city-wide ones, and fiche 10 which names it.
    assert!(littre.contains(&10) && littre.contains(&12) && littre.contains(&1));
    assert!(!littre.contains(&13), "a Secteur Sud action");
    let sud = fiches(&index, &cat, "", &at("secteur-sud"));
    assert!(sud.contains(&13) && sud.contains(&10) && !sud.contains(&12));
}

#[test]
fn people_and_organisations_are_found_by_name_and_function() {
    let cat = catalogue();
    let index = SearchIndex::build(&cat).unwrap();
    let r = index
        .search(&cat, "belgaid", &ActionFilter::default())
        .unwrap();
    assert_eq!(r.people[0].id, "anne-sophie-belgaid");
    let r = index
        .search(&cat, "déléguée préfet", &ActionFilter::default())
        .unwrap();
    assert_eq!(r.people[0].id, "marie-claude-venant");
    let r = index
        .search(&cat, "mission locale", &ActionFilter::default())
        .unwrap();
    assert_eq!(r.organisations[0].id, "mission-locale-roubaix");
}

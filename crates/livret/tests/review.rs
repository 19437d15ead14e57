//! The review computations on the Roubaix programme, and the targets seeded
//! from the booklet.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use passerelle_domain::review::{Decision, Indicator, Target, YearValue, coverage, next_programme};
use passerelle_domain::{AgeRange, Catalogue, Slug};
use passerelle_livret::bundled;

fn roubaix() -> Catalogue {
    bundled::roubaix().unwrap().1.catalogue
}

#[test]
fn every_seeded_target_quotes_its_booklet_line_and_has_no_value() {
    let c = roubaix();
    let lines: Vec<&str> = bundled::BOOKLET.lines().collect();
    let mut seeded = Vec::new();
    for (_, a) in c.actions() {
        for i in &a.review.indicators {
            assert!(i.values.is_empty(), "fiche {}: a seeded value", a.fiche);
            let (line, quote) = i
                .source
                .trim_start_matches("livret 2022, l. ")
                .split_once(" : « ")
                .unwrap();
            let quote = quote.trim_end_matches(" »");
            let line: usize = line.parse().unwrap();
            assert!(
                lines[line - 1].contains(quote),
                "fiche {}: « {quote} » is not on line {line}",
                a.fiche
            );
            seeded.push((a.fiche.get(), i.label.clone(), i.target.unwrap().french()));
        }
    }
    let fiches: std::collections::BTreeSet<u32> = seeded.iter().map(|s| s.0).collect();
    assert_eq!(
        fiches.into_iter().collect::<Vec<_>>(),
        [5, 10, 21, 22, 24, 25]
    );
    assert!(seeded.contains(&(
        5,
        "Médiateurs sociaux sur les réseaux REP+".into(),
        "6".into()
    )));
    assert!(seeded.contains(&(
        10,
        "Groupes de parents en formation".into(),
        "jusqu'à 4".into()
    )));
    assert!(seeded.contains(&(21, "Tours du concours d'éloquence".into(), "4 à 5".into())));
    assert_eq!(seeded.len(), 12);
}

#[test]
fn coverage_counts_follow_the_search_rules() {
    let c = roubaix();
    let p = c.current_programme().unwrap();
    let nord = Slug::parse("secteur-nord").ok();
    let cols = [nord.clone(), None];
    let all = coverage(&c, p, None, &cols);
    // 6–10: every action printing an age range that overlaps 6–10, for parents
    // the children's; the whole city counts them all.
    let (_, cells) = &all[2];
    let expected: Vec<u32> = p
        .actions
        .iter()
        .filter(|a| {
            a.age_ranges()
                .any(|r| r.overlaps(AgeRange::new(6, 10).unwrap()))
        })
        .map(|a| a.fiche.get())
        .collect();
    assert_eq!(cells[1], expected);
    assert!(!expected.is_empty());
    // A sector never counts more than the whole city.
    for (_, cells) in &all {
        assert!(cells[0].iter().all(|f| cells[1].contains(f)));
    }
    // By axis, the rows add up to the whole.
    let by_axis: usize = (1..=3)
        .map(|axis| coverage(&c, p, Some(axis), &cols)[2].1[1].len())
        .sum();
    assert_eq!(by_axis, expected.len());
}

#[test]
fn the_next_programme_carries_over_what_is_maintained_or_changed_linked_to_it() {
    let c = roubaix();
    let mut p = c.current_programme().cloned().unwrap();
    p.actions[0].review.decision = Some(Decision::Maintenir);
    p.actions[1].review.decision = Some(Decision::Modifier);
    p.actions[2].review.decision = Some(Decision::Abandonner);
    p.actions[0].review.indicators.push(Indicator {
        label: "Médiateurs".into(),
        unit: "médiateurs".into(),
        target: Some(Target {
            min: Some(6.0),
            max: Some(6.0),
        }),
        source: "fiche 5".into(),
        values: vec![YearValue {
            year: 2022,
            value: 6.0,
            entered_by: "r".into(),
            validated_by: None,
        }],
    });
    let next = next_programme(
        &p,
        Slug::from_text("programmation 2023-2025"),
        "Programmation 2023-2025".into(),
        2023,
        2025,
    );
    assert_eq!(next.actions.len(), 2);
    assert_eq!(
        next.actions[0].predecessor.as_deref(),
        Some("programmation-2020-2022/fiche-1")
    );
    assert_eq!(next.actions[0].title, p.actions[0].title);
    assert!(next.actions[0].review.decision.is_none());
    assert_eq!(
        next.actions[0].review.indicators[0].target,
        p.actions[0].review.indicators[0].target
    );
    assert!(next.actions[0].review.indicators[0].values.is_empty());
    assert_eq!(next.axes, p.axes);
}

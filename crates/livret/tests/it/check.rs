//! The quality report on the bundled booklet.

use passerelle_livret::{Code, check::check};

use crate::support::*;

#[test]
fn check_lists_the_booklets_irregularities_by_line() {
    let report = check(&booklet(), &reference()).unwrap();
    let has = |code: Code, line: usize| report.iter().any(|i| i.code == code && i.line == line);
    assert!(has(Code::MissingHeading, 1192), "fiche 17 without heading");
    assert!(
        has(Code::FirstPageWithoutHeading, 1786),
        "fiche 26's first page"
    );
    assert!(
        has(Code::TitleVariant, 598),
        "fiche 8: enseignant·e·s / enseignant.e.s"
    );
    assert!(
        has(Code::TitleVariant, 1285),
        "fiche 18: entrepreneurante / entrepreneuriale"
    );
    assert!(has(Code::PersonEmailVariant, 1327), "abelgaid@ / abelqaid@");
    assert!(
        has(Code::PersonEmailVariant, 705),
        "marie-claude.venant@ / marie.claude-venant@"
    );
    assert!(has(Code::PersonSpelling, 1477), "BELGAÏD / BELGAID");
    assert!(
        has(Code::NameEmailMismatch, 1473),
        "LAVIÉVIELLE / lavieville"
    );
    assert!(
        has(Code::SectorContradiction, 524),
        "fiche 7 says Secteur Nord in its Sud text"
    );
    assert!(has(Code::LabelTypo, 897), "Servives municipaux");
    assert!(
        has(Code::AcronymTypo, 488) && has(Code::AcronymTypo, 553),
        "ADT Quart-Monde"
    );
    assert!(has(Code::PlaceNameTypo, 79), "Rosa Park");
    assert!(has(Code::StrayLetter, 1333), "suivi e d'appui");
    assert!(
        has(Code::ContradictoryDates, 1864),
        "Plan laïcité 2021-2024 / 2020-2024"
    );
    assert!(has(Code::RoleGroupSpelling, 571), "Troika");
    assert!(has(Code::EmptySection, 132), "fiche 1's empty Public cible");
}

#[test]
fn check_invents_nothing_on_clean_lines() {
    let report = check(&booklet(), &reference()).unwrap();
    // Lines that are correct and must not be flagged.
    for line in [152, 156, 1402, 1709] {
        assert!(
            report.iter().all(|i| i.line != line),
            "line {line} flagged: {:?}",
            report.iter().filter(|i| i.line == line).collect::<Vec<_>>()
        );
    }
}

#[test]
fn check_json_report_snapshot() {
    let report = check(&booklet(), &reference()).unwrap();
    insta::assert_json_snapshot!("roubaix_check", report);
}

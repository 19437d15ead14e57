//! Export as Markdown, import again: the same data.

use passerelle_livret::{parse, render::render};

use crate::support::*;

#[test]
fn exported_booklet_reimports_to_identical_data() {
    let first = roubaix();
    let markdown = render(&first.catalogue, &first.catalogue.programmes[0]);
    let second = parse(&markdown, &reference()).expect("exported booklet parses");
    assert_eq!(first.catalogue, second.catalogue);
    // And the export is a fixed point.
    assert_eq!(
        markdown,
        render(&second.catalogue, &second.catalogue.programmes[0])
    );
}

#[test]
fn the_exported_booklet_has_no_structural_irregularity() {
    let first = roubaix();
    let markdown = render(&first.catalogue, &first.catalogue.programmes[0]);
    let second = parse(&markdown, &reference()).unwrap();
    let structural: Vec<_> = second
        .irregularities
        .iter()
        .filter(|i| {
            matches!(
                i.code,
                passerelle_livret::Code::MissingHeading
                    | passerelle_livret::Code::FirstPageWithoutHeading
                    | passerelle_livret::Code::SentenceAcrossPages
                    | passerelle_livret::Code::EmptySection
            )
        })
        .collect();
    assert!(structural.is_empty(), "{structural:#?}");
}

//! Readability of the booklet's 27 descriptions, measured with the domain's
//! French scores: a snapshot of every figure, and a text written to the easy-
//! to-read rules (FALC) scoring above all of them.

use passerelle_domain::readability::analyse;
use passerelle_livret::bundled;

fn descriptions() -> Vec<(u32, String)> {
    let (_, parsed) = bundled::roubaix().unwrap();
    parsed.catalogue.programmes[0]
        .actions
        .iter()
        .map(|a| (a.fiche.get(), a.description.clone()))
        .collect()
}

#[test]
fn the_booklet_descriptions_scores() {
    let rows = descriptions();
    assert_eq!(rows.len(), 27);
    let mut table = String::from(
        "fiche | phrases | mots | syllabes | mots longs | Flesch | LIX | niveau | écarts FALC\n",
    );
    for (fiche, text) in &rows {
        let a = analyse(text);
        let c = a.counts;
        table.push_str(&format!(
            "{fiche} | {} | {} | {} | {} | {:.1} | {:.1} | {} | {}\n",
            c.sentences,
            c.words,
            c.syllables,
            c.long_words,
            a.flesch().unwrap(),
            a.lix().unwrap(),
            a.band().unwrap().label(),
            a.faults.len(),
        ));
    }
    insta::assert_snapshot!(table);
}

/// Fiche 2 (the families–schools–neighbourhood link post), said again in
/// short sentences, with words from its own description only.
const FALC: &str = "\
Dans chaque quartier, un centre social vous accueille.

Une personne du centre fait le lien entre vous, l'école et le quartier.

Elle aide les enfants de 2 à 18 ans.
Elle aide aussi les parents.

Vous pouvez venir au centre social.
Vous pouvez parler de votre enfant.
Vous pouvez parler de l'école.
";

#[test]
fn a_text_written_to_the_falc_rules_scores_above_every_description() {
    let plain = analyse(FALC);
    assert_eq!(plain.faults, Vec::new(), "the FALC text breaks no rule");
    let score = plain.flesch().unwrap();
    for (fiche, text) in descriptions() {
        let theirs = analyse(&text).flesch().unwrap();
        assert!(score > theirs, "fiche {fiche}: {theirs} ≥ {score}");
    }
}

//! Bad input never panics and is reported with its place.

use passerelle_livret::{Code, MAX_BOOKLET_BYTES, ParseError, check::check, parse, parse_bytes};

use crate::support::*;

#[test]
fn empty_and_blank_files_are_refused() {
    assert_eq!(parse("", &reference()).unwrap_err(), ParseError::Empty);
    assert_eq!(
        parse(" \n\u{a0}\n", &reference()).unwrap_err(),
        ParseError::Empty
    );
}

#[test]
fn binary_file_is_refused_with_its_line() {
    let mut bytes = b"# Titre\n\nligne\n".to_vec();
    bytes.extend_from_slice(&[0, 159, 146, 150]);
    assert_eq!(
        parse_bytes(&bytes, &reference()).unwrap_err(),
        ParseError::Binary { line: 4 }
    );
    let err = parse_bytes(b"# a\n\xff\xfe", &reference()).unwrap_err();
    assert_eq!(
        err,
        ParseError::NotUtf8 {
            line: 2,
            offset: 4,
            byte: 0xff
        }
    );
    assert!(err.to_string().starts_with("ligne 2 :"));
}

#[test]
fn text_without_fiche_is_refused() {
    assert_eq!(
        parse("# Un titre\n\nDu texte.\n", &reference()).unwrap_err(),
        ParseError::NoFiche
    );
}

#[test]
fn too_large_file_is_refused_before_reading() {
    let big = vec![b'a'; 50 * 1024 * 1024];
    assert_eq!(
        parse_bytes(&big, &reference()).unwrap_err(),
        ParseError::TooLarge {
            size: 50 * 1024 * 1024,
            max: MAX_BOOKLET_BYTES
        }
    );
}

#[test]
fn a_booklet_cut_in_the_middle_of_a_fiche_keeps_what_was_printed() {
    let full = booklet();
    let cut: String = full.lines().take(1485).collect::<Vec<_>>().join("\n");
    let parsed = parse(&cut, &reference()).unwrap();
    let actions = &parsed.catalogue.programmes[0].actions;
    assert_eq!(actions.last().map(|a| a.fiche.get()), Some(21));
    assert!(
        parsed
            .irregularities
            .iter()
            .any(|i| i.fiche == Some(21) && i.code == Code::MissingSection)
    );
    let cut_in_contacts: String = full.lines().take(1896).collect::<Vec<_>>().join("\n");
    let report = check(&cut_in_contacts, &reference()).unwrap();
    assert!(report.iter().any(|i| i.code == Code::EmptyContactGroup
        && i.line == 1896
        && i.message.contains("coupé")));
}

#[test]
fn a_fiche_with_no_title_gets_one_from_its_text() {
    let text = "# AXE\n\n## Fiche n°1 –\n\nL'action « *Lire ensemble* » vise à lire.\n\n### Objectifs\n\n- Lire\n";
    let parsed = parse(text, &reference()).unwrap();
    let a = &parsed.catalogue.programmes[0].actions[0];
    assert_eq!(a.title, "Lire ensemble");
    assert!(a.inferred.title);
    assert!(
        parsed
            .irregularities
            .iter()
            .any(|i| i.code == Code::EmptyTitle && i.line == 3)
    );
}

#[test]
fn a_malformed_email_is_reported_and_the_contact_kept() {
    let text = "# AXE\n\n## Fiche n°1 – Titre\n\nTexte.\n\n### Troïka :\n\n- Jo DUPONT – [jo@@ville](mailto:jo@@ville) – 03.20.00.00.00\n";
    let parsed = parse(text, &reference()).unwrap();
    let a = &parsed.catalogue.programmes[0].actions[0];
    assert_eq!(a.contacts[0].email.as_deref(), Some("jo@@ville"));
    assert!(
        parsed
            .irregularities
            .iter()
            .any(|i| i.code == Code::MalformedEmail && i.line == 9)
    );
    let person = &parsed.catalogue.people[0];
    assert!(
        person.emails.is_empty(),
        "an invalid address is not a person's email"
    );
}

#[test]
fn arbitrary_garbage_never_panics() {
    let samples = [
        "## Fiche n°",
        "## Fiche n°99999999999999999999 – x",
        "## Fiche n°0 – x\n### Public cible\nEnfants 99-2 ans",
        "# A\n## Fiche n°1 – x\n### Troïka :\nTexte\n## Fiche n°1 – y",
        "## Fiche n°3 – x\n### Ressources complémentaires\n**t**\n",
        "**MATINÉE (99H00-12H00)**\n## Programme – 31 février 2022\n# A\n## Fiche n°1 – a",
        "| a | b |\n<ul><li>x<i>y</i></li></ul>\t- Jo DOE, f\n# A\n## Fiche n°2 –",
    ];
    for s in samples {
        let _ = check(s, &reference());
    }
}

//! The Roubaix booklet typeset, read back by the tools a reader's computer
//! has: poppler's `pdftotext`, `pdffonts`, `pdfinfo`, and `qpdf` (Debian's
//! `poppler-utils` and `qpdf`; `.ci/run` installs them).

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use std::process::Command;
use std::sync::LazyLock;

use passerelle_domain::text::squash_spaces;
use passerelle_domain::{Catalogue, Date, FicheNumber, Visibility};
use passerelle_livret::bundled;
use passerelle_typeset::{Edition, Readers, booklet, sheet};

static ROUBAIX: LazyLock<Catalogue> = LazyLock::new(|| bundled::roubaix().unwrap().1.catalogue);

const DAY: Date = Date {
    year: 2026,
    month: 12,
    day: 1,
};

fn edition(catalogue: &Catalogue, readers: Readers) -> Edition<'_> {
    Edition {
        catalogue,
        programme: catalogue.current_programme().unwrap(),
        seminar: catalogue.seminars.first(),
        date: DAY,
        readers,
    }
}

/// Runs a tool on the PDF; its standard output.
fn tool(name: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("livret.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    let path = path.to_str().unwrap().to_owned();
    all.push(&path);
    if name == "pdftotext" {
        all.push("-");
    }
    let out = Command::new(name).args(&all).output().unwrap_or_else(|e| {
        panic!("`{name}` cannot run ({e}): install Debian's poppler-utils and qpdf")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of each page, spaces and line breaks squashed.
fn pages(pdf: &[u8]) -> Vec<String> {
    tool("pdftotext", &["-enc", "UTF-8"], pdf)
        .split('\u{c}')
        .map(squash_spaces)
        .collect()
}

static PUBLIC: LazyLock<Vec<u8>> =
    LazyLock::new(|| booklet(&edition(&ROUBAIX, Readers::Public)).unwrap());

#[test]
fn every_title_objective_and_public_contact_is_printed() {
    let text = pages(&PUBLIC).join(" ");
    let programme = ROUBAIX.current_programme().unwrap();
    assert_eq!(programme.actions.len(), 27);
    for a in &programme.actions {
        let title = squash_spaces(&a.title);
        assert!(
            text.contains(&format!("Fiche n°{} – {title}", a.fiche)),
            "fiche {}: {title}",
            a.fiche
        );
        for o in &a.objectives {
            // As printed: Markdown's emphasis marks are not.
            let o = o.replace('*', "");
            let first: Vec<&str> = o.split_whitespace().take(4).collect();
            assert!(
                text.contains(&first.join(" ")),
                "fiche {}: objective {o}",
                a.fiche
            );
        }
        for c in &a.contacts {
            for detail in c.email.iter().chain(&c.phone) {
                assert!(
                    text.contains(detail.as_str()),
                    "fiche {}: {detail}",
                    a.fiche
                );
            }
        }
    }
}

#[test]
fn a_detail_kept_for_professionals_is_only_in_their_edition() {
    let mut catalogue = ROUBAIX.clone();
    // A contact whose email and phone no one else prints.
    let contacts: Vec<_> = catalogue
        .actions()
        .flat_map(|(_, a)| a.contacts.clone())
        .collect();
    let contact = contacts
        .iter()
        .find(|c| {
            c.email.is_some()
                && c.phone.is_some()
                && contacts
                    .iter()
                    .all(|o| o.person == c.person || (o.email != c.email && o.phone != c.phone))
        })
        .unwrap()
        .clone();
    let (email, phone) = (contact.email.unwrap(), contact.phone.unwrap());
    let person = catalogue
        .people
        .iter_mut()
        .find(|p| p.slug == contact.person)
        .unwrap();
    person.email_visibility = Visibility::Professionnels;
    person.phone_visibility = Visibility::Professionnels;
    let public = pages(&booklet(&edition(&catalogue, Readers::Public)).unwrap()).join(" ");
    let professional =
        pages(&booklet(&edition(&catalogue, Readers::Professionals)).unwrap()).join(" ");
    assert!(
        !public.contains(&email),
        "{email} printed in the public edition"
    );
    assert!(
        !public.contains(&phone),
        "{phone} printed in the public edition"
    );
    assert!(professional.contains(&email));
    assert!(professional.contains(&phone));
    assert!(public.contains("Édition publique"));
    assert!(professional.contains("Édition pour les professionnels"));
}

#[test]
fn the_contents_give_the_pages_where_the_sheets_start() {
    let pages = pages(&PUBLIC);
    let contents = &pages[1];
    assert!(contents.starts_with("Sommaire"), "{contents}");
    let programme = ROUBAIX.current_programme().unwrap();
    for a in &programme.actions {
        let heading = format!("Fiche n°{} – ", a.fiche);
        // The entry: its heading, the title, dot leaders, the page; the
        // next entry begins with "Fiche", "Axe" or "Index".
        let start = contents
            .find(&heading)
            .unwrap_or_else(|| panic!("{heading} not in the contents"));
        let entry = &contents[start + heading.len()..];
        let end = ["Fiche n°", "Axe ", "Index "]
            .iter()
            .filter_map(|next| entry.find(next))
            .min()
            .unwrap_or(entry.len());
        let number: u32 = entry[..end]
            .split_whitespace()
            .filter_map(|w| w.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
            .next_back()
            .unwrap();
        let page = &pages[number as usize - 1];
        assert!(
            page.contains(&format!("{heading}{}", squash_spaces(&a.title))),
            "fiche {} listed on page {number}, which reads: {page}",
            a.fiche
        );
        // It starts there: not on the page before.
        assert!(!pages[number as usize - 2].contains(&heading));
    }
}

#[test]
fn the_index_lists_organisations_and_people_with_their_pages() {
    let pages = pages(&PUBLIC);
    let index = pages
        .iter()
        .position(|p| p.contains("Index des organisations"))
        .unwrap();
    let text = pages[index..].join(" ");
    let programme = ROUBAIX.current_programme().unwrap();
    let contact = &programme.actions[0].contacts[0];
    let person = ROUBAIX.person(&contact.person).unwrap();
    assert!(
        text.contains(&person.name),
        "{} not in the index",
        person.name
    );
    // The pages it gives hold the name.
    let after = &text[text.find(&person.name).unwrap() + person.name.len()..];
    let first: usize = after
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| !w.is_empty())
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        pages[first - 1].contains(contact.name.as_str()),
        "page {first}"
    );
}

#[test]
fn the_file_is_valid_tagged_french_with_its_fonts_and_title() {
    tool("qpdf", &["--check"], &PUBLIC);
    let fonts = tool("pdffonts", &[], &PUBLIC);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }
    let info = tool("pdfinfo", &[], &PUBLIC);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(
        field("Title:"),
        "Cité éducative de Roubaix — Programmation 2020-2022"
    );
    assert_eq!(field("Tagged:"), "yes");
    // The catalogue and the metadata, uncompressed.
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.pdf"), dir.path().join("out.pdf"));
    std::fs::write(&input, &*PUBLIC).unwrap();
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&input)
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    let raw = String::from_utf8_lossy(&std::fs::read(&output).unwrap()).into_owned();
    assert!(
        raw.contains("/Lang (fr"),
        "the document's language is not French"
    );
    assert!(
        raw.contains("pdfuaid:part>1<") || raw.contains("pdfuaid:part=\"1\""),
        "not declared PDF/UA-1"
    );
    assert!(raw.contains("/StructTreeRoot"));
}

#[test]
fn the_same_data_give_the_same_bytes() {
    assert_eq!(
        booklet(&edition(&ROUBAIX, Readers::Public)).unwrap(),
        *PUBLIC
    );
}

#[test]
fn typst_markup_in_a_title_or_a_description_prints_as_typed() {
    let mut catalogue = ROUBAIX.clone();
    let typed_title = r"#set page(width: 2cm) $x^2$ *gras* _pench\u{e9}_ <etiquette> @ref \ ] [";
    let typed_description = r"Un #texte avec $maths$, si a < b, @mention et \ antislash ] fin.";
    let action = catalogue
        .programmes
        .iter_mut()
        .flat_map(|p| &mut p.actions)
        .find(|a| a.fiche.get() == 5)
        .unwrap();
    action.title = typed_title.into();
    action.description = typed_description.into();
    action.objectives = vec!["#pagebreak() #{ 1 + 1 }".into()];
    let one = sheet(
        &edition(&catalogue, Readers::Public),
        FicheNumber::new(5).unwrap(),
    )
    .unwrap();
    let pages = pages(&one);
    insta::assert_snapshot!(pages.join("\n---\n"));
    // Every character as typed, in order (pdftotext may add a space where
    // two glyphs stand apart, so spaces are left out of the comparison).
    let bare = |s: &str| s.split_whitespace().collect::<String>();
    let text = bare(&pages.concat());
    for typed in [typed_title, typed_description, "#pagebreak() #{ 1 + 1 }"] {
        assert!(
            text.contains(&bare(typed)),
            "{typed} not printed as typed: {text}"
        );
    }
    // The layout did not change: one page, its width A4's.
    assert_eq!(pages.iter().filter(|p| !p.is_empty()).count(), 1);
    assert!(tool("pdfinfo", &[], &one).contains("(A4)"));
}

#[test]
fn a_sheet_alone_is_its_fiche_only() {
    let one = sheet(
        &edition(&ROUBAIX, Readers::Public),
        FicheNumber::new(3).unwrap(),
    )
    .unwrap();
    let text = pages(&one).join(" ");
    assert!(text.contains("Fiche n°3 – "));
    assert!(!text.contains("Fiche n°4 – "));
    assert!(!text.contains("Sommaire"));
    let missing = sheet(
        &edition(&ROUBAIX, Readers::Public),
        FicheNumber::new(999).unwrap(),
    );
    assert!(missing.is_err());
}

#[test]
fn a_committees_minutes_print_each_decision_its_reason_and_amounts_as_typed() {
    use passerelle_typeset::{Decided, Minutes, minutes};
    let m = Minutes {
        title: "Procès-verbal du comité du 15 avril 2027".into(),
        cite: "Cité éducative de Roubaix".into(),
        call: "Réussite éducative 2027".into(),
        held_on: "15 avril 2027".into(),
        members: vec![
            "Mme la sous-préfète".into(),
            "M. le principal #1 $x$".into(),
        ],
        decided: vec![
            Decided {
                title: "Lire ensemble [atelier]".into(),
                structure: "Association Lire".into(),
                score: "83 / 100".into(),
                decision: "retenue".into(),
                reason: String::new(),
                amounts: vec![("État – Cité éducative".into(), "8 000,50 €".into())],
            },
            Decided {
                title: "Théâtre au collège".into(),
                structure: "Compagnie B".into(),
                score: "25 / 100".into(),
                decision: "refusée".into(),
                reason: "Le projet ne vise pas les 0-25 ans du quartier.".into(),
                amounts: Vec::new(),
            },
        ],
        totals: vec![("État – Cité éducative".into(), "8 000,50 €".into())],
        ident: "passerelle/roubaix/appel-1/comite-1".into(),
        date: DAY,
    };
    let pdf = minutes(&m).unwrap();
    let text = pages(&pdf).join(" ");
    for expected in [
        "Procès-verbal du comité du 15 avril 2027",
        "M. le principal #1 $x$",
        "Lire ensemble [atelier]",
        "Décision : retenue.",
        "Motif : Le projet ne vise pas les 0-25 ans du quartier.",
        "8 000,50 €",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert_eq!(
        minutes(&m).unwrap(),
        pdf,
        "the same data give the same bytes"
    );
}

#[test]
fn a_convention_prints_its_parties_amount_terms_and_due_dates_tagged_in_french_and_reproducibly() {
    use passerelle_typeset::{ConventionDoc, Party, convention};
    let c = ConventionDoc {
        number: "CE-ROUBAIX-2025-05-ETAT".into(),
        cite: "Cité éducative de Roubaix".into(),
        funder: "État – Cité éducative (P147)".into(),
        beneficiaries: vec![Party {
            name: "Citéo [médiation] #1".into(),
            siret: "732 829 320 00074".into(),
        }],
        year: 2025,
        action: "Fiche 5 — Médiation sociale dans le 1er degré".into(),
        objectives: vec!["Prévenir l'évitement scolaire".into()],
        scheme: "P147".into(),
        amount: "25 000,50 €".into(),
        nature: "en numéraire".into(),
        terms: vec![
            (
                "Acompte (50 %)".into(),
                "12 500,25 €".into(),
                "à la signature".into(),
            ),
            (
                "Solde".into(),
                "12 500,25 €".into(),
                "après le compte rendu financier".into(),
            ),
        ],
        duties: vec![(
            "Compte rendu financier (CERFA n° 15059)".into(),
            "30 juin 2026".into(),
        )],
        required: true,
        decision: "12 mars 2025".into(),
        ident: "passerelle/roubaix/convention/5/2025/etat".into(),
        date: DAY,
    };
    let pdf = convention(&c).unwrap();
    tool("qpdf", &["--check"], &pdf);
    let text = pages(&pdf).join(" ");
    for expected in [
        "Convention attributive de subvention n° CE-ROUBAIX-2025-05",
        "Convention CE-ROUBAIX-2025-05-ETAT — page 1",
        "État – Cité éducative (P147)",
        "Citéo [médiation] #1",
        "SIRET 732 829 320 00074",
        "25 000,50 €",
        "12 500,25 €",
        "Compte rendu financier (CERFA n° 15059)",
        "30 juin 2026",
        "Convention obligatoire",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let info = tool("pdfinfo", &[], &pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.pdf"), dir.path().join("out.pdf"));
    std::fs::write(&input, &pdf).unwrap();
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&input)
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    let raw = String::from_utf8_lossy(&std::fs::read(&output).unwrap()).into_owned();
    assert!(raw.contains("/Lang (fr"), "in French");
    assert_eq!(
        convention(&c).unwrap(),
        pdf,
        "the same data give the same bytes"
    );
}

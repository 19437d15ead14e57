//! The bundled Roubaix booklet reads into the programme it prints.

use passerelle_domain::{Action, AudienceKind, OperatorRole, PerimeterSource, SessionKind};

use crate::support::*;

type AudienceRow = (String, Option<(u32, u32)>, Option<String>);
type PrintedContact<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>);

fn fiche(n: u32) -> Action {
    let p = roubaix();
    p.catalogue.programmes[0]
        .actions
        .iter()
        .find(|a| a.fiche.get() == n)
        .cloned()
        .unwrap_or_else(|| panic!("fiche {n} missing"))
}

#[test]
fn all_27_fiches_are_read_in_order_with_their_axis() {
    let p = roubaix();
    let prog = &p.catalogue.programmes[0];
    assert_eq!(prog.title, "Programmation 2020-2022");
    assert_eq!((prog.start_year, prog.end_year), (2020, 2022));
    let numbers: Vec<u32> = prog.actions.iter().map(|a| a.fiche.get()).collect();
    assert_eq!(numbers, (1..=27).collect::<Vec<_>>());
    let axes: Vec<u8> = prog.actions.iter().map(|a| a.axis).collect();
    let expected: Vec<u8> = (1..=27)
        .map(|n| {
            if n <= 8 {
                1
            } else if n <= 17 {
                2
            } else {
                3
            }
        })
        .collect();
    assert_eq!(axes, expected);
    assert_eq!(prog.axes.len(), 3);
    assert_eq!(prog.axes[1].title, "La lutte contre les déterminismes");
    assert_eq!(prog.axes[1].heading, "LUTTE CONTRE TOUS LES DÉTERMINISMES");
    assert!(
        prog.axes[2]
            .ambition
            .starts_with("Il s'agit de mobiliser toutes les énergies")
    );
}

#[test]
fn fiche_17_without_heading_gets_inferred_number_and_title() {
    let a = fiche(17);
    assert_eq!(a.title, "Tutorat-parrainage");
    assert!(a.inferred.number && a.inferred.title);
    assert!(
        a.description
            .starts_with("De nombreuses structures et dispositifs")
    );
    assert_eq!(a.objectives.len(), 2);
    assert_eq!(
        a.audiences[0].ages.map(|r| (r.min(), r.max())),
        Some((14, 18))
    );
    let names: Vec<&str> = a.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Guillaume ROUX", "Marie-Claude VENANT"]);
    assert_eq!(
        a.contacts[1].email.as_deref(),
        Some("marie.claude-venant@nord.gouv.fr")
    );
}

#[test]
fn fiche_26_with_headless_first_page_keeps_its_first_page() {
    let a = fiche(26);
    assert_eq!(a.title, "Bons baisers de Roubaix");
    assert!(!a.inferred.number && !a.inferred.title);
    assert!(
        a.description
            .starts_with("L'action « *Bons baisers de Roubaix* »")
    );
    assert_eq!(a.objectives.len(), 2);
    assert_eq!(
        a.operators[0].organisation.as_ref().map(|s| s.as_str()),
        Some("mediatheque-la-grand-plage")
    );
    let audiences: Vec<&str> = a.audiences.iter().map(|x| x.label.as_str()).collect();
    assert_eq!(audiences, ["Parents d'élèves", "Enfants et jeunes"]);
}

#[test]
fn objectives_continued_on_the_second_page_are_kept() {
    assert_eq!(fiche(12).objectives.len(), 4);
    assert!(fiche(12).objectives[3].starts_with("Prévenir le phénomène de poly-exclusion"));
    let f25 = fiche(25);
    assert_eq!(f25.objectives.len(), 7);
    assert_eq!(
        f25.objectives[6],
        "Informer et orienter les familles en matière d'offre sportive en club"
    );
    let f27 = fiche(27);
    assert_eq!(
        f27.objectives[2],
        "Fournir des clefs de compréhension des grandes notions de la citoyenneté ainsi que des éléments de réponse aux problématiques rencontrées par les professionnels de tous horizons."
    );
    assert_eq!(f27.objectives.len(), 4);
}

#[test]
fn audiences_in_every_printed_form() {
    let ages = |n: u32| -> Vec<AudienceRow> {
        fiche(n)
            .audiences
            .iter()
            .map(|a| {
                (
                    a.label.clone(),
                    a.ages.map(|r| (r.min(), r.max())),
                    a.note.clone(),
                )
            })
            .collect()
    };
    assert_eq!(ages(2)[0], ("Enfants".into(), Some((2, 18)), None));
    assert_eq!(
        ages(9)[0],
        (
            "Enfants".into(),
            Some((2, 16)),
            Some("avec une priorité pour les 5-11 ans".into())
        )
    );
    assert_eq!(ages(21)[0], ("Enfants".into(), Some((9, 18)), None));
    assert_eq!(
        ages(24)[0],
        ("Parents d'élèves".into(), Some((2, 11)), None)
    );
    assert_eq!(
        ages(8)[0],
        (
            "Enseignant.e.s du 1er degré".into(),
            None,
            Some("Secteur Sud".into())
        )
    );
    assert_eq!(fiche(24).audiences[0].kind, AudienceKind::Parents);
    assert_eq!(fiche(15).audiences[1].kind, AudienceKind::JeunesAdultes);
    assert_eq!(fiche(6).audiences[1].kind, AudienceKind::Professionnels);
}

#[test]
fn partners_broken_over_lines_are_joined() {
    let labels: Vec<String> = fiche(12).partners.iter().map(|p| p.label.clone()).collect();
    assert_eq!(
        labels,
        [
            "Etablissements scolaires",
            "Département du Nord",
            "Servives municipaux",
            "Structures sociales",
            "Structures éducatives",
            "Structures culturelles et sportives",
            "Protection judiciaire de la jeunesse"
        ]
    );
    let f9 = fiche(9);
    assert_eq!(
        f9.partners[1].organisation.as_ref().map(|s| s.as_str()),
        Some("ccas-de-roubaix")
    );
    assert_eq!(f9.partners[0].organisation, None);
}

#[test]
fn operator_sentences_give_operators_with_their_role() {
    let f9 = fiche(9);
    assert_eq!(f9.operators[0].role, OperatorRole::Prestataire);
    assert_eq!(f9.operators[0].label, "GAPAS");
    let f11: Vec<String> = fiche(11)
        .operators
        .iter()
        .map(|o| {
            o.organisation
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        f11,
        [
            "centre-social-hommelet",
            "centre-social-echo",
            "centre-social-fresnoy-mackellerie",
            "la-marelle"
        ]
    );
    let f16 = fiche(16);
    assert_eq!(
        (f16.operators[0].label.as_str(), f16.operators[0].count),
        ("centres sociaux", Some(8))
    );
    assert_eq!(
        f16.operators[1].organisation.as_ref().map(|s| s.as_str()),
        Some("afev")
    );
    assert!(fiche(1).operators.is_empty());
    // The operator sentence is not left in the description.
    assert!(!fiche(5).description.contains("est l'opérateur"));
}

#[test]
fn contacts_are_kept_exactly_as_printed() {
    let f18 = fiche(18);
    let c: Vec<PrintedContact<'_>> = f18
        .contacts
        .iter()
        .map(|c| {
            (
                c.group.as_str(),
                c.name.as_str(),
                c.email.as_deref(),
                c.phone.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        c,
        [
            (
                "Ville",
                "Magali CARETTE-BERTIN",
                Some("mcarettebertin@ville-roubaix.fr"),
                Some("03.59.57.32.16")
            ),
            (
                "Ville",
                "Dorothée BARALLE",
                Some("dbaralle@ville-roubaix.fr"),
                Some("03.59.57.31.64")
            ),
            (
                "Troïka",
                "Guillaume ROUX",
                Some("guillaume.roux@ac-lille.fr"),
                Some("03.20.75.78.92")
            ),
            (
                "Troïka",
                "Anne-Sophie BELGAÏD",
                Some("abelqaid@ville-roubaix.fr"),
                Some("03.59.57.31.75")
            ),
        ]
    );
    assert_eq!(fiche(19).contacts[0].group, "Structure");
    assert_eq!(fiche(20).contacts[0].group, "Région");
    assert_eq!(fiche(24).contacts[0].group, "Médiathèque");
    assert_eq!(
        fiche(1).contacts.len(),
        2,
        "plain `Troïka :` line is a role group"
    );
    assert_eq!(fiche(27).contacts.len(), 3);
}

#[test]
fn resources_are_read_with_their_titles() {
    let r = fiche(1).resources;
    assert_eq!(r[0].title, "Site internet de la Cité éducative de Roubaix");
    assert_eq!(
        r[0].url,
        "https://www.citeseducatives.fr/cite/cite-educative-de-roubaix"
    );
    assert_eq!(r.len(), 2);
    assert_eq!(
        fiche(2).resources[0].title,
        "Liste des centres sociaux et contacts"
    );
}

#[test]
fn perimeter_comes_from_the_page_the_title_and_named_sites() {
    let p = |n: u32| -> Vec<(String, PerimeterSource)> {
        fiche(n)
            .perimeter
            .iter()
            .map(|e| (e.territory.to_string(), e.source))
            .collect()
    };
    assert_eq!(
        p(12),
        [("secteur-nord".to_owned(), PerimeterSource::Printed)]
    );
    assert_eq!(p(7)[0], ("secteur-sud".to_owned(), PerimeterSource::Title));
    assert!(p(10).contains(&("ecole-littre".to_owned(), PerimeterSource::Text)));
    assert!(p(4).contains(&(
        "rep-maxence-van-der-meersch".to_owned(),
        PerimeterSource::Text
    )));
    assert!(p(1).is_empty());
}

#[test]
fn people_are_deduplicated_across_fiches_and_spellings() {
    let p = roubaix();
    let belgaid = p
        .catalogue
        .people
        .iter()
        .find(|x| x.slug.as_str() == "anne-sophie-belgaid")
        .unwrap();
    assert_eq!(belgaid.name, "Anne-Sophie Belgaïd");
    assert_eq!(belgaid.name_variants, ["Anne-Sophie Belgaid"]);
    let emails: Vec<&str> = belgaid.emails.iter().map(|e| e.as_str()).collect();
    assert_eq!(
        emails,
        ["abelgaid@ville-roubaix.fr", "abelqaid@ville-roubaix.fr"]
    );
    assert_eq!(
        belgaid.organisation.as_ref().map(|s| s.as_str()),
        Some("ville-de-roubaix")
    );
    assert!(belgaid.functions[0].starts_with("Directrice Politique de la Ville"));
    let venant = p
        .catalogue
        .people
        .iter()
        .find(|x| x.slug.as_str() == "marie-claude-venant")
        .unwrap();
    assert_eq!(venant.emails.len(), 2);
    assert_eq!(
        venant.emails[0].as_str(),
        "marie-claude.venant@nord.gouv.fr"
    );
    assert_eq!(venant.phones[0].to_string(), "03 20 30 56 07");
    assert_eq!(p.catalogue.people.len(), 18);
}

#[test]
fn the_seminar_programme_is_complete() {
    let p = roubaix();
    let s = &p.catalogue.seminars[0];
    assert_eq!(s.date.iso(), "2022-10-11");
    assert_eq!(s.subtitle, "Maintenir et poursuivre la concertation !");
    assert_eq!(s.goals.len(), 3);
    assert_eq!(s.half_days.len(), 2);
    let morning = &s.half_days[0];
    assert_eq!(
        (morning.start.french(), morning.end.french()),
        ("9h00".into(), "12h00".into())
    );
    assert_eq!(morning.sessions.len(), 2);
    let review = &morning.sessions[1];
    assert_eq!(review.kind, SessionKind::Bilan);
    assert_eq!(
        review.parts.iter().map(|p| p.axis).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    let axis2 = &review.parts[1];
    let witnesses = &axis2.interventions[1];
    assert_eq!(
        witnesses.title,
        "Témoignages d'action : Espace numérique de proximité"
    );
    assert_eq!(witnesses.speakers.len(), 2);
    assert_eq!(witnesses.speakers[1].name, "Aldjia ABES");
    assert_eq!(
        witnesses.speakers[1].function,
        "Responsable de projet chez Emmaüs Connect"
    );
    let troika3 = &review.parts[2].interventions[2];
    assert_eq!(
        troika3
            .speakers
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Guillaume ROUX", "Michaël LIBESSART"]
    );
    let afternoon = &s.half_days[1];
    assert_eq!(
        afternoon
            .sessions
            .iter()
            .map(|x| x.kind)
            .collect::<Vec<_>>(),
        [
            SessionKind::Conference,
            SessionKind::Ateliers,
            SessionKind::Deambulation,
            SessionKind::Cloture
        ]
    );
    assert_eq!(
        afternoon.sessions[0].parts[0].interventions[0]
            .speakers
            .len(),
        2
    );
    assert_eq!(s.workshops.len(), 4);
    assert_eq!(s.workshops[2].theme, "PARCOURS 16-25 ANS");
    assert!(s.workshops[2].question.starts_with("L'enjeu des 16-25 ans"));
    assert_eq!(s.workshops[2].animator.name, "Marie-Claude VENANT");
    assert_eq!(
        s.walking_questions,
        [
            "ce qu'il faudrait abandonner ?",
            "ce qu'il faudrait maintenir ?",
            "ce qu'il faudrait inventer ?"
        ]
    );
    assert_eq!(afternoon.sessions[3].parts[0].interventions.len(), 3);
    assert_eq!(
        s.workshops[0].animator.person.as_ref().map(|p| p.as_str()),
        Some("guillaume-roux")
    );
}

#[test]
fn every_fiche_is_tagged_with_themes() {
    let p = roubaix();
    assert!(
        p.catalogue.programmes[0]
            .actions
            .iter()
            .all(|a| !a.themes.is_empty())
    );
}

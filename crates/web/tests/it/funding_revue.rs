//! The revue de projet on the web: pre-filled with the figures the pages
//! show (the envelopes as the API gives them, the actions by status as the
//! review does), validated by the troïka's three parties each by a
//! different person, then transmitted and frozen; as a PDF and a workbook;
//! the national synthesis for the national level only.

use passerelle_domain::money::Cents;

use crate::calls::{get_by, post_by};
use crate::funding::world;

/// The value of a figure of the revue's page.
fn figure<'b>(page: &'b str, label: &str) -> &'b str {
    let escaped = label.replace('\'', "&#39;");
    let start = page
        .find(&format!("<dt>{escaped}</dt>"))
        .unwrap_or_else(|| panic!("no figure « {label} »"));
    let rest = &page[start..];
    let value = rest.split("<dd>").nth(1).unwrap();
    let value = value.split('>').nth(1).unwrap();
    value.split("</a").next().unwrap()
}

#[tokio::test]
async fn the_revue_is_pre_filled_as_the_pages_show_validated_by_three_parties_then_transmitted() {
    use passerelle_domain::{Membership, Role};
    let w = world().await;
    let f = &w.f;
    let (troika, admin, national) = (
        w.people[3].as_ref().unwrap(),
        w.people[4].as_ref().unwrap(),
        w.people[6].as_ref().unwrap(),
    );
    let page = get_by(f, admin, "/revue?annee=2021").await;
    assert_eq!(page.status, 200);
    let page = page.body;

    // The envelopes, as the API and the envelopes' page give them.
    let envelopes: serde_json::Value =
        serde_json::from_str(&get_by(f, admin, "/api/v1/envelopes?year=2021").await.body).unwrap();
    let etat = envelopes
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "etat")
        .unwrap();
    let amount = Cents(etat["amount_cents"].as_i64().unwrap()).french();
    assert_eq!(
        figure(&page, "État – Cité éducative (P147) : enveloppe"),
        amount
    );
    assert_eq!(
        figure(&page, "État – Cité éducative (P147) : voté"),
        Cents(etat["voted_cents"].as_i64().unwrap()).french()
    );
    assert!(
        get_by(f, admin, "/financements?annee=2021")
            .await
            .body
            .contains(&amount)
    );
    // The actions by status, as the review gives them.
    let review: serde_json::Value =
        serde_json::from_str(&get_by(f, admin, "/api/v1/review").await.body).unwrap();
    let done = review["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["statuses"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["year"] == 2021 && s["status"] == "realisee")
        })
        .count();
    assert_eq!(
        figure(&page, "Actions « Réalisée » en 2021"),
        done.to_string()
    );
    assert_eq!(
        figure(&page, "Actions du programme"),
        review["actions"].as_array().unwrap().len().to_string()
    );
    // The coverage, as the coverage matrix gives it.
    let coverage: serde_json::Value =
        serde_json::from_str(&get_by(f, admin, "/api/v1/review/coverage").await.body).unwrap();
    let empty = coverage["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .filter(|c| c["count"] == 0)
        .count();
    assert_eq!(
        figure(&page, "Croisements publics × secteurs sans aucune action"),
        empty.to_string()
    );
    // Referrals and letters: none sent in 2021 in this world, as their
    // stores say.
    assert_eq!(figure(&page, "Orientations envoyées en 2021"), "0");
    assert_eq!(figure(&page, "Lettres d'information envoyées en 2021"), "0");
    assert_eq!(figure(&page, "Conventions enregistrées"), "0");
    assert_eq!(
        figure(&page, "Part de la commune dans les montants votés"),
        "0,0 %"
    );

    // Texts, then the three parties, each by someone else, then sent.
    let texts = [
        ("version", "0"),
        ("finances", "L'enveloppe de l'État est consommée à 7 %."),
    ];
    assert_eq!(
        post_by(f, troika, "/revue/textes?annee=2021", &texts)
            .await
            .status,
        403
    );
    assert_eq!(
        post_by(f, admin, "/revue/textes?annee=2021", &texts)
            .await
            .status,
        303
    );
    let early = post_by(
        f,
        admin,
        "/revue/transmission?annee=2021",
        &[("version", "1")],
    )
    .await;
    assert_eq!(early.status, 422);
    assert!(
        early.body.contains("Il manque la validation de"),
        "{}",
        early.body
    );
    assert_eq!(
        post_by(
            f,
            troika,
            "/revue/validation?annee=2021",
            &[("version", "1"), ("partie", "prefecture")]
        )
        .await
        .status,
        303
    );
    let twice = post_by(
        f,
        troika,
        "/revue/validation?annee=2021",
        &[("version", "2"), ("partie", "ville")],
    )
    .await;
    assert_eq!(twice.status, 422, "one person, one party");
    assert_eq!(
        post_by(
            f,
            national,
            "/revue/validation?annee=2021",
            &[("version", "2"), ("partie", "ville")]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        post_by(
            f,
            admin,
            "/revue/validation?annee=2021",
            &[("version", "2"), ("partie", "ville")]
        )
        .await
        .status,
        303
    );
    let stale = post_by(
        f,
        admin,
        "/revue/transmission?annee=2021",
        &[("version", "2")],
    )
    .await;
    assert_eq!(stale.status, 409);
    let ien = crate::calls::person(
        f,
        "ien@ac-lille.fr",
        Some(Membership::new("roubaix", Role::Troika, None)),
    )
    .await;
    assert_eq!(
        post_by(
            f,
            &ien,
            "/revue/validation?annee=2021",
            &[("version", "3"), ("partie", "education-nationale")]
        )
        .await
        .status,
        303
    );
    assert_eq!(
        post_by(
            f,
            admin,
            "/revue/transmission?annee=2021",
            &[("version", "4")]
        )
        .await
        .status,
        303
    );
    let sent = get_by(f, troika, "/revue?annee=2021").await.body;
    assert!(sent.contains("Transmise le"), "{sent}");
    assert!(sent.contains("Préfecture : validée par troika@nord.gouv.fr"));
    assert!(
        sent.contains("L&#39;enveloppe de l&#39;État est consommée à 7 %.")
            || sent.contains("L'enveloppe de l'État est consommée à 7 %.")
    );
    let after = post_by(
        f,
        admin,
        "/revue/textes?annee=2021",
        &[("version", "5"), ("finances", "autre")],
    )
    .await;
    assert_eq!(after.status, 422, "a revue sent does not change");

    let pdf = get_by(f, admin, "/revue.pdf?annee=2021").await;
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let xlsx = get_by(f, troika, "/revue.xlsx?annee=2021").await;
    assert!(xlsx.bytes.starts_with(b"PK"));

    // The national synthesis: for the national level only.
    let synthesis = get_by(f, national, "/national/revues?annee=2021").await;
    assert_eq!(synthesis.status, 200);
    assert!(
        synthesis.body.contains(&amount),
        "the envelopes summed over one cité"
    );
    assert_eq!(
        get_by(f, admin, "/national/revues?annee=2021").await.status,
        403
    );
}

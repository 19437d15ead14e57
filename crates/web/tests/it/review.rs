//! The review: a referent enters values, the coordination validates, the
//! review shows them; the coverage matrix agrees with the searches it links
//! to; decisions and the next programme; the CSV and the API.

use passerelle_domain::EntityKind;
use passerelle_store::{CatalogueStore, ParticipationStore};

use crate::editing::{Who, fixture, get_as, post_as};

fn results(html: &str) -> usize {
    let h = html
        .split("id=\"h-results\" aria-live=\"polite\">")
        .nth(1)
        .unwrap_or_default();
    if h.starts_with("Aucune") {
        0
    } else {
        h.split(' ')
            .next()
            .unwrap_or_default()
            .parse()
            .unwrap_or(usize::MAX)
    }
}

#[tokio::test]
async fn a_referent_enters_values_the_coordination_validates_and_the_axis_review_shows_them() {
    let f = fixture().await;
    assert_eq!(
        get_as(&f, Who::Anonymous, "/admin/bilan/5").await.status,
        401
    );
    assert_eq!(
        get_as(&f, Who::ReferentOther, "/admin/bilan/5")
            .await
            .status,
        403
    );
    let form = get_as(&f, Who::ReferentOwn, "/admin/bilan/5").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body
            .contains("Médiateurs sociaux sur les réseaux REP+"),
        "the seeded target is there"
    );
    let saved = post_as(
        &f,
        Who::ReferentOwn,
        "/admin/bilan/5",
        &[
            ("version", "1"),
            ("status.2021", "en-cours"),
            ("status.2022", "en-cours"),
            ("text.2022", "Cinq médiateurs en poste sur six."),
            ("val.0.2021", "4"),
            ("val.0.2022", "5"),
            // A referent cannot redefine an indicator: ignored.
            ("ind.0.label", "Autre chose"),
            ("valider", "1"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let review = get_as(&f, Who::Anonymous, "/bilan/axes/1").await;
    assert_eq!(review.status, 200);
    assert!(review.body.contains("Cinq médiateurs en poste sur six."));
    assert!(
        !review.body.contains("<td>5 <span class=\"pending\">"),
        "not validated: not public"
    );
    let pro = get_as(&f, Who::Troika, "/bilan/axes/1").await;
    assert!(
        pro.body
            .contains("<td>5 <span class=\"pending\">à valider</span>"),
        "professionals see it waiting"
    );
    let stored = f
        .store
        .entity(
            "roubaix",
            EntityKind::Action,
            "programmation-2020-2022/fiche-5",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.entity.body["review"]["indicators"][0]["label"],
        "Médiateurs sociaux sur les réseaux REP+"
    );
    assert!(
        stored.entity.body["review"]["indicators"][0]["values"][0]
            .get("validated_by")
            .is_none()
    );

    // The coordination validates.
    let validated = post_as(
        &f,
        Who::Admin,
        "/admin/bilan/5",
        &[
            ("version", "2"),
            ("status.2021", "en-cours"),
            ("status.2022", "en-cours"),
            ("text.2022", "Cinq médiateurs en poste sur six."),
            ("ind.0.label", "Médiateurs sociaux sur les réseaux REP+"),
            ("ind.0.unit", "médiateurs"),
            ("ind.0.min", "6"),
            ("ind.0.max", "6"),
            ("val.0.2021", "4"),
            ("val.0.2022", "5"),
            ("valider", "1"),
        ],
    )
    .await;
    assert_eq!(validated.status, 303, "{}", validated.body);
    let review = get_as(&f, Who::Anonymous, "/bilan/axes/1").await;
    assert!(
        review
            .body
            .contains("<td>5<br><span class=\"meta\">+1 (+25 %)</span></td>"),
        "value and year-over-year"
    );
    assert!(review.body.contains("role=\"img\""), "the chart");
    assert!(
        review.body.contains(
            "<caption class=\"visually-hidden\">Indicateurs et objectifs en 2022</caption>"
        ),
        "its table"
    );
    let api = get_as(&f, Who::Anonymous, "/api/v1/review").await.json();
    let five = api["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["fiche"] == 5)
        .unwrap();
    assert_eq!(five["indicators"][0]["values"][1]["value"], 5.0);
    assert_eq!(five["indicators"][0]["values"][1]["validated"], true);
    assert_eq!(five["statuses"][1]["status"], "en-cours");
    let csv = get_as(&f, Who::Anonymous, "/bilan.csv").await;
    assert!(
        csv.body
            .starts_with("\u{feff}Fiche;Action;Axe;Année;Statut;Indicateur")
    );
    assert!(
        csv.body.contains(
            ";2022;En cours;Médiateurs sociaux sur les réseaux REP+;médiateurs;6;5;oui\r\n"
        ),
        "{}",
        &csv.body[..400]
    );
    // A stale version is refused, nothing lost.
    let stale = post_as(
        &f,
        Who::ReferentOwn,
        "/admin/bilan/5",
        &[("version", "1"), ("val.0.2022", "9")],
    )
    .await;
    assert_eq!(stale.status, 409);
}

#[tokio::test]
async fn each_coverage_cell_counts_the_actions_its_link_lists() {
    let f = fixture().await;
    let mut gaps = 0;
    for axis in ["", "?axe=1", "?axe=2", "?axe=3"] {
        let page = get_as(&f, Who::Anonymous, &format!("/bilan/couverture{axis}")).await;
        assert_eq!(page.status, 200);
        let here = page
            .body
            .matches("<td class=\"gap\">aucune action</td>")
            .count();
        gaps += here;
        // Counts as French writes them: « 3 cases vides », « 1 action ».
        assert!(!page.body.contains("(s)"), "{axis}: a count with (s)");
        let said = match here {
            0 => "aucune case vide".to_owned(),
            1 => "1 case vide".to_owned(),
            n => format!("{n} cases vides"),
        };
        assert!(page.body.contains(&said), "{axis}: {said}");
        assert!(page.body.contains(">1 action</a>") || page.body.contains(" actions</a>"));
        assert!(!page.body.contains(">1 actions</a>"));
    }
    assert!(gaps > 0, "empty cells stand out");
    for axis in ["", "?axis=1", "?axis=2", "?axis=3"] {
        let m = get_as(
            &f,
            Who::Anonymous,
            &format!("/api/v1/review/coverage{axis}"),
        )
        .await
        .json();
        assert_eq!(m["rows"].as_array().unwrap().len(), 8);
        for row in m["rows"].as_array().unwrap() {
            for cell in row["cells"].as_array().unwrap() {
                let url = cell["url"].as_str().unwrap();
                let listed = results(&get_as(&f, Who::Anonymous, url).await.body);
                assert_eq!(listed, cell["count"].as_u64().unwrap() as usize, "{url}");
            }
        }
    }
    assert_eq!(
        get_as(&f, Who::Anonymous, "/api/v1/review/coverage?axis=9")
            .await
            .status,
        404
    );
    assert_eq!(
        get_as(&f, Who::Anonymous, "/api/v1/review/coverage?axis=x")
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn decisions_link_contributions_and_the_next_programme_carries_over_what_is_kept() {
    let f = fixture().await;
    let c = f
        .store
        .contribute(
            "roubaix",
            "roubaix-seminaire-2022-10-11",
            "q2",
            "Maintenir la médiation",
            "Nadia",
            "p:1",
            Some(5),
        )
        .await
        .unwrap();
    let form = get_as(&f, Who::Admin, "/admin/programme-suivant").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("Maintenir la médiation"),
        "the contribution about fiche 5 is offered"
    );
    assert_eq!(
        get_as(&f, Who::Troika, "/admin/programme-suivant")
            .await
            .status,
        403
    );
    let id = c.id.to_string();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for n in 1..=27 {
        pairs.push((format!("version.{n}"), "1".into()));
    }
    pairs.extend([
        ("decision.5".into(), "maintenir".into()),
        ("note.5".into(), "Présence appréciée des familles".into()),
        ("contrib.5".into(), id.clone()),
        ("decision.6".into(), "modifier".into()),
        ("decision.7".into(), "abandonner".into()),
    ]);
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        post_as(&f, Who::Admin, "/admin/programme-suivant", &refs)
            .await
            .status,
        303
    );
    let created = post_as(
        &f,
        Who::Admin,
        "/admin/programme-suivant/creer",
        &[
            ("title", "Programmation 2023-2025"),
            ("start_year", "2023"),
            ("end_year", "2025"),
        ],
    )
    .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let new5 = f
        .store
        .entity(
            "roubaix",
            EntityKind::Action,
            "programmation-2023-2025/fiche-5",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        new5.entity.body["predecessor"],
        "programmation-2020-2022/fiche-5"
    );
    assert!(
        f.store
            .entity(
                "roubaix",
                EntityKind::Action,
                "programmation-2023-2025/fiche-6"
            )
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        f.store
            .entity(
                "roubaix",
                EntityKind::Action,
                "programmation-2023-2025/fiche-7"
            )
            .await
            .unwrap()
            .is_none()
    );
    // The old fiche keeps its history and its decision, with the contribution linked.
    let old = f
        .store
        .history(
            "roubaix",
            EntityKind::Action,
            "programmation-2020-2022/fiche-5",
        )
        .await
        .unwrap();
    assert_eq!(old.len(), 2);
    let decided = old[1].body.as_ref().unwrap();
    assert_eq!(decided["review"]["decision"], "maintenir");
    assert_eq!(decided["review"]["contributions"][0], c.id);
    // The site now shows the new programme, with the maintained actions.
    let actions = get_as(&f, Who::Anonymous, "/api/v1/actions?per_page=100")
        .await
        .json();
    assert_eq!(actions["total"], 2);
    let review = get_as(&f, Who::Anonymous, "/bilan").await;
    assert!(review.body.contains("Programmation 2023-2025"));
    let again = post_as(
        &f,
        Who::Admin,
        "/admin/programme-suivant/creer",
        &[
            ("title", "Programmation 2023-2025"),
            ("start_year", "2026"),
            ("end_year", "2028"),
        ],
    )
    .await;
    assert_eq!(again.status, 409);
}

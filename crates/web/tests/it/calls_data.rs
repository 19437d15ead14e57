//! A call's data for tools: the applications and scores exported as
//! xlsx, ods and CSV (read back, their column ids stable across a label
//! change), and the whole call as JSON through the API.

use crate::calls::{application_form, pairs, person, post_by, publish_call, start};
use crate::editing::{Who, fixture, get_as, post_as};
use crate::send;

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[tokio::test]
async fn an_export_reads_back_and_its_column_ids_survive_a_label_change() {
    let f = fixture().await;
    let call = publish_call(&f, unix_now() + 30 * 86_400).await;
    let a = person(&f, "asso-a@exemple.fr", None).await;
    let app = start(&f, &a, call).await;
    let form = application_form("Lire ensemble", "Association Lire");
    let mut sent = pairs(&form);
    sent.push(("intent", "deposer"));
    assert_eq!(post_by(&f, &a, &app, &sent).await.status, 303);
    post_as(
        &f,
        Who::Admin,
        &format!("/admin/appels/{call}/evaluateurs"),
        &[("reviewer", "referent@gapas.fr")],
    )
    .await;
    post_as(
        &f,
        Who::ReferentOther,
        &format!("{app}/notes"),
        &[
            ("score.pertinence-au-regard-des-besoins", "3"),
            ("score.partenariats", "4"),
        ],
    )
    .await;
    let export = |format: &'static str, columns: &'static str| {
        let uri =
            format!("/admin/appels/{call}/export/candidatures?format={format}&colonnes={columns}");
        let f = &f;
        async move { get_as(f, Who::Admin, &uri).await }
    };
    let csv = export("csv", "").await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let grid = passerelle_sheet::read("export.csv", &csv.bytes).unwrap();
    let rows = &grid.sheets[0].rows;
    let header: Vec<String> = rows[0].cells.iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..3], ["id", "etat", "etape"]);
    assert!(header.contains(&"critere_pertinence-au-regard-des-besoins".to_owned()));
    let row: Vec<String> = rows[1].cells.iter().map(|c| c.to_string()).collect();
    let at = |id: &str| header.iter().position(|h| h == id).unwrap();
    assert_eq!(row[at("titre")], "Lire ensemble");
    assert_eq!(
        row[at("subventions_demandees")],
        "12000.50",
        "exact, in euros"
    );
    assert_eq!(row[at("note_moyenne")], "83");
    assert_eq!(row[at("critere_partenariats")], "4.0");
    for format in ["xlsx", "ods"] {
        let file = export(format, "id,titre,note_moyenne").await;
        assert_eq!(file.status, 200);
        let grid = passerelle_sheet::read(&format!("export.{format}"), &file.bytes).unwrap();
        let cells: Vec<Vec<String>> = grid.sheets[0]
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(cells[0], ["id", "titre", "note_moyenne"], "{format}");
        assert_eq!(cells[1][1], "Lire ensemble", "{format}");
    }
    assert_eq!(export("pdf", "").await.status, 400);
    assert_eq!(export("csv", "nom_inconnu").await.status, 400);
    // The criterion renamed: its column keeps its id.
    let editor = get_as(&f, Who::Admin, &format!("/admin/appels/{call}")).await;
    let mut values = crate::editing::form_values(&editor.body);
    values.retain(|(k, _)| k != "reviewer");
    for (k, v) in &mut values {
        if k == "grid.1.label" {
            *v = "Qualité des partenariats".into();
        }
    }
    let values: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = post_as(&f, Who::Admin, &format!("/admin/appels/{call}"), &values).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = send(
        &f.app,
        axum::http::Method::GET,
        &format!("/appels/{call}"),
        &[],
    )
    .await;
    assert!(page.body.contains("Qualité des partenariats"));
    let again = export("csv", "").await;
    let grid = passerelle_sheet::read("export.csv", &again.bytes).unwrap();
    let header_again: Vec<String> = grid.sheets[0].rows[0]
        .cells
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header_again, header, "the column ids did not change");
    assert_eq!(
        get_as(
            &f,
            Who::ReferentOther,
            &format!("/admin/appels/{call}/export/candidatures")
        )
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn the_whole_call_is_json_through_the_api_with_applications_for_its_instructors() {
    let f = fixture().await;
    let call = publish_call(&f, unix_now() + 30 * 86_400).await;
    let a = person(&f, "asso-a@exemple.fr", None).await;
    let app = start(&f, &a, call).await;
    let form = application_form("Lire ensemble", "Association Lire");
    let mut sent = pairs(&form);
    sent.push(("intent", "deposer"));
    assert_eq!(post_by(&f, &a, &app, &sent).await.status, 303);
    let list = send(&f.app, axum::http::Method::GET, "/api/v1/appels", &[]).await;
    assert_eq!(list.status, 200);
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    assert_eq!(list[0]["id"], call);
    assert_eq!(list[0]["open"], true);
    let uri = format!("/api/v1/appels/{call}");
    let public: serde_json::Value =
        serde_json::from_str(&send(&f.app, axum::http::Method::GET, &uri, &[]).await.body).unwrap();
    assert_eq!(public["grid"][0]["key"], "pertinence-au-regard-des-besoins");
    assert!(
        public["applications"].is_null(),
        "nothing of the applications for the public"
    );
    for who in [Who::ReferentOther, Who::Contributor] {
        let seen: serde_json::Value =
            serde_json::from_str(&get_as(&f, who, &uri).await.body).unwrap();
        assert!(seen["applications"].is_null(), "{who:?}");
    }
    let whole: serde_json::Value =
        serde_json::from_str(&get_as(&f, Who::Troika, &uri).await.body).unwrap();
    let apps = whole["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["charges_cents"], 1_200_050);
    assert_eq!(apps[0]["form"]["title"], "Lire ensemble");
    assert_eq!(
        send(&f.app, axum::http::Method::GET, "/api/v1/appels/999", &[])
            .await
            .status,
        404
    );
    let doc = send(&f.app, axum::http::Method::GET, "/api/v1/openapi.json", &[]).await;
    assert!(doc.body.contains("\"/api/v1/appels/{id}\""));
}

#[tokio::test]
async fn a_call_answers_the_seminars_contributions_it_names() {
    use passerelle_store::ParticipationStore;
    let f = fixture().await;
    let id = f
        .store
        .contribute(
            "roubaix",
            "roubaix-seminaire-2022-10-11",
            "q1",
            "Des ateliers de lecture avec les parents le mercredi",
            "Nadia B.",
            "nadia",
            None,
        )
        .await
        .unwrap();
    let editor = get_as(&f, Who::Admin, "/admin/appels/nouveau").await;
    assert!(
        editor
            .body
            .contains("Des ateliers de lecture avec les parents le mercredi")
    );
    let call = publish_call(&f, unix_now() + 86_400).await;
    let page = send(
        &f.app,
        axum::http::Method::GET,
        &format!("/appels/{call}"),
        &[],
    )
    .await;
    assert!(
        !page.body.contains("Ce que le séminaire a proposé"),
        "no contribution named yet"
    );
    let editor = get_as(&f, Who::Admin, &format!("/admin/appels/{call}")).await;
    let mut values = crate::editing::form_values(&editor.body);
    values.retain(|(k, _)| k != "reviewer" && k != "contributions");
    values.push(("contributions".into(), id.id.to_string()));
    let values: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        post_as(&f, Who::Admin, &format!("/admin/appels/{call}"), &values)
            .await
            .status,
        303
    );
    let page = send(
        &f.app,
        axum::http::Method::GET,
        &format!("/appels/{call}"),
        &[],
    )
    .await;
    assert!(
        page.body
            .contains("Des ateliers de lecture avec les parents le mercredi"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn an_application_given_up_is_erased_on_schedule_by_the_clock() {
    use passerelle_domain::call::application::RETENTION_DAYS;
    let f = fixture().await;
    let call = publish_call(&f, unix_now() + 30 * 86_400).await;
    let a = person(&f, "asso-a@exemple.fr", None).await;
    let app = start(&f, &a, call).await;
    let form = application_form("Lire ensemble", "Association Lire");
    let mut sent = pairs(&form);
    sent.push(("intent", "deposer"));
    assert_eq!(post_by(&f, &a, &app, &sent).await.status, 303);
    let dropped = post_as(
        &f,
        Who::Admin,
        &format!("{app}/etat"),
        &[("event", "classer-sans-suite")],
    )
    .await;
    assert_eq!(dropped.status, 303);
    assert!(
        get_as(&f, Who::Admin, &app)
            .await
            .body
            .contains("Léa Martin")
    );
    let now = unix_now();
    assert_eq!(
        passerelle_web::erase_due_applications(&f.state, now)
            .await
            .unwrap(),
        0,
        "not yet"
    );
    let later = now + RETENTION_DAYS * 86_400 + 1;
    assert_eq!(
        passerelle_web::erase_due_applications(&f.state, later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        passerelle_web::erase_due_applications(&f.state, later)
            .await
            .unwrap(),
        0,
        "once"
    );
    let page = get_as(&f, Who::Admin, &app).await;
    assert_eq!(page.status, 200, "the application stays, for the counts");
    assert!(page.body.contains("Lire ensemble") && page.body.contains("sans suite"));
    assert!(
        !page.body.contains("Léa Martin") && !page.body.contains(&a.email),
        "its personal data are gone"
    );
}

//! The money on the web: an administrator sets an envelope, adds a line,
//! votes it and records a payment, each change in the line's history with
//! who; a save from a stale version is told (409), a bad amount or more
//! paid than voted refused (422) with nothing written; the what-if shows
//! the envelopes after without saving; the API gives amounts in cents. And
//! the permission matrix of every money route × (anonymous, the referent
//! of the action, the referent of another action, the troïka, an
//! administrator, another cité's administrator, a national reader), with
//! exact statuses, what was read, and nothing written when refused.

use passerelle_domain::funding::{Envelope, Funder, FundingLine};
use passerelle_domain::money::Cents;
use passerelle_store::FundingStore;
use passerelle_store::calls::By;
use passerelle_store::funding::Put;

use crate::calls::{Person, get_by, get_or_anonymous, post_by, post_or_anonymous};
use crate::calls_matrix::{national_reader, of_role, other_administrator};
use crate::editing::{Fixture, Who, fixture};

const ASKERS: [&str; 7] = [
    "anonyme",
    "référent de l'action",
    "référent d'une autre action",
    "troïka",
    "administrateur",
    "administrateur d'une autre cité",
    "lecteur national",
];

const LINE_5: &str = "/financements/ligne?fiche=5&annee=2021&financeur=etat";
const LINE_1: &str = "/financements/ligne?fiche=1&annee=2021&financeur=caf";

/// Roubaix's money for 2021: the State's envelope, fiche 5 (Citéo's)
/// funded by the State and proposed to the commune, fiche 1 by the CAF.
async fn seed(f: &Fixture) {
    let lines = [
        FundingLine {
            requested: Cents(3_000_000),
            proposed: Cents(2_500_000),
            voted: Cents(2_500_000),
            committed: Cents(2_500_000),
            scheme: "P147".into(),
            ..FundingLine::new(5, 2021, Funder::Etat)
        },
        FundingLine {
            requested: Cents(800_000),
            proposed: Cents(500_000),
            ..FundingLine::new(5, 2021, Funder::Commune)
        },
        FundingLine {
            requested: Cents(1_234_500),
            proposed: Cents(1_234_500),
            voted: Cents(1_234_500),
            ..FundingLine::new(1, 2021, Funder::Caf)
        },
    ];
    let mut puts: Vec<Put> = lines
        .into_iter()
        .map(|line| Put::Line {
            line,
            expected: Some(0),
        })
        .collect();
    puts.push(Put::Envelope(Envelope {
        year: 2021,
        source: Funder::Etat,
        amount: Cents(35_000_000),
    }));
    f.store
        .save_funding(
            "roubaix",
            &puts,
            By {
                actor: "seed@roubaix.fr",
                now: 1_700_000_000,
            },
            "saisie",
        )
        .await
        .unwrap()
        .unwrap();
    // Fiche 1's report, submitted.
    let report = passerelle_domain::funding::report::Report {
        rows: vec![passerelle_domain::funding::report::ReportRow {
            post: "Intervenants".into(),
            forecast: Cents(1_234_500),
            actual: Cents(1_234_500),
            explanation: String::new(),
        }],
        narrative: "Fait.".into(),
    };
    let by = By {
        actor: "seed@roubaix.fr",
        now: 1_700_000_000,
    };
    assert!(
        f.store
            .save_report("roubaix", &(1, 2021, Funder::Caf), &report, true, 0, by)
            .await
            .unwrap()
    );
}

pub(crate) struct World {
    pub(crate) f: Fixture,
    pub(crate) people: Vec<Option<Person>>,
}

pub(crate) async fn world() -> World {
    let f = fixture().await;
    seed(&f).await;
    let people = vec![
        None,
        Some(of_role(Who::ReferentOwn)),
        Some(of_role(Who::ReferentOther)),
        Some(of_role(Who::Troika)),
        Some(of_role(Who::Admin)),
        Some(other_administrator(&f).await),
        Some(national_reader(&f).await),
    ];
    World { f, people }
}

async fn get(w: &World, i: usize, uri: &str) -> crate::Answer {
    get_or_anonymous(&w.f, w.people[i].as_ref(), uri).await
}

async fn post(w: &World, i: usize, uri: &str, pairs: &[(&str, &str)]) -> crate::Answer {
    post_or_anonymous(&w.f, w.people[i].as_ref(), uri, pairs).await
}

/// Everything the writes could change.
async fn money(f: &Fixture) -> String {
    let lines = f.store.funding_lines("roubaix", None).await.unwrap();
    let envelopes = f.store.envelopes("roubaix", None).await.unwrap();
    let reports = f.store.funding_reports("roubaix", None).await.unwrap();
    let revue = f.store.revue("roubaix", 2021).await.unwrap();
    format!("{lines:?} {envelopes:?} {reports:?} {revue:?}")
}

/// The amount of fiche 1's CAF line, as pages and the API show it: what
/// only those who see every line may read.
fn shows_fiche_1(body: &str) -> bool {
    body.contains("12\u{202f}345,00") || body.contains("1234500")
}

/// A POST of the matrix: the path, the form, the statuses in the order of
/// [`ASKERS`] (the money changes exactly when it is 303).
type Write<'a> = (&'a str, Vec<(&'a str, &'a str)>, [u16; 7]);

#[tokio::test]
async fn every_money_route_answers_each_person_as_their_role_allows() {
    let w = world().await;
    let reads: Vec<(&str, [u16; 7], [bool; 7])> = vec![
        (
            "/financements?annee=2021",
            [401, 403, 403, 200, 200, 403, 200],
            [false, false, false, true, true, false, true],
        ),
        (
            "/financements/lignes?annee=2021",
            [401, 200, 200, 200, 200, 403, 200],
            [false, false, false, true, true, false, true],
        ),
        (LINE_5, [401, 200, 404, 200, 200, 403, 200], [false; 7]),
        (
            LINE_1,
            [401, 404, 404, 200, 200, 403, 200],
            [false, false, false, true, true, false, true],
        ),
        (
            "/financements/ligne/compte-rendu?fiche=1&annee=2021&financeur=caf",
            [401, 404, 404, 200, 200, 403, 200],
            [false, false, false, true, true, false, true],
        ),
        (
            "/revue?annee=2021",
            [401, 403, 403, 200, 200, 403, 200],
            [false, false, false, true, true, false, true],
        ),
        (
            "/national/financements?annee=2021",
            [401, 403, 403, 403, 403, 403, 200],
            [false, false, false, false, false, false, true],
        ),
        (
            "/national/revues?annee=2021",
            [401, 403, 403, 403, 403, 403, 200],
            [false, false, false, false, false, false, true],
        ),
        (
            "/api/v1/funding?year=2021",
            [401, 200, 200, 200, 200, 403, 200],
            [false, false, false, true, true, false, true],
        ),
        (
            "/api/v1/envelopes?year=2021",
            [401, 403, 403, 200, 200, 403, 200],
            [false; 7],
        ),
    ];
    let mut failures = Vec::new();
    for (path, statuses, read) in &reads {
        for i in 0..ASKERS.len() {
            let got = get(&w, i, path).await;
            let saw = shows_fiche_1(&got.body);
            if got.status.as_u16() != statuses[i] || saw != read[i] {
                failures.push(format!(
                    "GET {path} as {}: {} read {saw}",
                    ASKERS[i], got.status
                ));
            }
        }
    }
    // The convention of fiche 5's line: for those who see the line.
    let convention = "/financements/ligne/convention.pdf?fiche=5&annee=2021&financeur=etat";
    let statuses = [401, 200, 404, 200, 200, 403, 200];
    for (i, status) in statuses.iter().enumerate() {
        let got = get(&w, i, convention).await;
        let pdf = got.bytes.starts_with(b"%PDF");
        if got.status.as_u16() != *status || pdf != (*status == 200) {
            failures.push(format!(
                "GET {convention} as {}: {} pdf {pdf}",
                ASKERS[i], got.status
            ));
        }
    }
    // Not voted yet: no convention.
    let unvoted = get(
        &w,
        4,
        "/financements/ligne/convention.pdf?fiche=5&annee=2021&financeur=commune",
    )
    .await;
    assert_eq!(unvoted.status, 409);
    let bad = get(&w, 4, &format!("{convention}&acompte=150")).await;
    assert_eq!(bad.status, 400);

    // The referent of fiche 5 sees its lines, and only those.
    let own = get(&w, 1, "/api/v1/funding?year=2021").await;
    let lines: serde_json::Value = serde_json::from_str(&own.body).unwrap();
    let fiches: Vec<u64> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["fiche"].as_u64().unwrap())
        .collect();
    assert_eq!(fiches, [5, 5]);
    assert!(
        get(&w, 2, "/financements/lignes?annee=2021")
            .await
            .body
            .contains("Aucune ligne")
    );
    assert!(failures.is_empty(), "{failures:#?}");
    drop(w);

    // POST: each person on a world of their own; the statuses, and whether
    // the money changed.
    let mut writes: Vec<Write> = vec![
        (
            "/financements/enveloppes",
            vec![
                ("annee", "2021"),
                ("source", "commune"),
                ("montant", "200 000"),
            ],
            [401, 403, 403, 403, 303, 403, 403],
        ),
        (
            "/financements/lignes",
            vec![
                ("fiche", "7"),
                ("annee", "2021"),
                ("source", "caf"),
                ("demande", "1 000"),
            ],
            [401, 403, 403, 403, 303, 403, 403],
        ),
        (
            LINE_5,
            vec![("version", "1"), ("demande", "30 000"), ("vote", "26 000")],
            [401, 403, 403, 403, 303, 403, 403],
        ),
        (
            "/financements/ligne/versements?fiche=5&annee=2021&financeur=etat",
            vec![
                ("version", "1"),
                ("date_versement", "2021-04-01"),
                ("montant", "10 000"),
                ("type", "acompte"),
            ],
            [401, 403, 403, 403, 303, 403, 403],
        ),
    ];
    writes.extend([
        (
            "/revue/textes?annee=2021",
            vec![("version", "0"), ("finances", "Consommée à 7 %.")],
            [401, 403, 403, 403, 303, 403, 403],
        ),
        (
            "/revue/validation?annee=2021",
            vec![("version", "0"), ("partie", "ville")],
            [401, 403, 403, 303, 303, 403, 403],
        ),
        (
            "/revue/transmission?annee=2021",
            vec![("version", "0")],
            [401, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/financements/ligne/compte-rendu?fiche=5&annee=2021&financeur=etat",
            vec![
                ("version", "0"),
                ("intent", "brouillon"),
                ("post.0", "Intervenants"),
                ("forecast.0", "1 000"),
            ],
            [401, 303, 404, 403, 303, 403, 403],
        ),
        (
            "/financements/ligne/compte-rendu/accepter?fiche=1&annee=2021&financeur=caf",
            vec![],
            [401, 403, 403, 403, 303, 403, 403],
        ),
    ]);
    for (path, form, statuses) in &writes {
        for i in 0..ASKERS.len() {
            let w = world().await;
            let before = money(&w.f).await;
            let got = post(&w, i, path, form).await;
            let changed = money(&w.f).await != before;
            let expected_change = statuses[i] == 303;
            if got.status.as_u16() != statuses[i] || changed != expected_change {
                failures.push(format!(
                    "POST {path} as {}: {} changed {changed}",
                    ASKERS[i], got.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn an_administrator_votes_pays_and_simulates_and_every_change_is_in_the_history() {
    let w = world().await;
    let admin = w.people[4].as_ref().unwrap();
    let f = &w.f;

    // An envelope for the commune.
    let set = post_by(
        f,
        admin,
        "/financements/enveloppes",
        &[
            ("annee", "2021"),
            ("source", "commune"),
            ("montant", "4 000"),
        ],
    )
    .await;
    assert_eq!(set.status, 303);
    let page = get_by(f, admin, "/financements?annee=2021").await.body;
    assert!(page.contains("350\u{202f}000,00"), "the State's envelope");
    assert!(page.contains("4\u{202f}000,00"), "the commune's");
    assert!(
        page.contains("Commune : — → 4\u{202f}000,00\u{a0}€, le ")
            && page.contains("par coordination@ville-roubaix.fr"),
        "the envelope's history, with who: {page}"
    );

    // A bad amount: 422, nothing written.
    let before = money(f).await;
    let bad = post_by(
        f,
        admin,
        LINE_5,
        &[
            ("version", "1"),
            ("demande", "trente mille"),
            ("vote", "25 000"),
        ],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("n&#39;est pas un montant") || bad.body.contains("n'est pas un montant"),
        "{}",
        bad.body
    );
    assert_eq!(money(f).await, before);

    // A vote, from version 1.
    let voted = post_by(
        f,
        admin,
        LINE_5,
        &[
            ("version", "1"),
            ("demande", "30 000"),
            ("propose", "25 000"),
            ("vote", "26 000,50"),
            ("engage", "26 000,50"),
            ("date_decision", "2021-03-12"),
            ("ref_decision", "CP-2021-03"),
        ],
    )
    .await;
    assert_eq!(voted.status, 303, "{}", voted.body);
    // Someone else who read version 1: told, nothing written.
    let before = money(f).await;
    let stale = post_by(
        f,
        admin,
        LINE_5,
        &[("version", "1"), ("demande", "30 000"), ("vote", "1")],
    )
    .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("modifiée entre-temps"));
    assert_eq!(money(f).await, before);

    // More paid than voted: refused.
    let over = post_by(
        f,
        admin,
        "/financements/ligne/versements?fiche=5&annee=2021&financeur=etat",
        &[
            ("version", "2"),
            ("date_versement", "2021-04-01"),
            ("montant", "30 000"),
            ("type", "acompte"),
        ],
    )
    .await;
    assert_eq!(over.status, 422);
    assert!(over.body.contains("dépasse le voté"), "{}", over.body);
    let paid = post_by(
        f,
        admin,
        "/financements/ligne/versements?fiche=5&annee=2021&financeur=etat",
        &[
            ("version", "2"),
            ("date_versement", "2021-04-01"),
            ("montant", "10 000"),
            ("type", "acompte"),
        ],
    )
    .await;
    assert_eq!(paid.status, 303);

    let line = f
        .store
        .funding_line("roubaix", 5, 2021, &Funder::Etat)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (line.line.voted, line.line.paid(), line.line.rest_to_pay()),
        (Cents(2_600_050), Cents(1_000_000), Cents(1_600_050))
    );
    let page = get_by(f, admin, LINE_5).await.body;
    assert!(
        page.contains("16\u{202f}000,50"),
        "the rest to pay, derived"
    );
    assert!(
        page.contains("Obligatoire au-delà de 23 000 €"),
        "a convention is required above 23 000 €"
    );
    assert!(
        page.contains("par coordination@ville-roubaix.fr"),
        "who changed it"
    );
    assert!(
        page.contains("Voté : 25\u{202f}000,00\u{a0}€ → 26\u{202f}000,50\u{a0}€"),
        "{page}"
    );
    assert!(
        page.contains("par seed@roubaix.fr"),
        "the first version too"
    );

    // The what-if: the commune's proposal voted, fiche 1 taken out; the
    // page says after, and nothing is saved.
    let before = money(f).await;
    let sim = get_by(
        f,
        admin,
        "/financements?annee=2021&simulation=1&ajout=5%2F2021%2Fcommune&retrait=1%2F2021%2Fcaf",
    )
    .await;
    assert_eq!(sim.status, 200);
    let after = sim.body.split("Après la simulation").nth(1).unwrap();
    let commune = after.split("Commune").nth(1).unwrap();
    // Voted 0 before, 5 000 after; the rest 4 000 before, −1 000 after.
    assert!(commune.contains("5\u{202f}000,00"), "{commune}");
    assert!(
        commune.contains("−1\u{202f}000,00\u{a0}€ (dépassement)"),
        "{commune}"
    );
    let caf = after.split("CAF").nth(1).unwrap();
    assert!(caf.contains("12\u{202f}345,00"), "{caf}");
    assert_eq!(money(f).await, before, "a simulation saves nothing");

    // The API, in cents; a year that is not one is refused, said.
    for bad in ["", "abc", "1800"] {
        let refused = get_by(f, admin, &format!("/api/v1/funding?year={bad}")).await;
        assert_eq!(refused.status, 400, "year={bad}");
        assert_eq!(
            get_by(f, admin, &format!("/api/v1/envelopes?year={bad}"))
                .await
                .status,
            400
        );
    }
    let api = get_by(f, admin, "/api/v1/funding?year=2021").await;
    let lines: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let etat = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["funder"] == "etat")
        .unwrap();
    assert_eq!(etat["requested_cents"], 3_000_000);
    assert_eq!(etat["voted_cents"], 2_600_050);
    assert_eq!(etat["paid_cents"], 1_000_000);
    assert_eq!(etat["decision_date"], "2021-03-12");
    let envelopes: serde_json::Value =
        serde_json::from_str(&get_by(f, admin, "/api/v1/envelopes?year=2021").await.body).unwrap();
    let state = envelopes
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "etat")
        .unwrap();
    assert_eq!(state["amount_cents"], 35_000_000);
    assert_eq!(state["rest_cents"], 35_000_000 - 2_600_050);
}

#[tokio::test]
async fn the_referent_reports_once_the_coordination_accepts_it_and_the_clock_reminds_on_31_may_and_30_june()
 {
    use passerelle_domain::Date;
    use passerelle_domain::funding::report::ReportState;
    let w = world().await;
    let f = &w.f;
    let (referent, other, troika, admin) = (
        w.people[1].as_ref().unwrap(),
        w.people[2].as_ref().unwrap(),
        w.people[3].as_ref().unwrap(),
        w.people[4].as_ref().unwrap(),
    );
    let key = (5, 2021, Funder::Etat);
    let path = "/financements/ligne/compte-rendu?fiche=5&annee=2021&financeur=etat";
    let stored = || async { f.store.funding_report("roubaix", &key).await.unwrap() };

    assert_eq!(get_by(f, other, path).await.status, 404);
    let form = get_by(f, referent, path).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Remettre le compte rendu"));
    let rows = [
        ("post.0", "Intervenants"),
        ("forecast.0", "20 000"),
        ("actual.0", "26 000"),
        ("post.1", "Matériel"),
        ("forecast.1", "5 000"),
        ("actual.1", "5 500"),
    ];
    let mut sent: Vec<(&str, &str)> = rows.to_vec();
    sent.extend([
        ("version", "0"),
        ("intent", "remettre"),
        ("narrative", "Douze ateliers."),
    ]);
    let refused = post_by(f, referent, path, &sent).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("30,0 %"), "{}", refused.body);
    assert!(refused.body.contains("expliquez-le"));
    assert!(stored().await.is_none(), "nothing written");

    let mut draft: Vec<(&str, &str)> = rows.to_vec();
    draft.extend([("version", "0"), ("intent", "brouillon")]);
    assert_eq!(post_by(f, referent, path, &draft).await.status, 303);
    assert_eq!(stored().await.unwrap().state, ReportState::Brouillon);
    let mut submit: Vec<(&str, &str)> = rows.to_vec();
    submit.extend([
        ("version", "1"),
        ("intent", "remettre"),
        ("explanation.0", "Trois ateliers de plus."),
        ("narrative", "Douze ateliers, 140 enfants."),
    ]);
    assert_eq!(post_by(f, referent, path, &submit).await.status, 303);
    let report = stored().await.unwrap();
    assert_eq!(report.state, ReportState::Remis);
    assert_eq!(report.report.actual(), Cents(3_150_000));
    assert_eq!(
        post_by(f, referent, path, &submit).await.status,
        409,
        "submitted once"
    );

    let accept = "/financements/ligne/compte-rendu/accepter?fiche=5&annee=2021&financeur=etat";
    assert_eq!(post_by(f, troika, accept, &[]).await.status, 403);
    assert_eq!(post_by(f, referent, accept, &[]).await.status, 403);
    assert_eq!(post_by(f, admin, accept, &[]).await.status, 303);
    assert_eq!(stored().await.unwrap().state, ReportState::Justifie);
    let line = get_by(f, referent, LINE_5).await.body;
    assert!(line.contains("Justifiée"), "{line}");
    assert!(line.contains("compte rendu financier accepté : ligne justifiée"));

    // The clock, on another world: fiche 5's 2021 vote is reminded to
    // Citéo's referent on 31 May 2022 and on 30 June, once each.
    let w = world().await;
    let state = &w.f.state;
    let day = |m, d| Date::new(2022, m, d).unwrap();
    let mails = || state.editing().unwrap().logged_mail();
    let reminded = |d| async move { passerelle_web::remind_reports(state, d).await.unwrap().sent };
    assert_eq!(reminded(day(5, 30)).await, 0);
    assert_eq!(reminded(day(5, 31)).await, 1);
    assert_eq!(reminded(day(5, 31)).await, 0, "once");
    assert_eq!(reminded(day(6, 15)).await, 0);
    assert_eq!(reminded(day(6, 30)).await, 1, "on the due day");
    assert_eq!(reminded(day(7, 1)).await, 0, "late: the pages say it");
    let sent: Vec<(String, String)> = mails()
        .into_iter()
        .filter(|m| m.kind == passerelle_web::MailKind::Funding)
        .map(|m| (m.to, m.subject))
        .collect();
    assert_eq!(
        sent,
        [
            (
                "referent@citeo.com".to_owned(),
                "Compte rendu financier 2021 à remettre avant le 30 juin 2022".to_owned()
            ),
            (
                "referent@citeo.com".to_owned(),
                "Compte rendu financier 2021 : à remettre aujourd'hui".to_owned()
            ),
        ]
    );
    let body = mails().last().unwrap().body.clone();
    assert!(
        body.contains("/financements/ligne/compte-rendu?fiche=5&annee=2021&financeur=etat"),
        "{body}"
    );
}

//! The programme's money: lines and envelopes saved with every version in
//! the history (who, when, what changed), a save from a stale version
//! writes nothing, concurrent saves of one line land once, the totals are
//! summed to the cent, and a cité's money is its own.

use passerelle_domain::Date;
use passerelle_domain::funding::{Envelope, Funder, FundingLine, Payment, PaymentKind};
use passerelle_domain::money::Cents;
use passerelle_store::calls::By;
use passerelle_store::funding::{Put, Saved, Subject};
use passerelle_store::{FundingStore, Store as _};

use crate::Harness;

const NOW: i64 = 1_800_000_000;

fn by(actor: &str) -> By<'_> {
    By { actor, now: NOW }
}

fn line(fiche: u32, funder: Funder, requested: i64, voted: i64) -> FundingLine {
    FundingLine {
        requested: Cents(requested),
        proposed: Cents(voted),
        voted: Cents(voted),
        ..FundingLine::new(fiche, 2025, funder)
    }
}

fn put(line: &FundingLine, expected: Option<i64>) -> Put {
    Put::Line {
        line: line.clone(),
        expected,
    }
}

pub async fn lines_and_envelopes_keep_every_version_with_who_and_a_stale_save_writes_nothing<
    H: Harness,
>(
    h: &H,
) {
    let store = h.fresh().await;
    let mut a = line(5, Funder::Etat, 1_500_000, 0);
    let b = line(5, Funder::FondsCite("Rosa Parks".into()), 300_050, 300_050);
    let envelope = Envelope {
        year: 2025,
        source: Funder::Etat,
        amount: Cents(35_000_000),
    };
    let saved = store
        .save_funding(
            "roubaix",
            &[
                put(&a, Some(0)),
                put(&b, None),
                Put::Envelope(envelope.clone()),
            ],
            by("coord@roubaix.fr"),
            "saisie",
        )
        .await
        .unwrap();
    assert_eq!(
        saved,
        Some(Saved {
            added: 3,
            updated: 0,
            unchanged: 0
        })
    );

    // The same again: nothing changes, nothing is added to the history.
    let again = store
        .save_funding(
            "roubaix",
            &[
                put(&a, None),
                put(&b, None),
                Put::Envelope(envelope.clone()),
            ],
            by("import@roubaix.fr"),
            "import : financements.xlsx",
        )
        .await
        .unwrap();
    assert_eq!(again.map(|s| s.unchanged), Some(3));

    // A vote and an acompte, from version 1.
    a.voted = Cents(1_200_000);
    a.decision = Some((Date::new(2025, 3, 12).unwrap(), "CP-2025-03".into()));
    a.payments.push(Payment {
        date: Date::new(2025, 4, 1).unwrap(),
        amount: Cents(600_000),
        kind: PaymentKind::Acompte,
    });
    let voted = store
        .save_funding(
            "roubaix",
            &[put(&a, Some(1))],
            by("troika@roubaix.fr"),
            "saisie",
        )
        .await
        .unwrap();
    assert_eq!(voted.map(|s| s.updated), Some(1));

    // Someone who read version 1 too: refused, nothing written.
    let mut late = a.clone();
    late.voted = Cents(1);
    let refused = store
        .save_funding(
            "roubaix",
            &[
                Put::Envelope(Envelope {
                    amount: Cents(1),
                    ..envelope.clone()
                }),
                put(&late, Some(1)),
            ],
            by("other@roubaix.fr"),
            "saisie",
        )
        .await
        .unwrap();
    assert_eq!(refused, None);
    let stored = store
        .funding_line("roubaix", 5, 2025, &Funder::Etat)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.line, a, "the stored line is the vote, as saved");
    assert_eq!(stored.version, 2);
    assert_eq!(stored.line.paid(), Cents(600_000));
    assert_eq!(
        store.envelopes("roubaix", Some(2025)).await.unwrap(),
        vec![envelope.clone()],
        "the envelope of the refused save is not written either"
    );

    let history = store
        .funding_history("roubaix", &Subject::of_line(&a))
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].actor, "coord@roubaix.fr");
    assert_eq!(history[1].actor, "troika@roubaix.fr");
    assert_eq!(history[1].at, NOW);
    let fields: Vec<&str> = history[1].changes.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [
            "Voté",
            "Date de décision",
            "Référence de décision",
            "Versements"
        ]
    );
    assert_eq!(history[1].changes[0].after, Cents(1_200_000).french());

    // The totals, by the database, to the cent; another cité sees nothing.
    let totals = store.funding_totals(Some(2025)).await.unwrap();
    let etat = totals.iter().find(|t| t.funder == Funder::Etat).unwrap();
    assert_eq!(
        (
            etat.cite.as_str(),
            etat.lines,
            etat.requested,
            etat.voted,
            etat.paid
        ),
        (
            "roubaix",
            1,
            Cents(1_500_000),
            Cents(1_200_000),
            Cents(600_000)
        )
    );
    assert_eq!(store.funding_totals(Some(2024)).await.unwrap(), vec![]);
    assert!(
        store
            .funding_lines("tourcoing", None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.envelopes("tourcoing", None).await.unwrap().is_empty());
    assert!(
        store
            .funding_history("tourcoing", &Subject::of_line(&a))
            .await
            .unwrap()
            .is_empty()
    );

    // A backup carries the money.
    let dump = store.export().await.unwrap();
    let counts = dump.counts();
    for (table, n) in [
        ("funding_lines", 2),
        ("envelopes", 1),
        ("funding_history", 4),
    ] {
        assert_eq!(
            counts.iter().find(|c| c.0 == table).map(|c| c.1),
            Some(n),
            "{table}"
        );
    }
}

pub async fn of_concurrent_saves_of_one_line_from_the_same_version_one_lands<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let first = line(7, Funder::Commune, 1_000_000, 0);
    store
        .save_funding(
            "roubaix",
            &[put(&first, Some(0))],
            by("a@roubaix.fr"),
            "saisie",
        )
        .await
        .unwrap()
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..8_i64 {
        let store = store.clone();
        let mut mine = first.clone();
        mine.voted = Cents(100_000 + i);
        tasks.push(tokio::spawn(async move {
            let actor = format!("writer{i}@roubaix.fr");
            store
                .save_funding(
                    "roubaix",
                    &[put(&mine, Some(1))],
                    By {
                        actor: &actor,
                        now: NOW,
                    },
                    "saisie",
                )
                .await
        }));
    }
    let mut landed = 0;
    for t in tasks {
        // Never an error: a save either lands or is told it is stale.
        if t.await.unwrap().unwrap().is_some() {
            landed += 1;
        }
    }
    assert_eq!(landed, 1);
    let stored = store
        .funding_line("roubaix", 7, 2025, &Funder::Commune)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 2);
    let history = store
        .funding_history("roubaix", &Subject::of_line(&first))
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1].changes[0].after,
        stored.line.voted.french(),
        "the history holds the save that landed"
    );
    let totals = store.funding_totals(Some(2025)).await.unwrap();
    assert_eq!(
        totals
            .iter()
            .map(|t| (t.lines, t.voted))
            .collect::<Vec<_>>(),
        [(1, stored.line.voted)],
        "the sums follow the save that landed, once"
    );
}

pub async fn a_report_is_submitted_once_and_accepted_a_reminder_claimed_once_and_a_revue_saved_from_its_version<
    H: Harness,
>(
    h: &H,
) {
    use passerelle_domain::funding::report::{Report, ReportRow, ReportState};
    let store = h.fresh().await;
    let key = (5, 2025, Funder::Etat);
    let mut report = Report {
        rows: vec![ReportRow {
            post: "Intervenants".into(),
            forecast: Cents(1_000_000),
            actual: Cents(1_250_000),
            explanation: String::new(),
        }],
        narrative: String::new(),
    };
    assert!(
        store
            .save_report("roubaix", &key, &report, false, 0, by("referent@citeo.com"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_report("roubaix", &key, &report, false, 0, by("other@citeo.com"))
            .await
            .unwrap(),
        "a second first save is refused"
    );
    report.narrative = "Douze ateliers.".into();
    report.rows[0].explanation = "Trois ateliers de plus.".into();
    assert!(
        !store
            .save_report("roubaix", &key, &report, true, 7, by("referent@citeo.com"))
            .await
            .unwrap(),
        "a stale version"
    );
    assert!(
        store
            .save_report("roubaix", &key, &report, true, 1, by("referent@citeo.com"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_report("roubaix", &key, &report, false, 2, by("referent@citeo.com"))
            .await
            .unwrap(),
        "a submitted report is not changed"
    );
    let stored = store
        .funding_report("roubaix", &key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.report, report);
    assert_eq!(stored.state, ReportState::Remis);
    assert_eq!(
        stored.submitted,
        Some((NOW, "referent@citeo.com".to_owned()))
    );
    assert!(
        store
            .accept_report("roubaix", &key, by("coord@roubaix.fr"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .accept_report("roubaix", &key, by("coord@roubaix.fr"))
            .await
            .unwrap()
    );
    assert_eq!(
        store.funding_reports("roubaix", Some(2025)).await.unwrap(),
        vec![(key.clone(), ReportState::Justifie)]
    );
    assert!(
        store
            .funding_report("tourcoing", &key)
            .await
            .unwrap()
            .is_none()
    );
    let history = store
        .funding_history(
            "roubaix",
            &Subject::Line {
                fiche: 5,
                year: 2025,
                funder: Funder::Etat,
            },
        )
        .await
        .unwrap();
    let said: Vec<(&str, &str)> = history
        .iter()
        .map(|h| (h.actor.as_str(), h.origin.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            ("referent@citeo.com", "compte rendu financier remis"),
            (
                "coord@roubaix.fr",
                "compte rendu financier accepté : ligne justifiée"
            ),
        ]
    );

    // Each reminder once, whoever asks; given back, it can be claimed again.
    assert!(
        store
            .claim_reminder("roubaix", &key, "rappel", NOW)
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_reminder("roubaix", &key, "rappel", NOW)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_reminder("roubaix", &key, "echeance", NOW)
            .await
            .unwrap()
    );
    store
        .release_reminder("roubaix", &key, "rappel")
        .await
        .unwrap();
    assert!(
        store
            .claim_reminder("roubaix", &key, "rappel", NOW)
            .await
            .unwrap()
    );

    // A revue: written from the version read, each cité's its own.
    use passerelle_domain::funding::revue::{Party, Revue};
    let mut revue = Revue::default();
    revue
        .validate(Party::Ville, "elu@ville-roubaix.fr", NOW)
        .unwrap();
    assert!(
        store
            .save_revue("roubaix", 2025, &revue, 0, by("elu@ville-roubaix.fr"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_revue("roubaix", 2025, &revue, 0, by("x@roubaix.fr"))
            .await
            .unwrap()
    );
    revue
        .validate(Party::Prefecture, "delegue@nord.gouv.fr", NOW)
        .unwrap();
    assert!(
        !store
            .save_revue("roubaix", 2025, &revue, 7, by("x@roubaix.fr"))
            .await
            .unwrap()
    );
    assert!(
        store
            .save_revue("roubaix", 2025, &revue, 1, by("delegue@nord.gouv.fr"))
            .await
            .unwrap()
    );
    let stored = store.revue("roubaix", 2025).await.unwrap().unwrap();
    assert_eq!((stored.revue, stored.version), (revue, 2));
    assert!(store.revue("tourcoing", 2025).await.unwrap().is_none());
    assert_eq!(store.revues(2025).await.unwrap().len(), 1);
    assert!(store.revues(2024).await.unwrap().is_empty());
}

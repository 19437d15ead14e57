//! `passerelle funding`: a spreadsheet of funding lines and envelopes
//! checked, imported (the same file twice changes nothing, a corrected
//! file updates in place, `--dry-run` writes nothing), exported and read
//! back into another instance with the same lines.

use passerelle_domain::funding::Funder;
use passerelle_domain::money::Cents;
use passerelle_sheet::funding::{ENVELOPES_SHEET, LINES_SHEET};
use passerelle_store::funding::Subject;

use crate::Env;

fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

fn workbook(voted: &str) -> Vec<u8> {
    let lines = rows(&[
        &[
            "Fiche",
            "Année",
            "Financeur",
            "Demandé",
            "Voté",
            "Date de décision",
            "Versé",
            "Date de versement",
        ],
        &[
            "1",
            "2021",
            "État – Cité éducative",
            "25 000 €",
            voted,
            "12/03/2021",
            "10 000",
            "01/04/2021",
        ],
        &[
            "1",
            "2021",
            "Fonds de la Cité – Rosa Parks",
            "3 000,50",
            "3 000,50",
            "",
            "",
            "",
        ],
        &["2", "2022", "CAF", "4 000", "", "", "", ""],
        // An unknown fiche: left out, located.
        &["99", "2021", "CAF", "1 000", "", "", "", ""],
    ]);
    let envelopes = rows(&[
        &["Année", "Source", "Collège", "Montant"],
        &["2021", "État", "", "350 000"],
        &["2021", "Fonds de la Cité", "Rosa Parks", "30 000"],
    ]);
    passerelle_sheet::write_xlsx_sheets(&[(LINES_SHEET, &lines), (ENVELOPES_SHEET, &envelopes)])
        .unwrap()
}

#[tokio::test]
async fn a_funding_spreadsheet_is_checked_imported_once_corrected_in_place_and_exported() {
    let env = Env::new();
    let file = env.path("financements.xlsx");
    std::fs::write(&file, workbook("24 000")).unwrap();
    let path = file.to_str().unwrap();

    let check = env.run(&["funding", "check", path]);
    assert!(
        !check.status.success(),
        "a file with an error fails the check"
    );
    let text = String::from_utf8(check.stdout).unwrap();
    assert!(
        text.contains("financements.xlsx, feuille « Financements », ligne 5, colonne « Fiche » : erreur : la fiche 99 n'existe pas"),
        "{text}"
    );
    let json = env.run(&["funding", "check", path, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["lines"], 3);
    assert_eq!(report["envelopes"], 2);
    assert_eq!(report["problems"][0]["row"], 5);
    assert_eq!(report["problems"][0]["column"], "Fiche");

    let dry = env.ok(&["funding", "import", path, "--dry-run"]);
    assert!(dry.contains("l'import changerait 5 élément(s)"), "{dry}");
    assert!(
        dry.contains("ajout : fiche 1, 2021, État – Cité éducative (P147)"),
        "{dry}"
    );
    let store = env.open_store().await;
    assert!(
        store
            .funding_lines("roubaix", None)
            .await
            .unwrap()
            .is_empty(),
        "a dry run writes nothing"
    );

    let first = env.ok(&["funding", "import", path]);
    assert!(first.contains("l'import a changé 5 élément(s)"), "{first}");
    assert!(
        first.contains("1 ligne(s) en erreur non importée(s)"),
        "{first}"
    );
    let again = env.ok(&["funding", "import", path]);
    assert!(again.contains("l'import a changé 0 élément(s)"), "{again}");

    // Corrected: the vote of one line changes, in place, in the history.
    std::fs::write(&file, workbook("25 000")).unwrap();
    let corrected = env.ok(&["funding", "import", path]);
    assert!(
        corrected.contains("l'import a changé 1 élément(s)"),
        "{corrected}"
    );
    assert!(corrected.contains("mise à jour : fiche 1, 2021, État – Cité éducative (P147) — Voté : 24\u{202f}000,00\u{a0}€ → 25\u{202f}000,00\u{a0}€"), "{corrected}");
    let lines = store.funding_lines("roubaix", None).await.unwrap();
    assert_eq!(lines.len(), 3);
    let etat = lines
        .iter()
        .find(|l| l.line.funder == Funder::Etat)
        .unwrap();
    assert_eq!(
        (etat.line.voted, etat.line.paid(), etat.version),
        (Cents(2_500_000), Cents(1_000_000), 2)
    );
    let history = store
        .funding_history("roubaix", &Subject::of_line(&etat.line))
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].origin, "import : financements.xlsx");
    assert_eq!(history[1].actor, "ligne de commande");

    // Exported, then imported into another instance: the same lines.
    let out = env.path("export.xlsx");
    let said = env.ok(&[
        "funding",
        "export",
        "--format",
        "xlsx",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        said.contains("3 ligne(s) de financement, 2 enveloppe(s)"),
        "{said}"
    );
    let other = Env::new();
    let imported = other.ok(&["funding", "import", out.to_str().unwrap()]);
    assert!(
        imported.contains("l'import a changé 5 élément(s)"),
        "{imported}"
    );
    let theirs = other.open_store().await;
    let strip = |l: Vec<passerelle_store::funding::StoredLine>| -> Vec<_> {
        l.into_iter().map(|s| s.line).collect()
    };
    assert_eq!(
        strip(theirs.funding_lines("roubaix", None).await.unwrap()),
        strip(store.funding_lines("roubaix", None).await.unwrap())
    );
    assert_eq!(
        theirs.envelopes("roubaix", None).await.unwrap(),
        store.envelopes("roubaix", None).await.unwrap()
    );
    let csv = env.path("export.csv");
    env.ok(&[
        "funding",
        "export",
        "--format",
        "csv",
        "--output",
        csv.to_str().unwrap(),
    ]);
    let again = other.ok(&["funding", "import", csv.to_str().unwrap()]);
    assert!(again.contains("l'import a changé 0 élément(s)"), "{again}");
}

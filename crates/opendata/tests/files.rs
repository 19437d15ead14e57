//! The open-data files of the Roubaix programme, read back by a CSV parser
//! and a JSON parser as a re-user would.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use std::sync::LazyLock;

use passerelle_domain::{Catalogue, EntityDates, EntityKind, Slug, Visibility};
use passerelle_livret::bundled;
use passerelle_opendata::files::csv as write_csv;
use passerelle_opendata::{
    Flavour, Published, Publisher, atom, datainclusion, datapackage, json, tables,
};

static ROUBAIX: LazyLock<Catalogue> = LazyLock::new(|| bundled::roubaix().unwrap().1.catalogue);

const BASE: &str = "https://passerelle.example/roubaix";

fn published(catalogue: &Catalogue) -> Published<'_> {
    Published {
        catalogue,
        base_url: BASE,
        dates: &[],
        subsidies: &[],
    }
}

fn read(bytes: &[u8], flavour: Flavour) -> (Vec<String>, Vec<Vec<String>>) {
    let (bytes, delimiter) = match flavour {
        Flavour::OpenData => (bytes, b','),
        Flavour::Spreadsheet => (bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM"), b';'),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[test]
fn each_table_opens_with_its_columns_in_both_flavours() {
    let tables = tables(&[published(&ROUBAIX)]);
    assert_eq!(
        tables.iter().map(|t| t.name).collect::<Vec<_>>(),
        passerelle_opendata::NAMES
    );
    for t in &tables {
        let names: Vec<String> = t.fields.iter().map(|f| f.name.to_owned()).collect();
        let open = write_csv(t, Flavour::OpenData);
        assert!(
            !open.starts_with(b"\xEF\xBB\xBF"),
            "{}: a BOM in the open-data flavour",
            t.name
        );
        assert!(
            !open.windows(2).any(|w| w == b"\r\n"),
            "{}: CRLF in the open-data flavour",
            t.name
        );
        let sheet = write_csv(t, Flavour::Spreadsheet);
        assert!(sheet.windows(2).any(|w| w == b"\r\n"));
        for flavour in [Flavour::OpenData, Flavour::Spreadsheet] {
            let bytes = if flavour == Flavour::OpenData {
                &open
            } else {
                &sheet
            };
            let (header, rows) = read(bytes, flavour);
            assert_eq!(header, names, "{}", t.name);
            assert_eq!(rows.len(), t.rows.len(), "{}", t.name);
            assert!(rows.iter().all(|r| r.len() == names.len()));
        }
    }
    let actions = &tables[0];
    assert_eq!(actions.rows.len(), 27);
    let (_, rows) = read(&write_csv(actions, Flavour::OpenData), Flavour::OpenData);
    let first = &rows[0];
    assert_eq!(first[0], "roubaix");
    assert_eq!(first[2], "1");
    assert_eq!(first[14], format!("{BASE}/actions/1"));
}

#[test]
fn a_formula_is_defused_for_the_spreadsheet_only() {
    let mut catalogue = ROUBAIX.clone();
    catalogue.programmes[0].actions[0].title = "=HYPERLINK(\"http://pirate.example\")".into();
    let tables = tables(&[published(&catalogue)]);
    let (_, rows) = read(
        &write_csv(&tables[0], Flavour::Spreadsheet),
        Flavour::Spreadsheet,
    );
    assert_eq!(rows[0][4], "'=HYPERLINK(\"http://pirate.example\")");
    let (_, rows) = read(&write_csv(&tables[0], Flavour::OpenData), Flavour::OpenData);
    assert_eq!(rows[0][4], "=HYPERLINK(\"http://pirate.example\")");
}

#[test]
fn the_contacts_hold_public_details_only() {
    let mut catalogue = ROUBAIX.clone();
    let person = catalogue
        .people
        .iter_mut()
        .find(|p| !p.emails.is_empty())
        .unwrap();
    person.email_visibility = Visibility::Professionnels;
    let hidden = person.emails[0].as_str().to_owned();
    let all: String = tables(&[published(&catalogue)])
        .iter()
        .map(|t| String::from_utf8(write_csv(t, Flavour::OpenData)).unwrap())
        .collect();
    assert!(!all.contains(&hidden), "{hidden} published");
    let services = serde_json::to_string(&datainclusion::services(
        &[published(&catalogue)],
        "2026-12-01",
    ))
    .unwrap();
    assert!(!services.contains(&hidden));
    let feed = String::from_utf8(atom::actions(
        &published(&catalogue),
        "2026-12-01T00:00:00Z",
    ))
    .unwrap();
    assert!(!feed.contains(&hidden));
}

#[test]
fn the_national_export_holds_every_cites_rows_with_its_id() {
    let mut other = ROUBAIX.clone();
    other.cite.slug = Slug::parse("tourcoing").unwrap();
    other.cite.name = "Cité éducative de Tourcoing".into();
    let both = [
        published(&ROUBAIX),
        Published {
            catalogue: &other,
            base_url: "https://passerelle.example/tourcoing",
            dates: &[],
            subsidies: &[],
        },
    ];
    let tables = tables(&both);
    let (_, rows) = read(&write_csv(&tables[0], Flavour::OpenData), Flavour::OpenData);
    assert_eq!(rows.len(), 54);
    assert_eq!(rows.iter().filter(|r| r[0] == "tourcoing").count(), 27);
    assert!(
        rows.iter()
            .filter(|r| r[0] == "tourcoing")
            .all(|r| r[14].starts_with("https://passerelle.example/tourcoing/"))
    );
    let services = datainclusion::services(&both, "2026-12-01");
    assert_eq!(services.len(), 54);
    assert!(services.iter().any(|s| {
        s["id"]
            .as_str()
            .unwrap()
            .starts_with("passerelle-tourcoing--")
    }));
}

#[test]
fn json_and_datapackage_describe_the_same_columns() {
    let tables = tables(&[published(&ROUBAIX)]);
    let package: serde_json::Value = serde_json::from_slice(&datapackage(
        &tables,
        &Publisher {
            name: "passerelle-roubaix".into(),
            title: "Cité éducative de Roubaix".into(),
            homepage: format!("{BASE}/"),
        },
    ))
    .unwrap();
    assert_eq!(package["licenses"][0]["name"], "etalab-2.0");
    for (t, resource) in tables.iter().zip(package["resources"].as_array().unwrap()) {
        assert_eq!(resource["path"], format!("{}.csv", t.name));
        let fields: Vec<&str> = resource["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let rows: serde_json::Value = serde_json::from_slice(&json(t)).unwrap();
        for row in rows.as_array().unwrap() {
            let keys: Vec<&str> = row
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut sorted = fields.clone();
            sorted.sort_unstable();
            assert_eq!(keys, sorted, "{}", t.name);
        }
    }
    let rows: serde_json::Value = serde_json::from_slice(&json(&tables[0])).unwrap();
    assert!(rows[0]["objectifs"].is_array());
    assert_eq!(rows[0]["fiche"], 1);
}

#[test]
fn the_feed_gives_the_newest_change_first_with_its_dates() {
    let dates = vec![
        EntityDates {
            kind: EntityKind::Action,
            key: "programmation-2020-2022/fiche-3".into(),
            created: "2026-01-05T10:00:00Z".into(),
            updated: "2026-11-30T09:15:00Z".into(),
        },
        EntityDates {
            kind: EntityKind::Action,
            key: "programmation-2020-2022/fiche-1".into(),
            created: "2026-01-05T10:00:00Z".into(),
            updated: "2026-01-05T10:00:00Z".into(),
        },
    ];
    let p = Published {
        catalogue: &ROUBAIX,
        base_url: BASE,
        dates: &dates,
        subsidies: &[],
    };
    let slug = &ROUBAIX.current_programme().unwrap().slug;
    assert_eq!(slug.as_str(), "programmation-2020-2022");
    let feed = String::from_utf8(atom::actions(&p, "2020-01-01T00:00:00Z")).unwrap();
    let first = feed.find("<entry>").unwrap();
    let entry = &feed[first..feed[first..].find("</entry>").unwrap() + first];
    assert!(entry.contains("Fiche n°3 : "), "{entry}");
    assert!(
        entry.contains("<updated>2026-11-30T09:15:00+00:00</updated>"),
        "{entry}"
    );
    assert!(
        entry.contains("<published>2026-01-05T10:00:00+00:00</published>"),
        "{entry}"
    );
    assert!(entry.contains(&format!("href=\"{BASE}/actions/3\"")));
    assert!(feed.contains("<updated>2026-11-30T09:15:00+00:00</updated>"));
    assert_eq!(feed.matches("<entry>").count(), 27);
}

#[test]
fn the_voted_subsidies_are_published_in_the_scdl_columns_and_nothing_requested_only() {
    use passerelle_domain::Date;
    use passerelle_domain::funding::{Convention, Funder, FundingLine, Payment, PaymentKind};
    use passerelle_domain::money::Cents;
    let mut catalogue = ROUBAIX.clone();
    for o in &mut catalogue.organisations {
        match o.slug.as_str() {
            "prefecture-du-nord" => o.siret = Some("73282932000074".into()),
            "citeo" => o.siret = Some("55210055400021".into()),
            _ => {}
        }
    }
    let day = |m, d| Date::new(2021, m, d).unwrap();
    let voted = FundingLine {
        requested: Cents(3_000_000),
        voted: Cents(2_500_050),
        decision: Some((day(3, 12), "CP-2021-03".into())),
        convention: Some(Convention {
            reference: "C-12".into(),
            date: day(3, 20),
        }),
        payments: vec![
            Payment {
                date: day(4, 1),
                amount: Cents(1_250_025),
                kind: PaymentKind::Acompte,
            },
            Payment {
                date: day(11, 15),
                amount: Cents(1_250_025),
                kind: PaymentKind::Solde,
            },
        ],
        scheme: "P147".into(),
        ..FundingLine::new(5, 2021, Funder::Etat)
    };
    let requested_only = FundingLine {
        requested: Cents(800_000),
        ..FundingLine::new(5, 2021, Funder::Commune)
    };
    let without_siret = FundingLine {
        voted: Cents(100_000),
        decision: Some((day(5, 2), String::new())),
        ..FundingLine::new(5, 2021, Funder::Region)
    };
    let lines = vec![voted, requested_only, without_siret];
    let p = Published {
        catalogue: &catalogue,
        base_url: BASE,
        dates: &[],
        subsidies: &lines,
    };
    let t = tables(&[p])
        .into_iter()
        .find(|t| t.name == "subventions")
        .unwrap();
    let csv = String::from_utf8(write_csv(&t, Flavour::OpenData)).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "nomAttribuant",
            "idAttribuant",
            "dateConvention",
            "referenceDecision",
            "nomBeneficiaire",
            "idBeneficiaire",
            "rnaBeneficiaire",
            "objet",
            "montant",
            "nature",
            "conditionsVersement",
            "datesPeriodeVersement",
            "idRAE",
            "notificationUE",
            "pourcentageSubvention",
            "dispositifAide",
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 1, "the voted line only: {rows:?}");
    let r = &rows[0];
    assert_eq!(
        &r[..6],
        [
            "Préfecture du Nord",
            "73282932000074",
            "2021-03-20",
            "CP-2021-03",
            "Citéo",
            "55210055400021"
        ]
    );
    assert_eq!(r[8], "25000.50", "the voted amount, exact");
    assert_eq!(r[10], "échelonné");
    assert_eq!(r[11], "2021-04-01/2021-11-15");
    assert_eq!(
        (r[13].as_str(), r[14].as_str(), r[15].as_str()),
        ("non", "1.00", "P147")
    );
    assert!(!csv.contains("30000"), "nothing requested is published");
    let left = passerelle_opendata::subventions::unpublished(&catalogue, &lines);
    assert_eq!(left.len(), 1);
    assert!(
        left[0].reason.contains("Région Hauts-de-France"),
        "{left:?}"
    );
    let package: serde_json::Value = serde_json::from_slice(&datapackage(
        &tables(&[p]),
        &Publisher {
            name: "passerelle-roubaix".into(),
            title: "Roubaix".into(),
            homepage: BASE.into(),
        },
    ))
    .unwrap();
    let schema = &package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "subventions")
        .unwrap()["schema"];
    let id = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "idAttribuant")
        .unwrap();
    assert_eq!(id["constraints"]["pattern"], "^\\d{14}$");
    let ue = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "notificationUE")
        .unwrap();
    assert_eq!(ue["trueValues"], serde_json::json!(["oui"]));
}

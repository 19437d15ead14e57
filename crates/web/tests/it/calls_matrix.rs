//! The permission matrix of the calls' routes: every route × (anonymous,
//! applicant A, applicant B, a reviewer, a reviewer who declared a
//! conflict with A's application, the troïka, an administrator, another
//! cité's administrator, a national reader), with the exact status, and
//! whether A's application was read (GET) or anything written (POST).

use passerelle_domain::{Account, Email, InstanceRole, Membership, Role};
use passerelle_store::CallStore;

use crate::calls::{
    Person, application_form, get_by, get_or_anonymous, person, post_by, post_or_anonymous,
    publish_call, start, upload_by,
};
use crate::editing::{Fixture, Who, fixture};

const ASKERS: [&str; 9] = [
    "anonyme",
    "candidat A",
    "candidat B",
    "évaluateur",
    "évaluateur en conflit",
    "troïka",
    "administrateur",
    "administrateur d'une autre cité",
    "lecteur national",
];

/// A's application is submitted with one file; B's is a draft; the call
/// has two reviewers, the second of whom declared a conflict with A's.
struct World {
    f: Fixture,
    people: Vec<Option<Person>>,
    call: i64,
    a: String,
    b: String,
    /// B's other application, submitted and in instruction.
    c: String,
    /// A committee of the call.
    committee: String,
    file: String,
}

pub(crate) fn of_role(who: Who) -> Person {
    let (cookie, csrf) = who.session().unwrap();
    let email = match who {
        Who::ReferentOther => "referent@gapas.fr",
        Who::ReferentOwn => "referent@citeo.com",
        Who::Troika => "troika@nord.gouv.fr",
        _ => "coordination@ville-roubaix.fr",
    };
    Person {
        email: email.into(),
        cookie,
        csrf,
    }
}

/// An administrator of Lille, who holds no role in Roubaix.
pub(crate) async fn other_administrator(f: &Fixture) -> Person {
    person(
        f,
        "admin@ville-lille.fr",
        Some(Membership::new("lille", Role::Administrateur, None)),
    )
    .await
}

/// A national reader (ANCT), with a session.
pub(crate) async fn national_reader(f: &Fixture) -> Person {
    let account = Account {
        email: Email::parse("anct@anct.gouv.fr").unwrap(),
        name: "ANCT".into(),
        active: true,
        instance_role: Some(InstanceRole::LecteurNational),
        memberships: Vec::new(),
    };
    crate::editing::open_session(&f.store, &account, "passerelle_session=s-anct", "c-anct").await;
    Person {
        email: "anct@anct.gouv.fr".into(),
        cookie: "passerelle_session=s-anct".into(),
        csrf: "c-anct".into(),
    }
}

async fn world() -> World {
    let f = fixture().await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let call = publish_call(&f, now + 30 * 86_400).await;
    let a = person(&f, "asso-a@exemple.fr", None).await;
    let b = person(&f, "asso-b@exemple.fr", None).await;
    let app_a = start(&f, &a, call).await;
    let pdf = b"%PDF-1.7\nstatuts".to_vec();
    assert_eq!(
        upload_by(&f, &a, &format!("{app_a}/pieces"), "statuts.pdf", &pdf)
            .await
            .status,
        303
    );
    let form = application_form("Lire ensemble", "Association Lire");
    let mut sent: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    sent.push(("intent", "deposer"));
    assert_eq!(post_by(&f, &a, &app_a, &sent).await.status, 303);
    let app_c = start(&f, &b, call).await;
    let form = application_form("Théâtre au collège", "Compagnie B");
    let mut sent: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    sent.push(("intent", "deposer"));
    assert_eq!(post_by(&f, &b, &app_c, &sent).await.status, 303);
    let instructed = crate::editing::post_as(
        &f,
        Who::Admin,
        &format!("{app_c}/etat"),
        &[("event", "instruire")],
    )
    .await;
    assert_eq!(instructed.status, 303);
    let made = crate::editing::post_as(
        &f,
        Who::Admin,
        &format!("/admin/appels/{call}/comites"),
        &[("held_on", "2027-04-15")],
    )
    .await;
    assert_eq!(made.status, 303);
    let committee = made.header("location").unwrap().to_owned();
    let app_b = start(&f, &b, call).await;
    let page = get_by(&f, &a, &app_a).await;
    let file = page
        .body
        .split(&format!("{app_a}/pieces/"))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    crate::editing::post_as(
        &f,
        Who::Admin,
        &format!("/admin/appels/{call}/evaluateurs"),
        &[
            ("reviewer", "referent@gapas.fr"),
            ("reviewer", "referent@citeo.com"),
        ],
    )
    .await;
    assert_eq!(
        crate::editing::post_as(&f, Who::ReferentOwn, &format!("{app_a}/conflit"), &[])
            .await
            .status,
        303
    );
    let lille = other_administrator(&f).await;
    let national = national_reader(&f).await;
    let people = vec![
        None,
        Some(a),
        Some(b),
        Some(of_role(Who::ReferentOther)),
        Some(of_role(Who::ReferentOwn)),
        Some(of_role(Who::Troika)),
        Some(of_role(Who::Admin)),
        Some(lille),
        Some(national),
    ];
    World {
        f,
        people,
        call,
        a: app_a,
        b: app_b,
        c: app_c,
        committee,
        file,
    }
}

async fn get(w: &World, i: usize, uri: &str) -> crate::Answer {
    get_or_anonymous(&w.f, w.people[i].as_ref(), uri).await
}

async fn post(w: &World, i: usize, uri: &str, pairs: &[(&str, &str)]) -> crate::Answer {
    match &w.people[i] {
        Some(p) if uri.ends_with("/pieces") => {
            upload_by(&w.f, p, uri, "note.pdf", b"%PDF-1.7\nx").await
        }
        p => post_or_anonymous(&w.f, p.as_ref(), uri, pairs).await,
    }
}

/// What the store holds that the writes could change.
async fn state_of(w: &World) -> String {
    let s = &w.f.store;
    let id = |path: &str| path.rsplit('/').next().unwrap().parse::<i64>().unwrap();
    let a = s.application("roubaix", id(&w.a)).await.unwrap().unwrap();
    let b = s.application("roubaix", id(&w.b)).await.unwrap();
    let c = s.application("roubaix", id(&w.c)).await.unwrap().unwrap();
    let call = s.call("roubaix", w.call).await.unwrap().unwrap();
    format!(
        "A {:?} notes {} scores {} conflicts {} files {}; B {:?}; C {:?}; call v{} reviewers {:?}; {} applications of A, {} calls, {} committees, {} decisions",
        a.state,
        s.annotations("roubaix", a.id).await.unwrap().len(),
        s.scores("roubaix", w.call).await.unwrap().len(),
        s.conflicts("roubaix", w.call).await.unwrap().len(),
        s.attachments("roubaix", a.id).await.unwrap().len(),
        b.map(|b| b.form.title),
        c.state,
        call.version,
        call.reviewers,
        s.applications_to("roubaix", w.call).await.unwrap().len(),
        s.calls("roubaix").await.unwrap().len(),
        s.committees("roubaix", w.call).await.unwrap().len(),
        s.decisions("roubaix", w.call).await.unwrap().len(),
    )
}

/// A POST of the matrix: the path, the form, the statuses in the order of
/// [`ASKERS`], and whether the store changed.
type Write<'a> = (String, Vec<(&'a str, &'a str)>, [u16; 9], [bool; 9]);

#[tokio::test]
async fn every_call_route_answers_each_person_as_their_role_allows() {
    let w = world().await;
    let (a, b, c) = (w.a.clone(), w.b.clone(), w.call);
    let (app_c, committee) = (w.c.clone(), w.committee.clone());
    let decide_c = format!(
        "{committee}/decisions/{}",
        app_c.rsplit('/').next().unwrap()
    );
    let file = format!("{a}/pieces/{}", w.file);
    // GET: (path, statuses in the order of ASKERS, whether A's application
    // is read).
    let reads: Vec<(String, [u16; 9], [bool; 9])> = vec![
        ("/appels".into(), [200; 9], [false; 9]),
        (format!("/appels/{c}"), [200; 9], [false; 9]),
        ("/flux/appels.atom".into(), [200; 9], [false; 9]),
        ("/inscription".into(), [200; 9], [false; 9]),
        (
            "/candidatures".into(),
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
            [false, true, false, false, false, false, false, false, false],
        ),
        (
            a.clone(),
            [401, 200, 404, 200, 404, 200, 200, 404, 404],
            [false, true, false, true, false, true, true, false, false],
        ),
        (
            file.clone(),
            [401, 200, 404, 200, 404, 200, 200, 404, 404],
            [false, true, false, true, false, true, true, false, false],
        ),
        (
            b.clone(),
            [401, 404, 200, 404, 404, 404, 404, 404, 404],
            [false; 9],
        ),
        (
            "/admin/appels".into(),
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
            [false; 9],
        ),
        (
            format!("/admin/appels/{c}"),
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
            [false; 9],
        ),
        (
            "/admin/appels/nouveau".into(),
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
            [false; 9],
        ),
        (
            format!("/admin/appels/{c}/instruction"),
            [401, 404, 404, 200, 200, 200, 200, 404, 404],
            [false, false, false, true, true, true, true, false, false],
        ),
        (
            format!("/admin/appels/{c}/comites"),
            [401, 403, 403, 403, 403, 200, 200, 403, 403],
            [false; 9],
        ),
        (
            committee.clone(),
            [401, 403, 403, 403, 403, 200, 200, 403, 403],
            [false; 9],
        ),
        (
            format!("/admin/appels/{c}/export"),
            [401, 403, 403, 403, 403, 200, 200, 403, 403],
            [false; 9],
        ),
        (
            format!("/admin/appels/{c}/export/candidatures?format=csv"),
            [401, 403, 403, 403, 403, 200, 200, 403, 403],
            [false, false, false, false, false, true, true, false, false],
        ),
        (
            format!("{committee}/proces-verbal.pdf"),
            [401, 403, 403, 403, 403, 200, 200, 403, 403],
            [false; 9],
        ),
    ];
    let mut failures = Vec::new();
    for (path, statuses, read) in &reads {
        for i in 0..ASKERS.len() {
            let got = get(&w, i, path).await;
            let saw = if path == &file {
                got.bytes == b"%PDF-1.7\nstatuts"
            } else {
                got.body.contains("Lire ensemble") && !path.ends_with("/instruction")
                    || path.ends_with("/instruction") && got.body.contains(&format!("href=\"{a}\""))
                    || path.ends_with("/instruction")
                        && got.body.contains("Lire ensemble (conflit déclaré)")
            };
            if got.status.as_u16() != statuses[i] || saw != read[i] {
                failures.push(format!(
                    "GET {path} as {}: {} read {saw}",
                    ASKERS[i], got.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // POST: each person on a world of their own; (path, form, statuses,
    // whether the store changed).
    let c = w.call;
    drop(w);
    let version = "2";
    let writes: Vec<Write> = vec![
        (
            format!("{a}/annotations"),
            vec![("text", "À rappeler")],
            [401, 404, 404, 303, 404, 303, 303, 404, 404],
            [false, false, false, true, false, true, true, false, false],
        ),
        (
            format!("{a}/notes"),
            vec![("score.partenariats", "3")],
            [401, 404, 404, 303, 404, 404, 404, 404, 404],
            [false, false, false, true, false, false, false, false, false],
        ),
        (
            format!("{a}/etat"),
            vec![("event", "instruire")],
            [401, 404, 404, 403, 404, 303, 303, 404, 404],
            [false, false, false, false, false, true, true, false, false],
        ),
        (
            format!("{a}/pieces"),
            vec![],
            [401, 409, 404, 404, 404, 404, 404, 404, 404],
            [false; 9],
        ),
        (
            format!("{file}/supprimer"),
            vec![],
            [401, 409, 404, 404, 404, 404, 404, 404, 404],
            [false; 9],
        ),
        (
            a.clone(),
            vec![("title", "Autre"), ("intent", "enregistrer")],
            [401, 409, 404, 404, 404, 404, 404, 404, 404],
            [false; 9],
        ),
        (
            b.clone(),
            vec![("title", "Théâtre"), ("intent", "enregistrer")],
            [401, 404, 200, 404, 404, 404, 404, 404, 404],
            [false, false, true, false, false, false, false, false, false],
        ),
        (
            format!("{b}/pieces"),
            vec![],
            [401, 404, 303, 404, 404, 404, 404, 404, 404],
            [false; 9],
        ),
        (
            format!("{a}/conflit"),
            vec![],
            [401, 404, 404, 303, 404, 404, 404, 404, 404],
            [false, false, false, true, false, false, false, false, false],
        ),
        (
            format!("/admin/appels/{c}/evaluateurs"),
            vec![("reviewer", "troika@nord.gouv.fr")],
            [401, 403, 403, 403, 403, 403, 303, 403, 403],
            [false, false, false, false, false, false, true, false, false],
        ),
        (
            format!("/admin/appels/{c}"),
            vec![("version", version)],
            [401, 403, 403, 403, 403, 403, 422, 403, 403],
            [false; 9],
        ),
        (
            "/admin/appels".into(),
            vec![("title", "")],
            [401, 403, 403, 403, 403, 403, 422, 403, 403],
            [false; 9],
        ),
        (
            format!("{a}/action"),
            vec![("programme", "programmation-2020-2022")],
            [401, 404, 404, 404, 404, 409, 409, 404, 404],
            [false; 9],
        ),
        (
            format!("/admin/appels/{c}/comites"),
            vec![("held_on", "2027-05-02")],
            [401, 403, 403, 403, 403, 303, 303, 403, 403],
            [false, false, false, false, false, true, true, false, false],
        ),
        (
            decide_c.clone(),
            vec![
                ("decision", "retenir"),
                ("line.0.funder", "Ville"),
                ("line.0.amount", "1 000"),
            ],
            [401, 403, 403, 403, 403, 303, 303, 403, 403],
            [false, false, false, false, false, true, true, false, false],
        ),
        (
            format!("/appels/{c}/candidater"),
            vec![],
            [401, 303, 303, 303, 303, 303, 303, 303, 303],
            [false; 9],
        ),
        (
            format!("{b}/supprimer"),
            vec![],
            [401, 404, 303, 404, 404, 404, 404, 404, 404],
            [false, false, true, false, false, false, false, false, false],
        ),
    ];
    let mut failures = Vec::new();
    for i in 0..ASKERS.len() {
        let w = world().await;
        for (path, form, statuses, wrote) in &writes {
            let before = state_of(&w).await;
            let got = post(&w, i, path, form).await;
            let after = state_of(&w).await;
            let changed = before != after;
            if got.status.as_u16() != statuses[i] || changed != wrote[i] {
                failures.push(format!(
                    "POST {path} as {}: {} wrote {changed}\n  {before}\n  {after}",
                    ASKERS[i], got.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

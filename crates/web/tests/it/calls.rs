//! Calls for projects through the web: an administrator writes and
//! publishes a call; operators without any role sign up and apply, a draft
//! keeping everything typed; submitting checks the form, the budget (the
//! gap in euros) and the deadline; the cité instructs with blind scores,
//! a conflict of interest, a request for more and its answer, and decides;
//! each applicant is mailed, with nothing of anyone else's; files are
//! taken for what their bytes are and served to no one else.

use passerelle_domain::{Account, Date, Email, Membership, Role};

use crate::editing::{Fixture, Who, fixture, get_as, open_session, post_as};
use crate::{Answer, post_form, send};

/// Someone with a session of their own.
pub(crate) struct Person {
    pub(crate) email: String,
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

pub(crate) async fn person(f: &Fixture, email: &str, membership: Option<Membership>) -> Person {
    let account = match membership {
        Some(m) => Account::member(Email::parse(email).unwrap(), email, m),
        None => Account {
            email: Email::parse(email).unwrap(),
            name: email.to_owned(),
            active: true,
            instance_role: None,
            memberships: Vec::new(),
        },
    };
    let cookie = format!("passerelle_session=s-{email}");
    let csrf = format!("c-{email}");
    open_session(&f.store, &account, &cookie, &csrf).await;
    Person {
        email: email.to_owned(),
        cookie,
        csrf,
    }
}

pub(crate) async fn get_by(f: &Fixture, p: &Person, uri: &str) -> Answer {
    send(
        &f.app,
        axum::http::Method::GET,
        uri,
        &[("cookie", &p.cookie)],
    )
    .await
}

/// A `GET` by this person, or anonymous (`None`).
pub(crate) async fn get_or_anonymous(f: &Fixture, p: Option<&Person>, uri: &str) -> Answer {
    match p {
        Some(p) => get_by(f, p, uri).await,
        None => send(&f.app, axum::http::Method::GET, uri, &[]).await,
    }
}

/// A form posted by this person (with their CSRF token), or anonymous.
pub(crate) async fn post_or_anonymous(
    f: &Fixture,
    p: Option<&Person>,
    uri: &str,
    pairs: &[(&str, &str)],
) -> Answer {
    match p {
        Some(p) => post_by(f, p, uri, pairs).await,
        None => {
            post_form(
                &f.app,
                uri,
                &serde_urlencoded::to_string(pairs).unwrap(),
                &[],
            )
            .await
        }
    }
}

pub(crate) async fn post_by(f: &Fixture, p: &Person, uri: &str, pairs: &[(&str, &str)]) -> Answer {
    let mut all = pairs.to_vec();
    all.push(("csrf", &p.csrf));
    let body = serde_urlencoded::to_string(&all).unwrap();
    post_form(&f.app, uri, &body, &[("cookie", &p.cookie)]).await
}

pub(crate) async fn upload_by(
    f: &Fixture,
    p: &Person,
    uri: &str,
    name: &str,
    bytes: &[u8],
) -> Answer {
    let (content_type, body) = crate::memberships::multipart(Some(&p.csrf), name, bytes);
    crate::request(
        &f.app,
        axum::http::Method::POST,
        uri,
        axum::body::Body::from(body),
        &[("cookie", &p.cookie), ("content-type", &content_type)],
    )
    .await
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A unix instant as a form's date and time in Paris.
pub(crate) fn paris(unix: i64) -> (String, String) {
    let utc = time::OffsetDateTime::from_unix_timestamp(unix).unwrap();
    let rfc = utc
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let day = Date::paris_day_of(&rfc).unwrap();
    let hours = if day.paris_offset() == "+02:00" { 2 } else { 1 };
    let local = utc + time::Duration::hours(hours);
    (
        format!(
            "{:04}-{:02}-{:02}",
            local.year(),
            u8::from(local.month()),
            local.day()
        ),
        format!("{:02}:{:02}", local.hour(), local.minute()),
    )
}

/// The call's editor fields: one step open since yesterday, its deadline
/// `deadline` (unix); two criteria.
pub(crate) fn call_form(deadline: i64) -> Vec<(&'static str, String)> {
    let (od, ot) = paris(unix_now() - 86_400);
    let (dd, dt) = paris(deadline);
    vec![
        ("title", "Réussite éducative 2027".into()),
        (
            "text",
            "Un appel **ouvert** aux associations de Roubaix.".into(),
        ),
        ("axes", "1".into()),
        ("priorities", "Lecture\nParentalité".into()),
        (
            "eligible",
            "Associations et centres sociaux de Roubaix".into(),
        ),
        ("funds", "2027".into()),
        ("documents", "Statuts\nDernier rapport d'activité".into()),
        ("spread_alert", "20".into()),
        ("steps.0.kind", "dossier".into()),
        ("steps.0.opens_date", od),
        ("steps.0.opens_time", ot),
        ("steps.0.deadline.0.date", dd),
        ("steps.0.deadline.0.time", dt),
        ("grid.0.label", "Pertinence au regard des besoins".into()),
        ("grid.0.weight", "2".into()),
        ("grid.0.max", "4".into()),
        ("grid.0.guidance", "Le besoin est-il établi ?".into()),
        ("grid.1.label", "Partenariats".into()),
        ("grid.1.weight", "1".into()),
        ("grid.1.max", "4".into()),
        ("intent", "publier".into()),
    ]
}

pub(crate) fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Creates and publishes a call as the administrator; returns its id.
pub(crate) async fn publish_call(f: &Fixture, deadline: i64) -> i64 {
    let form = call_form(deadline);
    let saved = post_as(f, Who::Admin, "/admin/appels", &pairs(&form)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    saved
        .header("location")
        .unwrap()
        .trim_start_matches("/admin/appels/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A whole application form, balanced: 12 000,50 € of charges.
pub(crate) fn application_form(title: &str, structure: &str) -> Vec<(&'static str, String)> {
    let own = |s: &str| s.to_owned();
    vec![
        ("title", own(title)),
        ("axis", own("1")),
        (
            "description",
            own("Des ateliers de lecture partagée, chaque mercredi."),
        ),
        (
            "objectives",
            own("Donner le goût de lire\nAssocier les parents"),
        ),
        ("audiences", own("enfants")),
        ("audiences", own("parents")),
        ("age_min", own("6")),
        ("age_max", own("11")),
        ("partners", own("Médiathèque de Roubaix")),
        ("starts", own("2027-01-04")),
        ("ends", own("2027-06-30")),
        ("place", own("Centre social")),
        ("structure", own(structure)),
        ("siret", own("123 456 789 00015")),
        ("rna", own("W595012345")),
        ("representative", own("Mme Présidente")),
        ("contact_name", own("Léa Martin")),
        ("budget.0.account", own("64")),
        ("budget.0.amount", own("12 000,50 €")),
        ("budget.1.account", own("74")),
        ("budget.1.funder", own("État – Cité éducative")),
        ("budget.1.amount", own("8000.5")),
        ("budget.2.account", own("74")),
        ("budget.2.funder", own("Ville")),
        ("budget.2.amount", own("4 000")),
    ]
}

/// Starts an application as `p` and returns its path.
pub(crate) async fn start(f: &Fixture, p: &Person, call: i64) -> String {
    let started = post_by(f, p, &format!("/appels/{call}/candidater"), &[]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    started.header("location").unwrap().to_owned()
}

fn mails(f: &Fixture) -> Vec<passerelle_web::Mail> {
    f.state.editing().unwrap().logged_mail()
}

#[tokio::test]
async fn an_operator_applies_and_the_cite_instructs_scores_blind_and_decides() {
    let f = fixture().await;
    let call = publish_call(&f, unix_now() + 30 * 86_400).await;
    // Public: the list, the page with its grid, the feed.
    let list = send(&f.app, axum::http::Method::GET, "/appels", &[]).await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("Réussite éducative 2027"),
        "{}",
        list.body
    );
    let page = send(
        &f.app,
        axum::http::Method::GET,
        &format!("/appels/{call}"),
        &[],
    )
    .await;
    assert!(page.body.contains("Pertinence au regard des besoins"));
    assert!(page.body.contains("créez un compte de porteur de projet"));
    let feed = send(&f.app, axum::http::Method::GET, "/flux/appels.atom", &[]).await;
    assert!(
        feed.body
            .contains("Appel à projets : Réussite éducative 2027"),
        "{}",
        feed.body
    );

    let a = person(&f, "asso-a@exemple.fr", None).await;
    let b = person(&f, "asso-b@exemple.fr", None).await;
    let app_a = start(&f, &a, call).await;
    // A draft keeps what is typed, even what is not valid yet.
    let mut form = application_form("Lire ensemble", "Association Lire");
    form.retain(|(k, _)| !k.starts_with("budget.2"));
    let mut draft = pairs(&form);
    draft.push(("intent", "deposer"));
    let refused = post_by(&f, &a, &app_a, &draft).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("les charges (12\u{202f}000,50\u{a0}€) dépassent les produits (8\u{202f}000,50\u{a0}€) de 4\u{202f}000,00\u{a0}€"),
        "{}",
        refused.body
    );
    let stored = get_by(&f, &a, &app_a).await;
    assert!(stored.body.contains("Lire ensemble"), "the draft was kept");
    // A negative amount and one over 10 M€, located.
    let mut bad = form.clone();
    bad.push(("budget.2.account", "74".into()));
    bad.push(("budget.2.funder", "CAF".into()));
    bad.push(("budget.2.amount", "-5".into()));
    bad.push(("budget.3.account", "60".into()));
    bad.push(("budget.3.amount", "10 000 000,01".into()));
    let mut sent = pairs(&bad);
    sent.push(("intent", "deposer"));
    let refused = post_by(&f, &a, &app_a, &sent).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Budget, ligne 3 (compte 74) : « -5 » : un montant ne peut pas être négatif"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("Budget, ligne 4 (compte 60) : « 10 000 000,01 » dépasse 10 000 000 €"),
        "{}",
        refused.body
    );
    // Balanced: submitted, and mailed.
    let form = application_form("Lire ensemble", "Association Lire");
    let mut sent = pairs(&form);
    sent.push(("intent", "deposer"));
    let before = mails(&f).len();
    let done = post_by(&f, &a, &app_a, &sent).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let mailed = &mails(&f)[before..];
    assert_eq!(mailed.len(), 1);
    assert_eq!(mailed[0].to, a.email);
    assert!(mailed[0].subject.contains("Candidature déposée"));
    let shown = get_by(&f, &a, &app_a).await;
    assert!(shown.body.contains("déposée"));
    assert!(
        shown
            .body
            .contains("État – Cité éducative : 8\u{202f}000,50\u{a0}€, soit 66,7 %"),
        "{}",
        shown.body
    );

    // B applies too; neither opens the other's application or files.
    let app_b = start(&f, &b, call).await;
    let form_b = application_form("Théâtre au collège", "Compagnie B");
    let mut sent = pairs(&form_b);
    sent.push(("intent", "deposer"));
    assert_eq!(post_by(&f, &b, &app_b, &sent).await.status, 303);
    assert_eq!(get_by(&f, &b, &app_a).await.status, 404);
    let pdf = b"%PDF-1.7\nstatuts".to_vec();
    // A's application is submitted: its files no longer change.
    assert_eq!(
        upload_by(&f, &a, &format!("{app_a}/pieces"), "statuts.pdf", &pdf)
            .await
            .status,
        409
    );

    // Reviewers: two referents, one of whom declares a conflict with A.
    let admin_sets = post_as(
        &f,
        Who::Admin,
        &format!("/admin/appels/{call}/evaluateurs"),
        &[
            ("reviewer", "referent@gapas.fr"),
            ("reviewer", "referent@citeo.com"),
            ("reviewer", "asso-a@exemple.fr"),
        ],
    )
    .await;
    assert_eq!(admin_sets.status, 303);
    let instruction = format!("/admin/appels/{call}/instruction");
    assert_eq!(
        get_as(&f, Who::ReferentOther, &instruction).await.status,
        200
    );
    assert_eq!(
        get_by(&f, &a, &instruction).await.status,
        404,
        "an applicant is no reviewer"
    );
    let conflict = post_as(&f, Who::ReferentOwn, &format!("{app_a}/conflit"), &[]).await;
    assert_eq!(conflict.status, 303);
    assert_eq!(get_as(&f, Who::ReferentOwn, &app_a).await.status, 404);
    // Blind: the first reviewer of B does not see the second's scores.
    let scored = post_as(
        &f,
        Who::ReferentOwn,
        &format!("{app_b}/notes"),
        &[
            ("score.pertinence-au-regard-des-besoins", "4"),
            ("comment.pertinence-au-regard-des-besoins", "Très solide"),
            ("score.partenariats", "2"),
        ],
    )
    .await;
    assert_eq!(scored.status, 303, "{}", scored.body);
    let before_own = get_as(&f, Who::ReferentOther, &app_b).await;
    assert!(!before_own.body.contains("Très solide"), "scores are blind");
    assert!(
        before_own
            .body
            .contains("une fois que vous avez noté chaque critère")
    );
    let out_of_scale = post_as(
        &f,
        Who::ReferentOther,
        &format!("{app_b}/notes"),
        &[("score.partenariats", "5")],
    )
    .await;
    assert_eq!(out_of_scale.status, 422);
    post_as(
        &f,
        Who::ReferentOther,
        &format!("{app_b}/notes"),
        &[
            ("score.pertinence-au-regard-des-besoins", "1"),
            ("score.partenariats", "1"),
        ],
    )
    .await;
    let after_own = get_as(&f, Who::ReferentOther, &app_b).await;
    assert!(after_own.body.contains("Très solide"));
    // The instruction page: means, the wide spread flagged.
    let table = get_as(&f, Who::Admin, &instruction).await;
    assert!(
        table
            .body
            .contains("<td>54 / 100</td><td>referent@citeo.com : 83 ; referent@gapas.fr : 25</td>"),
        "{}",
        table.body
    );
    assert!(table.body.contains("écart à examiner"), "{}", table.body);

    // A request for more: A is mailed the message, answers, and it comes back.
    post_as(
        &f,
        Who::Admin,
        &format!("{app_a}/etat"),
        &[("event", "instruire")],
    )
    .await;
    let asked = post_as(
        &f,
        Who::Troika,
        &format!("{app_a}/etat"),
        &[
            ("event", "demander-complements"),
            ("note", "Joignez le budget de l'an dernier."),
        ],
    )
    .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let last = mails(&f).pop().unwrap();
    assert_eq!(last.to, a.email);
    assert!(last.body.contains("Joignez le budget de l'an dernier."));
    assert!(
        get_by(&f, &a, &app_a)
            .await
            .body
            .contains("Compléments demandés")
    );
    let upload = upload_by(&f, &a, &format!("{app_a}/pieces"), "budget-2026.pdf", &pdf).await;
    assert_eq!(upload.status, 303, "{}", upload.body);
    let html = upload_by(
        &f,
        &a,
        &format!("{app_a}/pieces"),
        "budget.pdf",
        b"<html><script>x</script>",
    )
    .await;
    assert_eq!(html.status, 422);
    assert!(html.body.contains("« budget.pdf » est refusé"));
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
    let file_path = format!("{app_a}/pieces/{file}");
    let got = get_by(&f, &a, &file_path).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.bytes, pdf);
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert!(
        got.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        get_by(&f, &b, &file_path).await.status,
        404,
        "another applicant"
    );
    let wrong_application = file_path.replace(&app_a, &app_b);
    assert_eq!(get_by(&f, &b, &wrong_application).await.status, 404);
    let mut sent = pairs(&form);
    sent.push(("intent", "deposer"));
    assert_eq!(post_by(&f, &a, &app_a, &sent).await.status, 303);
    assert!(get_by(&f, &a, &app_a).await.body.contains("en instruction"));

    // The committee: its agenda ranks B (scored) before A; A retained with
    // its amounts, B refused with its reason, kindly.
    let made = post_as(
        &f,
        Who::Admin,
        &format!("/admin/appels/{call}/comites"),
        &[
            ("held_on", "2027-04-15"),
            ("members", "Mme la déléguée du préfet\nM. le principal"),
        ],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let committee = made.header("location").unwrap().to_owned();
    post_as(
        &f,
        Who::Admin,
        &format!("{app_b}/etat"),
        &[("event", "instruire")],
    )
    .await;
    let agenda = get_as(&f, Who::Troika, &committee).await;
    assert_eq!(agenda.status, 200);
    let (b_at, a_at) = (
        agenda.body.find("Théâtre au collège").unwrap(),
        agenda.body.find("Lire ensemble").unwrap(),
    );
    assert!(b_at < a_at, "the best score first");
    let id_of = |path: &str| path.rsplit('/').next().unwrap().to_owned();
    let decide = |app: &str| format!("{committee}/decisions/{}", id_of(app));
    let bad_amount = post_as(
        &f,
        Who::Admin,
        &decide(&app_a),
        &[
            ("decision", "retenir"),
            ("line.0.funder", "État – Cité éducative"),
            ("line.0.amount", "8 000,5O"),
        ],
    )
    .await;
    assert_eq!(bad_amount.status, 422);
    assert!(
        bad_amount
            .body
            .contains("« Lire ensemble », ligne 1 : « 8 000,5O » n&#39;est pas un montant"),
        "{}",
        bad_amount.body
    );
    let retained = post_as(
        &f,
        Who::Admin,
        &decide(&app_a),
        &[
            ("decision", "retenir"),
            ("line.0.funder", "État – Cité éducative"),
            ("line.0.amount", "8 000,50"),
            ("line.1.funder", "Ville"),
            ("line.1.amount", "4000"),
        ],
    )
    .await;
    assert_eq!(retained.status, 303, "{}", retained.body);
    let last = mails(&f).pop().unwrap();
    assert_eq!(last.to, a.email);
    assert!(last.subject.contains("Votre projet est retenu"));
    let no_reason = post_as(&f, Who::Admin, &decide(&app_b), &[("decision", "refuser")]).await;
    assert_eq!(no_reason.status, 422, "a refusal needs its reason");
    let refused = post_as(
        &f,
        Who::Admin,
        &decide(&app_b),
        &[
            ("decision", "refuser"),
            ("reason", "Le projet ne vise pas les 0-25 ans du quartier."),
        ],
    )
    .await;
    assert_eq!(refused.status, 303, "{}", refused.body);
    let last = mails(&f).pop().unwrap();
    assert_eq!(last.to, b.email);
    assert!(
        last.body
            .contains("Le projet ne vise pas les 0-25 ans du quartier.")
    );
    assert!(last.body.contains("Nous vous remercions"));
    let again = post_as(&f, Who::Admin, &decide(&app_b), &[("decision", "retenir")]).await;
    assert_eq!(again.status, 409, "decided once");
    let minutes = get_as(&f, Who::Admin, &format!("{committee}/proces-verbal.pdf")).await;
    assert_eq!(minutes.status, 200);
    assert_eq!(minutes.header("content-type"), Some("application/pdf"));
    assert!(minutes.bytes.starts_with(b"%PDF-"));
    // The retained project becomes fiche 28 of the programme, with its
    // structure and contact; A becomes the structure's referent.
    let programme = f
        .state
        .tenant("roubaix")
        .unwrap()
        .snapshot()
        .programme()
        .unwrap()
        .slug
        .as_str()
        .to_owned();
    let page = get_as(&f, Who::Admin, &app_a).await;
    assert!(page.body.contains("Faire de ce projet une action"));
    let made = post_as(
        &f,
        Who::Troika,
        &format!("{app_a}/action"),
        &[("programme", programme.as_str())],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.header("location"), Some("/actions/28"));
    let again = post_as(
        &f,
        Who::Admin,
        &format!("{app_a}/action"),
        &[("programme", programme.as_str())],
    )
    .await;
    assert_eq!(again.status, 409, "once");
    // The committee's amounts are the new action's funding lines, proposed.
    let lines = passerelle_store::FundingStore::funding_lines(&*f.store, "roubaix", Some(2027))
        .await
        .unwrap();
    let proposed: Vec<(u32, String, i64, i64)> = lines
        .iter()
        .map(|l| {
            (
                l.line.fiche,
                l.line.funder.key(),
                l.line.proposed.0,
                l.line.voted.0,
            )
        })
        .collect();
    assert_eq!(
        proposed,
        [
            (28, "commune".to_owned(), 400_000, 0),
            (28, "etat".to_owned(), 800_050, 0)
        ]
    );
    let sheet = get_as(&f, Who::Admin, "/actions/28").await;
    assert_eq!(sheet.status, 200);
    assert!(
        sheet.body.contains("Lire ensemble") && sheet.body.contains("Association Lire"),
        "{}",
        sheet.body
    );
    assert!(sheet.body.contains("Donner le goût de lire"));
    let public = send(&f.app, axum::http::Method::GET, "/actions/28", &[]).await;
    assert!(
        !public.body.contains(&a.email),
        "the applicant's address is kept for professionals"
    );
    use passerelle_store::AccountStore;
    let (account, _) = f.store.account(&a.email).await.unwrap().unwrap();
    assert_eq!(account.role_in("roubaix"), Some(Role::Referent));
    let booklet = send(&f.app, axum::http::Method::GET, "/livret.pdf", &[]).await;
    assert_eq!(booklet.status, 200);
    let text = crate::publication::pdf_text(&booklet.bytes);
    assert!(
        text.contains("Lire ensemble"),
        "the booklet prints the new fiche"
    );
    assert!(
        get_as(&f, Who::Admin, &app_a)
            .await
            .body
            .contains("Devenue la fiche n° 28")
    );
    // No mail holds another applicant's data.
    for m in mails(&f) {
        if m.to == a.email {
            assert!(
                !m.body.contains("Théâtre au collège") && !m.subject.contains("Théâtre"),
                "{m:?}"
            );
        }
        if m.to == b.email {
            assert!(
                !m.body.contains("Lire ensemble") && !m.subject.contains("Lire ensemble"),
                "{m:?}"
            );
        }
    }
    // The history says who did what.
    let history = get_as(&f, Who::Admin, &app_b).await;
    assert!(
        history
            .body
            .contains("Refusée (coordination@ville-roubaix.fr)"),
        "{}",
        history.body
    );
}

#[tokio::test]
async fn a_submission_one_minute_after_the_deadline_is_refused_and_the_draft_kept() {
    let f = fixture().await;
    // The deadline: the minute that started 2 minutes ago; the draft is
    // started while the call is open, submitted once it is past.
    let deadline = unix_now() + 60;
    let call = publish_call(&f, deadline).await;
    let a = person(&f, "asso-a@exemple.fr", None).await;
    let app = start(&f, &a, call).await;
    let form = application_form("Lire ensemble", "Association Lire");
    let mut sent = pairs(&form);
    sent.push(("intent", "enregistrer"));
    assert_eq!(post_by(&f, &a, &app, &sent).await.status, 200);
    // Move the deadline to a minute ago, as the administrator would.
    let mut edit = call_form(unix_now() - 120);
    edit.push(("version", "2".into()));
    let saved = post_as(
        &f,
        Who::Admin,
        &format!("/admin/appels/{call}"),
        &pairs(&edit),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let mut sent = pairs(&form);
    sent.push(("intent", "deposer"));
    let late = post_by(&f, &a, &app, &sent).await;
    assert_eq!(late.status, 422, "{}", late.body);
    assert!(
        late.body.contains("La date limite de dépôt"),
        "{}",
        late.body
    );
    assert!(get_by(&f, &a, &app).await.body.contains("Lire ensemble"));
    // A draft can be deleted.
    let deleted = post_by(&f, &a, &format!("{app}/supprimer"), &[]).await;
    assert_eq!(deleted.status, 303);
    assert_eq!(get_by(&f, &a, &app).await.status, 404);
}

#[tokio::test]
async fn signing_up_to_apply_verifies_the_address_and_gives_no_role() {
    let f = fixture().await;
    let page = send(&f.app, axum::http::Method::GET, "/inscription", &[]).await;
    assert_eq!(page.status, 200);
    let cookie = page.cookie("passerelle_csrf").unwrap();
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let body = serde_urlencoded::to_string([
        ("name", "Léa Martin"),
        ("email", "lea@asso.fr"),
        ("csrf", csrf.as_str()),
    ])
    .unwrap();
    let sent = post_form(&f.app, "/inscription", &body, &[("cookie", &cookie)]).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    // The link is made in the background.
    let mut link = None;
    for _ in 0..100 {
        if let Some(m) = mails(&f).into_iter().find(|m| m.to == "lea@asso.fr") {
            link = m
                .body
                .lines()
                .find(|l| l.contains("/invitation/"))
                .map(str::to_owned);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let link = link.expect("the sign-up link is mailed");
    let path = link
        .trim()
        .trim_start_matches("http://passerelle.test")
        .to_owned();
    let form = send(&f.app, axum::http::Method::GET, &path, &[]).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("porteur de projet"), "{}", form.body);
    let body = "password=un-mot-de-passe-solide-42&confirmation=un-mot-de-passe-solide-42";
    let created = post_form(&f.app, &path, body, &[]).await;
    assert_eq!(created.status, 303, "{}", created.body);
    use passerelle_store::AccountStore;
    let (account, _) = f.store.account("lea@asso.fr").await.unwrap().unwrap();
    assert!(account.memberships.is_empty() && account.instance_role.is_none());
    // Without the form's token, nothing is sent.
    let forged = post_form(
        &f.app,
        "/inscription",
        "name=X&email=x%40y.fr&csrf=faux",
        &[],
    )
    .await;
    assert_eq!(forged.status, 403);
}

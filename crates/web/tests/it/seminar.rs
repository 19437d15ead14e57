//! Events: editing one, registering with ranked workshops, the private
//! link, the waiting list, the organisers' assignment and CSV; the
//! contribution board with the day's code, supports, moderation, the
//! restitution, the panel and the calendar.

use axum::http::Method;
use passerelle_store::ParticipationStore;

use crate::editing::{Fixture, Who, fixture, form_values, get_as, post_as, set, submit};
use crate::{Answer, post_form, send};

pub(crate) const EVENT: &str = "roubaix-seminaire-2022-10-11";

/// A day two years ahead (`2028-10-11`), for an event still to come.
pub(crate) fn days_ahead() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{}-10-11", d.year() + 2)
}

/// Opens registration on the 2022 seminar, moved two years ahead: 3
/// places, workshops of 1, 1, 2 and unlimited places, the code "ROUBAIX".
pub(crate) async fn open_event(f: &Fixture) {
    open_event_on(f, &days_ahead()).await;
}

async fn open_event_on(f: &Fixture, date: &str) {
    let uri = format!("/admin/evenements/{EVENT}");
    let form = get_as(f, Who::Admin, &uri).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let mut values = form_values(&form.body);
    set(&mut values, "date", date);
    set(&mut values, "capacity", "3");
    set(&mut values, "registration_open", "1");
    set(&mut values, "code", "ROUBAIX");
    set(&mut values, "place", "Hôtel de ville de Roubaix");
    for (i, cap) in ["1", "1", "2", ""].iter().enumerate() {
        set(&mut values, &format!("workshops.{i}.capacity"), cap);
    }
    let saved = submit(f, Who::Admin, &uri, &values).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

/// Registers through the form; returns the answer and the private link.
async fn register(f: &Fixture, email: &str, choices: &[&str]) -> (Answer, Option<String>) {
    let form = send(
        &f.app,
        Method::GET,
        &format!("/seminaire/{EVENT}/inscription"),
        &[],
    )
    .await;
    assert_eq!(form.status, 200, "{}", form.body);
    let cookie = form.cookie("passerelle_csrf").unwrap();
    let token = cookie.trim_start_matches("passerelle_csrf=").to_owned();
    let mut pairs = vec![
        ("csrf", token.as_str()),
        ("name", "Nadia Parent"),
        ("email", email),
        ("organisation", "École Littré; parents"),
        ("kind", "parent"),
    ];
    let names = ["choix1", "choix2", "choix3", "choix4"];
    for (n, c) in names.iter().zip(choices) {
        pairs.push((n, c));
    }
    let body = serde_urlencoded::to_string(&pairs).unwrap();
    let a = post_form(
        &f.app,
        &format!("/seminaire/{EVENT}/inscription"),
        &body,
        &[("cookie", &cookie)],
    )
    .await;
    let link = a
        .header("location")
        .map(|l| l.split('?').next().unwrap_or_default().to_owned());
    (a, link)
}

#[tokio::test]
async fn an_event_whose_day_has_passed_takes_no_registration() {
    let f = fixture().await;
    // Registration ticked open, but the seminar was held on 11 October 2022.
    open_event_on(&f, "2022-10-11").await;
    let page = get_as(&f, Who::Anonymous, &format!("/seminaire/{EVENT}")).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("/inscription\""),
        "no way to register is offered"
    );
    let form = get_as(
        &f,
        Who::Anonymous,
        &format!("/seminaire/{EVENT}/inscription"),
    )
    .await;
    assert_eq!(form.status, 410);
    assert!(form.body.contains("<h1>Plus disponible</h1>"));
    assert!(
        form.body
            .contains("Cet événement a eu lieu le 11 octobre 2022")
            && form.body.contains("les inscriptions sont closes."),
        "{}",
        form.body
    );
    // Posting the form (kept open in a tab since) is refused the same way,
    // and nothing is stored.
    let post = post_form(
        &f.app,
        &format!("/seminaire/{EVENT}/inscription"),
        "csrf=x&name=A&email=a%40exemple.fr&kind=parent",
        &[("cookie", "passerelle_csrf=x")],
    )
    .await;
    assert_eq!(post.status, 410, "{}", post.body);
    assert!(
        f.store
            .registrations("roubaix", EVENT)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn registration_with_ranked_workshops_waiting_list_and_private_link() {
    let f = fixture().await;
    // Closed until the organisers open it.
    assert_eq!(
        get_as(
            &f,
            Who::Anonymous,
            &format!("/seminaire/{EVENT}/inscription")
        )
        .await
        .status,
        404
    );
    open_event(&f).await;
    let page = get_as(&f, Who::Anonymous, &format!("/seminaire/{EVENT}")).await;
    assert!(page.body.contains("S&#39;inscrire") || page.body.contains("S'inscrire"));

    let (a, link) = register(&f, "un@exemple.fr", &["1", "2"]).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let link = link.unwrap();
    assert!(link.starts_with("/inscription/"));
    let mail = f.state.editing().unwrap().logged_mail().pop().unwrap();
    assert!(mail.body.contains(&format!("http://passerelle.test{link}")));
    let private = get_as(&f, Who::Anonymous, &link).await;
    assert!(
        private.body.contains("inscription confirmée"),
        "{}",
        private.body
    );

    // A workshop ranked twice is refused, what was typed is kept.
    let (refused, _) = register(&f, "deux@exemple.fr", &["1", "1"]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("déjà choisi à un meilleur rang"));
    assert!(refused.body.contains("deux@exemple.fr"));
    let (dup, _) = register(&f, "UN@exemple.fr", &["2"]).await;
    assert_eq!(dup.status, 409);

    let (_, l2) = register(&f, "deux@exemple.fr", &["1", "3"]).await;
    let (_, l3) = register(&f, "trois@exemple.fr", &["1", "2"]).await;
    let (_, l4) = register(&f, "quatre@exemple.fr", &["2"]).await;
    let waiting = get_as(&f, Who::Anonymous, l4.as_deref().unwrap()).await;
    assert!(
        waiting.body.contains("en liste d&#39;attente")
            || waiting.body.contains("en liste d'attente")
    );

    // Cancelling frees a place: the first waiting takes it, and is told.
    let cancelled = post_form(&f.app, l3.as_deref().unwrap(), "intent=annuler", &[]).await;
    assert_eq!(cancelled.status, 303);
    let promoted = get_as(&f, Who::Anonymous, l4.as_deref().unwrap()).await;
    assert!(
        promoted.body.contains("inscription confirmée"),
        "{}",
        &promoted.body[promoted.body.find("<h1>").unwrap_or(0)..][..600]
    );
    let mail = f.state.editing().unwrap().logged_mail().pop().unwrap();
    assert_eq!(mail.to, "quatre@exemple.fr");
    assert!(mail.subject.contains("place s'est libérée"));

    // Changing one's choices; then erasing one's data.
    let changed = post_form(
        &f.app,
        l2.as_deref().unwrap(),
        "intent=modifier&name=Karim+Deux&organisation=&kind=enseignant&choix1=3&choix2=1",
        &[],
    )
    .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let erased = post_form(&f.app, &link, "intent=effacer", &[]).await;
    assert_eq!(erased.status, 303);
    assert_eq!(get_as(&f, Who::Anonymous, &link).await.status, 404);
    let all = f.store.registrations("roubaix", EVENT).await.unwrap();
    assert!(
        all.iter()
            .all(|r| r.email.as_ref().map(|e| e.as_str()) != Some("un@exemple.fr"))
    );
    let karim = all.iter().find(|r| r.name == "Karim Deux").unwrap();
    assert_eq!(karim.choices, [2, 0]);
}

#[tokio::test]
async fn organisers_assign_workshops_in_one_click_and_export_a_french_csv() {
    let f = fixture().await;
    open_event(&f).await;
    register(&f, "a@exemple.fr", &["1", "2"]).await;
    register(&f, "b@exemple.fr", &["1", "2"]).await;
    register(&f, "c@exemple.fr", &["1", "2", "3"]).await;
    let list = format!("/seminaire/{EVENT}/inscriptions");
    assert_eq!(get_as(&f, Who::Anonymous, &list).await.status, 401);
    assert_eq!(get_as(&f, Who::Troika, &list).await.status, 403);
    assert_eq!(
        post_as(&f, Who::Troika, &format!("{list}/repartir"), &[])
            .await
            .status,
        403
    );
    let done = post_as(&f, Who::Admin, &format!("{list}/repartir"), &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let all = f.store.registrations("roubaix", EVENT).await.unwrap();
    let workshops: Vec<Option<usize>> = all.iter().map(|r| r.workshop).collect();
    // Workshop 1 has one place (first registered), workshop 2 one (second), then 3.
    assert_eq!(workshops, [Some(0), Some(1), Some(2)]);
    // The same again gives the same.
    post_as(&f, Who::Admin, &format!("{list}/repartir"), &[]).await;
    let again: Vec<Option<usize>> = f
        .store
        .registrations("roubaix", EVENT)
        .await
        .unwrap()
        .iter()
        .map(|r| r.workshop)
        .collect();
    assert_eq!(again, workshops);

    let csv = get_as(
        &f,
        Who::Admin,
        &format!("/seminaire/{EVENT}/inscriptions.csv"),
    )
    .await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        csv.body
            .starts_with("\u{feff}Nom;Adresse électronique;Structure;")
    );
    assert!(
        csv.body.contains("\"École Littré; parents\""),
        "{}",
        csv.body
    );
    assert_eq!(csv.body.matches("\r\n").count(), 4);
    assert_eq!(
        get_as(
            &f,
            Who::Troika,
            &format!("/seminaire/{EVENT}/inscriptions.csv")
        )
        .await
        .status,
        403
    );
}

/// Sends the day's code through the board's form as a browser does (the
/// form's CSRF cookie and field).
pub(crate) async fn send_code(f: &Fixture, code: &str, name: &str) -> Answer {
    send_code_from(f, code, name, None).await
}

/// [`send_code`] from a browser holding this cookie too (`name=value`).
pub(crate) async fn send_code_from(
    f: &Fixture,
    code: &str,
    name: &str,
    holding: Option<&str>,
) -> Answer {
    let board = send(
        &f.app,
        Method::GET,
        &format!("/seminaire/{EVENT}/contributions"),
        &[],
    )
    .await;
    let cookie = board.cookie("passerelle_csrf").unwrap();
    let csrf = cookie.trim_start_matches("passerelle_csrf=");
    let body =
        serde_urlencoded::to_string([("csrf", csrf), ("code", code), ("name", name)]).unwrap();
    let cookies = match holding {
        Some(other) => format!("{other}; {cookie}"),
        None => cookie.clone(),
    };
    post_form(
        &f.app,
        &format!("/seminaire/{EVENT}/code"),
        &body,
        &[("cookie", &cookies)],
    )
    .await
}

/// Joins the board with the day's code; returns the participant's cookie
/// and their CSRF token.
pub(crate) async fn join(f: &Fixture, name: &str) -> (String, String) {
    let a = send_code(f, "roubaix", name).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let cookie = a.cookie("passerelle_participant").unwrap();
    let board = send(
        &f.app,
        Method::GET,
        &format!("/seminaire/{EVENT}/contributions"),
        &[("cookie", &cookie)],
    )
    .await;
    let csrf = board
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (cookie, csrf)
}

#[tokio::test]
async fn the_board_takes_contributions_with_the_code_supports_once_and_moderation_hides() {
    let f = fixture().await;
    open_event(&f).await;
    let board = format!("/seminaire/{EVENT}/contributions");
    let anonymous = get_as(&f, Who::Anonymous, &board).await;
    assert!(
        anonymous.body.contains("Code de l&#39;événement")
            || anonymous.body.contains("Code de l'événement")
    );
    assert_eq!(
        post_form(&f.app, &board, "question=q1&text=x&csrf=x", &[])
            .await
            .status,
        401
    );
    let wrong = send_code(&f, "PARIS", "").await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("pas celui de l"));
    // Without the form's token, the code is not even read.
    let forged = post_form(
        &f.app,
        &format!("/seminaire/{EVENT}/code"),
        "code=roubaix",
        &[],
    )
    .await;
    assert_eq!(forged.status, 403);
    assert!(forged.cookie("passerelle_participant").is_none());

    let (nadia, nadia_csrf) = join(&f, "Nadia").await;
    let text = "Garder les cafés des parents <script>alert(1)</script>";
    let body = serde_urlencoded::to_string([
        ("csrf", nadia_csrf.as_str()),
        ("question", "q2"),
        ("text", text),
        ("fiche", "10"),
    ])
    .unwrap();
    let posted = post_form(&f.app, &board, &body, &[("cookie", &nadia)]).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let shown = get_as(&f, Who::Anonymous, &board).await;
    assert!(
        shown
            .body
            .contains("Garder les cafés des parents &#60;script&#62;"),
        "{}",
        &shown.body[shown.body.find("Garder").unwrap_or(0)..][..300]
    );
    assert!(!shown.body.contains("<script>alert(1)"));
    assert!(shown.body.contains("Nadia"));
    let id = f
        .store
        .contributions("roubaix", EVENT, false)
        .await
        .unwrap()[0]
        .id;
    // Too long, or empty: refused with the reason, the text kept.
    let long = "x".repeat(501);
    let body = serde_urlencoded::to_string([
        ("csrf", nadia_csrf.as_str()),
        ("question", "q1"),
        ("text", long.as_str()),
    ])
    .unwrap();
    let refused = post_form(&f.app, &board, &body, &[("cookie", &nadia)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("501 caractères"));

    let support = format!("/seminaire/{EVENT}/contributions/{id}/soutenir");
    let body = format!("csrf={nadia_csrf}");
    for _ in 0..3 {
        assert_eq!(
            post_form(&f.app, &support, &body, &[("cookie", &nadia)])
                .await
                .status,
            303
        );
    }
    let (karim, karim_csrf) = join(&f, "Karim").await;
    post_form(
        &f.app,
        &support,
        &format!("csrf={karim_csrf}"),
        &[("cookie", &karim)],
    )
    .await;
    // Someone signed in supports too; a forged form does not.
    post_as(&f, Who::Troika, &support, &[]).await;
    assert_eq!(
        post_form(&f.app, &support, "csrf=faux", &[("cookie", &karim)])
            .await
            .status,
        403
    );
    assert_eq!(f.store.contribution(id).await.unwrap().unwrap().supports, 3);

    // Moderation: only administrators; the hidden one leaves the public board.
    let moderate = format!("/seminaire/{EVENT}/contributions/{id}/moderer");
    assert_eq!(
        post_as(&f, Who::Troika, &moderate, &[("reason", "hors sujet")])
            .await
            .status,
        403
    );
    assert_eq!(
        post_form(
            &f.app,
            &moderate,
            &format!("csrf={nadia_csrf}&reason=x"),
            &[("cookie", &nadia)]
        )
        .await
        .status,
        401
    );
    assert_eq!(
        post_as(
            &f,
            Who::Admin,
            &moderate,
            &[("reason", "propos hors sujet")]
        )
        .await
        .status,
        303
    );
    assert!(
        !get_as(&f, Who::Anonymous, &board)
            .await
            .body
            .contains("Garder les cafés")
    );
    let admin_view = get_as(&f, Who::Admin, &board).await;
    assert!(admin_view.body.contains("Masquée : propos hors sujet"));
    assert_eq!(
        post_as(&f, Who::Admin, &moderate, &[("reason", "")])
            .await
            .status,
        303
    );
    assert!(
        get_as(&f, Who::Anonymous, &format!("{board}/liste"))
            .await
            .body
            .contains("Garder les cafés")
    );
}

#[tokio::test]
async fn the_restitution_ranks_by_support_with_the_summary_and_exports_markdown() {
    let f = fixture().await;
    open_event(&f).await;
    let (nadia, csrf) = join(&f, "Nadia").await;
    let board = format!("/seminaire/{EVENT}/contributions");
    for text in ["Abandonner les réunions tardives", "Abandonner le jargon"] {
        let body = serde_urlencoded::to_string([
            ("csrf", csrf.as_str()),
            ("question", "q1"),
            ("text", text),
        ])
        .unwrap();
        post_form(&f.app, &board, &body, &[("cookie", &nadia)]).await;
    }
    let second = f
        .store
        .contributions("roubaix", EVENT, false)
        .await
        .unwrap()[1]
        .id;
    post_as(&f, Who::Troika, &format!("{board}/{second}/soutenir"), &[]).await;
    let summary = post_as(
        &f,
        Who::Admin,
        &format!("/seminaire/{EVENT}/restitution/q1"),
        &[("text", "Parler **simplement**.")],
    )
    .await;
    assert_eq!(summary.status, 303);
    assert_eq!(
        post_as(
            &f,
            Who::Troika,
            &format!("/seminaire/{EVENT}/restitution/q1"),
            &[("text", "x")]
        )
        .await
        .status,
        403
    );

    let page = get_as(
        &f,
        Who::Anonymous,
        &format!("/seminaire/{EVENT}/restitution"),
    )
    .await;
    assert_eq!(page.status, 200);
    let jargon = page.body.find("Abandonner le jargon").unwrap();
    let late = page.body.find("Abandonner les réunions tardives").unwrap();
    assert!(jargon < late, "the most supported first");
    assert!(page.body.contains("Parler <strong>simplement</strong>."));
    let md = get_as(
        &f,
        Who::Anonymous,
        &format!("/seminaire/{EVENT}/restitution.md"),
    )
    .await;
    assert_eq!(
        md.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    assert!(md.body.contains("- Abandonner le jargon — 1 soutien(s)\n- Abandonner les réunions tardives — 0 soutien(s)"), "{}", md.body);
    assert!(md.body.contains("Parler **simplement**."));
    let panel = get_as(
        &f,
        Who::Anonymous,
        &format!("/seminaire/{EVENT}/panneau?q=q1"),
    )
    .await;
    assert_eq!(panel.status, 200);
    assert!(panel.body.contains("class=\"panel\""));
    assert!(panel.body.contains("Abandonner le jargon"));
    assert!(panel.body.contains("panneau?q=q2"));
}

#[tokio::test]
async fn the_calendar_is_served_for_all_events_and_each() {
    let f = fixture().await;
    let feed = get_as(&f, Who::Anonymous, "/seminaire/agenda.ics").await;
    assert_eq!(feed.status, 200);
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(feed.body.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris"));
    assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), 7);
    let one = get_as(
        &f,
        Who::Anonymous,
        &format!("/seminaire/{EVENT}/agenda.ics"),
    )
    .await;
    assert_eq!(one.body.matches("BEGIN:VEVENT").count(), 1);
    assert!(
        one.body
            .contains(&format!("URL:http://passerelle.test/seminaire/{EVENT}"))
    );
}

#[tokio::test]
async fn the_timed_programme_is_edited_in_the_event_form_and_keeps_its_speakers() {
    let f = fixture().await;
    let uri = format!("/admin/evenements/{EVENT}");
    let before = get_as(&f, Who::Anonymous, &format!("/seminaire/{EVENT}")).await;
    let speaker = "Guillaume ROUX";
    assert!(
        before.body.contains(speaker),
        "a speaker of the 2022 programme"
    );
    let form = get_as(&f, Who::Admin, &uri).await;
    let mut values = form_values(&form.body);
    let n = values
        .iter()
        .filter(|(k, _)| {
            k.starts_with("sessions.")
                && k.ends_with(".title")
                && !values
                    .iter()
                    .any(|(k2, v)| k2 == &k.replace(".title", ".start") && v.is_empty())
        })
        .count();
    assert!(n >= 6, "the six sessions are rows of the form ({n})");
    // A wrong time is refused on its cell.
    let mut wrong = values.clone();
    set(&mut wrong, "sessions.0.start", "25h00");
    let refused = submit(&f, Who::Admin, &uri, &wrong).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("« 25h00 » n&#39;est pas une heure")
            || refused.body.contains("« 25h00 » n'est pas une heure")
    );
    // A new session in the morning, after the review.
    set(&mut values, "sessions.6.half", "Matinée");
    set(&mut values, "sessions.6.start", "12h00");
    set(&mut values, "sessions.6.end", "13h30");
    set(&mut values, "sessions.6.title", "Déjeuner partagé");
    set(&mut values, "sessions.6.kind", "cloture");
    let saved = submit(&f, Who::Admin, &uri, &values).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = get_as(&f, Who::Anonymous, &format!("/seminaire/{EVENT}")).await;
    assert!(after.body.contains("Déjeuner partagé"));
    assert!(
        after.body.contains(speaker),
        "the interventions stay with their sessions"
    );
    assert!(
        after.body.contains("Matinée (9h00 – 13h30)"),
        "the half-day widens to its sessions"
    );
    let ics = get_as(&f, Who::Anonymous, "/seminaire/agenda.ics").await;
    assert!(
        ics.body
            .contains("DTSTART;TZID=Europe/Paris:20221011T120000")
    );
}

#[tokio::test]
async fn seminar_registration_is_throttled_per_client_address() {
    let f = fixture().await;
    open_event(&f).await;
    let mails = || f.state.editing().unwrap().logged_mail().len();
    for i in 0..20 {
        let (a, _) = register(&f, &format!("parent{i}@exemple.fr"), &["1"]).await;
        assert_eq!(a.status, 303, "registration {i}: {}", a.body);
    }
    let sent = mails();
    let (a, link) = register(&f, "parent20@exemple.fr", &["1"]).await;
    assert_eq!(a.status, 429, "{}", a.body);
    assert!(link.is_none());
    assert!(
        a.body.contains("réessayez dans un quart d&#39;heure")
            || a.body.contains("réessayez dans un quart d'heure")
    );
    assert_eq!(mails(), sent, "no mail for a refused registration");
    let stored = f.store.registrations("roubaix", EVENT).await.unwrap();
    assert_eq!(stored.len(), 20);
}

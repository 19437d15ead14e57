//! Concurrent writes through a real server: more registrations than
//! places, cancellations promoting from the waiting list, saves of one
//! entity from the same version. Every answer is the one a user expects;
//! none is a server error.

use std::sync::{Arc, Barrier};

use crate::{Answer, Served, databases, request, request_from, served_with_token_on};

const EVENT: &str = "roubaix-seminaire-2022-10-11";

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Runs `n` clients at once, each waiting for all the others before its
/// write (`prepare` runs before the barrier, `write` after).
fn all_at_once<P, T>(n: usize, prepare: P) -> Vec<T>
where
    P: Fn(usize, &Barrier) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    let barrier = Arc::new(Barrier::new(n));
    let prepare = Arc::new(prepare);
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, prepare) = (barrier.clone(), prepare.clone());
            std::thread::spawn(move || prepare(i, &barrier))
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// Opens registration to the 2022 seminar, moved two years ahead, for
/// `capacity` places.
fn open_event(addr: &str, token: &str, capacity: u32) {
    let path = format!("/api/v1/entities/seminar/{EVENT}");
    let auth = bearer(token);
    let current = request(addr, "GET", &path, &[("Authorization", &auth)], "").unwrap();
    assert_eq!(current.status, 200, "{}", current.body);
    let current: serde_json::Value = serde_json::from_str(&current.body).unwrap();
    let mut body = current["body"].clone();
    body["date"]["year"] = serde_json::json!(time::OffsetDateTime::now_utc().year() + 2);
    body["capacity"] = serde_json::json!(capacity);
    body["registration_open"] = serde_json::json!(true);
    let put = serde_json::json!({"version": current["version"], "body": body}).to_string();
    let saved = request(
        addr,
        "PUT",
        &path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &put,
    )
    .unwrap();
    assert_eq!(saved.status, 200, "{}", saved.body);
}

/// Loads the registration form, waits for everyone, posts it from its own
/// loopback address (parents register from their own homes, and the form
/// takes 20 a quarter of an hour from one address): the answer.
fn register(addr: &str, email: &str, source: std::net::Ipv4Addr, barrier: &Barrier) -> Answer {
    let path = format!("/seminaire/{EVENT}/inscription");
    let form = request(addr, "GET", &path, &[], "").unwrap();
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.cookie("passerelle_csrf").unwrap();
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("name", "Parent d'élève"),
        ("email", email),
        ("kind", "parent"),
    ])
    .unwrap();
    let cookie = format!("passerelle_csrf={csrf}");
    barrier.wait();
    request_from(
        source,
        addr,
        "POST",
        &path,
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &body,
    )
    .unwrap()
}

/// The organisers' list, in order of registration: (email, state).
fn registrations(addr: &str, token: &str) -> Vec<(String, String)> {
    let csv = request(
        addr,
        "GET",
        &format!("/seminaire/{EVENT}/inscriptions.csv"),
        &[("Authorization", &bearer(token))],
        "",
    )
    .unwrap();
    assert_eq!(csv.status, 200, "{}", csv.body);
    csv.body
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            (fields[1].to_owned(), fields[4].to_owned())
        })
        .collect()
}

fn count(list: &[(String, String)], state: &str) -> usize {
    list.iter().filter(|(_, s)| s == state).count()
}

#[test]
fn a_hundred_registrations_for_forty_places_then_twenty_cancellations() {
    for database in databases() {
        registrations_then_cancellations(&served_with_token_on(&database));
    }
}

fn registrations_then_cancellations(served: &Served) {
    let (addr, token) = (served.addr.clone(), served.token.clone());
    open_event(&addr, &token, 40);

    let answers = {
        let addr = addr.clone();
        all_at_once(100, move |i, barrier| {
            let email = format!("parent{i:03}@exemple.fr");
            let source = std::net::Ipv4Addr::new(127, 0, 1, u8::try_from(i % 250).unwrap_or(0) + 1);
            (email.clone(), register(&addr, &email, source, barrier))
        })
    };
    let errors: Vec<_> = answers
        .iter()
        .filter(|(_, a)| a.status != 303)
        .map(|(e, a)| {
            format!(
                "{e}: {} {}",
                a.status,
                a.body.chars().take(200).collect::<String>()
            )
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{} not registered: {errors:#?}",
        errors.len()
    );
    let list = registrations(&addr, &token);
    assert_eq!(list.len(), 100);
    assert_eq!(count(&list, "inscription confirmée"), 40, "{list:?}");
    assert_eq!(count(&list, "en liste d'attente"), 60);
    // Places go in order of registration: the first 40 are confirmed.
    assert!(list[..40].iter().all(|(_, s)| s == "inscription confirmée"));

    // Twenty of the confirmed cancel at once, through their private links.
    let link_of = |email: &str| {
        answers
            .iter()
            .find(|(e, _)| e == email)
            .and_then(|(_, a)| a.header("location"))
            .map(|l| l.split('?').next().unwrap_or_default().to_owned())
            .unwrap()
    };
    let cancelling: Vec<String> = list[..40]
        .iter()
        .step_by(2)
        .map(|(e, _)| e.clone())
        .collect();
    assert_eq!(cancelling.len(), 20);
    let links: Vec<String> = cancelling.iter().map(|e| link_of(e)).collect();
    let cancelled = {
        let addr = addr.clone();
        all_at_once(20, move |i, barrier| {
            barrier.wait();
            request(
                &addr,
                "POST",
                &links[i],
                &[("Content-Type", "application/x-www-form-urlencoded")],
                "intent=annuler",
            )
            .unwrap()
            .status
        })
    };
    assert!(cancelled.iter().all(|s| *s == 303), "{cancelled:?}");
    let after = registrations(&addr, &token);
    assert_eq!(count(&after, "annulée"), 20);
    assert_eq!(
        count(&after, "inscription confirmée"),
        40,
        "nobody confirmed twice"
    );
    assert_eq!(count(&after, "en liste d'attente"), 40);
    // The twenty promoted are the first twenty who waited.
    let waited: Vec<&(String, String)> = after[40..].iter().collect();
    assert!(
        waited[..20]
            .iter()
            .all(|(_, s)| s == "inscription confirmée"),
        "{after:?}"
    );
    assert!(waited[20..].iter().all(|(_, s)| s == "en liste d'attente"));
}

#[test]
fn sixteen_saves_of_one_entity_from_the_same_version_one_wins() {
    for database in databases() {
        sixteen_saves(&served_with_token_on(&database));
    }
}

fn sixteen_saves(served: &Served) {
    let (addr, token) = (served.addr.clone(), served.token.clone());
    let path = "/api/v1/entities/organisation/citeo";
    let auth = bearer(&token);
    let current = request(&addr, "GET", path, &[("Authorization", &auth)], "").unwrap();
    let current: serde_json::Value = serde_json::from_str(&current.body).unwrap();
    let statuses = {
        let addr = addr.clone();
        all_at_once(16, move |i, barrier| {
            let mut body = current["body"].clone();
            body["acronym"] = serde_json::json!(format!("écrit par {i}"));
            let put = serde_json::json!({"version": current["version"], "body": body}).to_string();
            barrier.wait();
            request(
                &addr,
                "PUT",
                path,
                &[
                    ("Authorization", &auth),
                    ("Content-Type", "application/json"),
                ],
                &put,
            )
            .unwrap()
            .status
        })
    };
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [[200].as_slice(), &[409; 15]].concat(),
        "{statuses:?}"
    );
}

//! Referrals in process: the whole path (sent with the family's agreement,
//! answered through the mailed link without an account, the sender and the
//! family told), the refusals (no agreement, a link tampered with or
//! expired), the permission matrix of every route, and the clock (reminder
//! at day 7, expiry at day 30, erasure at closure + 180 days, the counts
//! kept).

use passerelle_domain::referral::{DAY, State};
use passerelle_domain::{Account, Email, Membership, Role};
use passerelle_store::ReferralStore;

use crate::editing::{Fixture, Who, fixture, get_as, open_session, post_as};
use crate::{get, post_form};

/// The child's first name: a page read it when it shows it.
pub(crate) const CHILD: &str = "Yanis B.";

fn now() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn form(consent: bool) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("child", CHILD.to_owned()),
        ("age", "9".to_owned()),
        ("place", "École Jules Guesde".to_owned()),
        (
            "need",
            "Arrive souvent en retard, la famille cherche de l'aide le matin".to_owned(),
        ),
        ("message", String::new()),
        ("contact_by", "email".to_owned()),
        ("family_email", "famille.b@exemple.fr".to_owned()),
        ("family_phone", "06 11 22 33 44".to_owned()),
        ("by_parent", "1".to_owned()),
        ("told_by", "Mme Martin, médiatrice".to_owned()),
        ("consent_on", today()),
        ("language", "ar".to_owned()),
    ];
    if consent {
        f.push(("consent", "1".to_owned()));
    }
    f
}

/// Sends a referral to fiche 5 as the troïka member; returns its id.
pub(crate) async fn send(f: &Fixture) -> i64 {
    let pairs = form(true);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = post_as(f, Who::Troika, "/actions/5/orienter", &pairs).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let to = sent.header("location").unwrap();
    to.trim_start_matches("/orientations/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

pub(crate) fn mails(f: &Fixture) -> Vec<passerelle_web::Mail> {
    f.state.editing().unwrap().logged_mail()
}

/// The token of the last link mailed.
fn last_link(f: &Fixture) -> String {
    let all = mails(f);
    let body = &all
        .iter()
        .rev()
        .find(|m| m.body.contains("/orientation/"))
        .unwrap()
        .body;
    let start = body.find("/orientation/").unwrap() + "/orientation/".len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn a_referral_sent_is_accepted_through_the_link_and_everyone_concerned_is_told() {
    let f = fixture().await;
    let page = get_as(&f, Who::Troika, "/actions/5/orienter").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"consent\""));
    let id = send(&f).await;
    let sent = mails(&f);
    let to: Vec<&str> = sent.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(
        to,
        [
            "marie-claude.venant@nord.gouv.fr",
            "michael.libessart@ac-lille.fr"
        ],
        "the contacts the fiche names (its troïka, no one else being named)"
    );
    for m in &sent {
        assert!(
            m.body.contains("http://passerelle.test/orientation/"),
            "{}",
            m.body
        );
        assert!(
            !m.body.contains(CHILD) && !m.body.contains("famille.b"),
            "nothing about the child in a mail: {}",
            m.body
        );
    }
    let token = last_link(&f);
    // Without an account: the link opens the referral and answers it.
    let opened = get(&f.app, &format!("/orientation/{token}")).await;
    assert_eq!(opened.status, 200);
    assert!(opened.body.contains(CHILD) && opened.body.contains("famille.b@exemple.fr"));
    assert!(
        !opened.body.contains("06 11 22 33 44"),
        "the phone was typed, not chosen"
    );
    let accepted = post_form(
        &f.app,
        &format!("/orientation/{token}"),
        "decision=accepter&text=Appel+de+la+m%C3%A9diatrice+lundi+9+h",
        &[],
    )
    .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let seen = get_as(&f, Who::Troika, &format!("/orientations/{id}")).await;
    assert_eq!(seen.status, 200);
    assert!(
        seen.body.contains("<strong>acceptée</strong>"),
        "{}",
        seen.body
    );
    assert!(seen.body.contains("Appel de la médiatrice lundi 9 h"));
    let after = mails(&f);
    let told = &after[sent.len()..];
    let sender = told.iter().find(|m| m.to == "troika@nord.gouv.fr").unwrap();
    assert!(sender.subject.contains("acceptée"));
    assert!(!sender.body.contains(CHILD));
    let family = told
        .iter()
        .find(|m| m.to == "famille.b@exemple.fr")
        .unwrap();
    assert!(
        family.body.contains("تم قبول طلبكم"),
        "in the family's language: {}",
        family.body
    );
    assert!(
        family.body.contains("Appel de la médiatrice lundi 9 h"),
        "with the next step"
    );
    // A second answer finds it closed.
    let again = post_form(
        &f.app,
        &format!("/orientation/{token}"),
        "decision=refuser&text=Non",
        &[],
    )
    .await;
    assert_eq!(again.status, 409);
    let list = get_as(&f, Who::Troika, "/orientations").await;
    assert!(list.body.contains(&format!("n°\u{a0}{id}")) && list.body.contains("acceptée"));
}

#[tokio::test]
async fn a_refusal_tells_the_family_kindly_without_the_reason() {
    let f = fixture().await;
    let id = send(&f).await;
    let answered = post_as(
        &f,
        Who::ReferentOwn,
        &format!("/orientations/{id}/reponse"),
        &[
            ("decision", "refuser"),
            ("text", "Plus de place cette année scolaire"),
        ],
    )
    .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let r = f.store.referral("roubaix", id).await.unwrap().unwrap();
    assert_eq!(r.state, State::Refused);
    let all = mails(&f);
    let family = all.iter().find(|m| m.to == "famille.b@exemple.fr").unwrap();
    assert!(!family.body.contains("Plus de place"), "{}", family.body);
    let sender = all.iter().find(|m| m.to == "troika@nord.gouv.fr").unwrap();
    assert!(sender.subject.contains("refusée"));
    let seen = get_as(&f, Who::Troika, &format!("/orientations/{id}")).await;
    assert!(
        seen.body.contains("Plus de place cette année scolaire"),
        "the reason is for the professional"
    );
}

#[tokio::test]
async fn nothing_is_sent_without_the_familys_agreement() {
    let f = fixture().await;
    let pairs = form(false);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = post_as(&f, Who::Troika, "/actions/5/orienter", &pairs).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Rien n&#39;est envoyé sans l&#39;accord de la famille.")
    );
    assert!(
        refused.body.contains(CHILD),
        "what was typed stays in the form"
    );
    assert!(
        f.store
            .referrals_sent("roubaix", "troika@nord.gouv.fr")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(mails(&f).is_empty());
}

#[tokio::test]
async fn a_link_tampered_with_or_expired_is_refused_and_a_new_one_goes_to_the_contacts() {
    let f = fixture().await;
    let id = send(&f).await;
    let token = last_link(&f);
    let mut tampered = token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for uri in [
        format!("/orientation/{tampered}"),
        "/orientation/x".to_owned(),
    ] {
        let got = get(&f.app, &uri).await;
        assert_eq!(got.status, 404, "{uri}");
        assert!(!got.body.contains(CHILD));
    }
    let posted = post_form(
        &f.app,
        &format!("/orientation/{tampered}"),
        "decision=accepter&text=Oui",
        &[],
    )
    .await;
    assert_eq!(posted.status, 404);
    // The link's eight days pass (its expiry moved back by as much).
    let hash = passerelle_auth::token_hash(&token);
    f.store
        .renew_link("roubaix", id, &hash, now() - 1, false, now())
        .await
        .unwrap();
    let expired = get(&f.app, &format!("/orientation/{token}")).await;
    assert_eq!(expired.status, 410);
    assert!(
        !expired.body.contains(CHILD),
        "an expired link shows nothing of the referral"
    );
    let late = post_form(
        &f.app,
        &format!("/orientation/{token}"),
        "decision=accepter&text=Oui",
        &[],
    )
    .await;
    assert_eq!(late.status, 410);
    assert_eq!(
        f.store
            .referral("roubaix", id)
            .await
            .unwrap()
            .unwrap()
            .state,
        State::Sent
    );
    let before = mails(&f).len();
    let renewed = post_form(
        &f.app,
        &format!("/orientation/{token}/nouveau-lien"),
        "",
        &[],
    )
    .await;
    assert_eq!(renewed.status, 200);
    let fresh = &mails(&f)[before..];
    assert_eq!(
        fresh.len(),
        2,
        "to the action's contacts, not to whoever asked"
    );
    let new = last_link(&f);
    assert_ne!(new, token);
    assert_eq!(
        get(&f.app, &format!("/orientation/{new}")).await.status,
        200
    );
    assert_eq!(
        get(&f.app, &format!("/orientation/{token}")).await.status,
        404,
        "the old link is gone"
    );
}

/// Everyone the matrix tries: the fixture's roles (the troïka member sends),
/// and another professional of the cité who has nothing to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asker {
    Role(Who),
    OtherProfessional,
}

const ASKERS: [Asker; 7] = [
    Asker::Role(Who::Anonymous),
    Asker::Role(Who::Contributor),
    Asker::OtherProfessional,
    Asker::Role(Who::ReferentOther),
    Asker::Role(Who::ReferentOwn),
    Asker::Role(Who::Admin),
    Asker::Role(Who::Troika),
];

const OTHER_COOKIE: &str = "passerelle_session=session-other";

async fn other_professional(f: &Fixture) {
    let account = Account::member(
        Email::parse("mediateur@ville-roubaix.fr").unwrap(),
        "Autre professionnel",
        Membership::new("roubaix", Role::Referent, None),
    );
    open_session(&f.store, &account, OTHER_COOKIE, "csrf-other").await;
}

async fn ask(
    f: &Fixture,
    who: Asker,
    post: bool,
    uri: &str,
    pairs: &[(&str, &str)],
) -> crate::Answer {
    match (who, post) {
        (Asker::Role(w), false) => get_as(f, w, uri).await,
        (Asker::Role(w), true) => post_as(f, w, uri, pairs).await,
        (Asker::OtherProfessional, false) => {
            crate::send(
                &f.app,
                axum::http::Method::GET,
                uri,
                &[("cookie", OTHER_COOKIE)],
            )
            .await
        }
        (Asker::OtherProfessional, true) => {
            let mut all = pairs.to_vec();
            all.push(("csrf", "csrf-other"));
            post_form(
                &f.app,
                uri,
                &serde_urlencoded::to_string(&all).unwrap(),
                &[("cookie", OTHER_COOKIE)],
            )
            .await
        }
    }
}

#[tokio::test]
async fn only_the_sender_the_actions_operator_and_the_administrators_open_a_referral() {
    // Per route, in the order of ASKERS: the status, and whether the child's
    // data was read (GET) or the referral written (POST).
    let read: [(&str, [u16; 7], [bool; 7]); 4] = [
        (
            "",
            [401, 404, 404, 404, 200, 200, 200],
            [false, false, false, false, true, true, true],
        ),
        (
            "/donnees.json",
            [401, 404, 404, 404, 403, 200, 200],
            [false, false, false, false, false, true, true],
        ),
        (
            "/../../admin/orientations",
            [401, 403, 403, 403, 403, 200, 200],
            [false; 7],
        ),
        (
            "/../../orientations",
            [401, 403, 200, 200, 200, 200, 200],
            [false, false, false, false, true, false, true],
        ),
    ];
    let write: [(&str, [u16; 7], State); 2] = [
        (
            "/reponse",
            [401, 404, 404, 404, 303, 403, 403],
            State::NeedsDetails,
        ),
        (
            "/annuler",
            [401, 404, 404, 404, 403, 403, 303],
            State::Cancelled,
        ),
    ];
    let mut failures = Vec::new();
    for (i, who) in ASKERS.into_iter().enumerate() {
        let f = fixture().await;
        other_professional(&f).await;
        let id = send(&f).await;
        for (suffix, statuses, reads) in &read {
            let uri = match *suffix {
                "/../../admin/orientations" => "/admin/orientations".to_owned(),
                "/../../orientations" => "/orientations".to_owned(),
                s => format!("/orientations/{id}{s}"),
            };
            let got = ask(&f, who, false, &uri, &[]).await;
            if got.status.as_u16() != statuses[i] {
                failures.push(format!(
                    "{who:?} GET {uri}: {} (expected {})",
                    got.status, statuses[i]
                ));
            }
            if got.body.contains(CHILD) != reads[i] {
                failures.push(format!(
                    "{who:?} GET {uri}: read the child's data {} (expected {})",
                    !reads[i], reads[i]
                ));
            }
        }
        for (suffix, statuses, after) in &write {
            let f = fixture().await;
            other_professional(&f).await;
            let id = send(&f).await;
            let uri = format!("/orientations/{id}{suffix}");
            let got = ask(
                &f,
                who,
                true,
                &uri,
                &[("decision", "preciser"), ("text", "Quels horaires ?")],
            )
            .await;
            if got.status.as_u16() != statuses[i] {
                failures.push(format!(
                    "{who:?} POST {uri}: {} (expected {})",
                    got.status, statuses[i]
                ));
            }
            let state = f
                .store
                .referral("roubaix", id)
                .await
                .unwrap()
                .unwrap()
                .state;
            let wrote = state != State::Sent;
            if wrote != (statuses[i] == 303) || (wrote && state != *after) {
                failures.push(format!("{who:?} POST {uri}: state {state:?}"));
            }
        }
        let form = ask(&f, who, false, "/actions/5/orienter", &[]).await;
        let want = [401, 403, 200, 200, 200, 200, 200][i];
        if form.status.as_u16() != want {
            failures.push(format!(
                "{who:?} GET the form: {} (expected {want})",
                form.status
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_administrators_opening_is_recorded_and_the_counts_hold_nothing_personal() {
    let f = fixture().await;
    let id = send(&f).await;
    let opened = get_as(&f, Who::Admin, &format!("/orientations/{id}")).await;
    assert!(opened.body.contains("inscrite à son historique"));
    let r = f.store.referral("roubaix", id).await.unwrap().unwrap();
    assert!(
        r.history
            .iter()
            .any(|l| l.event == "consultee" && l.actor == "coordination@ville-roubaix.fr")
    );
    let troika_view = get_as(&f, Who::Troika, &format!("/orientations/{id}")).await;
    assert!(
        troika_view
            .body
            .contains("Ouverte par l&#39;administration de la cité (support)"),
        "the sender sees who opened it"
    );
    let counts = get_as(&f, Who::Admin, "/admin/orientations").await;
    assert_eq!(counts.status, 200);
    for personal in [
        CHILD,
        "Jules Guesde",
        "famille.b",
        "Martin",
        "Arrive souvent",
    ] {
        assert!(!counts.body.contains(personal), "{personal} on the counts");
    }
    assert!(counts.body.contains("<td>1</td>"), "{}", counts.body);
}

#[tokio::test]
async fn the_clock_reminds_at_day_7_expires_at_day_30_and_erases_after_180_days() {
    let f = fixture().await;
    let t0 = now();
    let id = send(&f).await;
    let first = last_link(&f);
    let before = mails(&f).len();
    let s = passerelle_web::sweep(&f.state, t0 + 6 * DAY).await.unwrap();
    assert_eq!(s, passerelle_web::Swept::default(), "nothing before day 7");
    let s = passerelle_web::sweep(&f.state, t0 + 7 * DAY + 60)
        .await
        .unwrap();
    assert_eq!(s.reminded, 1);
    let reminders = &mails(&f)[before..];
    assert_eq!(reminders.len(), 2);
    assert!(reminders[0].subject.starts_with("Relance"));
    assert_ne!(last_link(&f), first, "the reminder carries a new link");
    let s = passerelle_web::sweep(&f.state, t0 + 8 * DAY).await.unwrap();
    assert_eq!(s.reminded, 0, "once");
    let before = mails(&f).len();
    let s = passerelle_web::sweep(&f.state, t0 + 30 * DAY + 60)
        .await
        .unwrap();
    assert_eq!(s.expired, 1);
    let r = f.store.referral("roubaix", id).await.unwrap().unwrap();
    assert_eq!(r.state, State::Expired);
    let told = &mails(&f)[before..];
    assert!(
        told.iter()
            .any(|m| m.to == "troika@nord.gouv.fr" && m.subject.contains("expirée"))
    );
    assert!(
        told.iter()
            .any(|m| m.to == "famille.b@exemple.fr" && m.body.contains("لم يتلقَّ"))
    );
    let closed = r.closed_at.unwrap();
    let s = passerelle_web::sweep(&f.state, closed + 179 * DAY)
        .await
        .unwrap();
    assert_eq!(s.erased, 0);
    let s = passerelle_web::sweep(&f.state, closed + 180 * DAY)
        .await
        .unwrap();
    assert_eq!(s.erased, 1);
    let r = f.store.referral("roubaix", id).await.unwrap().unwrap();
    assert_eq!((r.details, r.state), (None, State::Expired));
    let page = get_as(&f, Who::Troika, &format!("/orientations/{id}")).await;
    assert!(!page.body.contains(CHILD) && page.body.contains("ont été effacées"));
    let counts = get_as(&f, Who::Admin, "/admin/orientations").await;
    assert!(
        counts.body.contains("0 acceptée"),
        "the counts stay: {}",
        counts.body
    );
}

#[tokio::test]
async fn the_action_page_and_the_orientation_results_offer_a_referral_to_those_who_send_them() {
    let f = fixture().await;
    let offer = "/actions/5/orienter\"";
    for (who, offered) in [
        (Who::Anonymous, false),
        (Who::Contributor, false),
        (Who::ReferentOther, true),
        (Who::Troika, true),
    ] {
        let page = get_as(&f, who, "/actions/5").await;
        assert_eq!(page.status, 200);
        assert_eq!(
            page.body.contains(offer),
            offered,
            "{who:?} on the action page"
        );
        let results = get_as(&f, who, "/orienter?age=9&besoin=parentalite-coeducation").await;
        assert_eq!(results.status, 200);
        assert_eq!(
            results
                .body
                .contains("/orienter\">Envoyer une orientation vers cette action"),
            offered,
            "{who:?} on the orientation results"
        );
    }
}

#[tokio::test]
async fn the_review_counts_an_actions_referrals_per_year_for_professionals_only() {
    let f = fixture().await;
    send(&f).await;
    send(&f).await;
    let year = time::OffsetDateTime::now_utc().year();
    let review = get_as(&f, Who::Troika, "/bilan").await;
    assert_eq!(review.status, 200);
    let fiche5 = review.body.split("id=\"ra-5\"").nth(1).unwrap();
    let fiche5 = fiche5.split("</article>").next().unwrap();
    assert!(
        fiche5.contains(&format!("{year}\u{a0}: 2 reçues, 0 acceptée")),
        "{fiche5}"
    );
    assert!(!fiche5.contains(CHILD));
    let public = get_as(&f, Who::Anonymous, "/bilan").await;
    assert!(!public.body.contains("Orientations de familles"));
}

#[tokio::test]
async fn a_cancelled_referral_tells_the_actions_contacts_that_nothing_is_left_to_answer() {
    let f = fixture().await;
    let id = send(&f).await;
    let before = mails(&f).len();
    let cancelled = post_as(&f, Who::Troika, &format!("/orientations/{id}/annuler"), &[]).await;
    assert_eq!(cancelled.status, 303);
    let told = &mails(&f)[before..];
    let to: Vec<&str> = told.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(
        to,
        [
            "marie-claude.venant@nord.gouv.fr",
            "michael.libessart@ac-lille.fr"
        ]
    );
    for m in told {
        assert!(
            m.subject.contains(&format!("n° {id} annulée")),
            "{}",
            m.subject
        );
        assert!(!m.body.contains(CHILD) && !m.body.contains("famille.b"));
    }
}

//! The referral rules: what may be sent, the states, the clock, the counts.
use super::*;

fn today() -> Date {
    Date::new(2026, 12, 3).unwrap()
}

fn form() -> Form {
    Form {
        child: "Y. B.".into(),
        age: "9".into(),
        place: "École Jules Guesde".into(),
        need: "Difficultés à venir à l'école le matin".into(),
        message: String::new(),
        contact_by: "telephone".into(),
        family_phone: "06 12 34 56 78".into(),
        family_email: "famille@exemple.fr".into(),
        consent: "1".into(),
        by_parent: "1".into(),
        told_by: "Mme Martin, médiatrice".into(),
        consent_on: "2026-12-01".into(),
        language: "ar".into(),
    }
}

fn fields(form: &Form) -> Vec<&'static str> {
    form.validate(today())
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn nothing_is_sent_without_the_agreement() {
    let mut f = form();
    assert!(f.validate(today()).is_ok());
    f.consent = String::new();
    assert_eq!(fields(&f), ["consent"]);
}

#[test]
fn under_15_the_agreement_is_the_parents() {
    let mut f = form();
    f.by_parent = String::new();
    assert_eq!(fields(&f), ["by_parent"]);
    f.age = "15".into();
    let details = f.validate(today()).unwrap();
    assert!(!details.consent.by_parent);
}

#[test]
fn only_the_way_the_family_chose_is_kept() {
    let details = form().validate(today()).unwrap();
    assert_eq!(details.family_phone.as_deref(), Some("06 12 34 56 78"));
    assert_eq!(
        details.family_email, None,
        "the email was typed, not chosen"
    );
    let mut f = form();
    f.contact_by = "professionnel".into();
    let details = f.validate(today()).unwrap();
    assert_eq!((details.family_phone, details.family_email), (None, None));
    f.contact_by = "email".into();
    f.family_email = "pas une adresse".into();
    assert_eq!(fields(&f), ["family_email"]);
}

#[test]
fn every_field_refused_is_named() {
    let f = Form {
        consent_on: "2026-12-04".into(),
        ..Form::default()
    };
    assert_eq!(
        fields(&f),
        [
            "child",
            "age",
            "place",
            "need",
            "told_by",
            "language",
            "contact_by",
            "consent_on",
            "consent"
        ]
    );
}

#[test]
fn the_states_follow_the_answers() {
    let accept = Event::Accept {
        next_step: "Appel lundi".into(),
    };
    let ask = Event::AskDetails {
        question: "Quel horaire ?".into(),
    };
    let complete = Event::Complete {
        answer: "Le matin".into(),
    };
    assert_eq!(ask.next(State::Sent), Some(State::NeedsDetails));
    assert_eq!(complete.next(State::NeedsDetails), Some(State::Sent));
    assert_eq!(accept.next(State::NeedsDetails), Some(State::Accepted));
    assert_eq!(Event::Cancel.next(State::Sent), Some(State::Cancelled));
    assert_eq!(
        Event::Expire.next(State::NeedsDetails),
        Some(State::Expired)
    );
    for closed in State::ALL.into_iter().filter(|s| s.is_closed()) {
        for event in [accept.clone(), ask.clone(), Event::Cancel, Event::Expire] {
            assert_eq!(event.next(closed), None, "{event:?} from {closed:?}");
        }
    }
    assert_eq!(ask.next(State::NeedsDetails), None);
    assert!(
        Event::Accept {
            next_step: " ".into()
        }
        .check()
        .is_err()
    );
}

fn referral(state: State, since: i64) -> Referral {
    Referral {
        id: 1,
        cite: "roubaix".into(),
        fiche: 5,
        sender: "pro@exemple.fr".into(),
        state,
        sent_at: since,
        since,
        answered_at: None,
        closed_at: state.is_closed().then_some(since),
        reminded_at: None,
        erased_at: None,
        details: None,
        history: Vec::new(),
    }
}

#[test]
fn the_clock_reminds_at_day_7_expires_at_day_30_erases_after_the_retention() {
    let r = referral(State::Sent, 0);
    assert_eq!(due(&r, 7 * DAY - 1, 180), None);
    assert_eq!(due(&r, 7 * DAY, 180), Some(Due::Remind));
    let reminded = Referral {
        reminded_at: Some(7 * DAY),
        ..r.clone()
    };
    assert_eq!(due(&reminded, 29 * DAY, 180), None);
    assert_eq!(due(&reminded, 30 * DAY, 180), Some(Due::Expire));
    let closed = referral(State::Expired, 30 * DAY);
    assert_eq!(due(&closed, 209 * DAY, 180), None);
    assert_eq!(due(&closed, 210 * DAY, 180), Some(Due::Erase));
    let erased = Referral {
        erased_at: Some(210 * DAY),
        ..closed
    };
    assert_eq!(due(&erased, 900 * DAY, 180), None);
}

#[test]
fn counts_per_action_state_and_year_with_the_median_delay() {
    let y2026 = 1_767_225_600; // 2026-01-01T00:00:00Z
    let stats = [
        Stat {
            fiche: 5,
            state: State::Accepted,
            sent_at: y2026,
            answered_at: Some(y2026 + 2 * DAY),
        },
        Stat {
            fiche: 5,
            state: State::Refused,
            sent_at: y2026 - DAY,
            answered_at: Some(y2026 + 3 * DAY),
        },
        Stat {
            fiche: 5,
            state: State::Sent,
            sent_at: y2026,
            answered_at: None,
        },
        Stat {
            fiche: 2,
            state: State::Expired,
            sent_at: y2026,
            answered_at: None,
        },
    ];
    let c = counts(&stats);
    assert_eq!(c.iter().map(|c| c.fiche).collect::<Vec<_>>(), [2, 5]);
    assert_eq!(c[1].by_state, [1, 1, 1, 0, 0, 0]);
    assert_eq!(c[1].received, 3);
    assert_eq!(c[1].median_days_to_answer, Some(3.0));
    assert_eq!(c[1].years, [(2025, 1, 0), (2026, 2, 1)]);
    assert_eq!(
        c[1].years_in_words(),
        "2025\u{a0}: 1 reçue, 0 acceptée ; 2026\u{a0}: 2 reçues, 1 acceptée"
    );
    assert_eq!(c[0].median_days_to_answer, None);
    assert_eq!(year_of(0), 1970);
    assert_eq!(year_of(y2026 - 1), 2025);
}

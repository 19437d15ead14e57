//! iCalendar (RFC 5545) for events: a feed of every event and its sessions,
//! and one file per event for "add to my calendar". Times are local times of
//! Europe/Paris, with its VTIMEZONE, so calendars place them right on both
//! sides of a change to or from summer time.

use std::time::SystemTime;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use passerelle_domain::{ClockTime, Date, Seminar};

use crate::shared::cites::Here;
use crate::shared::error::AppError;
use crate::shared::state::AppState;

/// Europe/Paris since 1996: summer time from the last Sunday of March at
/// 02:00 to the last Sunday of October at 03:00.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19810329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19961027T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
";

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded at 75 octets (§3.1), never inside a
/// UTF-8 character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn local(date: Date, t: ClockTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}00",
        date.year, date.month, date.day, t.hour, t.minute
    )
}

fn stamp(at: SystemTime) -> String {
    let t = time::OffsetDateTime::from(at);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

struct Item<'a> {
    uid: String,
    summary: String,
    description: String,
    date: Date,
    /// None: an all-day event.
    times: Option<(ClockTime, ClockTime)>,
    location: &'a str,
    url: Option<String>,
}

fn event_item(out: &mut String, item: &Item<'_>, dtstamp: &str) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", item.uid));
    line(out, &format!("DTSTAMP:{dtstamp}"));
    match item.times {
        Some((start, end)) => {
            line(
                out,
                &format!("DTSTART;TZID=Europe/Paris:{}", local(item.date, start)),
            );
            line(
                out,
                &format!("DTEND;TZID=Europe/Paris:{}", local(item.date, end)),
            );
        }
        None => {
            let d = item.date;
            line(
                out,
                &format!("DTSTART;VALUE=DATE:{:04}{:02}{:02}", d.year, d.month, d.day),
            );
        }
    }
    line(out, &format!("SUMMARY:{}", text(&item.summary)));
    if !item.description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", text(&item.description)));
    }
    if !item.location.is_empty() {
        line(out, &format!("LOCATION:{}", text(item.location)));
    }
    if let Some(url) = &item.url {
        line(out, &format!("URL:{url}"));
    }
    line(out, "END:VEVENT");
}

/// The whole event: from its first half-day's start to its last one's end.
fn whole(event: &Seminar, cite: &str, base: Option<&str>) -> Item<'static> {
    let start = event.half_days.iter().map(|h| h.start).min();
    let end = event.half_days.iter().map(|h| h.end).max();
    let programme: Vec<String> = event
        .half_days
        .iter()
        .flat_map(|h| h.sessions.iter())
        .map(|s| format!("{} {}", s.start.french(), s.title))
        .collect();
    let mut description = event.subtitle.clone();
    if !programme.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&programme.join("\n"));
    }
    Item {
        uid: format!("{}@{cite}.passerelle", event.slug),
        summary: event.title.clone(),
        description,
        date: event.date,
        times: start.zip(end),
        location: "",
        url: base.map(|b| format!("{b}/seminaire/{}", event.slug)),
    }
}

/// The calendar of `events`; with `sessions`, each session is an event too.
pub(crate) fn calendar(
    events: &[&Seminar],
    cite: &str,
    base: Option<&str>,
    sessions: bool,
    at: SystemTime,
) -> String {
    let dtstamp = stamp(at);
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Passerelle//Cité éducative//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(
        &mut out,
        &format!("X-WR-CALNAME:{}", text(&format!("Événements — {cite}"))),
    );
    line(&mut out, "X-WR-TIMEZONE:Europe/Paris");
    out.push_str(VTIMEZONE);
    for event in events {
        let mut item = whole(event, cite, base);
        item.location = &event.place;
        event_item(&mut out, &item, &dtstamp);
        if !sessions {
            continue;
        }
        for (h, half) in event.half_days.iter().enumerate() {
            for (i, s) in half.sessions.iter().enumerate() {
                // A session ends when it says, or when the next one starts,
                // or with its half-day.
                let end = s
                    .end
                    .or_else(|| half.sessions.get(i + 1).map(|n| n.start))
                    .unwrap_or(half.end);
                let end = if end > s.start {
                    end
                } else {
                    half.end.max(s.start)
                };
                let item = Item {
                    uid: format!("{}-{}-{}@{cite}.passerelle", event.slug, h + 1, i + 1),
                    summary: format!("{} — {}", s.title, event.title),
                    description: s.subtitle.clone().unwrap_or_default(),
                    date: event.date,
                    times: Some((s.start, end)),
                    location: &event.place,
                    url: base.map(|b| format!("{b}/seminaire/{}", event.slug)),
                };
                event_item(&mut out, &item, &dtstamp);
            }
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn ics_response(body: String, filename: &str) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Where the cité's links start in a calendar: the public address and the
/// cité's root (`https://…/roubaix`).
fn base(state: &AppState, here: &Here) -> Option<String> {
    state
        .editing()
        .map(|e| format!("{}{}", e.base_url, here.root()))
}

/// `GET /seminaire/agenda.ics`: every event and its sessions.
pub(crate) async fn feed(State(state): State<AppState>, here: Here) -> Response {
    let s = here.snapshot();
    let events: Vec<&Seminar> = s.catalogue.seminars.iter().collect();
    let cite = s.catalogue.cite.slug.to_string();
    ics_response(
        calendar(
            &events,
            &cite,
            base(&state, &here).as_deref(),
            true,
            s.loaded_at,
        ),
        "evenements.ics",
    )
}

/// `GET /seminaire/{slug}/agenda.ics`: one event, to add to a calendar.
pub(crate) async fn event(
    State(state): State<AppState>,
    here: Here,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let s = here.snapshot();
    let event = s
        .catalogue
        .seminars
        .iter()
        .find(|e| e.slug.as_str() == slug)
        .ok_or_else(|| AppError::NotFound("Aucun événement à cette adresse.".into()))?;
    let cite = s.catalogue.cite.slug.to_string();
    Ok(ics_response(
        calendar(
            &[event],
            &cite,
            base(&state, &here).as_deref(),
            false,
            s.loaded_at,
        ),
        &format!("{slug}.ics"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert!(lines[1].starts_with(' '));
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn the_2022_seminar_has_one_event_and_one_per_session() {
        let (_, parsed) = passerelle_livret::bundled::roubaix().unwrap_or_else(|e| panic!("{e}"));
        let c = parsed.catalogue;
        let events: Vec<&Seminar> = c.seminars.iter().collect();
        let ics = calendar(&events, "roubaix", None, true, SystemTime::UNIX_EPOCH);
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1 + 6);
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20221011T"));
        assert!(ics.lines().all(|l| l.len() <= 76));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }
}

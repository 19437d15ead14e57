"""The iCalendar output, read by a parser that is not ours (icalendar, PyPI).

Creates three events through the API — just before the change to summer
time, just after it, and just after the change back — then reads the feed
and each event's file, and checks that every session falls at the right UTC
instant, both with the Olson database and with the VTIMEZONE in the file.

Usage: python check_ics.py BASE_URL TOKEN
"""
import datetime as dt
import json
import sys
import urllib.request
from zoneinfo import ZoneInfo

import icalendar

BASE, TOKEN = sys.argv[1], sys.argv[2]
UTC = dt.timezone.utc

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method, headers={
        'Authorization': f'Bearer {TOKEN}', 'Content-Type': 'application/json'})
    with urllib.request.urlopen(req) as res:
        return res.status, res.read().decode()

def event(title, date, start, end):
    (y, m, d), (h1, m1), (h2, m2) = date, start, end
    return {'version': 0, 'body': {
        'title': title, 'subtitle': '', 'date': {'year': y, 'month': m, 'day': d},
        'introduction': '', 'goals': [], 'walking_questions': [], 'workshops': [],
        'place': 'Roubaix, salle « Watremez »',
        'half_days': [{'label': 'Matinée', 'title': 'Travail', 'start': {'hour': h1, 'minute': m1},
                       'end': {'hour': h2, 'minute': m2},
                       'sessions': [{'start': {'hour': h1, 'minute': m1}, 'end': None,
                                     'title': 'Séance; avec, des \\ signes', 'subtitle': None,
                                     'kind': 'ouverture', 'parts': []}]}]}}

# (title, date, local start, expected UTC start)
CASES = [
    ('Commission avant l’heure d’été', (2023, 3, 24), (9, 0), dt.datetime(2023, 3, 24, 8, 0, tzinfo=UTC)),
    ('Commission après l’heure d’été', (2023, 3, 28), (9, 0), dt.datetime(2023, 3, 28, 7, 0, tzinfo=UTC)),
    ('Commission après l’heure d’hiver', (2022, 10, 31), (14, 30), dt.datetime(2022, 10, 31, 13, 30, tzinfo=UTC)),
]

slugs = {}
for title, date, start, _ in CASES:
    status, body = call('POST', '/api/v1/entities/seminar', event(title, date, start, (start[0] + 3, start[1])))
    assert status == 201, (status, body)
    slugs[title] = json.loads(body)['key']

status, feed = call('GET', '/seminaire/agenda.ics')
assert status == 200
cal = icalendar.Calendar.from_ical(feed)
vtz = cal.walk('VTIMEZONE')
assert len(vtz) == 1 and str(vtz[0]['TZID']) == 'Europe/Paris'
file_tz = vtz[0].to_tz()
paris = ZoneInfo('Europe/Paris')
events = {str(e['SUMMARY']): e for e in cal.walk('VEVENT')}
checked = 0
for title, _, _, expected in CASES:
    for summary in (title, f'Séance; avec, des \\ signes — {title}'):
        e = events[summary]
        start = e['DTSTART'].dt
        assert str(e['DTSTART'].params['TZID']) == 'Europe/Paris', e['DTSTART'].params
        assert start.astimezone(UTC) == expected, (summary, start, expected)
        naive = start.replace(tzinfo=None)
        assert naive.replace(tzinfo=paris).astimezone(UTC) == expected
        # The VTIMEZONE written in the file gives the same instant.
        assert naive.replace(tzinfo=file_tz).astimezone(UTC) == expected, (summary, 'VTIMEZONE')
        assert e['DTEND'].dt.astimezone(UTC) - expected == dt.timedelta(hours=3)
        assert str(e['LOCATION']) == 'Roubaix, salle « Watremez »'
        checked += 1
    status, one = call('GET', f"/seminaire/{slugs[title]}/agenda.ics")
    single = icalendar.Calendar.from_ical(one)
    assert len(single.walk('VEVENT')) == 1
    assert single.walk('VEVENT')[0]['DTSTART'].dt.astimezone(UTC) == expected

# The 2022 seminar from the booklet: 11 October 2022, summer time.
seminar = [e for e in cal.walk('VEVENT') if str(e['SUMMARY']).startswith('Séminaire')]
assert seminar and seminar[0]['DTSTART'].dt.utcoffset() == dt.timedelta(hours=2)
print(f'iCalendar: {checked} sessions across the summer-time changes at the right UTC instant; '
      f'{len(cal.walk("VEVENT"))} events in the feed')

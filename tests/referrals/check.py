"""Referrals (orientations) against a real SMTP server (aiosmtpd, PyPI),
every mail read back by Python's own mail parser (`email`, RFC 5322):

- a professional signs in and sends a referral to fiche 5 on the page's
  form; the action's contacts each receive a mail with a signed link
  (absolute, on the instance's base URL), and nothing about the child or
  the family (no name, no need, no phone, no address);
- the link, followed without an account, opens the referral and accepts
  it; the sender is told (a link to the referral, nothing personal), the
  family is told in its language (Arabic, as its agreement was recorded),
  with the next step and the action, without the child's name;
- a second referral refused through its link: the sender is told, the
  family is told kindly and never reads the reason;
- a link tampered with answers 404, and nobody is mailed.

Usage: python check.py PASSERELLE_BINARY
"""
import email
import email.policy
import html
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'shared'))
from second_factor import finish_sign_in  # noqa: E402
from metrics import TOKEN as METRICS_TOKEN, check_metrics  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
failures = []

CHILD = 'Yanis B.'
NEED = 'Arrive souvent en retard le matin'
FAMILY = 'famille.b@exemple.fr'
SENDER = 'coordination@ville-roubaix.fr'
CONTACTS = ['marie-claude.venant@nord.gouv.fr', 'michael.libessart@ac-lille.fr']
REASON = 'Groupe complet pour cette année'
NEXT_STEP = 'Premier atelier mardi 14 h au centre social'


def check(condition, message):
    if not condition:
        failures.append(message)
        print('FAIL', message, flush=True)
    return condition


class Mailbox:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # (recipient, parsed message)

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content,
                                          policy=email.policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, parsed))
        return '250 Message accepted for delivery'

    def since(self, n):
        with self.lock:
            return self.messages[n:]

    def count(self):
        with self.lock:
            return len(self.messages)

    def wait(self, n, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline and self.count() < n:
            time.sleep(0.05)
        return self.count()


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def text_of(message):
    part = message.get_body(preferencelist=('plain',)) if message.is_multipart() else message
    return part.get_content()


mailbox = Mailbox()
smtp = Controller(mailbox, hostname='127.0.0.1', port=free_port())
smtp.start()
data = tempfile.mkdtemp()
port = free_port()
BASE = f'http://127.0.0.1:{port}'
ENV = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='warn',
           PASSERELLE_SMTP_URL=f'smtp://127.0.0.1:{smtp.port}',
           PASSERELLE_MAIL_FROM='Passerelle <passerelle@cite-roubaix.example>',
           PASSERELLE_BASE_URL=BASE, PASSERELLE_METRICS_TOKEN=METRICS_TOKEN)


def cli(*args, input=None):
    done = subprocess.run([BINARY, *args], env=ENV, input=input, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f'passerelle {" ".join(args)} failed: {done.stderr}')
    return done.stdout


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(cookies=None):
    handlers = [NoRedirect()]
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    return urllib.request.build_opener(*handlers)


def fetch(browser, path, form=None):
    body = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with browser.open(BASE + path, data=body, timeout=30) as res:
            return res.status, res.read().decode(), {k.lower(): v for k, v in res.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), {k.lower(): v for k, v in e.headers.items()}


def csrf_of(page):
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else ''


cli('import')
cli('admin', 'create', '--email', SENDER, '--name', 'Coordination', input='un-mot-de-passe-de-test\n')
server = subprocess.Popen([BINARY, 'serve', '--bind', f'127.0.0.1:{port}'], env=ENV,
                          stdout=subprocess.PIPE, text=True)
try:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(BASE + '/', timeout=2)
            break
        except OSError:
            time.sleep(0.2)

    pro = opener(CookieJar())
    status, page, _ = fetch(pro, '/connexion')
    status, _, headers = fetch(pro, '/connexion', {
        'csrf': csrf_of(page), 'email': SENDER, 'password': 'un-mot-de-passe-de-test'})
    check(status == 303, f'signing in: {status}')
    # An administrator: the second factor, enrolled at the first sign-in.
    check(finish_sign_in(lambda path, form=None: fetch(pro, path, form), SENDER,
                         headers.get('location', '')), 'the second factor')

    def send_referral():
        status, page, _ = fetch(pro, '/actions/5/orienter')
        check(status == 200, f'the form: {status}')
        before = mailbox.count()
        status, body, headers = fetch(pro, '/actions/5/orienter', {
            'csrf': csrf_of(page), 'child': CHILD, 'age': '9', 'place': 'École Jules Guesde',
            'need': NEED, 'message': '', 'contact_by': 'email', 'family_email': FAMILY,
            'family_phone': '06 11 22 33 44', 'by_parent': '1',
            'told_by': 'Mme Martin, médiatrice', 'consent_on': time.strftime('%Y-%m-%d'),
            'language': 'ar', 'consent': '1'})
        check(status == 303, f'sending: {status} {body[:300]}')
        check(re.fullmatch(r'/orientations/\d+\?envoyee=1', headers.get('location', '')) is not None,
              f'to the referral\'s page: {headers.get("location")}')
        referral = headers.get('location', '').split('/orientations/')[-1].split('?')[0]
        mailbox.wait(before + len(CONTACTS))
        mails = mailbox.since(before)
        check(sorted(r for r, _ in mails) == CONTACTS,
              f'the contacts of fiche 5 are mailed: {[r for r, _ in mails]}')
        links = set()
        for rcpt, m in mails:
            text = text_of(m)
            check(m['From'] == 'Passerelle <passerelle@cite-roubaix.example>', f'From: {m["From"]}')
            check('orientation' in m['Subject'].lower(), f'subject: {m["Subject"]}')
            check(m['Message-ID'] is not None and m['Date'] is not None, 'Message-ID and Date')
            found = re.search(re.escape(BASE) + r'/orientation/([A-Za-z0-9_-]+)', text)
            if check(found is not None, f'an absolute signed link in the mail to {rcpt}: {text}'):
                links.add(found.group(1))
            for personal in (CHILD, NEED, FAMILY, '06 11 22 33 44', 'Yanis'):
                check(personal not in text and personal not in m['Subject'],
                      f'the mail to {rcpt} holds nothing personal ({personal!r})')
        check(len(links) == 1, f'one link for the referral: {links}')
        return referral, links.pop() if links else ''

    # Accepted through the link, without an account.
    referral, token = send_referral()
    anonymous = opener()
    status, page, _ = fetch(anonymous, f'/orientation/{token}')
    check(status == 200 and CHILD in page, f'the link opens the referral: {status}')
    status, _, _ = fetch(anonymous, f'/orientation/{token}x')
    check(status == 404, f'a link tampered with: {status}')
    before = mailbox.count()
    status, body, _ = fetch(anonymous, f'/orientation/{token}',
                            {'decision': 'accepter', 'text': NEXT_STEP})
    check(status == 303, f'accepting through the link: {status} {body[:300]}')
    mailbox.wait(before + 2)
    told = dict((r, m) for r, m in mailbox.since(before))
    check(sorted(told) == sorted([SENDER, FAMILY]), f'the sender and the family are told: {sorted(told)}')
    if SENDER in told:
        text = text_of(told[SENDER])
        check('acceptée' in told[SENDER]['Subject'], f'sender subject: {told[SENDER]["Subject"]}')
        check(f'{BASE}/orientations/{referral}' in text, f'the sender gets the referral link: {text}')
        check(CHILD not in text and NEED not in text, 'nothing personal to the sender by mail')
    if FAMILY in told:
        m = told[FAMILY]
        text = text_of(m)
        check(re.search('[\u0600-\u06ff]', m['Subject']) is not None, f'the family reads Arabic: {m["Subject"]}')
        check(re.search('[\u0600-\u06ff]', text) is not None, 'the body is in Arabic')
        check(NEXT_STEP in text, 'the family reads the next step')
        check(CHILD not in text and NEED not in text, "the family's mail does not repeat the request")
        check('\u2068' not in text and '\u2069' not in text, 'no isolation marks in plain-text mail')
        check(m.get_content_charset() == 'utf-8', f'charset: {m.get_content_charset()}')

    # Refused through the link: the family never reads the reason.
    referral, token = send_referral()
    before = mailbox.count()
    status, _, _ = fetch(anonymous, f'/orientation/{token}', {'decision': 'refuser', 'text': REASON})
    check(status == 303, f'refusing through the link: {status}')
    mailbox.wait(before + 2)
    told = dict((r, m) for r, m in mailbox.since(before))
    check(sorted(told) == sorted([SENDER, FAMILY]), f'refusal told to: {sorted(told)}')
    if FAMILY in told:
        text = text_of(told[FAMILY])
        check(REASON not in text, 'the family is told kindly, without the reason')
        check(re.search('[\u0600-\u06ff]', text) is not None, 'in Arabic')
    status, page, _ = fetch(pro, f'/orientations/{referral}')
    check(status == 200 and 'refusée' in page and REASON in page,
          'the professional reads the refusal and its reason on the page')

    time.sleep(0.5)
    count = mailbox.count()
    check(count == 2 * len(CONTACTS) + 4, f'no other mail went out: {count}')

    # The metrics after the flow: the action's page counted under its
    # template, nothing of the child, the family, the sender or the links.
    fetch(anonymous, '/actions/5')
    check_metrics(BASE, check, route='/actions/{fiche}',
                  personal=[CHILD, NEED, FAMILY, '06 11 22 33 44', 'Yanis', SENDER, token, *CONTACTS])
finally:
    server.terminate()
    server.wait(timeout=30)
    smtp.stop()

if failures:
    print(f'{len(failures)} failure(s)')
    sys.exit(1)
print('referrals: every check passed')

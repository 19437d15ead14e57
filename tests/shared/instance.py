"""What the check scripts share: a real SMTP server (aiosmtpd) whose mail
is read back by Python's own parser, a Passerelle instance in a fresh data
directory (its command line, and its server started for real), and a
browser of urllib with cookies and without redirects.

Usage, from a check script:

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'shared'))
    from instance import Instance, check, failures, csrf_of
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

from second_factor import finish_sign_in

failures = []


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

    def all(self):
        with self.lock:
            return list(self.messages)

    def wait_for(self, rcpt, subject_part, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for r, m in self.all():
                if r == rcpt and subject_part in m['Subject']:
                    return m
            time.sleep(0.05)
        check(False, f'no mail to {rcpt} about {subject_part!r}: {[(r, m["Subject"]) for r, m in self.all()]}')
        return None


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def text_of(message):
    part = message.get_body(preferencelist=('plain',)) if message.is_multipart() else message
    return part.get_content()


def csrf_of(text):
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    return html.unescape(found.group(1)) if found else ''


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Instance:
    """A fresh instance mailing to its own SMTP server."""

    def __init__(self, binary):
        self.binary = os.path.abspath(binary)
        self.mailbox = Mailbox()
        self.smtp = Controller(self.mailbox, hostname='127.0.0.1', port=free_port())
        self.smtp.start()
        self.data = tempfile.mkdtemp()
        self.port = free_port()
        self.base = f'http://127.0.0.1:{self.port}'
        self.env = dict(os.environ, PASSERELLE_DATA_DIR=self.data, PASSERELLE_LOG='warn',
                        PASSERELLE_SMTP_URL=f'smtp://127.0.0.1:{self.smtp.port}',
                        PASSERELLE_MAIL_FROM='Passerelle <passerelle@cite-roubaix.example>',
                        PASSERELLE_BASE_URL=self.base)
        self.server = None

    def cli(self, *args, input=None):
        done = subprocess.run([self.binary, *args], env=self.env, input=input,
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f'passerelle {" ".join(args)} failed: {done.stderr}')
        return done.stdout

    def serve(self):
        self.server = subprocess.Popen([self.binary, 'serve', '--bind', f'127.0.0.1:{self.port}'],
                                       env=self.env, stdout=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + '/', timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        sys.exit('the server did not start')

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)
        self.smtp.stop()

    @staticmethod
    def browser():
        return urllib.request.build_opener(NoRedirect(), urllib.request.HTTPCookieProcessor(CookieJar()))

    def fetch(self, b, path, form=None):
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        try:
            with b.open(self.base + path, data=body, timeout=30) as res:
                return res.status, res.read(), {k.lower(): v for k, v in res.headers.items()}
        except urllib.error.HTTPError as e:
            return e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}

    def page(self, b, path, form=None):
        status, body, headers = self.fetch(b, path, form)
        return status, body.decode(), headers

    def sign_in(self, b, who, password):
        _, text, _ = self.page(b, '/connexion')
        status, _, headers = self.page(b, '/connexion', {'csrf': csrf_of(text), 'email': who, 'password': password})
        check(status == 303, f'{who} signs in: {status}')
        # An administrator's second factor: enrolled at the first sign-in,
        # then given at each.
        passed = finish_sign_in(lambda path, form=None: self.page(b, path, form), who,
                                headers.get('location', ''))
        check(passed, f'{who} passes the second factor')

    def finish(self, what):
        self.stop()
        if failures:
            sys.exit(f'{len(failures)} check(s) failed')
        print(what)

"""The newsletter against a real SMTP server (aiosmtpd, PyPI), every mail
read back by Python's own mail parser (`email`, RFC 5322 / MIME):

- subscribe on the public form -> confirmation mail -> confirm -> the next
  issue arrives; an address that did not confirm receives nothing;
- headers and structure of a letter: multipart/alternative (text and
  HTML), List-Unsubscribe (http(s) link and mailto), List-Unsubscribe-Post,
  List-Id, Message-ID on the newsletter's domain, Date, a French subject
  encoded per RFC 2047, a From of its own (not the invitations'), every
  link absolute and in the right cité (the instance holds two);
- the one-click POST of List-Unsubscribe (no cookie) unsubscribes at once,
  answered without a redirect, and the next issue does not go there;
- an address the server refuses (550) is suspended after N failures, and
  then not even tried; one it defers (451) is tried again after its
  backoff (a minute) and receives the issue once;
- the archive page and its Atom feed (feedparser, no bozo, the RFC's
  required elements);
- exactly once: 2,000 subscribers, the server killed with SIGKILL in the
  middle of the delivery and started again: every one of the 2,000
  receives the issue; a second copy may only be the one letter in flight
  at the instant of the kill, with the same Message-ID;
- the figures for docs/BENCHMARKS.md: time to queue an issue for 10,000
  subscribers, delivery throughput unthrottled, the server's memory.

Usage: python check.py PASSERELLE_BINARY [--bench]
"""
import email
import email.policy
import html as html_lib
import os
import re
import signal
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

import feedparser
from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'shared'))
from metrics import TOKEN as METRICS_TOKEN, check_metrics  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
BOOKLET = os.path.join(HERE, '..', '..', 'data', 'roubaix', 'livret-2022.md')
failures = []


def fail(message):
    failures.append(message)
    print('FAIL', message, flush=True)


def check(condition, message):
    if not condition:
        fail(message)
    return condition


class Mailbox:
    """What the SMTP server received; refuses (550) every recipient whose
    address starts with `bounce`, and the first try (451) of those starting
    with `later`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # (recipient, parsed message)
        self.refused = []
        self.deferred = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('later'):
            with self.lock:
                first = address not in self.deferred
                self.deferred.append(address)
            if first:
                return '451 4.3.0 Try again later'
        if address.startswith('bounce'):
            with self.lock:
                self.refused.append(address)
            return '550 5.1.1 Mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content,
                                          policy=email.policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, parsed))
        return '250 Message accepted for delivery'

    def to(self, address):
        with self.lock:
            return [m for r, m in self.messages if r == address]

    def count(self):
        with self.lock:
            return len(self.messages)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


mailbox = Mailbox()
smtp = Controller(mailbox, hostname='127.0.0.1', port=free_port())
smtp.start()
data = tempfile.mkdtemp()
port = free_port()
BASE = f'http://127.0.0.1:{port}'
ENV = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='warn',
           PASSERELLE_SMTP_URL=f'smtp://127.0.0.1:{smtp.port}',
           PASSERELLE_MAIL_FROM='Passerelle <passerelle@cite-roubaix.example>',
           PASSERELLE_NEWSLETTER_FROM="Lettre d'infos <lettre@cite-roubaix.example>",
           PASSERELLE_NEWSLETTER_RATE='0', PASSERELLE_NEWSLETTER_MAX_BOUNCES='2',
           PASSERELLE_BASE_URL=BASE, PASSERELLE_METRICS_TOKEN=METRICS_TOKEN)


def cli(*args, input=None):
    done = subprocess.run([BINARY, *args], env=ENV, input=input, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f'passerelle {" ".join(args)} failed: {done.stderr}')
    return done.stdout


# Two cités: Roubaix's pages are under /roubaix.
cli('export', '--format', 'json')
cli('cite', 'add', '--slug', 'tourcoing', '--name', 'Cité éducative de Tourcoing', '--from', BOOKLET)
cli('admin', 'create', '--email', 'admin@exemple.fr', '--name', 'Coordination', input='un-mot-de-passe-de-test\n')
TOKEN = cli('admin', 'token', '--email', 'admin@exemple.fr', '--label', 'lettre').strip().split()[-1]
ROOT = BASE + '/roubaix'

server = None


def start():
    global server
    server = subprocess.Popen([BINARY, 'serve', '--bind', f'127.0.0.1:{port}'], env=ENV,
                              stdout=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = server.stdout.readline()
        if 'http://127.0.0.1' in line:
            return
    sys.exit('the server did not start')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(method, path, form=None, admin=False, opener=None, body=None, headers=None):
    url = path if path.startswith('http') else ROOT + path
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
    req = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        req.add_header('Content-Type', 'application/x-www-form-urlencoded')
    if admin:
        req.add_header('Authorization', f'Bearer {TOKEN}')
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    opener = opener or urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req) as res:
            return res.status, res.headers, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def wait_for(what, condition, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    fail(f'waited {seconds} s for {what}')
    return False


def new_list(name):
    status, _, body = request('POST', '/admin/lettre/listes', {'name': name, 'description': 'Essai', 'public': '1'},
                              admin=True)
    check(status == 303, f'creating the list {name}: {status} {body[:300]}')
    _, _, page = request('GET', '/lettre')
    found = re.findall(r'name="liste" value="(\d+)"> ([^<]+?)(?: <span|</label>)', page)
    return next(int(i) for i, n in found if html_lib.unescape(n.strip()) == name)


def new_issue(list_id, title):
    status, headers, body = request('POST', '/admin/lettre/nouvelle', {
        'list': list_id, 'title': title, 'intro': "Bonjour à **toutes et tous**.", 'changes': '1', 'events': '1',
        'fiche': '5', 'free': 'Bonne lecture.'}, admin=True)
    check(status == 303, f'creating the issue {title}: {status} {body[:300]}')
    return int(headers['Location'].rsplit('/', 1)[1])


def send(issue):
    status, _, body = request('POST', f'/admin/lettre/{issue}/envoyer', {}, admin=True)
    check(status == 200 and 'Envoi lancé' in body, f'sending {issue}: {status}')


def delivered(issue):
    _, _, page = request('GET', f'/admin/lettre/{issue}', admin=True)
    return 'État : <strong>envoyée</strong>' in page


start()
pros = new_list("Lettre d'infos des professionnels")

# The public form: the anonymous CSRF token is a cookie and a field.
jar = CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def subscribe(address):
    _, _, page = request('GET', '/lettre', opener=browser)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    status, _, body = request('POST', '/lettre', {'csrf': csrf, 'email': address, 'liste': [str(pros)]},
                              opener=browser)
    check(status == 200 and 'Vérifiez votre messagerie' in body, f'subscribing {address}: {status}')


subscribe('nadia@exemple.fr')
subscribe('pending@exemple.fr')
wait_for('the confirmation mails', lambda: mailbox.to('nadia@exemple.fr') and mailbox.to('pending@exemple.fr'))
confirmation = mailbox.to('nadia@exemple.fr')[0]
check(confirmation['From'].addresses[0].addr_spec == 'passerelle@cite-roubaix.example',
      f"the confirmation's From: {confirmation['From']}")
link = re.search(r'(http://\S+/lettre/confirmer/\S+)', confirmation.get_content()).group(1)
check(link.startswith(ROOT + '/lettre/confirmer/'), f'the confirmation link is not in the cité: {link}')

# Before confirming, an issue goes to nobody.
first = new_issue(pros, "Lettre n°1 : avant la confirmation")
send(first)
wait_for('issue 1 sent', lambda: delivered(first))
time.sleep(0.5)
check(len(mailbox.to('nadia@exemple.fr')) == 1, 'an unconfirmed address received an issue')

# The link shows a button (a mail scanner's GET confirms nothing), the POST confirms, once.
status, _, page = request('GET', link)
check(status == 200 and 'Confirmer mon inscription' in page, f'confirmation page: {status}')
status, _, page = request('POST', link, {})
check(status == 200 and 'Inscription confirmée' in page, f'confirming: {status} {page[:200]}')
status, _, _ = request('POST', link, {})
check(status == 410, f'a confirmation link used twice answers {status}, not 410')

second = new_issue(pros, "Lettre n°2 : l'été à Roubaix, été comme hiver")
send(second)
wait_for('issue 2 delivered to nadia', lambda: len(mailbox.to('nadia@exemple.fr')) == 2)
wait_for('issue 2 sent', lambda: delivered(second))
check(len(mailbox.to('pending@exemple.fr')) == 1, 'an unconfirmed address received issue 2')
letter = mailbox.to('nadia@exemple.fr')[1]

# Headers and structure.
check(letter.get_content_type() == 'multipart/alternative', f'content type: {letter.get_content_type()}')
parts = {p.get_content_type(): p for p in letter.iter_parts()}
check(sorted(parts) == ['text/html', 'text/plain'], f'parts: {sorted(parts)}')
raw_subject = next(v for k, v in letter._headers if k.lower() == 'subject')
check('=?utf-8?' in raw_subject.lower(), f'the French subject is not RFC 2047-encoded: {raw_subject!r}')
check(str(letter['Subject']) == "Lettre n°2 : l'été à Roubaix, été comme hiver", f"subject: {letter['Subject']}")
check(letter['From'].addresses[0].addr_spec == 'lettre@cite-roubaix.example', f"From: {letter['From']}")
check(letter['Date'] is not None and letter['Date'].datetime is not None, 'no Date')
message_id = str(letter['Message-ID'])
check(re.fullmatch(rf'<lettre-{second}-\d+@cite-roubaix\.example>', message_id) is not None,
      f'Message-ID: {message_id}')
check(str(letter['List-Id']).endswith('.roubaix.cite-roubaix.example>'), f"List-Id: {letter['List-Id']}")
unsubscribe_header = str(letter['List-Unsubscribe'])
links = re.findall(r'<([^>]+)>', unsubscribe_header)
check(len(links) == 2 and links[0].startswith(ROOT + '/lettre/desinscription/') and links[1].startswith('mailto:'),
      f'List-Unsubscribe: {unsubscribe_header}')
check(str(letter['List-Unsubscribe-Post']) == 'List-Unsubscribe=One-Click',
      f"List-Unsubscribe-Post: {letter['List-Unsubscribe-Post']}")
html = parts['text/html'].get_content()
text = parts['text/plain'].get_content()
check('<html lang="fr">' in html and '<img' not in html, 'the HTML is not a French page readable without images')
hrefs = re.findall(r'href="([^"]+)"', html) + re.findall(r'(https?://\S+)', text)
check(len(hrefs) > 5, f'only {len(hrefs)} links')
outside = [h for h in hrefs if not h.startswith(ROOT + '/')]
check(not outside, f'links outside the cité or not absolute: {outside[:5]}')
check(f'{ROOT}/lettre/numeros/{second}' in hrefs, 'no link to the web version')
check(f'{ROOT}/actions/5' in hrefs, 'the chosen fiche is not linked')
print(f'letter: {letter.get_content_type()}, {message_id}, {len(hrefs)} links, all in {ROOT}')

# The archive and its feed.
status, _, page = request('GET', f'/lettre/numeros/{second}')
check(status == 200 and "l'été à Roubaix" in html_lib.unescape(page), f'archive page: {status}')
status, _, feed_xml = request('GET', '/lettre/flux.atom')
feed = feedparser.parse(feed_xml)
check(status == 200 and not feed.bozo, f'the feed: {status}, bozo {feed.bozo}')
check(feed.feed.get('id') and feed.feed.get('updated') and feed.feed.get('author'), 'feed id/updated/author')
titles = [e.get('title') for e in feed.entries]
check("Lettre n°2 : l'été à Roubaix, été comme hiver" in titles, f'feed entries: {titles}')
for e in feed.entries:
    check(e.get('id') and e.get('updated') and e.get('link', '').startswith(ROOT + '/lettre/numeros/'),
          f'feed entry: {e}')

# One click: a POST with no cookie, answered at once without a redirect.
status, headers, page = request('POST', links[0], body=b'List-Unsubscribe=One-Click')
check(status == 200 and 'Location' not in headers and 'désinscrit' in page, f'one-click POST: {status}')
third = new_issue(pros, 'Lettre n°3')
# Bounces: two addresses imported, one refused by the server.
csv_body = 'email\nbounce-1@exemple.fr\nok@exemple.fr\n'
boundary = 'passerelle-test'
multipart = ''.join(
    f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'
    for n, v in [('list', str(pros)), ('basis', "bulletins papier signés au forum du 12 mars")]
) + (f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="abonnes.csv"\r\n'
     f'Content-Type: text/csv\r\n\r\n{csv_body}\r\n--{boundary}--\r\n')
status, _, page = request('POST', '/admin/lettre/abonnes/import', body=multipart.encode(), admin=True,
                          headers={'Content-Type': f'multipart/form-data; boundary={boundary}'})
check(status == 200 and '2 adresses nouvelles' in page, f'import: {status} {page[:300]}')
send(third)
wait_for('issue 3 sent', lambda: delivered(third))
check(len(mailbox.to('nadia@exemple.fr')) == 2, 'the one-click unsubscription did not stop issue 3')
check(len(mailbox.to('ok@exemple.fr')) == 1, 'an imported address did not receive issue 3')
fourth = new_issue(pros, 'Lettre n°4')
send(fourth)
wait_for('issue 4 sent', lambda: delivered(fourth))
fifth = new_issue(pros, 'Lettre n°5')
send(fifth)
wait_for('issue 5 sent', lambda: delivered(fifth))
check(mailbox.refused.count('bounce-1@exemple.fr') == 2,
      f'the refused address was tried {mailbox.refused.count("bounce-1@exemple.fr")} times, not 2 (then suspended)')
check(len(mailbox.to('ok@exemple.fr')) == 3, 'the imported address did not receive issues 3, 4 and 5')
_, _, page = request('GET', '/admin/lettre/abonnes', admin=True)
check(re.search(r'bounce-1@exemple\.fr</a></th><td>suspendu', page) is not None,
      'the refused address is not shown suspended')
print(f'bounces: refused {mailbox.refused.count("bounce-1@exemple.fr")} times, then suspended')

# Exactly once, through a SIGKILL.
mass = new_list('Essai de masse')
N = 2000
csv_body = 'email\nlater-1@exemple.fr\n' + ''.join(f'p{i}@masse.example\n' for i in range(N))
multipart = ''.join(
    f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'
    for n, v in [('list', str(mass)), ('basis', "liste de test pour l'essai de masse")]
) + (f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="masse.csv"\r\n'
     f'Content-Type: text/csv\r\n\r\n{csv_body}\r\n--{boundary}--\r\n')
status, _, page = request('POST', '/admin/lettre/abonnes/import', body=multipart.encode(), admin=True,
                          headers={'Content-Type': f'multipart/form-data; boundary={boundary}'})
check(status == 200, f'mass import: {status}')
big = new_issue(mass, "Lettre de masse")
before = mailbox.count()
started = time.time()
send(big)
wait_for('a third of the delivery', lambda: mailbox.count() - before >= N // 3, seconds=120)
rate = (mailbox.count() - before) / (time.time() - started)
rss = 0
try:
    with open(f'/proc/{server.pid}/status') as f:
        rss = int(next(l for l in f if l.startswith('VmRSS')).split()[1]) // 1024
except OSError:
    pass
server.send_signal(signal.SIGKILL)
server.wait()
at_kill = mailbox.count() - before
print(f'killed after {at_kill} letters ({rate:.0f} letters/s unthrottled, server RSS {rss} MiB)')
start()
wait_for('every letter after the restart', lambda: len({r for r, m in mailbox.messages[before:]}) >= N + 1,
         seconds=240)
wait_for('the issue marked sent', lambda: delivered(big), seconds=60)
received = {}
for rcpt, m in mailbox.messages[before:]:
    received.setdefault(rcpt, []).append(str(m['Message-ID']))
missing = [f'p{i}@masse.example' for i in range(N) if f'p{i}@masse.example' not in received]
twice = {r: ids for r, ids in received.items() if len(ids) > 1}
check(not missing, f'{len(missing)} subscribers never received the issue: {missing[:5]}')
check(len(twice) <= 1, f'{len(twice)} subscribers received it twice: {list(twice)[:5]}')
for r, ids in twice.items():
    check(len(set(ids)) == 1, f'{r} received two different Message-IDs: {ids}')
later = received.get('later-1@exemple.fr', [])
check(len(later) == 1 and mailbox.deferred.count('later-1@exemple.fr') == 2,
      f'a temporary failure (451): tried {mailbox.deferred.count("later-1@exemple.fr")} times, received {len(later)}')
print(f'exactly once: {N - len(missing)} of {N} received, {len(twice)} second copy (the letter in flight at the kill)')
status_out = cli('newsletter', 'status', '--cite', 'roubaix')
check(re.search(rf'n° {big}\t\S+\tenvoyée\tLettre de masse\t{N + 1} envoyées', status_out) is not None,
      f'newsletter status: {status_out}')
exported = cli('newsletter', '--cite', 'roubaix', 'subscribers', 'export', '--list', 'essai-de-masse')
check(len(exported.strip().splitlines()) == N + 2, f'subscribers export: {len(exported.splitlines())} lines')

# The metrics after the flow (this server, started again after the kill,
# sent the rest of the issue): the letters counted, an action's page under
# its template with the cité as `{cite}`, no address in any label.
request('GET', '/actions/5')
families = check_metrics(BASE, check, route='/{cite}/actions/{fiche}',
                         personal=['nadia@exemple.fr', 'pending@exemple.fr', 'bounce-1', 'later-1',
                                   'masse.example', 'ok@exemple.fr', TOKEN])
sent = families.get('passerelle_newsletter_letters_sent')
check(sent is not None and sum(s.value for s in sent.samples) > 0,
      'the letters sent after the restart are counted')

if '--bench' in sys.argv:
    # docs/BENCHMARKS.md: queuing for 10,000, delivering them unthrottled, memory.
    N = 10_000
    bench = new_list('Mesure')
    csv_body = 'email\n' + ''.join(f'm{i}@mesure.example\n' for i in range(N))
    multipart = ''.join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'
        for n, v in [('list', str(bench)), ('basis', 'adresses de mesure, aucune personne')]
    ) + (f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="mesure.csv"\r\n'
         f'Content-Type: text/csv\r\n\r\n{csv_body}\r\n--{boundary}--\r\n')
    t = time.time()
    status, _, _ = request('POST', '/admin/lettre/abonnes/import', body=multipart.encode(), admin=True,
                           headers={'Content-Type': f'multipart/form-data; boundary={boundary}'})
    print(f'bench: import of {N} addresses: {time.time() - t:.2f} s ({status})')
    issue = new_issue(bench, 'Mesure')
    before = mailbox.count()
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            try:
                with open(f'/proc/{server.pid}/status') as f:
                    kib = int(next(l for l in f if l.startswith('VmRSS')).split()[1])
                peak[0] = max(peak[0], kib)
            except OSError:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    t = time.time()
    send(issue)
    queued = time.time() - t
    wait_for('the 10,000 letters', lambda: mailbox.count() - before >= N, seconds=900)
    took = time.time() - t
    stop.set()
    sampler.join()
    print(f'bench: queuing the issue for {N} (compose + enqueue, one request): {queued:.2f} s')
    print(f'bench: {N} letters delivered in {took:.1f} s: {N / took:.0f} letters/s; server RSS peak {peak[0] // 1024} MiB')

server.send_signal(signal.SIGTERM)
server.wait()
smtp.stop()
if failures:
    sys.exit(f'{len(failures)} failure(s)')
print('newsletter: every check passed')

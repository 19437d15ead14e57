"""Calls for projects against a real SMTP server (aiosmtpd, PyPI), every
mail read back by Python's own mail parser, and the exports read back by
third-party parsers (openpyxl for xlsx, Python's csv for CSV):

- two operators sign up with their address (the link is mailed, and
  creates an account with no role), sign in and apply to a published call;
  each is mailed on submission;
- the coordination asks A for more (A is mailed the message) and A
  answers; a committee retains A with its amounts and refuses B with a
  reason (B is mailed it, kindly worded);
- no mail to one applicant holds anything of the other's application;
- the export as xlsx and CSV reads back, and its column ids stay the same
  when a criterion is renamed.

Usage: python check.py PASSERELLE_BINARY
"""
import csv
import io
import os
import re
import sys
import time

import openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'shared'))
from instance import Instance, check, csrf_of, text_of  # noqa: E402

INSTANCE = Instance(sys.argv[1])
ADMIN = 'coordination@ville-roubaix.fr'
PASSWORD = 'un-mot-de-passe-de-test'
A = {'email': 'asso-a@exemple.fr', 'title': 'Lire ensemble', 'structure': 'Association Lire',
     'siret': '123 456 789 00015'}
B = {'email': 'asso-b@exemple.fr', 'title': 'Théâtre au collège', 'structure': 'Compagnie Bravo',
     'siret': '732 829 320 00074'}
REQUEST = "Joignez le budget réalisé de l'an dernier."
REASON = 'Le projet ne vise pas les enfants du quartier.'


mailbox = INSTANCE.mailbox
BASE = INSTANCE.base
cli = INSTANCE.cli
browser = INSTANCE.browser
fetch = INSTANCE.fetch
page = INSTANCE.page


def sign_in(b, who):
    INSTANCE.sign_in(b, who, PASSWORD)


def paris(seconds):
    """A moment as a form's date and time in Paris (the machine's zone aside)."""
    os.environ['TZ'] = 'Europe/Paris'
    time.tzset()
    t = time.localtime(seconds)
    return time.strftime('%Y-%m-%d', t), time.strftime('%H:%M', t)


def call_form(csrf, criterion_label='Partenariats'):
    od, ot = paris(time.time() - 86400)
    dd, dt = paris(time.time() + 30 * 86400)
    return {
        'csrf': csrf, 'title': 'Réussite éducative 2027', 'text': 'Un appel ouvert.',
        'axes': '1', 'eligible': 'Associations de Roubaix', 'funds': '2027',
        'documents': 'Statuts', 'spread_alert': '20',
        'steps.0.kind': 'dossier', 'steps.0.opens_date': od, 'steps.0.opens_time': ot,
        'steps.0.deadline.0.date': dd, 'steps.0.deadline.0.time': dt,
        'grid.0.label': 'Pertinence', 'grid.0.weight': '2', 'grid.0.max': '4',
        'grid.0.key': 'pertinence',
        'grid.1.label': criterion_label, 'grid.1.weight': '1', 'grid.1.max': '4',
        'grid.1.key': 'partenariats',
    }


def application(csrf, who):
    return {
        'csrf': csrf, 'intent': 'deposer', 'title': who['title'], 'axis': '1',
        'description': 'Des ateliers chaque mercredi.', 'objectives': 'Lire\nÉcrire',
        'audiences': ['enfants'], 'age_min': '6', 'age_max': '11', 'starts': '2027-01-04',
        'ends': '2027-06-30', 'place': 'Centre social', 'structure': who['structure'],
        'siret': who['siret'], 'representative': 'La présidence', 'contact_name': 'Léa Martin',
        'budget.0.account': '64', 'budget.0.amount': '12 000,50 €',
        'budget.1.account': '74', 'budget.1.funder': 'État – Cité éducative', 'budget.1.amount': '8000.5',
        'budget.2.account': '74', 'budget.2.funder': 'Ville', 'budget.2.amount': '4 000',
    }


cli('import')
cli('admin', 'create', '--email', ADMIN, '--name', 'Coordination', input=PASSWORD + '\n')
INSTANCE.serve()
try:

    admin = browser()
    sign_in(admin, ADMIN)
    _, text, _ = page(admin, '/admin/appels/nouveau')
    form = call_form(csrf_of(text))
    form['intent'] = 'publier'
    status, body, headers = page(admin, '/admin/appels', form)
    check(status == 303, f'the call is published: {status} {body[:400]}')
    call = re.search(r'/admin/appels/(\d+)', headers.get('location', '')).group(1)

    apps = {}
    for who in (A, B):
        anonymous = browser()
        _, text, _ = page(anonymous, '/inscription')
        status, _, _ = page(anonymous, '/inscription', {'csrf': csrf_of(text), 'name': 'Léa Martin', 'email': who['email']})
        check(status == 200, f'{who["email"]} signs up: {status}')
        m = mailbox.wait_for(who['email'], 'confirmez votre adresse')
        link = re.search(re.escape(BASE) + r'(/invitation/[A-Za-z0-9_-]+)', text_of(m)) if m else None
        if not check(link is not None, f'an absolute link in the sign-up mail: {m and text_of(m)}'):
            break
        status, _, _ = page(anonymous, link.group(1), {'password': PASSWORD, 'confirmation': PASSWORD})
        check(status == 303, f'the account is created: {status}')
        b = browser()
        sign_in(b, who['email'])
        _, text, _ = page(b, f'/appels/{call}')
        status, _, headers = page(b, f'/appels/{call}/candidater', {'csrf': csrf_of(text)})
        check(status == 303, f'{who["email"]} starts an application: {status}')
        path = headers.get('location', '')
        _, text, _ = page(b, path)
        status, body, _ = page(b, path, application(csrf_of(text), who))
        check(status == 303, f'{who["email"]} submits: {status} {body[:300]}')
        m = mailbox.wait_for(who['email'], 'Candidature déposée')
        check(m is not None and who['title'] in text_of(m) + m['Subject'], 'the submission mail names the project')
        apps[who['email']] = (b, path)

    # A request for more, mailed with its message; A answers.
    a_browser, a_path = apps[A['email']]
    _, text, _ = page(admin, a_path)
    page(admin, f'{a_path}/etat', {'csrf': csrf_of(text), 'event': 'instruire'})
    status, _, _ = page(admin, f'{a_path}/etat', {'csrf': csrf_of(text), 'event': 'demander-complements', 'note': REQUEST})
    check(status == 303, f'more is asked of A: {status}')
    m = mailbox.wait_for(A['email'], 'compléments sont demandés')
    check(m is not None and REQUEST in text_of(m), 'the request carries its message')
    _, text, _ = page(a_browser, a_path)
    status, _, _ = page(a_browser, a_path, application(csrf_of(text), A))
    check(status == 303, f'A answers: {status}')
    mailbox.wait_for(A['email'], 'Compléments reçus')

    # The committee: A retained with its amounts, B refused with its reason.
    b_path = apps[B['email']][1]
    _, text, _ = page(admin, b_path)
    status, _, _ = page(admin, f'{b_path}/etat', {'csrf': csrf_of(text), 'event': 'instruire'})
    check(status == 303, f'B in instruction: {status}')
    _, text, _ = page(admin, f'/admin/appels/{call}/comites')
    status, _, headers = page(admin, f'/admin/appels/{call}/comites', {'csrf': csrf_of(text), 'held_on': '2027-04-15', 'members': 'Mme la déléguée du préfet'})
    committee = headers.get('location', '')
    check(status == 303 and committee, f'a committee: {status}')
    _, text, _ = page(admin, committee)
    for who, decision in ((A, {'decision': 'retenir', 'line.0.funder': 'État – Cité éducative', 'line.0.amount': '8 000,50'}),
                          (B, {'decision': 'refuser', 'reason': REASON})):
        app_id = apps[who['email']][1].rsplit('/', 1)[1]
        status, body, _ = page(admin, f'{committee}/decisions/{app_id}', {'csrf': csrf_of(text), **decision})
        check(status == 303, f'the decision on {who["title"]}: {status} {body[:300]}')
    m = mailbox.wait_for(A['email'], 'retenu')
    m = mailbox.wait_for(B['email'], 'Réponse à votre candidature')
    if m is not None:
        body = text_of(m)
        check(REASON in body, 'the refusal carries its reason')
        check('Nous vous remercions' in body, 'the refusal is kindly worded')

    # No mail to one applicant holds anything of the other's application.
    for rcpt, m in mailbox.all():
        body = text_of(m) + m['Subject']
        check(m['From'] == 'Passerelle <passerelle@cite-roubaix.example>', f'From: {m["From"]}')
        for me, other in ((A, B), (B, A)):
            if rcpt == me['email']:
                for secret in (other['title'], other['structure'], other['siret'], other['email']):
                    check(secret not in body, f'the mail {m["Subject"]!r} to {rcpt} holds {secret!r}')

    # The exports, read back by third-party parsers.
    status, xlsx, _ = fetch(admin, f'/admin/appels/{call}/export/candidatures?format=xlsx')
    check(status == 200, f'the xlsx export: {status}')
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    check(header[:3] == ['id', 'etat', 'etape'], f'the column ids first: {header[:5]}')
    by_title = {r[header.index('titre')]: r for r in rows[1:]}
    check(set(by_title) == {A['title'], B['title']}, f'one row per application: {list(by_title)}')
    check(by_title.get(A['title'], [None] * len(header))[header.index('decision')] == 'retenue', 'A retained in the export')
    check(by_title.get(A['title'], [None] * len(header))[header.index('subventions_demandees')] == '12000.50', 'the amounts exact')
    status, raw, headers = fetch(admin, f'/admin/appels/{call}/export/candidatures?format=csv&colonnes=id,titre,critere_partenariats')
    check(raw.startswith(b'\xef\xbb\xbf'), 'the CSV starts with its BOM')
    table = list(csv.reader(io.StringIO(raw.decode('utf-8-sig')), delimiter=';'))
    check(table[0] == ['id', 'titre', 'critere_partenariats'], f'the chosen columns: {table[0]}')
    check(len(table) == 3, f'two applications: {table}')
    # A criterion renamed: the ids stay.
    _, text, _ = page(admin, f'/admin/appels/{call}')
    version = re.search(r'name="version" value="(\d+)"', text).group(1)
    form = call_form(csrf_of(text), criterion_label='Qualité des partenariats')
    form['version'] = version
    status, body, _ = page(admin, f'/admin/appels/{call}', form)
    check(status == 303, f'the criterion renamed: {status} {body[:300]}')
    status, xlsx, _ = fetch(admin, f'/admin/appels/{call}/export/candidatures?format=xlsx')
    again = [c.value for c in next(openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows())]
    check(again == header, f'the column ids did not change: {again} != {header}')
finally:
    INSTANCE.finish('calls: sign-up, submission, request, decisions and exports checked')

"""The programme's money against a real SMTP server (aiosmtpd, PyPI),
every mail read back by Python's own mail parser:

- a funding spreadsheet (CSV, `;`, Windows-1252, as a French spreadsheet
  saves it) is imported with `passerelle funding import`;
- the clock (`passerelle funding remind --on DAY`, what the server does
  each hour) mails the referent of the operator of a line voted in 2022
  30 days before its financial report is due (31 May 2023) and on the due
  day (30 June), each once, with an absolute link to the report's form;
  nothing the day before, nothing once it is late (1 July); the referent's
  page then says the report is late;
- with the SIRET of the prefecture (the State's attributor) and of the
  operator entered through the API (their key checked), the voted
  subsidies are published in the national SCDL columns:
  `frictionless validate` (Frictionless Data, PyPI) finds the data package
  valid, the line voted above 23 000 € is there with its exact amount, and
  no amount only requested is;
- the revue de projet of Roubaix for 2022, with the lines imported, reads
  back as xlsx with openpyxl, the State's voted figure that of the API, and as a PDF that `qpdf --check`
  accepts and `pdftotext` reads.

Usage: python check.py PASSERELLE_BINARY
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

import openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'shared'))
from instance import Instance, check, text_of  # noqa: E402

INSTANCE = Instance(sys.argv[1])
ADMIN = 'coordination@ville-roubaix.fr'
REFERENT = 'referent@citeo.com'
PASSWORD = 'un-mot-de-passe-de-test'
cli = INSTANCE.cli
mailbox = INSTANCE.mailbox

cli('import')
cli('admin', 'create', '--email', ADMIN, '--name', 'Coordination', input=PASSWORD + '\n')
invited = cli('admin', 'invite', '--email', REFERENT, '--name', 'Référente Citéo',
              '--role', 'referent', '--organisation', 'citeo')
link = re.search(r'(/invitation/[A-Za-z0-9_-]+)', invited)

sheet = os.path.join(tempfile.mkdtemp(), 'financements.csv')
with open(sheet, 'w', encoding='cp1252', newline='') as f:
    f.write('Fiche;Année;Financeur;Demandé;Voté;Date de décision;Versé;Date de versement\r\n')
    f.write('5;2022;État – Cité éducative;30 000 €;25 000 €;12/03/2022;12 500;01/04/2022\r\n')
    f.write('7;2022;Ville;8 000;;;;\r\n')
said = cli('funding', 'import', sheet)
check("l'import a changé 2 élément(s)" in said, f'the spreadsheet is imported: {said}')

INSTANCE.serve()
try:
    if check(link is not None, f'an invitation link: {invited}'):
        b = INSTANCE.browser()
        status, _, _ = INSTANCE.page(b, link.group(1), {'password': PASSWORD, 'confirmation': PASSWORD})
        check(status == 303, f'the referent chooses a password: {status}')

    def remind(day):
        out = cli('funding', 'remind', '--on', day)
        return int(re.search(r'(\d+) rappel', out).group(1))

    check(remind('2023-05-30') == 0, 'nothing before 31 May')
    check(remind('2023-05-31') == 1, 'the reminder on 31 May')
    m = mailbox.wait_for(REFERENT, 'à remettre avant le 30 juin 2023')
    if m is not None:
        text = text_of(m)
        check(f'{INSTANCE.base}/financements/ligne/compte-rendu?fiche=5&annee=2022&financeur=etat' in text,
              f'an absolute link to the report: {text}')
        check('CERFA n° 15059' in text, 'the mail names the form')
    check(remind('2023-05-31') == 0, 'once')
    check(remind('2023-06-30') == 1, 'the due day')
    mailbox.wait_for(REFERENT, "à remettre aujourd'hui")
    check(remind('2023-07-01') == 0, 'nothing once late')
    check(len(mailbox.all()) == 2, f'two mails in all: {[(r, m["Subject"]) for r, m in mailbox.all()]}')
    check(all(r == REFERENT for r, _ in mailbox.all()), 'to the referent only')

    b = INSTANCE.browser()
    INSTANCE.sign_in(b, REFERENT, PASSWORD)
    status, text, _ = INSTANCE.page(b, '/financements/ligne?fiche=5&annee=2022&financeur=etat')
    check(status == 200 and 'En retard : attendu le 30 juin 2023' in text, f'the line is late: {status}')
    status, _, _ = INSTANCE.page(b, '/financements/ligne?fiche=7&annee=2022&financeur=commune')
    check(status == 404, f"another operator's line is not shown to the referent: {status}")

    # The SIRETs, through the API; a wrong key is refused.
    token = cli('admin', 'token', '--email', ADMIN, '--label', 'check').strip()

    def api(method, path, body=None):
        request = urllib.request.Request(INSTANCE.base + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={'Authorization': f'Bearer {token}',
                                                  'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=30) as res:
                return res.status, json.loads(res.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b'{}')

    for slug, siret in [('prefecture-du-nord', '73282932000074'), ('citeo', '552 100 554 00021')]:
        _, stored = api('GET', f'/api/v1/entities/organisation/{slug}')
        wrong = dict(stored['body'], siret='73282932000075')
        status, _ = api('PUT', f'/api/v1/entities/organisation/{slug}', {'version': stored['version'], 'body': wrong})
        check(status == 422, f'a SIRET whose key is wrong is refused: {status}')
        status, saved = api('PUT', f'/api/v1/entities/organisation/{slug}',
                            {'version': stored['version'], 'body': dict(stored['body'], siret=siret)})
        check(status == 200 and saved['body'].get('siret') == siret.replace(' ', ''), f'{slug} SIRET saved: {status} {saved}')

    voted = os.path.join(tempfile.mkdtemp(), 'conventions.csv')
    with open(voted, 'w', encoding='utf-8', newline='') as f:
        f.write('Fiche,Année,Financeur,Demandé,Voté,Date de décision,Convention,Date de convention\n')
        f.write('5,2021,État – Cité éducative,"32 000,00 €","30 000,50 €",12/03/2021,C-2021-5,20/03/2021\n')
    said = cli('funding', 'import', voted)
    check("l'import a changé 1 élément(s)" in said, f'the , CSV in UTF-8 is imported: {said}')

    package_dir = tempfile.mkdtemp()
    with urllib.request.urlopen(INSTANCE.base + '/donnees/datapackage.json', timeout=30) as res:
        package = json.loads(res.read())
    with open(os.path.join(package_dir, 'datapackage.json'), 'w') as f:
        json.dump(package, f)
    for resource in package['resources']:
        with urllib.request.urlopen(f"{INSTANCE.base}/donnees/{resource['path']}", timeout=30) as res:
            with open(os.path.join(package_dir, resource['path']), 'wb') as f:
                f.write(res.read())
    done = subprocess.run(['frictionless', 'validate', '--json', 'datapackage.json'], cwd=package_dir,
                          capture_output=True, text=True)
    report = json.loads(done.stdout or '{}')
    check(report.get('valid') is True, 'frictionless: ' + done.stdout[:3000])
    with open(os.path.join(package_dir, 'subventions.csv'), encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    by_amount = {r['montant']: r for r in rows}
    line = by_amount.get('30000.50')
    if check(line is not None, f'the voted line above 23 000 € is published: {rows}'):
        check(line['idAttribuant'] == '73282932000074' and line['nomAttribuant'] == 'Préfecture du Nord',
              f'its attributor: {line}')
        check(line['idBeneficiaire'] == '55210055400021' and line['dateConvention'] == '2021-03-20',
              f'its beneficiary and convention: {line}')
    check(not any(r['montant'].startswith(('32000', '8000', '30000.00')) for r in rows),
          f'nothing requested only: {rows}')

    # The revue de projet, as a workbook and a PDF.
    admin = INSTANCE.browser()
    INSTANCE.sign_in(admin, ADMIN, PASSWORD)
    status, xlsx, _ = INSTANCE.fetch(admin, '/revue.xlsx?annee=2022')
    check(status == 200, f'the revue as xlsx: {status}')
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    check(cells[0] == ['Section', 'Élément', 'Valeur'], f'its header: {cells[0]}')
    _, envelopes = api('GET', '/api/v1/funding?year=2022')
    voted = sum(l['voted_cents'] for l in envelopes if l['funder'] == 'etat')
    euros = f"{voted // 100:,}".replace(',', '\u202f') + f",{voted % 100:02}\u00a0€"
    etat = [r for r in cells if r[1] == 'État – Cité éducative (P147) : voté']
    check(etat and etat[0][2] == euros, f"the State's voted figure is the API's ({euros}): {etat}")
    status, pdf, _ = INSTANCE.fetch(admin, '/revue.pdf?annee=2022')
    path = os.path.join(package_dir, 'revue.pdf')
    with open(path, 'wb') as f:
        f.write(pdf)
    qpdf = subprocess.run(['qpdf', '--check', path], capture_output=True, text=True)
    check(qpdf.returncode == 0, f'qpdf --check: {qpdf.stdout[-500:]}')
    text = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], capture_output=True, text=True).stdout
    check('Revue de projet 2022' in text and 'Gestion financière' in text, f'pdftotext: {text[:500]}')
finally:
    INSTANCE.finish('funding: the spreadsheet imported, the reports reminded on the real SMTP server')

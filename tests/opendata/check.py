"""The open data and the feeds, read by tools that are not ours.

- every CSV, in both flavours, opens as a table with the datapackage's
  columns (Python's csv module: `,` without BOM; `;` with BOM and CRLF);
- `frictionless validate datapackage.json` (Frictionless Data, PyPI) finds
  the package valid, CSV files beside it;
- every data·inclusion record validates against the official package's
  pydantic models (`data-inclusion-schema` on PyPI), with 0 errors;
- each Atom feed parses with feedparser without `bozo`, and the feed and
  every entry carry what RFC 4287 requires (id, title, updated, an author
  at feed or entry level, a link), its links pointing at the cité's pages;
- the national export (`passerelle export --national`) of an instance with
  two cités holds every cité's rows, each with its cité's id.

It serves the bundled Roubaix programme itself, from a fresh database.

Usage: python check.py PASSERELLE_BINARY
"""
import csv
import io
import json
import os
import subprocess
import sys
import re
import tempfile
import time
import urllib.request

import feedparser
from data_inclusion.schema.v1 import Service, Structure
from pydantic import ValidationError

BINARY = sys.argv[1]
served = tempfile.TemporaryDirectory()
server = subprocess.Popen([BINARY, 'serve', '--bind', '127.0.0.1:0'], stdout=subprocess.PIPE, text=True,
                          env=dict(os.environ, PASSERELLE_DATA_DIR=served.name, PASSERELLE_LOG='warn'))
BASE = None
deadline = time.time() + 60
while BASE is None and time.time() < deadline:
    line = server.stdout.readline()
    found = re.search(r'http://127\.0\.0\.1:\d+', line)
    if found:
        BASE = found.group(0)
if BASE is None:
    server.kill()
    sys.exit('the server did not start')
TABLES = ['actions', 'organisations', 'contacts', 'territoires', 'evenements', 'subventions']
failures = []


def get(path):
    with urllib.request.urlopen(BASE + path) as res:
        return res.status, res.headers, res.read()


def fail(message):
    failures.append(message)
    print('FAIL', message)


# The datapackage names each table's columns.
_, _, raw = get('/donnees/datapackage.json')
package = json.loads(raw)
columns = {r['name']: [f['name'] for f in r['schema']['fields']] for r in package['resources']}
if sorted(columns) != sorted(TABLES):
    fail(f'datapackage resources: {sorted(columns)}')
if package['licenses'][0]['name'] != 'etalab-2.0':
    fail(f"licence: {package['licenses']}")

# CSV, both flavours.
with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, 'datapackage.json'), 'wb') as f:
        f.write(raw)
    for table in TABLES:
        status, headers, body = get(f'/donnees/{table}.csv')
        if body.startswith(b'\xef\xbb\xbf'):
            fail(f'{table}.csv has a BOM')
        with open(os.path.join(tmp, f'{table}.csv'), 'wb') as f:
            f.write(body)
        rows = list(csv.reader(io.StringIO(body.decode('utf-8'), newline='')))
        if rows[0] != columns[table]:
            fail(f'{table}.csv header {rows[0]} != {columns[table]}')
        status, headers, sheet = get(f'/donnees/{table}-tableur.csv')
        if not sheet.startswith(b'\xef\xbb\xbf'):
            fail(f'{table}-tableur.csv has no BOM')
        if b'\r\n' not in sheet:
            fail(f'{table}-tableur.csv lines do not end in CRLF')
        sheet_rows = list(csv.reader(io.StringIO(sheet.decode('utf-8-sig'), newline=''), delimiter=';'))
        if sheet_rows[0] != columns[table]:
            fail(f'{table}-tableur.csv header {sheet_rows[0]}')
        if len(sheet_rows) != len(rows) or any(len(r) != len(columns[table]) for r in sheet_rows):
            fail(f'{table}-tableur.csv: {len(sheet_rows)} rows, {len(rows)} in the open-data one')
        for r in sheet_rows[1:]:
            for cell in r:
                if cell[:1] in ('=', '+', '-', '@'):
                    fail(f'{table}-tableur.csv: a formula is not defused: {cell!r}')
        status, headers, js = get(f'/donnees/{table}.json')
        if len(json.loads(js)) != len(rows) - 1:
            fail(f'{table}.json rows')
        print(f'{table}: {len(rows) - 1} rows, {len(columns[table])} columns, both flavours read')
    done = subprocess.run(['frictionless', 'validate', '--json', 'datapackage.json'], cwd=tmp,
                          capture_output=True, text=True)
    report = json.loads(done.stdout)
    if done.returncode != 0 or not report.get('valid'):
        fail('frictionless: ' + done.stdout[:4000])
    else:
        print('frictionless validate datapackage.json: valid')

# data·inclusion, with the official models.
_, _, structures = get('/donnees/structures.json')
_, _, services = get('/donnees/services.json')
structures, services = json.loads(structures), json.loads(services)
for name, model, records in (('structure', Structure, structures), ('service', Service, services)):
    errors = 0
    for record in records:
        try:
            model.model_validate(record)
        except ValidationError as e:
            errors += 1
            fail(f"{name} {record.get('id')}: {e}")
    print(f'data·inclusion: {len(records)} {name}s, {errors} errors')
ids = {s['id'] for s in structures}
for s in services:
    if s['structure_id'] not in ids:
        fail(f"service {s['id']}: structure {s['structure_id']} not exported")
    if not s['lien_source'].startswith(BASE + '/actions/'):
        fail(f"service {s['id']}: lien_source {s['lien_source']}")
if len(services) != 27:
    fail(f'{len(services)} services, 27 expected')

# Atom.
for path, entries_expected in (('/flux/actions.atom', 27), ('/flux/evenements.atom', None)):
    _, headers, body = get(path)
    if not headers['Content-Type'].startswith('application/atom+xml'):
        fail(f"{path}: {headers['Content-Type']}")
    feed = feedparser.parse(body)
    if feed.bozo:
        fail(f'{path}: bozo {feed.bozo_exception}')
    f = feed.feed
    for key in ('id', 'title', 'updated', 'link'):
        if not f.get(key):
            fail(f'{path}: the feed has no {key}')
    if not f.get('author_detail', {}).get('name'):
        fail(f'{path}: the feed has no author')
    if not any(l.get('rel') == 'self' for l in f.get('links', [])):
        fail(f'{path}: no self link')
    for e in feed.entries:
        for key in ('id', 'title', 'updated', 'link'):
            if not e.get(key):
                fail(f'{path}: an entry has no {key}: {e}')
        if not e.link.startswith(BASE + '/'):
            fail(f'{path}: entry link {e.link} is not of this cité')
    if entries_expected is not None and len(feed.entries) != entries_expected:
        fail(f'{path}: {len(feed.entries)} entries')
    print(f'{path}: {len(feed.entries)} entries, no bozo, required elements present')

# The national export: two cités, every row with its cité.
with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as out:
    env = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='warn')
    booklet = os.path.join(os.path.dirname(__file__), '..', '..', 'data', 'roubaix', 'livret-2022.md')
    subprocess.run([BINARY, 'export', '--format', 'json'], env=env, check=True, capture_output=True)
    subprocess.run([BINARY, 'cite', 'add', '--slug', 'tourcoing', '--name', 'Cité éducative de Tourcoing',
                    '--from', booklet], env=env, check=True, capture_output=True)
    subprocess.run([BINARY, 'export', '--format', 'csv', '--national', '--output', out], env=env, check=True,
                   capture_output=True)
    subprocess.run([BINARY, 'export', '--format', 'datainclusion', '--national', '--output', out], env=env,
                   check=True, capture_output=True)
    with open(os.path.join(out, 'actions.csv'), encoding='utf-8', newline='') as f:
        rows = list(csv.DictReader(f))
    by_cite = {}
    for r in rows:
        by_cite[r['cite']] = by_cite.get(r['cite'], 0) + 1
    if by_cite != {'roubaix': 27, 'tourcoing': 27}:
        fail(f'national actions.csv: {by_cite}')
    tourcoing = [r for r in rows if r['cite'] == 'tourcoing' and r['url']]
    if not tourcoing or not all('/tourcoing/actions/' in r['url'] for r in tourcoing):
        fail('national actions.csv: Tourcoing rows do not link to Tourcoing pages')
    with open(os.path.join(out, 'services.json'), encoding='utf-8') as f:
        national = json.load(f)
    errors = 0
    for record in national:
        try:
            Service.model_validate(record)
        except ValidationError as e:
            errors += 1
            fail(f"national service {record.get('id')}: {e}")
    if len({s['source'] for s in national}) != 2:
        fail('national services: not both cités')
    print(f'national export: {by_cite}, {len(national)} services, {errors} errors')

server.terminate()
server.wait()
served.cleanup()
if failures:
    print(f'{len(failures)} failure(s)')
    sys.exit(1)
print('open data and feeds: all checks passed')

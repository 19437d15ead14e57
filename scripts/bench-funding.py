#!/usr/bin/env python3
"""The programme's money on a national instance (docs/BENCHMARKS.md,
"The programme's money").

Generates 250 cités × 30 actions (`passerelle generate-cites --funding`:
each action funded by the State and the commune each year of 2020–2022,
45,000 lines, with the envelopes), then measures on the release build:
- with wrk (32 connections, every URL unique so that nothing comes from the
  response cache), as an administrator with a personal token: one cité's
  envelope page (and that of the cité the spreadsheet went into) and the
  national money synthesis, next to the fixed 20 KB baseline page;
- importing a 500-line funding spreadsheet (CSV) into another cité with
  `passerelle funding import`, the whole command, then the same file again;
- the revue de projet of one cité as a PDF (10 requests).

Usage: scripts/bench-funding.py [SECONDS per wrk target]   (default 10)
Needs wrk (Debian package).
"""
import csv
import http.client
import importlib.util
import os
import shutil
import statistics
import subprocess
import tempfile
import time

spec = importlib.util.spec_from_file_location(
    'bench_national', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bench-national.py'))
national = importlib.util.module_from_spec(spec)
spec.loader.exec_module(national)

CITE = national.CITE
# The cité the 500-line spreadsheet goes into (the envelope page is measured
# on CITE, whose money is the generated one).
IMPORTED = 'generee-041'
PASSWORD = national.PASSWORD


def spreadsheet(path):
    """500 lines: 30 fiches × 3 years × 6 funders, the first 500."""
    funders = ['État – Cité éducative', 'Ville', 'CAF', 'Département', 'Région', 'Fondation Lumière']
    rows = [(f, y, funder) for funder in funders for y in (2020, 2021, 2022) for f in range(1, 31)][:500]
    with open(path, 'w', encoding='utf-8', newline='') as out:
        w = csv.writer(out)
        w.writerow(['Fiche', 'Année', 'Financeur', 'Demandé', 'Proposé', 'Voté', 'Date de décision',
                    'Versé', 'Date de versement'])
        for i, (f, y, funder) in enumerate(rows):
            voted = 1000 + 37 * i
            w.writerow([f, y, funder, f'{voted + 500} €', f'{voted},50', f'{voted},50', f'15/03/{y}',
                        f'{voted // 2}', f'01/04/{y}'])
    return len(rows)


def main():
    subprocess.run(['cargo', 'build', '--release', '--quiet', '-p', 'passerelle'], cwd=national.ROOT, check=True)
    subprocess.run(['cargo', 'build', '--release', '--quiet', '-p', 'passerelle-web', '--example', 'baseline'],
                   cwd=national.ROOT, check=True)
    rows = []
    data = tempfile.mkdtemp(prefix='passerelle-funding-')
    base = subprocess.Popen([national.BASELINE, '127.0.0.1:8092'], stdout=subprocess.DEVNULL)
    try:
        env = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='error')
        t0 = time.monotonic()
        out = national.run(['generate-cites', '--count', '250', '--actions', '30', '--funding'], env).stdout.decode().strip()
        rows.append(('generation (250 cités, their programme and money)', '—', f'{time.monotonic() - t0:.1f} s'))
        print(out)
        national.run(['--cite', CITE, 'admin', 'create', '--email', 'bench@exemple.fr', '--instance'], env,
                     input=(PASSWORD + '\n').encode())
        token = national.run(['admin', 'token', '--email', 'bench@exemple.fr', '--label', 'bench'], env).stdout.decode().strip()
        auth = [f'Authorization: Bearer {token}']

        sheet = os.path.join(data, 'financements.csv')
        n = spreadsheet(sheet)
        for label in ('first', 'again'):
            t0 = time.monotonic()
            said = national.run(['--cite', IMPORTED, 'funding', 'import', sheet], env).stdout.decode()
            took = time.monotonic() - t0
            first_line = said.splitlines()[0]
            rows.append((f'import of a {n}-line spreadsheet, {label} (the whole command: {first_line.split(" : ", 1)[1]})',
                         '< 2 s', f'{took:.2f} s'))

        server, port, startup = national.start(env)
        rows.append(('start-up to healthy, 251 cités with their money', '< 3 s', f'{startup:.2f} s'))
        b = f'http://127.0.0.1:{port}'
        targets = [
            ('baseline: fixed 20 KB page', 'http://127.0.0.1:8092/?x=1', '—', []),
            (f'envelope page of one cité, uncached (/{CITE}/financements?annee=2021: 60 lines, 2 envelopes)',
             f'{b}/{CITE}/financements?annee=2021', 'p99 ≤ 20 ms', auth),
            ('national money synthesis, uncached (/synthese-financements?annee=2021: 251 cités)',
             f'{b}/synthese-financements?annee=2021', 'p99 ≤ 50 ms', auth),
        ]
        for name, url, goal, headers in targets:
            rps, p99, errors = national.wrk(url, headers=headers)
            rows.append((f'{name}: requests/s, p99', goal,
                         f'{rps:,.0f} req/s, p99 {p99}' + (f', {errors} errors' if errors else '')))
        times = []
        for _ in range(10):
            c = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
            t0 = time.monotonic()
            c.request('GET', f'/{CITE}/revue.pdf?annee=2021', headers={'Authorization': f'Bearer {token}'})
            r = c.getresponse()
            body = r.read()
            times.append(time.monotonic() - t0)
            assert r.status == 200 and body.startswith(b'%PDF'), r.status
        rows.append(('revue de projet of one cité as a PDF (10 requests)', '< 2 s',
                     f'median {statistics.median(times):.2f} s, max {max(times):.2f} s'))
        server.terminate()
        server.wait()
    finally:
        base.terminate()
        shutil.rmtree(data, ignore_errors=True)
    print('| measure | goal | measured |')
    print('|---|---|---|')
    for r in rows:
        print(f'| {r[0]} | {r[1]} | {r[2]} |')


if __name__ == '__main__':
    main()

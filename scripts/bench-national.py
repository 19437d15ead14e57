#!/usr/bin/env python3
"""National-size benchmark (docs/BENCHMARKS.md, "A national instance").

Generates 250 cités × 30 actions (`passerelle generate-cites`: generated
data, in a temporary database) beside Roubaix, then measures on the release
build:
- the time from starting `passerelle serve` to a healthy answer, and the
  resident memory after start;
- with wrk (32 connections, every URL unique so that nothing comes from the
  response cache): an action page and a search page of one cité, the
  national search and the national review, next to the fixed 20 KB
  baseline page measured in the same run;
- the time from a write in one cité (PUT through the JSON API) to its
  visibility in that cité's action page and search, over WRITES writes —
  and the same on an instance holding Roubaix alone;
- the resident memory after MIXED seconds of mixed traffic (cité pages of
  random cités, searches, national pages, writes);
- calls for projects: each generated cité has a call of 20 applications
  scored by 3 reviewers; the instruction page of one call (uncached, as
  a reviewer who instructs, with a token), and the time from a score
  saved to its showing on that page.

Usage: scripts/bench-national.py [SECONDS per wrk target] [WRITES] [MIXED seconds]
       (defaults: 10 50 60; the goal's figure is for MIXED = 3600)
Needs wrk (Debian package).
"""
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SECS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
WRITES = int(sys.argv[2]) if len(sys.argv) > 2 else 50
MIXED = int(sys.argv[3]) if len(sys.argv) > 3 else 60
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Cargo's target directory: CARGO_TARGET_DIR when set, as Cargo reads it.
TARGET = os.environ.get('CARGO_TARGET_DIR') or os.path.join(ROOT, 'target')
BIN = os.path.join(TARGET, 'release', 'passerelle')
BASELINE = os.path.join(TARGET, 'release', 'examples', 'baseline')
LUA = os.path.join(ROOT, 'scripts', 'unique-urls.lua')
CITE = 'generee-042'
PASSWORD = 'un-long-mot-de-passe'


def run(args, env, **kw):
    return subprocess.run([BIN] + args, env=env, check=True, capture_output=True, **kw)


def rss_mib(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0


def start(env):
    """Starts the server; returns (process, port, seconds to healthy)."""
    t0 = time.monotonic()
    server = subprocess.Popen([BIN, 'serve', '--bind', '127.0.0.1:0'], env=env, stdout=subprocess.PIPE)
    line = server.stdout.readline().decode()
    port = int(re.search(r'http://[\d.]+:(\d+)', line).group(1))
    while True:
        try:
            c = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
            c.request('GET', '/healthz')
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.005)
    return server, port, time.monotonic() - t0


def wrk(url, unique=True, headers=()):
    args = ['wrk', '-t2', '-c32', f'-d{SECS}s', '--latency']
    for h in headers:
        args += ['-H', h]
    if unique:
        args += ['-s', LUA]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    p99 = re.search(r'^\s+99%\s+(\S+)', out, re.M).group(1)
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    return rps, p99, int(errors.group(1)) if errors else 0


def api(port, token, method, path, body=None):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    headers = {'Authorization': f'Bearer {token}', 'Content-Type': 'application/json'}
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = c.getresponse()
    return r.status, json.loads(r.read() or b'null')


def get(port, path):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    c.request('GET', path)
    r = c.getresponse()
    return r.status, r.read().decode()


def write_visibility(port, token, prefix, writes):
    """Seconds from each PUT's start to the change showing in the page and
    the search of its cité."""
    key = 'programmation-2020-2022~fiche-10'
    entity = f'/api/v1/cites/{prefix.strip("/")}/entities/action/{key}' if prefix else f'/api/v1/entities/action/{key}'
    times = []
    for i in range(writes):
        status, current = api(port, token, 'GET', entity)
        assert status == 200, current
        word = f'mesure{random.randrange(10**9)}x{i}'
        body = dict(current['body'], title=f'Action mesurée {word}')
        t0 = time.monotonic()
        status, saved = api(port, token, 'PUT', entity, {'version': current['version'], 'body': body})
        assert status == 200, saved
        n = 0
        while True:
            n += 1
            _, page = get(port, f'{prefix}/actions/10?v={word}{n}')
            _, found = get(port, f'{prefix}/actions?q={word}&v={n}')
            if word in page and f'{prefix}/actions/10' in found:
                break
        times.append(time.monotonic() - t0)
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000
    return pct(0.5), pct(0.99), times[-1] * 1000


def form_post(port, token, path, fields):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    body = urllib.parse.urlencode(fields)
    c.request('POST', path, body=body, headers={'Authorization': f'Bearer {token}',
                                                 'Content-Type': 'application/x-www-form-urlencoded'})
    r = c.getresponse()
    r.read()
    return r.status


def page_as(port, token, path):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    c.request('GET', path, headers={'Authorization': f'Bearer {token}'})
    r = c.getresponse()
    return r.status, r.read().decode()


def score_visibility(port, token, reviewer, call, writes):
    """Seconds from each score's POST to its reviewer's weighted score of
    that application changing on the call's instruction page."""
    status, whole = api(port, token, 'GET', f'/api/v1/cites/{CITE}/appels/{call}')
    assert status == 200, whole
    apps = [a['id'] for a in whole['applications']]
    instruction = f'/{CITE}/admin/appels/{call}/instruction'
    times = []
    for i in range(writes):
        app = apps[i % len(apps)]
        value = 4 if i % 2 == 0 else 0
        expected = 100 if value == 4 else 0
        t0 = time.monotonic()
        status = form_post(port, token, f'/{CITE}/candidatures/{app}/notes',
                           {f'score.{k}': value for k in ('pertinence', 'partenariats', 'faisabilite')})
        assert status == 303, status
        n = 0
        while True:
            n += 1
            _, text = page_as(port, token, f'{instruction}?v={i}x{n}')
            row = text.split(f'/{CITE}/candidatures/{app}"', 1)[1].split('</tr>', 1)[0]
            found = re.search(re.escape(reviewer) + r' : (\d+)', row)
            if found and int(found.group(1)) == expected:
                break
        times.append(time.monotonic() - t0)
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000
    return pct(0.5), pct(0.99), times[-1] * 1000


def mixed(port, token, seconds, cites):
    """Mixed traffic from 8 client threads, as fast as answered."""
    stop = time.monotonic() + seconds
    count = [0]
    def client():
        rnd = random.Random()
        while time.monotonic() < stop:
            c = rnd.choice(cites)
            r = rnd.random()
            if r < 0.4:
                path = f'/{c}/actions/{rnd.randint(1, 27)}'
            elif r < 0.6:
                path = f'/{c}/actions?q={rnd.choice(["parents", "lecture", "sport", "santé", "numérique"])}&n={rnd.random()}'
            elif r < 0.7:
                path = f'/{c}/orienter?age={rnd.randint(0, 25)}'
            elif r < 0.8:
                path = f'/recherche?q={rnd.choice(["parents", "théâtre", "jeunes"])}&n={rnd.random()}'
            elif r < 0.85:
                path = '/bilans'
            elif r < 0.9:
                path = f'/{c}/annuaire'
            else:
                path = f'/{c}/bilan'
            try:
                get(port, urllib.parse.quote(path, safe='/?=&'))
                count[0] += 1
            except OSError:
                pass
    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0]


def main():
    subprocess.run(['cargo', 'build', '--release', '--quiet', '-p', 'passerelle'], cwd=ROOT, check=True)
    subprocess.run(['cargo', 'build', '--release', '--quiet', '-p', 'passerelle-web', '--example', 'baseline'], cwd=ROOT, check=True)
    rows = []
    data = tempfile.mkdtemp(prefix='passerelle-national-')
    single = tempfile.mkdtemp(prefix='passerelle-single-')
    base = subprocess.Popen([BASELINE, '127.0.0.1:8091'], stdout=subprocess.DEVNULL)
    try:
        env = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='error')
        t0 = time.monotonic()
        out = run(['generate-cites', '--count', '250', '--actions', '30', '--applications', '20'], env).stdout.decode().strip()
        print(f'generation: {time.monotonic() - t0:.1f} s ({out})')
        run(['--cite', CITE, 'admin', 'create', '--email', 'bench@exemple.fr'], env, input=(PASSWORD + '\n').encode())
        token = run(['admin', 'token', '--email', 'bench@exemple.fr', '--label', 'bench'], env).stdout.decode().strip()
        # A reviewer of the generated call who also instructs it.
        reviewer = f'evaluateur-1@{CITE}.example'
        run(['--cite', CITE, 'admin', 'create', '--email', reviewer], env, input=(PASSWORD + '\n').encode())
        reviewer_token = run(['admin', 'token', '--email', reviewer, '--label', 'bench'], env).stdout.decode().strip()
        server, port, startup = start(env)
        rows.append(('start-up to healthy, 251 cités (with their calls)', '< 3 s', f'{startup:.2f} s'))
        rows.append(('resident memory after start', '< 300 MiB', f'{rss_mib(server.pid):.0f} MiB'))
        b = f'http://127.0.0.1:{port}'
        targets = [
            ('baseline: fixed 20 KB page', 'http://127.0.0.1:8091/?x=1', '—'),
            (f'action page of one cité, uncached (/{CITE}/actions/10)', f'{b}/{CITE}/actions/10?x=1', 'p99 ≤ 20 ms'),
            (f'search page of one cité, uncached (/{CITE}/actions?q=parents&age=8)', f'{b}/{CITE}/actions?q=parents&age=8', 'p99 ≤ 20 ms'),
            ('national search, uncached (/recherche?q=parents)', f'{b}/recherche?q=parents', 'p99 ≤ 50 ms'),
            ('national review, uncached (/bilans)', f'{b}/bilans?x=1', 'p99 ≤ 50 ms'),
        ]
        measured = []
        for name, url, goal in targets:
            rps, p99, errors = wrk(url)
            measured.append((name, rps, p99, errors, goal))
        baseline_rps = measured[0][1]
        for name, rps, p99, errors, goal in measured:
            share = f'{100 * rps / baseline_rps:.0f} %'
            rows.append((f'{name}: requests/s, share of baseline, p99', goal, f'{rps:,.0f} req/s, {share}, p99 {p99}' + (f', {errors} errors' if errors else '')))
        _, calls = get(port, f'/api/v1/cites/{CITE}/appels')
        call = json.loads(calls)[0]['id']
        rps, p99c, errors = wrk(f'{b}/{CITE}/admin/appels/{call}/instruction?x=1', headers=[f'Authorization: Bearer {reviewer_token}'])
        rows.append((f'instruction page of one call (20 applications, 3 reviewers), uncached: requests/s, p99', 'p99 ≤ 20 ms', f'{rps:,.0f} req/s, p99 {p99c}' + (f', {errors} errors' if errors else '')))
        s50, s99, sworst = score_visibility(port, reviewer_token, reviewer, call, WRITES)
        rows.append((f'score saved → visible on the instruction page ({WRITES} scores)', '< 100 ms', f'p50 {s50:.0f} ms, p99 {s99:.0f} ms, max {sworst:.0f} ms'))
        p50, p99, worst = write_visibility(port, token, f'/{CITE}', WRITES)
        rows.append((f'write → visible in its cité page and search, 251 cités ({WRITES} writes)', 'p99 < 100 ms', f'p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {worst:.0f} ms'))
        cites = [f'generee-{i:03}' for i in range(1, 251)] + ['roubaix']
        n = mixed(port, token, MIXED, cites)
        rows.append((f'resident memory after {MIXED} s of mixed traffic ({n:,} requests)', '< 300 MiB', f'{rss_mib(server.pid):.0f} MiB'))
        server.terminate()
        server.wait()
        # The same write on an instance holding Roubaix alone.
        env1 = dict(os.environ, PASSERELLE_DATA_DIR=single, PASSERELLE_LOG='error')
        run(['admin', 'create', '--email', 'bench@exemple.fr'], env1, input=(PASSWORD + '\n').encode())
        token1 = run(['admin', 'token', '--email', 'bench@exemple.fr', '--label', 'bench'], env1).stdout.decode().strip()
        server, port, startup1 = start(env1)
        q50, q99, qworst = write_visibility(port, token1, '', WRITES)
        rows.append((f'write → visible, Roubaix alone ({WRITES} writes)', '—', f'p50 {q50:.0f} ms, p99 {q99:.0f} ms, max {qworst:.0f} ms'))
        rows.append(('write visibility, 251 cités ÷ one cité (p99)', '≤ 2', f'{p99 / max(q99, 0.001):.2f}'))
        rows.append(('start-up to healthy, Roubaix alone', '—', f'{startup1:.2f} s'))
        server.terminate()
        server.wait()
    finally:
        base.terminate()
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(single, ignore_errors=True)
    print('| measure | goal | measured |')
    print('|---|---|---|')
    for r in rows:
        print(f'| {r[0]} | {r[1]} | {r[2]} |')


if __name__ == '__main__':
    main()

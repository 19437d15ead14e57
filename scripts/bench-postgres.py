#!/usr/bin/env python3
"""SQLite and PostgreSQL side by side (docs/BENCHMARKS.md, "PostgreSQL and
several servers"). Run beside a PostgreSQL cluster:

    scripts/with-postgres scripts/bench-postgres.py [SECONDS per measure] [WRITES]

On the release build, the bundled Roubaix instance on each database:
- read throughput of the same pages with wrk (32 connections, every URL
  unique so nothing comes from the response cache): an action page, a
  search page;
- saves straight to the store from 4 concurrent writers, each saving its
  own organisation again and again (the `store_saves` example: the
  database's part of a write), and the same through the JSON API (which
  also rebuilds the cité's snapshot before answering): saves per second,
  p50 and p99 of one save;
- on PostgreSQL, two servers on the one database: the time from a write
  through A to its visibility in B's action page, over WRITES writes.
Needs wrk (Debian package) and PASSERELLE_TEST_POSTGRES_URL (set by
scripts/with-postgres).
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

SECS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
WRITES = int(sys.argv[2]) if len(sys.argv) > 2 else 100
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'target', 'release', 'passerelle')
LUA = os.path.join(ROOT, 'scripts', 'unique-urls.lua')
PASSWORD = 'un-long-mot-de-passe'
ADMIN = os.environ['PASSERELLE_TEST_POSTGRES_URL']


def run(args, env, **kw):
    return subprocess.run([BIN] + args, env=env, check=True, capture_output=True, **kw)


def start(env):
    server = subprocess.Popen([BIN, 'serve', '--bind', '127.0.0.1:0'], env=env, stdout=subprocess.PIPE)
    line = server.stdout.readline().decode()
    return server, int(re.search(r'http://[\d.]+:(\d+)', line).group(1))


def wrk(url):
    out = subprocess.run(['wrk', '-t2', '-c32', f'-d{SECS}s', '--latency', '-s', LUA, url],
                         check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    p99 = re.search(r'^\s+99%\s+(\S+)', out, re.M).group(1)
    return rps, p99


def api(port, token, method, path, body=None):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    c.request(method, path, body=json.dumps(body) if body is not None else None,
              headers={'Authorization': f'Bearer {token}', 'Content-Type': 'application/json'})
    r = c.getresponse()
    return r.status, json.loads(r.read() or b'null')


def get(port, path):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    c.request('GET', path)
    r = c.getresponse()
    return r.status, r.read().decode()


def pct(times, p):
    times = sorted(times)
    return times[min(len(times) - 1, int(p * len(times)))] * 1000


def writers(port, token, seconds, count=4):
    """`count` writers, each saving its own organisation without pause."""
    _, orgs = api(port, token, 'GET', '/api/v1/organisations')
    items = orgs['items'] if isinstance(orgs, dict) and 'items' in orgs else orgs
    keys = [o['slug'] for o in items][:count]
    stop = time.monotonic() + seconds
    times, errors = [], []
    def writer(key):
        path = f'/api/v1/entities/organisation/{key}'
        status, current = api(port, token, 'GET', path)
        assert status == 200, current
        version, n = current['version'], 0
        while time.monotonic() < stop:
            n += 1
            body = dict(current['body'], acronym=f'm{n}')
            t0 = time.monotonic()
            status, saved = api(port, token, 'PUT', path, {'version': version, 'body': body})
            times.append(time.monotonic() - t0)
            if status != 200:
                errors.append(status)
                return
            version = saved['version']
    threads = [threading.Thread(target=writer, args=(k,)) for k in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(times) / seconds, pct(times, 0.5), pct(times, 0.99), errors


def visibility(a, b, token, writes):
    """Seconds from each PUT through A to its title in B's action page."""
    path = '/api/v1/entities/action/programmation-2020-2022~fiche-10'
    times = []
    for i in range(writes):
        _, current = api(a, token, 'GET', path)
        word = f'vue{random.randrange(10**9)}x{i}'
        t0 = time.monotonic()
        status, saved = api(a, token, 'PUT', path, {'version': current['version'], 'body': dict(current['body'], title=f'Action {word}')})
        assert status == 200, saved
        n = 0
        while True:
            n += 1
            if word in get(b, f'/actions/10?v={word}{n}')[1]:
                break
        times.append(time.monotonic() - t0)
    return pct(times, 0.5), pct(times, 0.99), max(times) * 1000


def instance(database_url):
    data = tempfile.mkdtemp(prefix='passerelle-bench-')
    env = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='error')
    env.pop('PASSERELLE_DATABASE_URL', None)
    if database_url:
        env['PASSERELLE_DATABASE_URL'] = database_url
    run(['import'], env)
    run(['admin', 'create', '--email', 'bench@exemple.fr'], env, input=(PASSWORD + '\n').encode())
    token = run(['admin', 'token', '--email', 'bench@exemple.fr', '--label', 'bench'], env).stdout.decode().strip()
    return data, env, token


def main():
    subprocess.run(['cargo', 'build', '--release', '--quiet', '-p', 'passerelle'], cwd=ROOT, check=True)
    subprocess.run(['cargo', 'build', '--release', '--quiet', '-p', 'passerelle', '--example', 'store_saves'], cwd=ROOT, check=True)
    name = f'bench_{os.getpid()}'
    subprocess.run(['psql', ADMIN, '-q', '-c', f'CREATE DATABASE {name}'], check=True)
    subprocess.run(['psql', ADMIN, '-q', '-c', f'CREATE DATABASE {name}_saves'], check=True)
    pg_url = ADMIN.rsplit('/', 1)[0] + '/' + name
    saves_dir = tempfile.mkdtemp(prefix='passerelle-saves-')
    example = os.path.join(ROOT, 'target', 'release', 'examples', 'store_saves')
    direct = {}
    for label, url in [('SQLite', f'sqlite://{saves_dir}/saves.db'), ('PostgreSQL', pg_url + '_saves')]:
        direct[label] = subprocess.run([example, url, str(SECS), '4'], check=True, capture_output=True, text=True).stdout.strip()
    shutil.rmtree(saves_dir, ignore_errors=True)
    results = {}
    dirs = []
    for label, url in [('SQLite', None), ('PostgreSQL', pg_url)]:
        data, env, token = instance(url)
        dirs.append(data)
        server, port = start(env)
        b = f'http://127.0.0.1:{port}'
        page = wrk(f'{b}/actions/10?x=1')
        search = wrk(f'{b}/actions?q=parents&age=8')
        w = writers(port, token, SECS)
        results[label] = (page, search, w)
        if url:
            other, port_b = start(env)
            results['visibility'] = visibility(port, port_b, token, WRITES)
            other.terminate()
            other.wait()
        server.terminate()
        server.wait()
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
    s, p = results['SQLite'], results['PostgreSQL']
    print('| measure | goal | SQLite | PostgreSQL |')
    print('|---|---|---|---|')
    for i, what in enumerate(['action page, uncached (/actions/10)', 'search page, uncached (/actions?q=parents&age=8)']):
        ratio = p[i][0] / s[i][0]
        print(f'| {what}: requests/s, p99 | PostgreSQL within 10 % | {s[i][0]:,.0f} req/s, p99 {s[i][1]} | {p[i][0]:,.0f} req/s ({100 * ratio:.0f} %), p99 {p[i][1]} |')
    print(f'| saves straight to the store, 4 concurrent writers | p99 ≤ 20 ms on PostgreSQL | {direct["SQLite"]} | {direct["PostgreSQL"]} |')
    print(f'| saves through the API (snapshot rebuilt before the answer), 4 concurrent writers: saves/s, p50, p99 | — | {s[2][0]:,.0f}/s, p50 {s[2][1]:.1f} ms, p99 {s[2][2]:.1f} ms{", errors " + str(s[2][3]) if s[2][3] else ""} | {p[2][0]:,.0f}/s, p50 {p[2][1]:.1f} ms, p99 {p[2][2]:.1f} ms{", errors " + str(p[2][3]) if p[2][3] else ""} |')
    v = results['visibility']
    print(f'| write through server A → visible in server B\'s page ({WRITES} writes) | p99 < 250 ms | — | p50 {v[0]:.0f} ms, p99 {v[1]:.0f} ms, max {v[2]:.0f} ms |')


main()

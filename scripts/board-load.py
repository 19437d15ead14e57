#!/usr/bin/env python3
"""Bounded load test of the contribution board (docs/BENCHMARKS.md).

Starts `passerelle serve` (release build) on a fresh database, opens the 2022
seminar with a day's code through the API, then runs PARTICIPANTS simulated
participants for SECONDS seconds: each joins with the code, then posts
contributions (about one operation in eight, at most 20 each) and supports
others' as fast as the server answers. Afterwards it checks, from the
restitution, that every acknowledged contribution is there and that every
support count equals the number of distinct participants whose support was
acknowledged; and it prints the latencies.

Usage: scripts/board-load.py [PARTICIPANTS] [SECONDS] [postgres]   (defaults: 200 30)
With `postgres`, the instance is on a new database of the cluster
PASSERELLE_TEST_POSTGRES_URL names (run it under scripts/with-postgres).
"""
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 30
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'target', 'release', 'passerelle')
EVENT = 'roubaix-seminaire-2022-10-11'

data = tempfile.mkdtemp(prefix='passerelle-load-')
env = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='error')
env.pop('PASSERELLE_DATABASE_URL', None)
if len(sys.argv) > 3 and sys.argv[3] == 'postgres':
    admin = os.environ['PASSERELLE_TEST_POSTGRES_URL']
    name = f'board_{os.getpid()}'
    subprocess.run(['psql', admin, '-q', '-c', f'CREATE DATABASE {name}'], check=True)
    env['PASSERELLE_DATABASE_URL'] = admin.rsplit('/', 1)[0] + '/' + name
subprocess.run([BIN, 'admin', 'create', '--email', 'load@exemple.fr'], input=b'un-long-mot-de-passe\n', env=env, check=True, capture_output=True)
token = subprocess.run([BIN, 'admin', 'token', '--email', 'load@exemple.fr', '--label', 'load'], env=env, check=True, capture_output=True).stdout.decode().strip()
server = subprocess.Popen([BIN, 'serve', '--bind', '127.0.0.1:0'], env=env, stdout=subprocess.PIPE)
line = server.stdout.readline().decode()
HOST, PORT = re.search(r'http://([\d.]+):(\d+)', line).groups()
PORT = int(PORT)


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    res = conn.getresponse()
    out = (res.status, dict(res.getheaders()), res.read().decode())
    conn.close()
    return out


# Open the event with a code.
auth = {'Authorization': f'Bearer {token}', 'Content-Type': 'application/json'}
status, _, body = request('GET', f'/api/v1/entities/seminar/{EVENT}', headers=auth)
entity = json.loads(body)
entity['body']['code'] = 'CHARGE'
status, _, body = request('PUT', f'/api/v1/entities/seminar/{EVENT}', json.dumps({'version': entity['version'], 'body': entity['body']}), auth)
assert status == 200, body

lock = threading.Lock()
latencies = []          # seconds, every request of the run
errors = []
posted = {}             # text -> participant
supported = set()       # (text, participant) acknowledged
known = []              # (id, text) of acknowledged contributions
stop = time.monotonic() + SECONDS
FORM = {'Content-Type': 'application/x-www-form-urlencoded'}


def participant(n):
    rng = random.Random(n)
    status, headers, _ = request('POST', f'/seminaire/{EVENT}/code', urllib.parse.urlencode({'code': 'charge', 'name': f'P{n}'}), FORM)
    if status != 303:
        with lock:
            errors.append(f'join {status}')
        return
    cookie = headers['set-cookie'].split(';')[0]
    _, _, page = request('GET', f'/seminaire/{EVENT}/contributions', headers={'Cookie': cookie})
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    mine = 0
    while time.monotonic() < stop:
        with lock:
            choices = list(known[-50:])
        if mine < 20 and (rng.random() < 0.125 or not choices):
            text = f'Contribution {n}-{mine} garder les cafés des parents'
            form = urllib.parse.urlencode({'csrf': csrf, 'question': rng.choice(['q1', 'q2', 'q3']), 'text': text})
            t = time.perf_counter()
            status, headers, _ = request('POST', f'/seminaire/{EVENT}/contributions', form, {**FORM, 'Cookie': cookie})
            dt = time.perf_counter() - t
            with lock:
                latencies.append(dt)
                if status == 303:
                    cid = int(headers['location'].rsplit('#c', 1)[1])
                    posted[text] = n
                    known.append((cid, text))
                else:
                    errors.append(f'post {status}')
            mine += 1
        else:
            cid, text = rng.choice(choices)
            t = time.perf_counter()
            status, _, _ = request('POST', f'/seminaire/{EVENT}/contributions/{cid}/soutenir', urllib.parse.urlencode({'csrf': csrf}), {**FORM, 'Cookie': cookie})
            dt = time.perf_counter() - t
            with lock:
                latencies.append(dt)
                if status == 303:
                    supported.add((text, n))
                else:
                    errors.append(f'support {status}')


started = time.monotonic()
threads = [threading.Thread(target=participant, args=(n,)) for n in range(PARTICIPANTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - started

# Check: every acknowledged contribution, with exactly its distinct supporters.
_, _, md = request('GET', f'/seminaire/{EVENT}/restitution.md')
counts = {}
for m in re.finditer(r'^- (Contribution .+?) — (\d+) soutien\(s\)$', md, re.M):
    counts[m.group(1)] = int(m.group(2))
missing = [t for t in posted if t not in counts]
expected = {}
for text, _ in supported:
    expected[text] = expected.get(text, 0) + 1
wrong = [(t, counts.get(t), expected.get(t, 0)) for t in posted if counts.get(t) != expected.get(t, 0)]
server.terminate()
server.wait()

latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000
print(f'participants {PARTICIPANTS}, {elapsed:.1f} s, {len(latencies)} requests ({len(latencies) / elapsed:.0f}/s): '
      f'{len(posted)} contributions, {len(supported)} supports acknowledged, {len(errors)} errors')
print(f'latency ms: p50 {pct(50):.1f}, p95 {pct(95):.1f}, p99 {pct(99):.1f}, max {latencies[-1] * 1000:.1f}')
print(f'lost contributions: {len(missing)}; wrong support counts: {len(wrong)}')
if errors:
    print('errors:', sorted(set(errors))[:10])
sys.exit(1 if missing or wrong or errors else 0)

#!/usr/bin/env python3
"""The forgotten-password form answers alike for every address
(docs/BENCHMARKS.md, "Hardening"): the time of `POST /mot-de-passe-oublie`
for addresses that have an account and for addresses that have none.

    scripts/bench-reset.py [BINARY] [ROUNDS]

BINARY defaults to target/release/passerelle. Each round asks once for a
known address and once for an unknown one, from its own loopback address
(the form takes 20 requests a quarter of an hour from one address, 3 for
one account), after loading the form for its CSRF token as a browser
does. Prints the median and the 90th percentile of each, in ms.
"""
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'target', 'release', 'passerelle')
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 30
PASSWORD = 'un-long-mot-de-passe'


class From(http.client.HTTPConnection):
    """A connection from a loopback address of its own."""

    def __init__(self, port, source):
        super().__init__('127.0.0.1', port, timeout=30, source_address=(source, 0))


def ask(port, source, email):
    c = From(port, source)
    c.request('GET', '/mot-de-passe-oublie')
    r = c.getresponse()
    r.read()
    cookie = re.search(r'passerelle_csrf=([^;]+)', r.getheader('Set-Cookie')).group(1)
    body = urllib.parse.urlencode({'email': email, 'csrf': cookie})
    t0 = time.perf_counter()
    c.request('POST', '/mot-de-passe-oublie', body=body, headers={
        'Content-Type': 'application/x-www-form-urlencoded', 'Cookie': f'passerelle_csrf={cookie}'})
    r = c.getresponse()
    r.read()
    took = time.perf_counter() - t0
    assert r.status == 200, r.status
    return took * 1000


def main():
    data = tempfile.mkdtemp(prefix='passerelle-bench-reset-')
    env = dict(os.environ, PASSERELLE_DATA_DIR=data, PASSERELLE_LOG='error')
    subprocess.run([BIN, 'import'], env=env, check=True, capture_output=True)
    accounts = [f'compte{i}@exemple.fr' for i in range(ROUNDS)]
    for email in accounts:
        subprocess.run([BIN, 'admin', 'create', '--email', email], env=env, check=True,
                       capture_output=True, input=(PASSWORD + '\n').encode())
    server = subprocess.Popen([BIN, 'serve', '--bind', '127.0.0.1:0'], env=env, stdout=subprocess.PIPE)
    try:
        port = int(re.search(r'http://[\d.]+:(\d+)', server.stdout.readline().decode()).group(1))
        known, unknown = [], []
        for i, email in enumerate(accounts):
            source = f'127.0.{2 + i // 100}.{1 + i % 100}'
            known.append(ask(port, source, email))
            unknown.append(ask(port, source, f'personne{i}@nulle-part.example'))
        for name, times in [('account exists', known), ('no account', unknown)]:
            times.sort()
            print(f'{name}: median {statistics.median(times):.1f} ms, '
                  f'p90 {times[int(0.9 * len(times))]:.1f} ms over {len(times)}')
    finally:
        server.terminate()
        server.wait()


if __name__ == '__main__':
    socket.setdefaulttimeout(30)
    main()

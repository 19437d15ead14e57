"""The metrics, read as Prometheus reads them: scraped from `/metrics` with
the configuration's bearer token and parsed by prometheus_client's own text
parser, after a check script's flow (referrals, the newsletter).

Usage, from a check script whose server has PASSERELLE_METRICS_TOKEN=TOKEN:

    from metrics import TOKEN, check_metrics
    check_metrics(base, check, personal=[...])
"""
import re
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

# The token the check scripts configure (PASSERELLE_METRICS_TOKEN).
TOKEN = 'ci-metrics-token-0123456789abcdef0123456789'

# Every family the issue lists, by name as the parser gives it (a counter's
# `_total` comes off), with its type.
FAMILIES = {
    'passerelle_http_requests': 'counter',
    'passerelle_http_request_duration_seconds': 'histogram',
    'passerelle_response_cache_hits': 'counter',
    'passerelle_response_cache_misses': 'counter',
    'passerelle_response_cache_evictions': 'counter',
    'passerelle_response_cache_bytes': 'gauge',
    'passerelle_response_cache_entries': 'gauge',
    'passerelle_snapshot_build_duration_seconds': 'histogram',
    'passerelle_change_feed_lag_versions': 'gauge',
    'passerelle_change_feed_reconnects': 'counter',
    'passerelle_newsletter_queue': 'gauge',
    'passerelle_newsletter_letters_sent': 'counter',
    'passerelle_referrals_clock_jobs': 'counter',
    'passerelle_referrals_clock_errors': 'counter',
    'passerelle_db_pool_connections': 'gauge',
    'passerelle_db_pool_max_connections': 'gauge',
    'process_resident_memory_bytes': 'gauge',
}


def get(base, token=None):
    request = urllib.request.Request(base + '/metrics')
    if token is not None:
        request.add_header('Authorization', f'Bearer {token}')
    try:
        with urllib.request.urlopen(request, timeout=30) as res:
            return res.status, res.read().decode(), res.headers.get('Content-Type', '')
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors='replace'), e.headers.get('Content-Type', '')


def check_metrics(base, check, personal=(), route=None):
    """Scrapes the metrics and checks them; returns the parsed families by
    name. `personal`: strings (emails, names, tokens) no label may hold;
    `route`: a route template some request must count under."""
    status, _, _ = get(base)
    check(status == 401, f'/metrics without the token: {status}')
    status, _, _ = get(base, TOKEN[:-1] + 'x')
    check(status == 401, f'/metrics with a wrong token: {status}')
    status, text, content_type = get(base, TOKEN)
    if not check(status == 200, f'/metrics with the token: {status} {text[:200]}'):
        return {}
    check(content_type.startswith('text/plain; version=0.0.4'), f'content type: {content_type}')
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for name, kind in FAMILIES.items():
        found = families.get(name)
        if check(found is not None, f'the metric family {name} is exposed'):
            check(found.type == kind, f'{name} is a {kind}, not a {found.type}')
    labels = [(f.name, k, v) for f in families.values() for s in f.samples for k, v in s.labels.items()]
    # A bucket's bound (`le`) is a number, nobody's.
    labels = [(n, k, v) for n, k, v in labels if k != 'le']
    for name, key, value in labels:
        check('@' not in value, f'an email in a label: {name}{{{key}="{value}"}}')
        check(TOKEN not in value, f'the token in a label: {name}')
        for p in personal:
            check(p.lower() not in value.lower(), f'{p!r} in a label: {name}{{{key}="{value}"}}')
        if key == 'route':
            # A template or nothing: no segment of a path is a number.
            check(value == 'unmatched' or (value.startswith('/') and not re.search(r'/\d+(/|$)', value)),
                  f'a raw path as a route label: {value}')
    routes = {v for _, k, v in labels if k == 'route'}
    if route is not None:
        check(route in routes, f'requests counted under {route}: {sorted(routes)}')
    print(f'metrics: {len(families)} families, {len(text.splitlines())} lines, '
          f'{len(routes)} route templates, no personal data in {len(labels)} label values')
    return families

"""The second factor, as a person with an authenticator app gives it: the
enrolment at an administrator's first sign-in (the secret read from the
page, the first code computed by RFC 6238), then a code at each sign-in (a
step not used yet), or a recovery code when the 30-second window holds no
unused step.

`fetch(path, form=None)` returns (status, text, headers) with the browser's
cookies; `location` is where the password sent the browser.
"""
import hashlib
import hmac
import html
import re
import struct
import time

_known = {}  # email -> {'secret': bytes, 'last': step, 'codes': [...]}


def code(secret, step):
    digest = hmac.new(secret, struct.pack('>Q', step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0f
    value = struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7fffffff
    return f'{value % 1_000_000:06d}'


def _csrf(page):
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else ''


def finish_sign_in(fetch, email, location):
    """Enrols or gives the code, as the password's redirect asks; True when signed in."""
    if location.endswith('/connexion/second-facteur'):
        _, page, _ = fetch('/connexion/second-facteur')
        secret_hex = re.search(r'name="secret" value="([0-9a-f]+)"', page).group(1)
        secret = bytes.fromhex(secret_hex)
        step = int(time.time()) // 30
        status, done, _ = fetch('/connexion/second-facteur',
                                {'csrf': _csrf(page), 'secret': secret_hex, 'code': code(secret, step)})
        codes = re.findall(r'<li>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</li>', done)
        _known[email.lower()] = {'secret': secret, 'last': step, 'codes': codes}
        return status == 200 and len(codes) == 10
    if location.endswith('/connexion/code'):
        known = _known[email.lower()]
        _, page, _ = fetch('/connexion/code')
        now = int(time.time()) // 30
        step = max(known['last'] + 1, now - 1)
        if step <= now + 1:
            given = code(known['secret'], step)
            known['last'] = step
        else:
            given = known['codes'].pop()
        status, _, _ = fetch('/connexion/code', {'csrf': _csrf(page), 'code': given})
        return status == 303
    return True

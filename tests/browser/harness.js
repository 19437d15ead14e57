// Starts the real `passerelle serve` on a free port with a fresh database,
// and launches Debian's chromium through playwright-core.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const root = resolve(import.meta.dirname, '..', '..');
const binary = process.env.PASSERELLE_BIN ?? join(root, 'target', 'debug', 'passerelle');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/** One page of each type, for the checks that go over all of them. */
export const PAGE_TYPES = {
  home: '/',
  axis: '/axes/2',
  action: '/actions/10',
  family: '/actions/10/familles',
  'family-ar': '/ar/actions/10/familles',
  'family-tr': '/tr/actions/24/familles',
  'family-pt': '/pt/actions/2/familles',
  'family-en': '/en/actions/10/familles',
  'sheet-ar': '/ar/orienter/fiche?qui=enfant&age=9&lieu=ecole-littre&besoin=culture-sport',
  'sheet-tr': '/tr/orienter/fiche?qui=parent&age=4',
  search: '/actions?q=parents&age=8',
  'search-empty': '/actions?q=zzzzzz',
  orient: '/orienter',
  'orient-results': '/orienter?qui=enfant&age=9&lieu=ecole-littre&besoin=culture-sport',
  sheet: '/orienter/fiche?qui=enfant&age=9&lieu=ecole-littre&besoin=culture-sport',
  directory: '/annuaire',
  organisation: '/annuaire/organisations/ville-de-roubaix',
  person: '/annuaire/personnes/anne-sophie-belgaid',
  territory: '/annuaire/territoires/secteur-nord',
  seminar: '/seminaire',
  quality: '/qualite',
  booklet: '/livret',
  'open-data': '/donnees',
  accessibility: '/accessibilite',
  signin: '/connexion',
  forgot: '/mot-de-passe-oublie',
  review: '/bilan',
  'review-axis': '/bilan/axes/1',
  coverage: '/bilan/couverture?axe=3',
  board: '/seminaire/roubaix-seminaire-2022-10-11/contributions',
  restitution: '/seminaire/roubaix-seminaire-2022-10-11/restitution',
  panel: '/seminaire/roubaix-seminaire-2022-10-11/panneau',
  'not-found': '/nulle-part',
};

/** The page types whose interface is translated, in each of the families' languages. */
for (const lang of ['ar', 'tr', 'pt', 'en']) {
  Object.assign(PAGE_TYPES, {
    [`home-${lang}`]: `/${lang}/`,
    [`search-${lang}`]: `/${lang}/actions?q=parents&age=8`,
    [`search-empty-${lang}`]: `/${lang}/actions?q=zzzzzz`,
    [`axis-${lang}`]: `/${lang}/axes/2`,
    [`action-${lang}`]: `/${lang}/actions/10`,
    [`orient-${lang}`]: `/${lang}/orienter`,
    [`orient-results-${lang}`]: `/${lang}/orienter?qui=enfant&age=9&lieu=ecole-littre&besoin=culture-sport`,
    [`not-found-${lang}`]: `/${lang}/actions/999`,
    [`directory-${lang}`]: `/${lang}/annuaire`,
    [`organisation-${lang}`]: `/${lang}/annuaire/organisations/ville-de-roubaix`,
    [`person-${lang}`]: `/${lang}/annuaire/personnes/anne-sophie-belgaid`,
    [`territory-${lang}`]: `/${lang}/annuaire/territoires/secteur-nord`,
  });
}

/** Creates an administrator of the default cité and of the instance in `dataDir` with the CLI, as a deployer would. */
function createAdmin(dataDir, { email, password }) {
  const out = spawnSync(binary, ['admin', 'create', '--email', email, '--name', 'Équipe de coordination', '--instance'], {
    env: { ...process.env, PASSERELLE_DATA_DIR: dataDir, PASSERELLE_LOG: 'warn' },
    input: `${password}\n`,
  });
  if (out.status !== 0) throw new Error(`admin create failed: ${out.stderr}`);
}

/** Invites someone with the CLI; returns the path of their one-time link. */
function invite(dataDir, { email, name, role, organisation }) {
  const args = ['admin', 'invite', '--email', email, '--name', name, '--role', role];
  if (organisation) args.push('--organisation', organisation);
  const out = spawnSync(binary, args, { env: { ...process.env, PASSERELLE_DATA_DIR: dataDir, PASSERELLE_LOG: 'warn' } });
  if (out.status !== 0) throw new Error(`admin invite failed: ${out.stderr}`);
  return new URL(out.stdout.toString().trim()).pathname;
}

/** Adds a cité with the CLI, as a deployer would (`from`: a booklet). */
function addCite(dataDir, { slug, name, from }) {
  const args = ['cite', 'add', '--slug', slug, '--name', name];
  if (from) args.push('--from', join(root, from));
  const out = spawnSync(binary, args, { env: { ...process.env, PASSERELLE_DATA_DIR: dataDir, PASSERELLE_LOG: 'warn' } });
  if (out.status !== 0) throw new Error(`cite add failed: ${out.stderr}`);
}

/**
 * A real SMTP server on a free port of 127.0.0.1 (nodemailer's smtp-server),
 * keeping each message it receives, read by mailparser.
 */
async function startMailbox() {
  const received = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream)
        .then((m) => {
          received.push({ to: m.to?.text ?? '', subject: m.subject ?? '', text: m.text ?? '' });
          done();
        })
        .catch(done);
    },
  });
  await new Promise((ok) => smtp.listen(0, '127.0.0.1', ok));
  return { url: `smtp://127.0.0.1:${smtp.server.address().port}`, received, close: () => new Promise((ok) => smtp.close(ok)) };
}

/**
 * ProConnect configured, its provider unreachable (port 9 of 127.0.0.1):
 * enough for the button and the refusal page; the exchange itself is
 * tested against a real provider in Rust (`crates/web/tests/it/proconnect.rs`).
 */
const PROCONNECT_CONFIG = `[proconnect]
issuer = "http://127.0.0.1:9/api/v2"
client_id = "passerelle-test"
client_secret = "un-secret-de-test"
redirect_uri = "http://127.0.0.1/connexion/proconnect/retour"
post_logout_redirect_uri = "http://127.0.0.1/deconnexion/proconnect"
`;

export async function startServer({ admin, invitations = [], cites = [], mail = false, proconnect = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-browser-'));
  const config = [];
  if (proconnect) {
    writeFileSync(join(dataDir, 'passerelle.toml'), PROCONNECT_CONFIG);
    config.push('--config', join(dataDir, 'passerelle.toml'));
  }
  for (const c of cites) addCite(dataDir, c);
  if (admin) createAdmin(dataDir, admin);
  const links = invitations.map((i) => invite(dataDir, i));
  // With `mail`, the mail goes to a real SMTP server of the test's own,
  // where it can be read back (the log never holds it).
  const mailbox = mail ? await startMailbox() : null;
  const child = spawn(binary, [...config, 'serve', '--bind', '127.0.0.1:0'], {
    env: {
      ...process.env,
      PASSERELLE_DATA_DIR: dataDir,
      PASSERELLE_LOG: 'warn',
      ...(mailbox ? { PASSERELLE_SMTP_URL: mailbox.url, PASSERELLE_MAIL_FROM: 'Passerelle <passerelle@exemple.fr>' } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) {
        clearTimeout(timer);
        ok(m[0]);
      }
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
  return {
    base,
    links,
    /** The mails received: { to, subject, text }. */
    mail: () => mailbox?.received ?? [],
    async stop() {
      child.kill('SIGTERM');
      await new Promise((ok) => child.once('exit', ok));
      await mailbox?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const VNU = join(import.meta.dirname, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

/** axe-core's WCAG 2.1 A/AA violations on the page, one line each (the
 * page's context must bypass our CSP for axe to be injected). */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  });
}

/** The Nu HTML checker's errors on these files, one line each. */
export function nuErrors(files) {
  let report = '';
  try {
    execFileSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    report = e.stderr.toString();
  }
  const messages = report ? JSON.parse(report).messages.filter((m) => m.type === 'error') : [];
  return messages.map((m) => `${m.url.split('/').pop()}:${m.lastLine}: ${m.message}`);
}

/** An RFC 6238 code (HMAC-SHA1, six digits) for a step, as authenticator apps compute it. */
export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', secret).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Each account's second factor, once enrolled: { secret, last, codes }. */
const factors = new Map();

/**
 * Signs in through the form, with the second factor when the account has
 * or needs one: an administrator enrols at the first sign-in (the secret
 * read from the page), then gives a code not used yet (or a recovery code
 * when the 30-second window holds none).
 */
export async function signIn(page, base, email, password) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForLoadState();
  const now = Math.floor(Date.now() / 30_000);
  if (new URL(page.url()).pathname === '/connexion/second-facteur') {
    const secret = Buffer.from(await page.locator('input[name="secret"]').getAttribute('value'), 'hex');
    await page.getByLabel(/Code à 6 chiffres/).fill(totp(secret, now));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByRole('heading', { name: 'Vos codes de secours' }).waitFor();
    const codes = await page.locator('.recovery-codes li').allTextContents();
    factors.set(email.toLowerCase(), { secret, last: now, codes });
    await page.getByRole('link', { name: /J.ai noté mes codes/ }).click();
  } else if (new URL(page.url()).pathname === '/connexion/code') {
    const known = factors.get(email.toLowerCase());
    const step = Math.max(known.last + 1, now - 1);
    let given;
    if (step <= now + 1) {
      given = totp(known.secret, step);
      known.last = step;
    } else {
      given = known.codes.pop();
    }
    await page.getByLabel(/Code de l.application/).fill(given);
    await page.getByRole('button', { name: 'Valider' }).click();
  }
  await page.getByRole('heading', { name: /Vous êtes connecté/ }).waitFor();
}

/** Polls `probe` (every 100 ms, 10 s at most) until it returns something. */
export async function waitFor(what, probe) {
  for (let i = 0; i < 100; i += 1) {
    const found = probe();
    if (found) return found;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`waited for ${what}`);
}

/**
 * Probes that check pages at 360 px and 1280 px as someone sees them:
 * `inspect(name, who)` opens the page `who` ({ context, page }) shows,
 * with their cookies, and records axe-core's violations and any sideways
 * scroll at 360 px in `problems`, keeping its HTML for `finish`, which adds
 * the Nu HTML checker's errors and closes the probes.
 */
export async function inspector(browser, prefix) {
  const dir = mkdtempSync(join(tmpdir(), `passerelle-vnu-${prefix}-`));
  const files = [];
  const problems = [];
  const probes = {};
  for (const [name, viewport] of [['360', { width: 360, height: 740 }], ['1280', { width: 1280, height: 900 }]]) {
    const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, viewport });
    probes[name] = { context, page: await context.newPage() };
  }
  return {
    dir,
    problems,
    async inspect(name, who) {
      for (const [width, probe] of Object.entries(probes)) {
        await probe.context.clearCookies();
        await probe.context.addCookies(await who.context.cookies());
        const answer = await probe.page.goto(who.page.url());
        if (answer.status() >= 500) problems.push(`${name}: ${answer.status()}`);
        if (width === '360') {
          const file = join(dir, `${name}.html`);
          writeFileSync(file, await probe.page.content());
          files.push(file);
          const { scroll, client } = await probe.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
          if (scroll > client) problems.push(`${name} is ${scroll}px wide at 360 px`);
        }
        for (const v of await axeViolations(probe.page)) problems.push(`${name} at ${width} px: ${v}`);
      }
    },
    /** Checks a page as `page` shows it now (the answer to a form), without loading it again. */
    async inspectContent(name, page) {
      const html = await page.content();
      for (const [width, probe] of Object.entries(probes)) {
        await probe.page.goto(new URL('/static/style.css', page.url()).href);
        await probe.page.setContent(html, { waitUntil: 'load' });
        if (width === '360') {
          const file = join(dir, `${name}.html`);
          writeFileSync(file, html);
          files.push(file);
          const { scroll, client } = await probe.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
          if (scroll > client) problems.push(`${name} is ${scroll}px wide at 360 px`);
        }
        for (const v of await axeViolations(probe.page)) problems.push(`${name} at ${width} px: ${v}`);
      }
    },
    async finish() {
      for (const e of nuErrors(files)) problems.push(e);
      for (const probe of Object.values(probes)) await probe.context.close();
      return problems;
    },
  };
}

// Referrals in a real browser, the whole path on a 360 px screen without
// JavaScript: a professional signs in, finds the action from the
// orientation results, sends a referral with the family's agreement (a
// refusal first, the box unticked), follows it in their list; the
// operator opens the mailed link (read back from the log: no SMTP server
// here) without an account and accepts; the professional reads
// "acceptée"; the coordination reads the counts. Every page passes
// axe-core and the Nu HTML checker and has no sideways scroll at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, axeViolations, nuErrors, signIn, waitFor } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };
const PHONE = { width: 360, height: 740 };

let server;
let browser;

before(async () => {
  server = await startServer({ admin: ADMIN, mail: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a referral sent, answered through the link and followed, at 360 px without JavaScript: every page accessible', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-vnu-referrals-'));
  const files = [];
  const problems = [];
  // The path: JavaScript off, a phone's screen.
  const pro = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, viewport: PHONE });
  const page = await pro.newPage();
  // The checks, on the same pages with the same cookies: axe needs a script.
  const checks = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, viewport: PHONE });
  const probe = await checks.newPage();
  async function inspect(name, from = pro) {
    await checks.clearCookies();
    await checks.addCookies(await from.cookies());
    const url = (from === pro ? page : operator).url();
    const answer = await probe.goto(url);
    assert.ok(answer.status() < 500, `${name}: ${answer.status()}`);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, await probe.content());
    files.push(file);
    const { scroll, client } = await probe.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    if (scroll > client) problems.push(`${name} is ${scroll}px wide at 360 px`);
    for (const v of await axeViolations(probe)) problems.push(`${name}: ${v}`);
  }

  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.goto(`${server.base}/orienter?qui=enfant&age=9&besoin=parentalite-coeducation`);
  assert.ok(await page.getByRole('link', { name: /Envoyer une orientation vers cette action/ }).count() > 0, 'each result offers a referral');
  await page.goto(`${server.base}/actions/5`);
  await page.getByRole('link', { name: 'Orienter une famille vers cette action' }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(page.url(), /\/actions\/5\/orienter$/);
  await inspect('form');

  await page.getByLabel(/Prénom ou initiales/).fill('Yanis B.');
  await page.getByLabel(/Âge, en années/).fill('9');
  await page.getByLabel(/École ou quartier/).fill('École Jules Guesde');
  await page.getByLabel(/Le besoin/).fill('Arrive souvent en retard, la famille cherche de l\'aide le matin');
  await page.getByLabel('Par courriel', { exact: true }).check();
  await page.getByLabel(/Courriel de la famille/).fill('famille.b@exemple.fr');
  await page.getByLabel(/accord a été donné par un parent/).check();
  await page.getByLabel(/Qui a recueilli l'accord/).fill('Mme Martin, médiatrice');
  await page.getByLabel(/Le jour de l'accord/).fill(new Date().toISOString().slice(0, 10));
  await page.getByLabel(/Dans quelle langue/).selectOption('ar');
  // Without the agreement: refused, what was typed kept.
  await page.getByRole('button', { name: "Envoyer l'orientation" }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /accord/);
  assert.equal(await page.getByLabel(/Prénom ou initiales/).inputValue(), 'Yanis B.');

  await page.getByLabel(/La famille a été informée/).check();
  await page.getByRole('button', { name: "Envoyer l'orientation" }).click();
  await page.getByText(/Orientation envoyée/).waitFor();
  const id = page.url().match(/\/orientations\/(\d+)/)[1];
  await inspect('sent');

  await page.goto(`${server.base}/orientations`);
  await page.getByRole('link', { name: new RegExp(`${id}`) }).first().waitFor();
  await inspect('list');

  // The operator, without an account, from the mailed link.
  const token = await waitFor('the link in the mail', () => server.mail().map((m) => m.text).join('\n').match(/\/orientation\/([A-Za-z0-9_-]{20,})/)?.[1]);
  const opContext = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, viewport: PHONE });
  const operator = await opContext.newPage();
  await operator.goto(`${server.base}/orientation/${token}`);
  assert.match(await operator.locator('main').innerText(), /Yanis B\./);
  await inspect('link', opContext);
  await operator.getByLabel(/Accepter\s*: indiquez la suite/).check();
  await operator.getByLabel(/La suite, la raison ou la question/).fill('Premier atelier mardi 14 h au centre social');
  await operator.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await operator.getByText(/acceptée/).first().waitFor();
  await inspect('link-answered', opContext);

  await page.goto(`${server.base}/orientations/${id}`);
  assert.match(await page.locator('main').innerText(), /acceptée/);
  assert.match(await page.locator('main').innerText(), /Premier atelier mardi 14 h/);
  await inspect('accepted');

  await page.goto(`${server.base}/admin/orientations`);
  const counts = await page.locator('main').innerText();
  assert.doesNotMatch(counts, /Yanis/, 'the counts hold nothing personal');
  await inspect('counts');

  for (const e of nuErrors(files)) problems.push(e);
  assert.deepEqual(problems, []);
  await pro.close();
  await opContext.close();
  await checks.close();
});

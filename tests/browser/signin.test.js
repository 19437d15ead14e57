// Signing in as people do, without JavaScript, on a 360 px phone (and at
// 1280 px): the sign-in page with the ProConnect button first, an
// administrator's enrolment of the second factor (the QR code drawn by the
// server, the secret in text), the recovery codes shown once, the code
// asked at the next sign-in (a wrong one refused with its message), the
// account page with its sessions, and the page ProConnect's absence gives.
// Each passes axe-core and the Nu HTML checker without sideways scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, inspector, totp } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };
const PHONE = { width: 360, height: 740 };

let server;
let browser;

before(async () => {
  server = await startServer({ admin: ADMIN, proconnect: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function password(page) {
  await page.goto(`${server.base}/connexion`);
  await page.getByLabel('Adresse électronique').fill(ADMIN.email);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('ProConnect first, the second factor enrolled then asked, and one\'s sessions', async () => {
  const checks = await inspector(browser, 'signin');
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, viewport: PHONE });
  const page = await context.newPage();
  const inspect = (name) => checks.inspect(name, { context, page });

  await page.goto(`${server.base}/connexion`);
  const button = page.getByRole('button', { name: 'S’identifier avec ProConnect' });
  assert.ok(await button.isVisible());
  const about = page.getByRole('link', { name: 'Qu’est-ce que ProConnect ?' });
  assert.equal(await about.getAttribute('href'), 'https://www.proconnect.gouv.fr/');
  const order = await page.locator('main').innerText();
  assert.ok(order.indexOf('ProConnect') < order.indexOf('Mot de passe'), 'ProConnect first');
  await inspect('signin-proconnect');

  // An administrator's first sign-in: the enrolment, and nothing else.
  await password(page);
  await page.waitForURL(/\/connexion\/second-facteur$/);
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  assert.match(await page.locator('#secret').innerText(), /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  await inspect('enrol');
  await page.goto(`${server.base}/admin`);
  await page.waitForURL(/\/connexion\/second-facteur$/);
  const secret = Buffer.from(await page.locator('input[name="secret"]').getAttribute('value'), 'hex');
  const enrolled = Math.floor(Date.now() / 30_000);
  await page.getByLabel(/Code à 6 chiffres/).fill(totp(secret, enrolled));
  await page.getByRole('button', { name: 'Activer' }).click();
  await page.getByRole('heading', { name: 'Vos codes de secours' }).waitFor();
  const codes = await page.locator('.recovery-codes li').allTextContents();
  assert.equal(codes.length, 10);
  await checks.inspectContent('recovery', page);
  await page.getByRole('link', { name: /J.ai noté mes codes/ }).click();
  await page.getByRole('heading', { name: /Vous êtes connecté/ }).waitFor();

  // Signed out and in again: the code is asked; a wrong one is refused.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await password(page);
  await page.waitForURL(/\/connexion\/code$/);
  await inspect('code');
  await page.getByLabel(/Code de l.application/).fill('000000');
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('alert').waitFor();
  await checks.inspectContent('code-refused', page);
  await page.getByLabel(/Code de l.application/).fill(totp(secret, enrolled + 1));
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('heading', { name: /Vous êtes connecté/ }).waitFor();

  // The account page: this session, the other (from another phone).
  const other = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, viewport: PHONE });
  const phone = await other.newPage();
  await password(phone);
  await phone.getByLabel(/Code de l.application/).fill(codes[0]);
  await phone.getByRole('button', { name: 'Valider' }).click();
  await phone.getByRole('heading', { name: /Vous êtes connecté/ }).waitFor();
  await page.goto(`${server.base}/compte`);
  assert.match(await page.locator('#securite ~ div table').innerText(), /cette session/);
  await inspect('account');
  await page.getByRole('button', { name: /^Fermer la session/ }).click();
  await page.getByText('La session a été fermée.').waitFor();
  await phone.goto(`${server.base}/compte`);
  assert.match(await phone.locator('main').innerText(), /connect/i, 'the phone is signed out');
  assert.equal(await phone.getByRole('heading', { name: 'Mon compte' }).count(), 0);
  await other.close();

  // ProConnect unreachable: the page says so, and what else to do.
  const anonymous = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, viewport: PHONE });
  const visitor = await anonymous.newPage();
  await visitor.goto(`${server.base}/connexion`);
  await visitor.getByRole('button', { name: 'S’identifier avec ProConnect' }).click();
  await visitor.getByRole('heading', { name: 'Connexion refusée' }).waitFor();
  assert.match(await visitor.locator('main').innerText(), /ProConnect ne répond pas/);
  await checks.inspectContent('proconnect-refused', visitor);
  await anonymous.close();

  const problems = await checks.finish();
  assert.deepEqual(problems, []);
  await context.close();
});

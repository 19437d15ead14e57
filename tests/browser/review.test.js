// The review in a real browser: a referent (invited, choosing their
// password) enters an indicator value, the coordination validates it, the
// axis review shows it; a new programme is created and the maintained action
// appears in it. axe-core on the review, coverage and editing pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, axeViolations, signIn as signInWith } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };
const REFERENT = { email: 'referent@citeo.com', name: 'Référente Citéo', role: 'referent', organisation: 'citeo' };
const REFERENT_PASSWORD = 'un-autre-mot-de-passe-long';

let server;
let browser;
const axeFailures = [];

before(async () => {
  server = await startServer({ admin: ADMIN, invitations: [REFERENT] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function context() {
  const ctx = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  return { ctx, page: await ctx.newPage() };
}

async function axe(page, name) {
  for (const v of await axeViolations(page)) axeFailures.push(`${name}: ${v}`);
}

const signIn = (page, email, password) => signInWith(page, server.base, email, password);

test('a referent enters a value, the coordination validates it, the review shows it; the next programme carries the action over', async () => {
  // The referent accepts the invitation and chooses a password.
  const referent = await context();
  await referent.page.goto(`${server.base}${server.links[0]}`);
  await referent.page.getByLabel('Mot de passe', { exact: true }).fill(REFERENT_PASSWORD);
  await referent.page.getByLabel('Le même, une seconde fois').fill(REFERENT_PASSWORD);
  await referent.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await referent.page.waitForURL(/\/connexion/);
  await signIn(referent.page, REFERENT.email, REFERENT_PASSWORD);

  // From the axis review to their action's review form.
  await referent.page.goto(`${server.base}/bilan/axes/1`);
  await referent.page.getByRole('link', { name: 'renseigner le bilan de la fiche 5' }).click();
  await axe(referent.page, 'review form (referent)');
  await referent.page.getByLabel('Statut en 2022').selectOption('en-cours');
  await referent.page.getByLabel('Bilan 2022 (Markdown, court)').fill('Cinq médiateurs en poste sur six.');
  await referent.page.getByLabel('Valeur 2022').fill('5');
  await referent.page.getByRole('button', { name: 'Enregistrer le bilan' }).click();
  await referent.page.getByText('Bilan enregistré.').waitFor();

  // Not public until validated.
  const visitor = await context();
  await visitor.page.goto(`${server.base}/bilan/axes/1`);
  const row = () => visitor.page.locator('table', { has: visitor.page.locator('caption', { hasText: 'Indicateurs de la fiche 5' }) }).locator('tbody tr').first();
  assert.equal((await row().locator('td').last().textContent()).trim(), '');

  // The coordination validates.
  const admin = await context();
  await signIn(admin.page, ADMIN.email, ADMIN.password);
  await admin.page.goto(`${server.base}/admin/bilan/5`);
  await axe(admin.page, 'review form (coordination)');
  await admin.page.getByLabel('Valider les valeurs saisies').check();
  await admin.page.getByRole('button', { name: 'Enregistrer le bilan' }).click();
  await admin.page.getByText('Bilan enregistré.').waitFor();

  await visitor.page.reload();
  assert.equal((await row().locator('td').last().textContent()).trim(), '5');
  assert.match(await visitor.page.locator('article', { hasText: 'Fiche 5' }).textContent(), /Cinq médiateurs en poste sur six/);
  await axe(visitor.page, 'axis review');
  await visitor.page.goto(`${server.base}/bilan`);
  await axe(visitor.page, 'programme review');
  await visitor.page.goto(`${server.base}/bilan/couverture`);
  await axe(visitor.page, 'coverage');
  await visitor.page.goto(`${server.base}/bilan/couverture?axe=3`);
  assert.ok(await visitor.page.locator('td.gap').count() > 0, 'empty cells stand out');

  // Decide, then create the next programme.
  await admin.page.goto(`${server.base}/admin/programme-suivant`);
  await axe(admin.page, 'next programme');
  await admin.page.getByLabel('Décision').first().selectOption('abandonner');
  await admin.page.locator('#decision-5').selectOption('maintenir');
  await admin.page.getByRole('button', { name: 'Enregistrer les décisions' }).click();
  await admin.page.getByText('1 action maintenue ou modifiée y passera.').waitFor();
  await admin.page.getByRole('button', { name: 'Créer le programme' }).click();
  await admin.page.getByRole('heading', { name: /Bilan : Programmation 2023-2025/ }).waitFor();

  await visitor.page.goto(`${server.base}/actions`);
  assert.equal(await visitor.page.locator('#h-results').textContent(), '1 action');
  await visitor.page.getByRole('link', { name: /Médiation sociale/ }).first().click();
  assert.match(await visitor.page.locator('h1').textContent(), /Médiation sociale/);

  for (const c of [referent, visitor, admin]) await c.ctx.close();
  assert.deepEqual(axeFailures, []);
});

test('the coverage table breaks no word inside, on a wide screen and on a 360 px phone', async () => {
  for (const width of [1280, 360]) {
    const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/bilan/couverture?axe=3`);
    // A word broken inside spreads over two line boxes: its range has two rectangles.
    const broken = await page.evaluate(() => {
      const out = [];
      for (const cell of document.querySelectorAll('table.coverage th, table.coverage td')) {
        if (cell.getClientRects().length === 0) { out.push(`${cell.textContent.trim()}: hidden`); continue; }
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const m of node.textContent.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (lines.size > 1) out.push(`${m[0]}: on ${lines.size} lines`);
          }
        }
      }
      return out;
    });
    assert.deepEqual(broken, [], `at ${width} px, words broken inside: ${broken.join(', ')}`);
    await ctx.close();
  }
});

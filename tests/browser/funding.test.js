// The programme's money in a real browser, without JavaScript, on a 360 px
// phone (every page also checked at 1280 px): the coordination sets the
// State's envelope for 2021, adds fiche 5's line, votes it and records an
// acompte, proposes a line to the commune, then simulates voting the
// proposal and taking the vote out. The envelope page, the what-if, the
// lines, a line, the operator's report and the revue pass axe-core and the Nu HTML checker and have no
// sideways scroll at 360 px; the gauge says its figure in words, so that
// it reads in black and white.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, inspector, signIn } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };
const PHONE = { width: 360, height: 740 };

let server;
let browser;

before(async () => {
  server = await startServer({ admin: ADMIN });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an envelope, a line voted and paid, a proposal, the what-if, the operator\'s report and the revue', async () => {
  const checks = await inspector(browser, 'funding');
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, viewport: PHONE });
  const page = await context.newPage();
  const inspect = (name) => checks.inspect(name, { context, page });
  /** The page's text, its no-break spaces as spaces. */
  const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');
  const main = async () => plain(await page.locator('main').innerText());

  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.goto(`${server.base}/financements?annee=2021`);
  await page.getByLabel('Source', { exact: true }).selectOption('etat');
  await page.getByLabel('Montant', { exact: true }).fill('350 000');
  await page.getByRole('button', { name: "Enregistrer l'enveloppe" }).click();
  assert.match(await main(), /350 000,00 €/);

  // Fiche 5's line: created, voted, paid.
  await page.goto(`${server.base}/financements/lignes?annee=2021`);
  await page.getByLabel('Action').selectOption('5');
  await page.getByLabel('Financeur', { exact: true }).selectOption('etat');
  await page.getByLabel('Montant demandé').fill('30 000');
  await page.getByRole('button', { name: 'Créer la ligne' }).click();
  await page.getByLabel('Voté', { exact: true }).fill('25 000');
  await page.getByLabel('Engagé', { exact: true }).fill('25 000');
  await page.getByLabel('Date de décision').fill('2021-03-12');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.getByLabel('Date du versement').fill('2021-04-01');
  await page.getByLabel('Montant versé, en euros').fill('10 000');
  await page.getByRole('button', { name: 'Enregistrer le versement' }).click();
  const line = await main();
  assert.match(line, /Reste à verser\s+15 000,00 €/);
  assert.match(line, /Voté : 0,00 € → 25 000,00 €/);
  await inspect('line');

  // A proposal to the commune, not voted yet.
  await page.goto(`${server.base}/financements/lignes?annee=2021`);
  await page.getByLabel('Action').selectOption('5');
  await page.getByLabel('Financeur', { exact: true }).selectOption('commune');
  await page.getByLabel('Montant demandé').fill('8 000');
  await page.getByRole('button', { name: 'Créer la ligne' }).click();
  await page.getByLabel('Proposé', { exact: true }).fill('5 000');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.goto(`${server.base}/financements/lignes?annee=2021`);
  await inspect('lines');

  await page.goto(`${server.base}/financements?annee=2021`);
  await inspect('envelopes');
  await page.getByRole('img', { name: "7 % de l'enveloppe voté" }).waitFor();
  await page.getByLabel(/Fiche 5 .* Commune : 5\s000,00\s€/).check();
  await page.getByLabel(/Fiche 5 .* État .* : 25\s000,00\s€/).check();
  await page.getByRole('button', { name: 'Simuler' }).click();
  const after = plain(await page.locator('table', { hasText: 'Après la simulation' }).innerText());
  assert.match(after, /Commune\s+0,00 €\s+5 000,00 €\s+0,00 €\s+−5 000,00 € \(dépassement\)/);
  assert.match(after, /État – Cité éducative \(P147\)\s+25 000,00 €\s+0,00 €\s+325 000,00 €\s+350 000,00 €/);
  await inspect('what-if');

  // The operator's report form, as the coordination fills it for them.
  await page.goto(`${server.base}/financements/ligne/compte-rendu?fiche=5&annee=2021&financeur=etat`);
  await page.locator('[id="post.0"]').fill('Intervenants');
  await page.locator('[id="forecast.0"]').fill('20 000');
  await page.locator('[id="actual.0"]').fill('26 000');
  await page.getByLabel('Comment l\'action s\'est déroulée').fill('Douze ateliers.');
  await page.getByRole('button', { name: 'Remettre le compte rendu' }).click();
  assert.match(await main(), /expliquez-le/);
  await inspect('report');
  await page.locator('[id="explanation.0"]').fill('Trois ateliers de plus.');
  await page.getByRole('button', { name: 'Remettre le compte rendu' }).click();
  assert.match(await main(), /remis, à accepter/);
  await inspect('report-submitted');

  // The revue de projet, its figures from the data.
  await page.goto(`${server.base}/revue?annee=2021`);
  assert.match(await main(), /État – Cité éducative \(P147\) : enveloppe\s+350 000,00 €/);
  await inspect('revue');

  assert.deepEqual(await checks.finish(), []);
  await context.close();
});

// The seminar in a real browser: an organiser opens registration, a parent
// registers and ranks workshops, two participants contribute with the day's
// code and support each other, the board updates live, a moderator hides a
// contribution, and the panel shows the restitution. axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, axeViolations, nuErrors, signIn as signInWith } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };
const EVENT = '/seminaire/roubaix-seminaire-2022-10-11';

let server;
let browser;
const axeFailures = [];

before(async () => {
  server = await startServer({ admin: ADMIN });
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

const signIn = (page) => signInWith(page, server.base, ADMIN.email, ADMIN.password);

async function joinBoard(page, name) {
  await page.goto(`${server.base}${EVENT}/contributions`);
  await page.getByLabel(/Code de l.événement/).fill('ROUBAIX');
  await page.getByLabel(/Votre prénom/).fill(name);
  await page.getByRole('button', { name: 'Entrer' }).click();
  await page.getByRole('heading', { name: 'Contribuer' }).waitFor();
}

test('register, contribute with the code, support, moderate, and show the panel', async () => {
  const admin = await context();
  await signIn(admin.page);
  // The organiser opens registration and sets the day's code.
  await admin.page.goto(`${server.base}/admin/evenements/roubaix-seminaire-2022-10-11`);
  // The 2022 seminar, moved two years ahead: a day that has passed takes no registration.
  await admin.page.getByLabel('Date *', { exact: true }).fill(`${new Date().getFullYear() + 2}-10-11`);
  await admin.page.getByLabel('Oui').check();
  await admin.page.getByLabel(/Code du jour/).fill('ROUBAIX');
  await admin.page.getByLabel(/Nombre de places/).fill('120');
  await admin.page.getByRole('button', { name: 'Enregistrer' }).click();
  await admin.page.getByText('Modifications enregistrées.').waitFor();

  // A parent registers and ranks two workshops.
  const parent = await context();
  await parent.page.goto(`${server.base}${EVENT}`);
  await parent.page.getByRole('link', { name: "S'inscrire" }).click();
  await axe(parent.page, 'registration form');
  await parent.page.getByLabel('Nom et prénom *').fill('Nadia Benali');
  await parent.page.getByLabel('Adresse électronique *').fill('nadia@exemple.fr');
  await parent.page.getByLabel('Parent', { exact: true }).check();
  await parent.page.getByLabel('1er choix').selectOption({ index: 2 });
  await parent.page.getByLabel('2e choix').selectOption({ index: 1 });
  await parent.page.getByRole('button', { name: "S'inscrire" }).click();
  await parent.page.getByText(/Votre inscription est enregistrée \(inscription confirmée\)/).waitFor();
  await axe(parent.page, 'private registration page');
  assert.match(parent.page.url(), /\/inscription\/[0-9a-f]{64}\?nouvelle=1$/);

  // The organisers see it and assign workshops in one click.
  await admin.page.goto(`${server.base}${EVENT}/inscriptions`);
  await admin.page.getByRole('button', { name: 'Répartir dans les ateliers' }).click();
  await admin.page.getByRole('cell', { name: 'nadia@exemple.fr' }).waitFor();
  await axe(admin.page, 'registrations');

  // Two participants contribute with the code, without an account.
  const one = await context();
  await one.page.goto(`${server.base}${EVENT}/contributions`);
  await axe(one.page, 'board (not joined)');
  await joinBoard(one.page, 'Karim');
  await one.page.getByLabel('Question', { exact: true }).selectOption({ index: 2 });
  await one.page.getByLabel(/Votre contribution/).fill('Inventer un café des parents dans chaque école');
  await one.page.getByRole('button', { name: 'Publier' }).click();
  const mine = one.page.locator('.contribution', { hasText: 'Inventer un café des parents' });
  await mine.waitFor();
  await axe(one.page, 'board (joined)');

  const two = await context();
  await joinBoard(two.page, 'Sophie');
  const theirs = two.page.locator('.contribution', { hasText: 'Inventer un café des parents' });
  await theirs.getByRole('button', { name: /Soutenir/ }).click();
  await two.page.locator('.contribution', { hasText: 'Inventer un café des parents' }).getByText('1 soutien(s)').waitFor();
  // Supporting again changes nothing: once per person.
  await two.page.locator('.contribution', { hasText: 'Inventer un café des parents' }).getByRole('button', { name: /Soutenir/ }).click();
  await two.page.locator('.contribution', { hasText: 'Inventer un café des parents' }).getByText('1 soutien(s)').waitFor();

  // The board updates live where JavaScript runs: Karim's new contribution
  // appears on Sophie's page without a reload.
  await two.page.locator('h1').click();
  await one.page.getByLabel(/Votre contribution/).fill('Maintenir les commissions écoles-collège-quartier');
  await one.page.getByRole('button', { name: 'Publier' }).click();
  await two.page.locator('.contribution-text', { hasText: 'Maintenir les commissions écoles-collège-quartier' }).waitFor({ timeout: 15_000 });

  // A moderator hides the first one: it leaves everyone's board.
  await admin.page.goto(`${server.base}${EVENT}/contributions`);
  await axe(admin.page, 'board (moderator)');
  const toHide = admin.page.locator('.contribution', { hasText: 'Inventer un café des parents' });
  await toHide.getByLabel('Motif pour masquer').fill('doublon');
  await toHide.getByRole('button', { name: /Masquer/ }).click();
  await admin.page.getByText('Masquée : doublon').waitFor();
  await one.page.reload();
  assert.equal(await one.page.getByText('Inventer un café des parents').count(), 0);

  // The restitution and the panel.
  await admin.page.goto(`${server.base}${EVENT}/restitution`);
  await admin.page.getByLabel('Synthèse (Markdown)').first().fill('Les commissions sont **à maintenir**.');
  await admin.page.getByRole('button', { name: /Enregistrer la synthèse/ }).first().click();
  await admin.page.locator('.synthesis', { hasText: 'Les commissions sont à maintenir' }).waitFor();
  await axe(admin.page, 'restitution');
  const wall = await context();
  await wall.page.goto(`${server.base}${EVENT}/panneau`);
  await wall.page.locator('.synthesis', { hasText: 'Les commissions sont à maintenir' }).waitFor();
  const style = await wall.page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { bg: s.backgroundColor, fg: s.color, size: parseFloat(getComputedStyle(document.querySelector('main')).fontSize) };
  });
  assert.equal(style.bg, 'rgb(0, 0, 0)');
  assert.equal(style.fg, 'rgb(255, 255, 255)');
  assert.ok(style.size >= 24, `panel type is ${style.size}px`);
  await axe(wall.page, 'panel');

  for (const c of [admin, parent, one, two, wall]) await c.ctx.close();
  assert.deepEqual(axeFailures, []);
});

test('the seminar pages are valid HTML and fit a 360 px screen', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-vnu-seminar-'));
  const files = [];
  const wide = [];
  for (const path of [EVENT, `${EVENT}/inscription`, `${EVENT}/contributions`, `${EVENT}/restitution`, `${EVENT}/panneau`]) {
    await page.goto(`${server.base}${path}`);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    if (scroll > client) wide.push(`${path} is ${scroll}px wide`);
    const file = join(dir, `${path.replace(/\W/g, '-')}.html`);
    writeFileSync(file, await (await fetch(`${server.base}${path}`)).text());
    files.push(file);
  }
  assert.deepEqual(wide, []);
  assert.deepEqual(nuErrors(files), []);
  await ctx.close();
});

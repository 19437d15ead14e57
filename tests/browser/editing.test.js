// Editing the programme in a real browser: sign in, edit an action, see it
// public, find it in the history, restore the old version; the editing
// pages pass axe-core, the Nu checker and the 360 px check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, axeViolations, nuErrors, signIn } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };
const FICHE5 = '/admin/actions/programmation-2020-2022~fiche-5';

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

async function signedIn(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  const page = await context.newPage();
  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  return { page, context };
}

test('sign in, edit an action, see it public and in the history, restore the old version', async () => {
  const { page, context } = await signedIn();
  await page.getByRole('link', { name: "Aller à l'espace de travail" }).click();
  await page.getByRole('link', { name: 'Actions', exact: true }).last().click();
  await page.getByRole('link', { name: /modifier Fiche 5 —/ }).click();
  const title = page.getByLabel('Intitulé *');
  const original = await title.inputValue();
  await title.fill('Médiation scolaire, nouvelle formule');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Modifications enregistrées.').waitFor();

  // Anyone sees it on the public page.
  const visitor = await browser.newContext({ locale: 'fr-FR' });
  const publicPage = await visitor.newPage();
  await publicPage.goto(`${server.base}/actions/5`);
  assert.match(await publicPage.locator('h1').textContent(), /Médiation scolaire, nouvelle formule/);

  await page.getByRole('link', { name: 'historique' }).first().click();
  await page.getByRole('heading', { name: /Version 2 — modifiée/ }).waitFor();
  assert.match(await page.locator('.diff').first().textContent(), /Médiation scolaire, nouvelle formule/);
  await page.getByRole('button', { name: 'Restaurer la version 1' }).click();
  await page.getByRole('heading', { name: /Version 3 — modifiée/ }).waitFor();

  await publicPage.reload();
  assert.equal((await publicPage.locator('h1').textContent()).trim().includes(original.trim()), true);
  await visitor.close();
  await context.close();
});

const EDITING_PAGES = {
  workspace: '/admin',
  list: '/admin/actions',
  edit: FICHE5,
  create: '/admin/organisations/nouveau',
  person: '/admin/personnes/anne-sophie-belgaid',
  history: `${FICHE5}/historique`,
  accounts: '/admin/comptes',
  tokens: '/compte',
  activity: '/admin/activite',
  instance: '/instance',
  import: '/admin/import',
};

async function refusedForm(page) {
  await page.goto(`${server.base}${FICHE5}`);
  await page.getByLabel('Intitulé *').fill('');
  await page.getByLabel('Courriel').first().fill('pas-une-adresse');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: /champ\(s\) à corriger/ }).waitFor();
}

test('axe-core finds no WCAG 2.1 A or AA violation on the editing pages', async () => {
  const { page, context } = await signedIn({ bypassCSP: true });
  const failures = [];
  const check = async (name) => {
    for (const v of await axeViolations(page)) failures.push(`${name}: ${v}`);
  };
  for (const [name, path] of Object.entries(EDITING_PAGES)) {
    await page.goto(`${server.base}${path}`);
    await check(name);
  }
  await refusedForm(page);
  await check('refused form');
  await page.goto(`${server.base}/mot-de-passe-oublie`);
  await check('forgot');
  assert.deepEqual(failures, []);
  await context.close();
});

test('the editing pages are valid HTML and fit a 360 px screen', async () => {
  const { page, context } = await signedIn({ viewport: { width: 360, height: 740 } });
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-vnu-edit-'));
  const files = [];
  const wide = [];
  const keep = async (name) => {
    const file = join(dir, `${name.replace(/\W/g, '-')}.html`);
    writeFileSync(file, `<!doctype html>\n${await page.evaluate(() => document.documentElement.outerHTML)}`);
    files.push(file);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    if (scroll > client) wide.push(`${name} is ${scroll}px wide`);
  };
  for (const [name, path] of Object.entries(EDITING_PAGES)) {
    await page.goto(`${server.base}${path}`);
    await keep(name);
  }
  await refusedForm(page);
  await keep('refused form');
  assert.deepEqual(wide, []);
  assert.deepEqual(nuErrors(files), []);
  await context.close();
});

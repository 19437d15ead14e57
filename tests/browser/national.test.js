// Two cités on one instance, as a deployer sets it up (`passerelle cite
// add`): the national home and search, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, axeViolations, nuErrors } from './harness.js';

const NATIONAL = { 'national-home': '/', 'national-search': '/recherche?q=parents', 'national-empty': '/recherche?q=zzzzzz', 'national-review': '/bilans', 'national-orientation': '/orientation' };

let server;
let browser;

before(async () => {
  server = await startServer({
    cites: [{ slug: 'tourcoing', name: 'Cité éducative de Tourcoing', from: 'data/roubaix/livret-2022.md' }],
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the national home lists both cités and leads into each', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  assert.equal(await page.locator('h1').textContent(), 'Les cités éducatives');
  await page.getByRole('link', { name: 'Cité éducative de Tourcoing' }).click();
  await page.waitForURL(/\/tourcoing\/$/);
  assert.match(await page.locator('.brand-cite').textContent(), /Tourcoing/);
  // Old single-cité URLs now belong to the default cité, Roubaix.
  await page.goto(`${server.base}/actions/5`);
  assert.match(page.url(), /\/roubaix\/actions\/5$/);
  await context.close();
});

test('a cité page reached through the national search keeps its cité in every link', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await page.getByLabel(/Chercher une action dans toutes les cités/).fill('éloquence');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/\/recherche\?q=/);
  assert.equal(await page.locator('#h-results').textContent(), '2 actions');
  assert.ok(await page.getByRole('link', { name: 'Cité éducative de Tourcoing (1)' }).isVisible());
  await page.getByRole('link', { name: 'Cité éducative de Tourcoing (1)' }).click();
  await page.waitForURL(/cite=tourcoing/);
  assert.equal(await page.locator('#h-results').textContent(), '1 action');
  await page.locator('.results a').first().click();
  await page.waitForURL(/\/tourcoing\/actions\/21$/);
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll('a[href], form[action]')]
      .map((e) => e.getAttribute('href') ?? e.getAttribute('action'))
      .filter((h) => h.startsWith('/') && !h.startsWith('/tourcoing/'))
      .filter((h) => !/^\/(static\/|connexion|deconnexion|compte|accessibilite|mot-de-passe-oublie)/.test(h)));
  assert.deepEqual(outside, []);
  await context.close();
});

test('the national pages pass axe, the Nu checker and the 360 px check', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const failures = [];
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-vnu-national-'));
  const files = [];
  for (const [name, path] of Object.entries(NATIONAL)) {
    await page.goto(`${server.base}${path}`);
    for (const v of await axeViolations(page)) failures.push(`${name} ${path}: ${v}`);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    if (scroll > client) failures.push(`${name} (${path}) is ${scroll}px wide in a ${client}px window`);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, await (await fetch(`${server.base}${path}`)).text());
    files.push(file);
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(nuErrors(files), []);
  await context.close();
});

// What people do with Passerelle, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, PAGE_TYPES, axeViolations, nuErrors } from './harness.js';


let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  const page = await context.newPage();
  return { page, context };
}

test('type a search and open a result', async () => {
  const { page, context } = await newPage();
  await page.goto(`${server.base}/`);
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  await page.getByLabel('Mots-clés').fill('éloquence');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/\/actions\?q=/);
  assert.equal(await page.locator('#h-results').textContent(), '1 action');
  await page.getByRole('link', { name: /Concours d.éloquence/ }).first().click();
  await page.waitForURL(/\/actions\/21$/);
  assert.match(await page.locator('h1').textContent(), /Concours d.éloquence/);
  await context.close();
});

test('filter by age', async () => {
  const { page, context } = await newPage();
  await page.goto(`${server.base}/actions`);
  assert.equal(await page.locator('#h-results').textContent(), '27 actions');
  await page.getByLabel(/Âge de l.enfant/).fill('10');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/age=10/);
  assert.equal(await page.locator('#h-results').textContent(), '7 actions');
  // The facet narrows further, and the filter can be removed.
  await page.getByRole('link', { name: /Axe 3/ }).first().click();
  await page.waitForURL(/axe=3/);
  assert.equal(await page.locator('#h-results').textContent(), '4 actions');
  await page.getByRole('link', { name: /Retirer le filtre « Âge : 10 »/ }).click();
  await page.waitForURL((u) => !u.search.includes('age='));
  assert.equal(await page.locator('#h-results').textContent(), '10 actions');
  await context.close();
});

test('complete the orientation form and print the sheet on one page', async () => {
  const { page, context } = await newPage();
  await page.goto(`${server.base}/orienter`);
  await page.getByLabel('Un enfant ou un jeune').check();
  await page.getByLabel(/Âge de l.enfant/).fill('9');
  await page.getByLabel(/École, collège, quartier ou secteur/).selectOption('ecole-littre');
  await page.getByLabel('Culture et sport').check();
  await page.getByRole('button', { name: 'Voir les actions' }).click();
  await page.waitForURL(/\/orienter\?/);
  assert.match(await page.locator('#h-found').textContent(), /actions? correspond/);
  assert.ok(await page.getByText('Qui appeler').first().isVisible());
  await page.getByRole('link', { name: /Préparer la fiche/ }).click();
  await page.waitForURL(/\/orienter\/fiche\?/);
  assert.match(await page.locator('.lead').textContent(), /Pour votre enfant de 9 ans/);
  assert.ok(await page.getByText('Lieu\u00a0: École Littré').isVisible());
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.site').isVisible(), false, 'no site menu on paper');
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  assert.equal(pages, 1, `the sheet prints on ${pages} pages`);
  await context.close();
});

test('the Arabic family sheet is mirrored, on a 360 px phone and on A4', async () => {
  const { page, context } = await newPage();
  // Where the text of the heading sits in its line: flush right in Arabic,
  // flush left in French.
  const edges = () => page.evaluate(() => {
    const h1 = document.querySelector('h1');
    const range = document.createRange();
    range.selectNodeContents(h1);
    const text = range.getBoundingClientRect();
    const box = h1.getBoundingClientRect();
    return { left: text.left - box.left, right: box.right - text.right, dir: getComputedStyle(h1).direction };
  });
  await page.setViewportSize({ width: 360, height: 800 });
  const sheet = '/orienter/fiche?qui=enfant&age=9&lieu=ecole-littre&besoin=culture-sport';
  await page.goto(`${server.base}/ar${sheet}`);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  const ar = await edges();
  assert.equal(ar.dir, 'rtl');
  assert.ok(ar.right < 2 && ar.left > 20, `the Arabic heading starts on the right: ${JSON.stringify(ar)}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `no sideways scroll at 360 px (${wide})`);
  await page.screenshot({ path: `${tmpdir()}/passerelle-sheet-ar-360.png`, fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  const printed = await edges();
  assert.ok(printed.right < 2 && printed.left > 20, `mirrored on paper too: ${JSON.stringify(printed)}`);
  const pdf = await page.pdf({ format: 'A4', path: `${tmpdir()}/passerelle-sheet-ar.pdf` });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  assert.ok(pages >= 1 && pages <= 2, `the Arabic sheet prints on ${pages} pages`);
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${server.base}${sheet}`);
  const fr = await edges();
  assert.ok(fr.left < 2 && fr.right > 20, `the French heading starts on the left: ${JSON.stringify(fr)}`);
  await context.close();
});

test('an action page prints on at most two pages', async () => {
  const { page, context } = await newPage();
  await page.goto(`${server.base}/actions/10`);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  assert.ok(pages >= 1 && pages <= 2, `fiche 10 prints on ${pages} pages`);
  await context.close();
});

test('the HTML booklet prints each action on pages of its own, its axis on top', async () => {
  const { page, context } = await newPage();
  await page.goto(`${server.base}/livret`);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4' });
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-livret-'));
  writeFileSync(join(dir, 'livret.pdf'), pdf);
  // Chromium's own PDF, read back by poppler: one text per page.
  const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'livret.pdf'), '-'])
    .toString()
    .split('\f')
    .map((t) => t.replace(/\s+/g, ' '));
  const starts = [];
  for (let n = 1; n <= 27; n++) {
    const on = pages.map((t, i) => (t.includes(`Fiche n°${n} · `) ? i : -1)).filter((i) => i >= 0);
    assert.equal(on.length, 1, `fiche ${n} starts on ${on.length} pages`);
    starts.push(on[0]);
    // The page it starts on holds no other fiche, and says its axis.
    assert.ok(!/Fiche n°\d+ · /.test(pages[on[0]].replace(`Fiche n°${n} · `, '')), `page ${on[0] + 1} holds two fiches`);
    assert.match(pages[on[0]], /Cité éducative de Roubaix — Axe \d : /);
  }
  assert.deepEqual([...starts].sort((a, b) => a - b), starts, 'the fiches in order');
  await context.close();
});

/** Presses Tab until a link whose href matches is focused, then Enter. */
async function tabTo(page, pattern) {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { href: el?.getAttribute('href') ?? '', outline: el ? getComputedStyle(el).outlineStyle : 'none' };
    });
    if (pattern.test(focused.href)) {
      assert.notEqual(focused.outline, 'none', `focus is visible on ${focused.href}`);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      return;
    }
  }
  assert.fail(`no link matching ${pattern} reachable with Tab on ${page.url()}`);
}

test('home → axis → action → organisation → person with the keyboard only', async () => {
  const { page, context } = await newPage();
  await page.goto(`${server.base}/`);
  await tabTo(page, /^\/axes\/1$/);
  assert.match(await page.locator('h1').textContent(), /^Axe 1/);
  await tabTo(page, /^\/actions\/2$/);
  assert.match(await page.locator('h1').textContent(), /Poste liaison/);
  await tabTo(page, /^\/annuaire\/organisations\/ville-de-roubaix$/);
  assert.equal(await page.locator('h1').textContent(), 'Ville de Roubaix');
  await tabTo(page, /^\/annuaire\/personnes\//);
  assert.ok((await page.locator('h1').textContent()).length > 3);
  await context.close();
});

test('the skip link leads to the content', async () => {
  const { page, context } = await newPage();
  await page.goto(`${server.base}/actions/5`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Aller au contenu');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contenu');
  await context.close();
});

test('at 360 px wide no page scrolls sideways', async () => {
  const { page, context } = await newPage({ viewport: { width: 360, height: 740 } });
  for (const [name, path] of Object.entries(PAGE_TYPES)) {
    await page.goto(`${server.base}${path}`);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${name} (${path}) is ${scroll}px wide in a ${client}px window`);
  }
  await context.close();
});

test('axe-core finds no WCAG 2.1 A or AA violation on any page type', async () => {
  // axe is injected as a script: the test context bypasses our CSP to do so.
  const { page, context } = await newPage({ bypassCSP: true });
  const failures = [];
  for (const [name, path] of Object.entries(PAGE_TYPES)) {
    await page.goto(`${server.base}${path}`);
    for (const v of await axeViolations(page)) failures.push(`${name} ${path}: ${v}`);
  }
  assert.deepEqual(failures, []);
  await context.close();
});

test('the Nu HTML checker reports no error on any page type', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-vnu-'));
  const files = [];
  for (const [name, path] of Object.entries(PAGE_TYPES)) {
    const res = await fetch(`${server.base}${path}`);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, await res.text());
    files.push(file);
  }
  assert.deepEqual(nuErrors(files), []);
});

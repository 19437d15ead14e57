// The newsletter in a real browser: an administrator creates a list and an
// issue composed from the programme, previews it and sends it; a visitor
// subscribes with the keyboard-usable form, confirms from the mail's link
// (read back from the log: no SMTP server here), reaches their preferences
// and the unsubscription page, and reads the issue in the archive. Every
// page passes axe-core, the Nu HTML checker and fits a 360 px screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, axeViolations, nuErrors, signIn, waitFor } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };

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

test('a list, an issue from the data, a subscription confirmed, preferences, the archive: each page accessible', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-vnu-newsletter-'));
  const files = [];
  const problems = [];
  const ctx = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  const page = await ctx.newPage();
  const narrow = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, viewport: { width: 360, height: 740 } });
  const phone = await narrow.newPage();
  // Each page: axe on the wide screen, the same page at 360 px, its HTML to the Nu checker.
  async function inspect(name) {
    // The HTML as served, before axe's script is added to the page.
    const file = join(dir, `${name}.html`);
    writeFileSync(file, await page.content());
    files.push(file);
    for (const v of await axeViolations(page)) problems.push(`${name}: ${v}`);
    for (const c of await ctx.cookies()) await narrow.addCookies([c]);
    await phone.goto(page.url());
    const { scroll, client } = await phone.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    if (scroll > client) problems.push(`${name} is ${scroll}px wide at 360 px`);
  }

  await signIn(page, server.base, ADMIN.email, ADMIN.password);
  await page.goto(`${server.base}/admin/lettre`);
  await page.getByLabel('Nom', { exact: true }).fill("Lettre d'infos des professionnels");
  await page.getByLabel(/Description/).fill('Les nouvelles des actions, chaque trimestre');
  await page.getByRole('button', { name: 'Créer la liste' }).click();
  await page.getByText(/Lettre d'infos des professionnels/).first().waitFor();
  // The list's description, changed afterwards.
  const listForm = page.getByRole('group', { name: /^Lettre d'infos des professionnels — / });
  await listForm.getByLabel(/Description/).fill('Les nouvelles des actions, chaque mois');
  await listForm.getByRole('button', { name: 'Enregistrer la liste' }).click();
  await page.getByRole('group', { name: /^Lettre d'infos des professionnels — / }).waitFor();
  assert.equal(await page.getByRole('group', { name: /^Lettre d'infos des professionnels — / }).getByLabel(/Description/).inputValue(), 'Les nouvelles des actions, chaque mois');
  await inspect('admin');

  await page.getByRole('link', { name: 'Composer une nouvelle lettre' }).click();
  await page.getByLabel(/Titre/).fill('Lettre de décembre');
  await page.getByLabel('Introduction').fill('Bonjour à **toutes et tous**.');
  await page.getByLabel('Une action à découvrir').selectOption('5');
  await page.getByRole('button', { name: 'Créer le brouillon' }).click();
  await page.getByRole('heading', { name: 'Aperçu, tel qu\'il sera envoyé' }).waitFor();
  const preview = await page.locator('.preview.letter').innerText();
  assert.match(preview, /Lettre de décembre/);
  assert.match(preview, /Actions nouvelles ou modifiées/);
  assert.match(preview, /Une action à découvrir/);
  assert.match(await page.locator('pre.preview').innerText(), /Fiche 5 —/);
  await inspect('compose');

  // A visitor subscribes.
  const visitorCtx = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  const visitor = await visitorCtx.newPage();
  await visitor.goto(`${server.base}/lettre`);
  for (const v of await axeViolations(visitor)) problems.push(`subscribe: ${v}`);
  await visitor.getByRole('button', { name: "S'inscrire" }).click();
  await visitor.getByRole('alert').getByText('2 champs à corriger').waitFor();
  await visitor.getByLabel(/Lettre d'infos des professionnels/).check();
  await visitor.getByLabel(/Adresse électronique/).fill('nadia@exemple.fr');
  await visitor.getByRole('button', { name: "S'inscrire" }).click();
  await visitor.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
  const token = await waitFor('the confirmation link in the mail', () => server.mail().map((m) => m.text).join('\n').match(/\/lettre\/confirmer\/([A-Za-z0-9_-]+)/)?.[1]);
  await visitor.goto(`${server.base}/lettre/confirmer/${token}`);
  for (const v of await axeViolations(visitor)) problems.push(`confirm: ${v}`);
  await visitor.getByRole('button', { name: 'Confirmer mon inscription' }).click();
  await visitor.getByRole('heading', { name: 'Inscription confirmée' }).waitFor();
  await visitor.getByRole('link', { name: 'Choisir les lettres reçues' }).click();
  await visitor.getByRole('heading', { name: "Mes lettres d'infos" }).waitFor();
  assert.equal(await visitor.getByLabel(/Lettre d'infos des professionnels/).isChecked(), true);
  await page.goto(visitor.url());
  await inspect('preferences');

  // The issue goes; its delivery shows; it is in the archive.
  await page.goto(`${server.base}/admin/lettre`);
  await page.getByRole('link', { name: 'Lettre de décembre' }).click();
  await page.getByRole('button', { name: /Envoyer maintenant/ }).click();
  await page.getByText('Envoi lancé : 1 destinataire.').waitFor();
  await waitFor('the letter in the mail', () => server.mail().some((m) => m.subject.includes('Lettre de décembre')));
  await page.goto(`${server.base}/lettre`);
  await page.getByRole('link', { name: 'Lettre de décembre' }).click();
  await page.getByRole('heading', { name: 'Lettre de décembre', level: 1 }).waitFor();
  await inspect('issue');
  await page.goto(`${server.base}/lettre`);
  await inspect('subscribe');

  // Unsubscribing: the link's page has a button; a click is enough.
  const preferences = visitor.url();
  await page.goto(preferences.replace('/preferences/', '/desinscription/'));
  await inspect('unsubscribe');
  await visitor.goto(preferences.replace('/preferences/', '/desinscription/'));
  await visitor.getByRole('button', { name: 'Me désinscrire' }).click();
  await visitor.getByRole('heading', { name: /Vous êtes désinscrit/ }).waitFor();

  await page.goto(`${server.base}/admin/lettre/abonnes`);
  await inspect('subscribers');
  await page.getByRole('link', { name: 'nadia@exemple.fr' }).click();
  assert.match(await page.locator('table').innerText(), /inscription confirmée[\s\S]*désinscription/);
  await inspect('subscriber');

  for (const c of [ctx, narrow, visitorCtx]) await c.close();
  assert.deepEqual(problems, []);
  assert.deepEqual(nuErrors(files), []);
});

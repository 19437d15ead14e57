// Calls for projects in a real browser, without JavaScript, on a 360 px
// phone (every page also checked at 1280 px): the coordination writes a
// call with two steps and names two reviewers; three operators sign up
// (the link read back from a real SMTP server), send an intention note,
// are invited to the full file and send it; the reviewers score blind (one
// does not see the other's scores before giving theirs); more is asked of
// one applicant, who answers; a committee retains two applications and
// refuses one; one retained application becomes fiche 28, which then
// shows in the catalogue and in /livret.pdf. Every new page type passes
// axe-core and the Nu HTML checker and has no sideways scroll at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, inspector, signIn, waitFor } from './harness.js';

const ADMIN = { email: 'coordination@ville-roubaix.fr', password: 'un-long-mot-de-passe' };
const REVIEWERS = [
  { email: 'referent@gapas.fr', name: 'Référent GAPAS', role: 'referent', organisation: 'gapas' },
  { email: 'referent@citeo.com', name: 'Référente Citéo', role: 'referent', organisation: 'citeo' },
];
const APPLICANTS = [
  { email: 'asso-a@exemple.fr', title: 'Lire ensemble', structure: 'Association Lire', siret: '123 456 789 00015' },
  { email: 'asso-b@exemple.fr', title: 'Théâtre au collège', structure: 'Compagnie Bravo', siret: '732 829 320 00074' },
  { email: 'asso-c@exemple.fr', title: 'Jardins partagés', structure: 'Les Jardiniers', siret: '552 100 554 00021' },
];
const PASSWORD = 'un-mot-de-passe-assez-long';
const PHONE = { width: 360, height: 740 };

let server;
let browser;

before(async () => {
  server = await startServer({ admin: ADMIN, invitations: REVIEWERS, mail: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A date and time in Paris `days` from now, as the form's fields take them. */
function paris(days) {
  const at = new Date(Date.now() + days * 86_400_000);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

test('a call with two steps, three applicants, blind scores, a request, a committee, and a retained project made an action', async () => {
  const checks = await inspector(browser, 'calls');
  const { dir, inspect } = checks;
  const contexts = [];
  async function person() {
    const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, viewport: PHONE });
    contexts.push(context);
    return { context, page: await context.newPage() };
  }
  const main = async (who) => who.page.locator('main').innerText();
  /** Waits for the text, or fails with what the page says instead. */
  async function shows(who, text) {
    try {
      await who.page.getByText(text).first().waitFor({ timeout: 10_000 });
    } catch {
      assert.fail(`${who.page.url()} does not show ${text}: ${await main(who)}`);
    }
  }

  // The reviewers accept their invitations.
  const reviewers = [];
  for (const [i, r] of REVIEWERS.entries()) {
    const who = await person();
    await who.page.goto(`${server.base}${server.links[i]}`);
    await who.page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await who.page.getByLabel('Le même, une seconde fois').fill(PASSWORD);
    await who.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await who.page.waitForURL(/\/connexion/);
    await signIn(who.page, server.base, r.email, PASSWORD);
    reviewers.push(who);
  }

  // The coordination writes the call: two steps, a grid of two criteria.
  const admin = await person();
  await signIn(admin.page, server.base, ADMIN.email, ADMIN.password);
  await admin.page.goto(`${server.base}/admin/appels`);
  await inspect('admin-calls', admin);
  await admin.page.getByRole('link', { name: 'Écrire un nouvel appel' }).click();
  await inspect('call-editor-new', admin);
  const opens = paris(-1);
  await admin.page.getByLabel('Titre *').fill('Réussite éducative 2027');
  await admin.page.getByLabel("Texte de l'appel").fill('Un appel **ouvert** aux associations de Roubaix.');
  await admin.page.getByLabel('Qui peut candidater *').fill('Associations et centres sociaux de Roubaix');
  await admin.page.getByLabel(/La programmation ou les années financées/).fill('2027');
  await admin.page.getByLabel(/Axe 1/).check();
  await admin.page.getByLabel(/Les pièces demandées/).fill('Statuts\nBudget prévisionnel');
  for (const [i, kind, days] of [[0, 'intention', 20], [1, 'dossier', 40]]) {
    const step = admin.page.locator(`fieldset[id="steps.${i}.kind"]`);
    await step.getByLabel('Type').selectOption(kind);
    await step.getByLabel('Ouverture (date)').fill(opens.date);
    await step.getByLabel('Ouverture (heure de Paris)').fill(opens.time);
    const d = paris(days);
    await step.getByLabel('Date limite 1', { exact: true }).fill(d.date);
    await step.getByLabel('Heure limite 1 (heure de Paris)').fill('12:00');
  }
  for (const [i, label] of [[0, 'Pertinence'], [1, 'Partenariats']]) {
    const c = admin.page.locator(`fieldset[id="grid.${i}"]`);
    await c.getByLabel('Intitulé').fill(label);
    await c.getByLabel('Poids').fill(i === 0 ? '2' : '1');
    await c.getByLabel('Note maximale').fill('4');
  }
  await admin.page.getByRole('button', { name: 'Enregistrer et publier' }).click();
  await admin.page.getByRole('heading', { name: /Modifier l'appel/ }).waitFor();
  const call = admin.page.url().match(/\/admin\/appels\/(\d+)/)[1];
  for (const r of REVIEWERS) await admin.page.getByLabel(new RegExp(r.email)).check();
  await admin.page.getByRole('button', { name: 'Enregistrer les évaluateurs' }).click();
  await admin.page.getByRole('heading', { name: /Modifier l'appel/ }).waitFor();
  await inspect('call-editor', admin);

  // Three operators sign up, from the public list, and send an intention note.
  const applicants = [];
  for (const a of APPLICANTS) {
    const who = await person();
    await who.page.goto(`${server.base}/appels`);
    if (applicants.length === 0) await inspect('calls', who);
    await who.page.getByRole('link', { name: 'Réussite éducative 2027' }).click();
    if (applicants.length === 0) await inspect('call', who);
    await who.page.getByRole('link', { name: 'créez un compte de porteur de projet' }).first().click();
    if (applicants.length === 0) await inspect('signup', who);
    await who.page.getByLabel('Votre nom et prénom').fill('Léa Martin');
    await who.page.getByLabel('Votre adresse électronique').fill(a.email);
    await who.page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await shows(who, /C'est envoyé/);
    if (applicants.length === 0) await inspect('signup-sent', who);
    const link = await waitFor('the sign-up link', () => server.mail().filter((m) => m.to.includes(a.email)).map((m) => m.text).join('\n').match(/\/invitation\/[A-Za-z0-9_-]+/)?.[0]);
    await who.page.goto(`${server.base}${link}`);
    await who.page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await who.page.getByLabel('Le même, une seconde fois').fill(PASSWORD);
    await who.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await who.page.waitForURL(/\/connexion/);
    await signIn(who.page, server.base, a.email, PASSWORD);
    await who.page.goto(`${server.base}/appels/${call}`);
    await who.page.getByRole('button', { name: 'Commencer une candidature' }).click();
    await who.page.getByRole('button', { name: 'Enregistrer le brouillon' }).waitFor();
    const path = new URL(who.page.url()).pathname;
    if (applicants.length === 0) await inspect('application-form', who);
    await who.page.getByLabel('Titre du projet *').fill(a.title);
    await who.page.getByLabel('Axe du programme *').selectOption('1');
    await who.page.getByLabel('Description *').fill('Des ateliers chaque mercredi au centre social.');
    await who.page.getByLabel('Objectifs, un par ligne *').fill('Donner le goût de lire\nAssocier les parents');
    await who.page.getByLabel('Enfants et jeunes').check();
    await who.page.getByLabel('Âge des enfants ou jeunes, de (ans)').fill('6');
    await who.page.getByLabel('à (ans)').fill('11');
    await who.page.getByLabel('Début *').fill('2027-01-04');
    await who.page.getByLabel('Fin *').fill('2027-06-30');
    await who.page.getByLabel('Lieu *').fill('Centre social Nautilus');
    await who.page.getByLabel('Nom de la structure *').fill(a.structure);
    await who.page.getByLabel('SIRET *').fill(a.siret);
    await who.page.getByLabel('Représentant légal *').fill('La présidence');
    await who.page.getByLabel('Nom et prénom *').fill('Léa Martin');
    await who.page.getByLabel('Montant, ligne 4', { exact: true }).fill('12 000,50 €');
    await who.page.getByLabel('Montant, ligne 7', { exact: true }).fill('8000.5');
    if (applicants.length === 0) {
      // Unbalanced: refused with the gap in euros, everything kept.
      await who.page.getByRole('button', { name: 'Déposer la candidature' }).click();
      await who.page.getByRole('alert').waitFor();
      assert.match(await who.page.getByRole('alert').innerText(), /dépassent les produits .* de 4\s000,00\s€/);
      assert.equal(await who.page.getByLabel('Titre du projet *').inputValue(), a.title);
      await inspect('application-refused', who);
    }
    await who.page.getByLabel('Montant, ligne 8', { exact: true }).fill('4 000');
    await who.page.getByRole('button', { name: 'Déposer la candidature' }).click();
    await shows(who, /C'est envoyé/);
    if (applicants.length === 0) await inspect('application-sent', who);
    await waitFor('the submission mail', () => server.mail().find((m) => m.to.includes(a.email) && /Candidature déposée/.test(m.subject)));
    applicants.push({ ...a, who, path });
  }
  await applicants[0].who.page.goto(`${server.base}/candidatures`);
  await inspect('my-applications', applicants[0].who);

  // Each intention note is invited to the full file, which is sent in turn.
  for (const a of applicants) {
    await admin.page.goto(`${server.base}${a.path}`);
    await admin.page.getByLabel('Inviter à déposer le dossier complet').check();
    await admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await shows(admin, /Décision enregistrée/);
    await a.who.page.goto(`${server.base}${a.path}`);
    assert.match(await main(a.who), /dossier complet/);
    await a.who.page.getByRole('button', { name: 'Déposer la candidature' }).click();
    await shows(a.who, /C'est envoyé/);
  }

  // Blind scores: the first reviewer scores; the second sees nothing of it
  // before scoring, then sees it.
  const [first, second] = reviewers;
  await first.page.goto(`${server.base}/admin/appels/${call}/instruction`);
  await inspect('instruction-reviewer', first);
  const scores = [[4, 3], [3, 3], [1, 1]];
  for (const [who, comment] of [[first, 'Très solide'], [second, 'À préciser']]) {
    for (const [i, a] of applicants.entries()) {
      await who.page.goto(`${server.base}${a.path}`);
      if (who === second && i === 0) {
        assert.doesNotMatch(await main(who), /Très solide/, 'scores are blind');
        await inspect('application-reviewer', who);
      }
      await who.page.getByLabel('Note, de 0 à 4').first().fill(String(scores[i][0]));
      await who.page.getByLabel('Commentaire').first().fill(comment);
      await who.page.getByLabel('Note, de 0 à 4').nth(1).fill(String(scores[i][1]));
      await who.page.getByRole('button', { name: 'Enregistrer mes notes' }).click();
      await shows(who, /Vos notes sont enregistrées/);
    }
  }
  assert.match(await main(second), /Très solide/, 'seen once scored');

  // More is asked of A, who answers.
  const [a, b, c] = applicants;
  await admin.page.goto(`${server.base}${a.path}`);
  await inspect('application-instructor', admin);
  await admin.page.getByLabel('Mettre en instruction').check();
  await admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await shows(admin, /Décision enregistrée/);
  await admin.page.getByLabel('Demander des compléments').check();
  await admin.page.getByLabel(/Message au porteur de projet/).fill('Joignez le budget réalisé de l\'an dernier.');
  await admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await shows(admin, /Décision enregistrée/);
  await waitFor('the request mail', () => server.mail().find((m) => m.to.includes(a.email) && m.text.includes('budget réalisé')));
  await a.who.page.goto(`${server.base}${a.path}`);
  assert.match(await main(a.who), /Compléments demandés/);
  await inspect('application-request', a.who);
  await a.who.page.getByRole('button', { name: 'Renvoyer avec les compléments' }).click();
  await shows(a.who, /C'est envoyé/);
  for (const x of [b, c]) {
    await admin.page.goto(`${server.base}${x.path}`);
    await admin.page.getByLabel('Mettre en instruction').check();
    await admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await shows(admin, /Décision enregistrée/);
  }
  await admin.page.goto(`${server.base}/admin/appels/${call}/instruction`);
  await inspect('instruction', admin);
  assert.match(await main(admin), /\/ 100/);

  // The committee retains A and B, refuses C with its reason.
  await admin.page.getByRole('link', { name: 'Les comités de cet appel' }).click();
  await inspect('committees', admin);
  await admin.page.getByLabel('Jour du comité').fill('2027-04-15');
  await admin.page.getByLabel(/Membres présents/).fill('Mme la déléguée du préfet\nM. le principal du collège');
  await admin.page.getByRole('button', { name: 'Créer le comité' }).click();
  await admin.page.getByRole('heading', { name: /Comité du 15 avril 2027/ }).waitFor();
  await inspect('committee', admin);
  for (const [x, decision] of [[a, 'Retenir'], [b, 'Retenir'], [c, 'Refuser']]) {
    const item = admin.page.locator('section', { has: admin.page.getByRole('heading', { name: x.title }) });
    await item.getByLabel(decision).check();
    if (decision === 'Refuser') await item.getByLabel(/Motif/).fill('Le projet ne vise pas les enfants du quartier.');
    await item.getByRole('button', { name: /Enregistrer la décision/ }).click();
    await admin.page.getByRole('heading', { name: 'Décisions prises' }).waitFor();
  }
  assert.match(await main(admin), /refusée/);
  await waitFor('the refusal mail', () => server.mail().find((m) => m.to.includes(c.email) && m.text.includes('ne vise pas les enfants')));
  const minutes = await admin.page.request.get(`${server.base}${new URL(admin.page.url()).pathname}/proces-verbal.pdf`);
  assert.equal(minutes.headers()['content-type'], 'application/pdf');

  // A becomes an action: fiche 28, in the catalogue and the booklet.
  await admin.page.goto(`${server.base}${a.path}`);
  await admin.page.getByRole('button', { name: "Créer l'action" }).click();
  await admin.page.waitForURL(/\/actions\/28$/);
  assert.match(await main(admin), /Lire ensemble/);
  await admin.page.goto(`${server.base}/actions?q=lire+ensemble`);
  assert.match(await main(admin), /Lire ensemble/);
  const booklet = await admin.page.request.get(`${server.base}/livret.pdf`);
  const pdf = join(dir, 'livret.pdf');
  writeFileSync(pdf, await booklet.body());
  assert.match(execFileSync('pdftotext', [pdf, '-']).toString(), /Lire ensemble/);

  await admin.page.goto(`${server.base}/admin/appels/${call}/export`);
  await inspect('export', admin);

  assert.deepEqual(await checks.finish(), []);
  for (const context of contexts) await context.close();
});

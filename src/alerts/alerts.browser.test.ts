/**
 * Alerts in a real browser (Debian's Chromium through playwright-core, nothing downloaded):
 * subscribe on the page, open the link of the mail the loopback SMTP server received, confirm
 * with the page's button, and see the verified owner's view (the sensitive leak) that another
 * browser does not get. axe-core checks every page of the journey, and the HTML part of every
 * message (the confirmation and the alert, French and English) as a mail client would show it.
 *
 * `VIGIE_SCREENSHOTS=docs/screenshots npx vitest run src/alerts/alerts.browser.test.ts` also
 * writes what a person sees (pages and messages) as PNG files there, the README's pictures.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { AxeResults } from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/test-helpers/run-cli.js';
import { loadConfig } from '../config.js';
import { writeDataset } from '../gen/index.js';
import { buildApp } from '../serve/index.js';
import { makeServeWorld, type ServeWorld } from '../serve/test-helpers/world.js';
import { type OutboxSender, senderFrom, subscriptionsFrom } from './index.js';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from './test-helpers/smtp.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env['VIGIE_SCREENSHOTS'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A port free right now, so that the public URL of the links is known before the app is built. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env['CI'])('alerts in a browser (skipped without /usr/bin/chromium, unless CI is set)', () => {
  let world: ServeWorld;
  let sink: SmtpSink;
  let app: FastifyInstance;
  let sender: OutboxSender;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    world = await makeServeWorld(undefined, { label: 'alerts-browser' });
    sink = await startSmtpSink();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = loadConfig({ VIGIE_PUBLIC_URL: base, VIGIE_SMTP_URL: sink.url, VIGIE_MAIL_FROM: 'alertes@vigie.example.fr' }).alerts;
    const subscriptions = subscriptionsFrom(config, world.store, world.key)!;
    sender = senderFrom(config, world.store, world.key);
    app = await buildApp({ store: world.store, key: world.key, subscriptions, log: { write: () => true }, settings: { ipRpm: 1_000 } });
    await app.listen({ host: '127.0.0.1', port });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sender?.stop();
    await app?.close();
    await sink?.close();
    await world?.close();
  });

  /** A picture of the page for the README, only when `VIGIE_SCREENSHOTS` names a folder. */
  async function shot(page: Page, name: string, height?: number): Promise<void> {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    const path = join(SHOTS, `${name}.png`);
    if (height === undefined) await page.screenshot({ path, fullPage: true });
    else await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: page.viewportSize()!.width, height } });
  }

  /** The HTML part of a message as a mail client shows it (no network: every link stays a link). */
  async function showMail(mail: ReceivedMail, name: string): Promise<void> {
    const page = await open(600);
    await page.route('**/*', (route) => route.abort());
    // The address the README's pictures show rather than this test's loopback port.
    await page.setContent(mail.html.replaceAll(base, 'https://vigie.example.fr'), { waitUntil: 'load' });
    await expectAccessible(page, 'mail');
    // The alerts are long: the picture shows their first screens.
    await shot(page, name, name.startsWith('mail-alert') ? 1100 : undefined);
    // Nothing wider than a phone's mail client (a long link must wrap).
    await page.setViewportSize({ width: 360, height: 640 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `${name} fits 360 px`).toBeLessThanOrEqual(360);
    await page.context().close();
  }

  async function open(width = 390): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 844 }, locale: 'fr-FR' });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    return page;
  }

  /** axe-core's violations; a message is shown inside the client's own landmarks, so those rules are off for it. */
  async function expectAccessible(page: Page, what: 'page' | 'mail' = 'page'): Promise<void> {
    await page.evaluate(AXE);
    const options = what === 'mail' ? '{ rules: { region: { enabled: false }, "landmark-one-main": { enabled: false } } }' : '{}';
    const results = await page.evaluate<AxeResults>(`axe.run(document, ${options})`);
    expect(
      results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `axe on ${page.url()}`,
    ).toEqual([]);
  }

  it('subscribes on the page, confirms from the mailed link, and shows the verified view', async () => {
    const person = world.people.get('MutuelleDemo')![0]!;
    const page = await open();
    await page.goto(`${base}/`);
    await expectAccessible(page);
    await shot(page, 'page-subscribe-fr');
    await page.getByLabel('Votre adresse e-mail').fill(` ${person.email.toUpperCase()}`);
    await Promise.all([page.waitForURL(`${base}/alerte`), page.getByRole('button', { name: 'Recevoir les alertes' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Vérifiez votre messagerie');
    await expectAccessible(page);
    await shot(page, 'page-requested-fr');

    expect((await sender.runOnce()).sent).toBe(1);
    const mail = sink.mails.find((m) => m.to === person.email)!;
    const link = new RegExp(`${base}/confirmer\\?token=[A-Za-z0-9_.-]+`).exec(mail.text)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    expect(await page.locator('h1').textContent()).toBe('Confirmer l’alerte');
    await expectAccessible(page);
    await shot(page, 'page-confirm-fr');
    await Promise.all([page.waitForURL(`${base}/confirmer`), page.getByRole('button', { name: 'Confirmer' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Alerte confirmée');
    await expectAccessible(page);
    await shot(page, 'page-confirmed-fr');

    await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill(person.email);
    await Promise.all([page.waitForURL(`${base}/verifier`), page.getByRole('button', { name: 'Vérifier' }).click()]);
    expect(await page.locator('main').textContent()).toContain('Mutuelle de démonstration');
    expect(await page.locator('.verified').textContent()).toContain('titulaire vérifié');
    await expectAccessible(page);
    await shot(page, 'page-verified-fr', 1600);

    // Another browser, without the owner's cookie, does not see the sensitive leak.
    const stranger = await open();
    await stranger.goto(`${base}/`);
    await stranger.getByLabel('Adresse e-mail ou numéro de téléphone').fill(person.email);
    await Promise.all([stranger.waitForURL(`${base}/verifier`), stranger.getByRole('button', { name: 'Vérifier' }).click()]);
    const text = await stranger.locator('main').textContent();
    expect(text).toContain('Agence des titres');
    expect(text).not.toContain('Mutuelle de démonstration');
    expect(problems).toEqual([]);
  }, 60_000);

  it('mails a confirmation and an alert that read well in French and English, and unsubscribes from the alert', async () => {
    const [fr, en] = [world.people.get('MutuelleDemo')![0]!, world.people.get('MutuelleDemo')![1]!];
    const page = await open();
    await page.goto(`${base}/en`);
    await page.getByLabel('Your email address').fill(en.email);
    await Promise.all([page.waitForURL(`${base}/en/alert`), page.getByRole('button', { name: 'Get alerts' }).click()]);
    expect((await sender.runOnce()).sent).toBe(1);
    const confirmEn = sink.mails.find((m) => m.to === en.email)!;
    await page.goto(new RegExp(`${base}/en/confirm\\?token=[A-Za-z0-9_.-]+`).exec(confirmEn.text)![0]);
    await Promise.all([page.waitForURL(`${base}/en/confirm`), page.getByRole('button', { name: 'Confirm' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Alert confirmed');

    // A new leak of the same people, published by vigie ingest: one alert each, in their language.
    const file = join(world.dir, 'nouvelle.csv');
    await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: 60, seed: 41, invalidShare: 0, duplicateShare: 0 });
    const ingest = await runCli(
      ['ingest', file, '--breach', 'Nouvelle', '--title', 'Cantine scolaire (démo)', '--date', '2026-11-20', '--workers', '0'],
      world.env,
    );
    expect(ingest.code, ingest.stderr).toBe(0);
    expect((await sender.runOnce()).sent).toBe(2);
    const alertFr = sink.mails.filter((m) => m.to === fr.email).at(-1)!;
    const alertEn = sink.mails.filter((m) => m.to === en.email).at(-1)!;
    expect(alertFr.subject).toContain('Cantine scolaire');
    expect(alertEn.subject).toContain('Cantine scolaire');
    const confirmFr = sink.mails.find((m) => m.to === fr.email)!;
    for (const [mail, name] of [
      [confirmFr, 'mail-confirm-fr'],
      [confirmEn, 'mail-confirm-en'],
      [alertFr, 'mail-alert-fr'],
      [alertEn, 'mail-alert-en'],
    ] as const) {
      await showMail(mail, name);
    }

    // The alert's unsubscribe link opens a page whose button unsubscribes.
    await page.goto(new RegExp(`${base}/desabonnement\\?token=[A-Za-z0-9_.-]+`).exec(alertFr.text)![0]);
    await expectAccessible(page);
    await shot(page, 'page-unsubscribe-fr');
    await Promise.all([page.waitForURL(`${base}/desabonnement`), page.getByRole('button', { name: 'Me désabonner' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Désabonnement effectué');
    await expectAccessible(page);
    await shot(page, 'page-unsubscribed-fr');
    expect(problems).toEqual([]);
  }, 90_000);
});

/**
 * Alerts in a real browser (Debian's Chromium through playwright-core, nothing downloaded):
 * subscribe on the page, open the link of the mail the loopback SMTP server received, confirm
 * with the page's button, and see the verified owner's view (the sensitive leak) that another
 * browser does not get. axe-core checks every page of the journey.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { AxeResults } from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { buildApp } from '../serve/index.js';
import { makeServeWorld, type ServeWorld } from '../serve/test-helpers/world.js';
import { type OutboxSender, senderFrom, subscriptionsFrom } from './index.js';
import { type SmtpSink, startSmtpSink } from './test-helpers/smtp.js';

const CHROMIUM = '/usr/bin/chromium';
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

  async function open(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    await page.evaluate(AXE);
    const results = await page.evaluate<AxeResults>('axe.run(document)');
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
    await page.getByLabel('Votre adresse e-mail').fill(` ${person.email.toUpperCase()}`);
    await Promise.all([page.waitForURL(`${base}/alerte`), page.getByRole('button', { name: 'Recevoir les alertes' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Vérifiez votre messagerie');
    await expectAccessible(page);

    expect((await sender.runOnce()).sent).toBe(1);
    const mail = sink.mails.find((m) => m.to === person.email)!;
    const link = new RegExp(`${base}/confirmer\\?token=[A-Za-z0-9_.-]+`).exec(mail.text)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    expect(await page.locator('h1').textContent()).toBe('Confirmer l’alerte');
    await expectAccessible(page);
    await Promise.all([page.waitForURL(`${base}/confirmer`), page.getByRole('button', { name: 'Confirmer' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Alerte confirmée');
    await expectAccessible(page);

    await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill(person.email);
    await Promise.all([page.waitForURL(`${base}/verifier`), page.getByRole('button', { name: 'Vérifier' }).click()]);
    expect(await page.locator('main').textContent()).toContain('Mutuelle de démonstration');
    expect(await page.locator('.verified').textContent()).toContain('titulaire vérifié');
    await expectAccessible(page);

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
});

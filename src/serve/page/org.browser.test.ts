/**
 * The organisation view in a real browser (Debian's Chromium through playwright-core; no browser
 * is downloaded) against the real app on a real port: the operator types an API key, lands on
 * the leaks, opens a leak's CNIL draft and sees its per-class chart; axe-core finds nothing,
 * nothing overflows a phone's width, and no console error appears (a CSP violation is one).
 * Screenshots go to artifacts/screenshots/ for a person to look at.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createApiKey } from '../apikeys.js';
import { makeServeWorld, type ServeWorld } from '../test-helpers/world.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SCREENSHOTS = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

if (!HAS_CHROMIUM && process.env['CI']) {
  describe('the organisation view in a browser', () => {
    it('needs Chromium at /usr/bin/chromium on CI', () => {
      throw new Error(`${CHROMIUM} not found: install Debian's chromium package (no browser is downloaded)`);
    });
  });
}

describe.skipIf(!HAS_CHROMIUM)(`the organisation view in a browser (skipped without ${CHROMIUM}; fails instead when CI is set)`, () => {
  let world: ServeWorld;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let key: string;
  const problems: string[] = [];

  beforeAll(async () => {
    world = await makeServeWorld(undefined, { label: 'org-browser' });
    ({ key } = await createApiKey(world.store, 'equipe-dpo', 1000));
    app = await buildApp({ store: world.store, key: world.key, log: { write: () => true }, settings: { ipRpm: 1_000 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await world?.close();
  });

  async function expectAccessible(page: Page): Promise<void> {
    await page.evaluate(AXE);
    const results = await page.evaluate<AxeResults>('axe.run(document)');
    const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(violations, `axe on ${page.url()}`).toEqual([]);
  }

  async function expectNoOverflow(page: Page): Promise<void> {
    const [scroll, client] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, document.documentElement.clientWidth]');
    expect(scroll, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(client);
  }

  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`logs in with an API key, lists the leaks and shows a leak's CNIL draft with its chart (${device})`, async () => {
      const context = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await context.newPage();
      // The login form's own 401 is the answer expected on the first visit.
      page.on('console', (m) => {
        if ((m.type() === 'error' || m.type() === 'warning') && !/status of 401/.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      try {
        await page.goto(`${base}/`);
        await Promise.all([page.waitForURL(`${base}/organisation`), page.getByRole('link', { name: 'Espace organisation' }).click()]);
        await expect(page.locator('h1').textContent()).resolves.toBe('Espace organisation');
        await expectAccessible(page);
        await page.getByLabel('Clé d’API').fill(key);
        await Promise.all([page.waitForURL(`${base}/organisation`), page.getByRole('button', { name: 'Se connecter' }).click()]);
        await expect(page.getByText('Connecté avec la clé « equipe-dpo »').count()).resolves.toBe(1);
        await expect(page.locator('li.org-leak').count()).resolves.toBe(3);
        // The cookie is out of reach of scripts.
        expect(await page.evaluate<string>('document.cookie')).toBe('');
        await expectAccessible(page);
        await expectNoOverflow(page);
        await page.screenshot({ path: `${SCREENSHOTS}org-leaks-${device}.png`, fullPage: true });

        await Promise.all([
          page.waitForURL(`${base}/organisation/fuites/AgenceTitres`),
          page.getByRole('link', { name: 'Voir le projet de notification à la CNIL (Projet de notification : Agence des titres (démo))' }).click(),
        ]);
        await expect(page.locator('h1').textContent()).resolves.toMatch(/notification/i);
        const chart = page.locator('article.draft svg.chart[role="img"]');
        await expect(chart.count()).resolves.toBe(1);
        const box = await chart.boundingBox();
        expect(box?.width).toBeGreaterThan(200);
        expect(box?.height).toBeGreaterThan(100);
        await expect(page.locator('article.draft svg.chart rect').count()).resolves.toBeGreaterThan(3);
        await expect(page.locator('.draft .missing').count()).resolves.toBeGreaterThan(0);
        await expectAccessible(page);
        await expectNoOverflow(page);
        await page.screenshot({ path: `${SCREENSHOTS}org-draft-${device}.png`, fullPage: true });
        await page.screenshot({ path: `${SCREENSHOTS}org-draft-top-${device}.png` });
        await page.locator('article.draft figure').screenshot({ path: `${SCREENSHOTS}org-draft-chart-${device}.png` });
        await page
          .locator('article.draft table')
          .first()
          .screenshot({ path: `${SCREENSHOTS}org-draft-table-${device}.png` });

        // The same draft in English, still signed in; then signed out, the view asks for the key again.
        await Promise.all([page.waitForURL(`${base}/en/organisation/breaches/AgenceTitres`), page.getByRole('link', { name: 'English' }).click()]);
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        await expect(page.locator('article.draft svg.chart').count()).resolves.toBe(1);
        await Promise.all([page.waitForURL(`${base}/en/organisation`), page.getByRole('button', { name: 'Sign out' }).click()]);
        await expect(page.getByLabel('API key').count()).resolves.toBe(1);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    }, 60_000);
  }
});

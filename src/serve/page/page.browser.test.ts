/**
 * The web page in a real browser (Debian's Chromium, driven by playwright-core; no browser is
 * ever downloaded) against the real app on a real port: the keyboard path through a check, a
 * phone written nationally, the language switch, the charts, axe-core's accessibility rules on
 * every kind of page, and not one console error (a CSP violation is one). Screenshots, phone
 * and desktop, go to artifacts/screenshots/ for a person to look at.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createTestDatabase } from '../test-helpers/pg.js';
import { makeServeWorld, type ServeWorld, type TestPerson } from '../test-helpers/world.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SCREENSHOTS = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

if (!HAS_CHROMIUM && process.env['CI']) {
  describe('the page in a browser', () => {
    it('needs Chromium at /usr/bin/chromium on CI', () => {
      throw new Error(`${CHROMIUM} not found: install Debian's chromium package (no browser is downloaded)`);
    });
  });
}

/** The same journeys on both store engines. */
const ENGINES: [string, () => Promise<{ world: ServeWorld; drop?: () => Promise<void> }>][] = [
  ['SQLite', async () => ({ world: await makeServeWorld(undefined, { label: 'page-browser' }) })],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase('page');
      return { world: await makeServeWorld(undefined, { storeUrl: db.url, label: 'page-browser-pg' }), drop: db.drop };
    },
  ],
];

for (const [engine, openWorld] of ENGINES)
  describe.skipIf(!HAS_CHROMIUM)(
    `the page in a browser on ${engine} (skipped without ${CHROMIUM}: Debian's chromium package; fails instead when CI is set)`,
    () => {
      let world: ServeWorld;
      let drop: (() => Promise<void>) | undefined;
      let app: FastifyInstance;
      let browser: Browser;
      let base: string;
      /** Console errors and page errors of every page opened: a CSP violation is one. */
      const problems: string[] = [];

      beforeAll(async () => {
        ({ world, drop } = await openWorld());
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
            '--disable-quic',
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
        await drop?.();
      });

      /**
       * A new page whose console errors and warnings, page errors and failed loads go to `problems`,
       * except those `tolerate` is told to expect.
       */
      async function open(
        viewport: { width: number; height: number },
        sink: string[] = problems,
        colorScheme: 'light' | 'dark' = 'light',
      ): Promise<{ context: BrowserContext; page: Page; tolerate(pattern: RegExp): void }> {
        const context = await browser.newContext({ viewport, locale: 'fr-FR', colorScheme });
        const page = await context.newPage();
        const tolerated: RegExp[] = [];
        page.on('console', (m) => {
          if ((m.type() === 'error' || m.type() === 'warning') && !tolerated.some((t) => t.test(m.text()))) sink.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => sink.push(`pageerror: ${e.message}`));
        page.on('response', (r) => {
          if (r.status() >= 400 && r.request().method() === 'GET') sink.push(`${r.status()} ${r.url()}`);
        });
        return { context, page, tolerate: (pattern) => tolerated.push(pattern) };
      }

      /** Runs axe-core (injected by evaluate, which the page's CSP does not govern): no violation allowed. */
      async function expectAccessible(page: Page): Promise<void> {
        await page.evaluate(AXE);
        const results = await page.evaluate<AxeResults>('axe.run(document)');
        const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        expect(violations, `axe on ${page.url()}`).toEqual([]);
      }

      async function shot(page: Page, name: string): Promise<void> {
        await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
      }

      /** Nothing wider than the screen: no sideways scrolling on a phone. */
      async function expectNoOverflow(page: Page): Promise<void> {
        const [scroll, client] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, document.documentElement.clientWidth]');
        expect(scroll, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(client);
      }

      function someone(pick: (p: TestPerson) => boolean): TestPerson {
        const p = (world.people.get('AgenceTitres') ?? []).find(pick);
        if (!p) throw new Error('no test person');
        return p;
      }

      it('checks an email with the keyboard only, on a phone, and shows the results', async () => {
        const { context, page } = await open(PHONE);
        try {
          await page.goto(`${base}/`);
          expect(await page.getAttribute('html', 'lang')).toBe('fr');
          await expect(page.locator('h1').textContent()).resolves.toContain('Vos données sont-elles dans une fuite');
          await expectAccessible(page);
          await expectNoOverflow(page);
          await shot(page, 'form-phone');

          // The first Tab reaches the skip link, which leads to the main content.
          await page.keyboard.press('Tab');
          expect(await page.evaluate<string>('document.activeElement.className')).toBe('skip-link');
          await page.keyboard.press('Enter');
          // The fragment navigation may land a moment after the key press on a loaded machine.
          await page.waitForURL(`${base}/#main`, { timeout: 5000 });
          expect(page.url()).toBe(`${base}/#main`);

          const p = someone(() => true);
          await page.getByLabel('Adresse e-mail ou numéro de téléphone').focus();
          await page.keyboard.type(p.email);
          await Promise.all([page.waitForURL(`${base}/verifier`), page.keyboard.press('Enter')]);
          const h1 = await page.locator('h1').textContent();
          expect(h1).toMatch(/L’adresse e-mail saisie apparaît dans \d+ fuites?/);
          await expect(page.locator('article.card.leak h3').first().textContent()).resolves.toBe('Agence des titres (démo)');
          await expect(page.getByText('15 avril 2025').count()).resolves.toBeGreaterThan(0);
          expect(await page.locator('#account').inputValue()).toBe('');
          expect((await page.content()).toLowerCase()).not.toContain(p.email);
          await expectAccessible(page);
          await expectNoOverflow(page);
          await shot(page, 'results-phone');
        } finally {
          await context.close();
        }
      });

      it('checks a phone number written nationally, and explains a refused NIR', async () => {
        const { context, page, tolerate } = await open(PHONE);
        try {
          const p = someone((q) => q.phone.startsWith('+33'));
          const national = `0${p.phone.slice(3)}`.replace(/(\d{2})(?=\d)/g, '$1 ');
          await page.goto(`${base}/`);
          await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill(national);
          await Promise.all([page.waitForURL(`${base}/verifier`), page.getByRole('button', { name: 'Vérifier' }).click()]);
          expect(await page.locator('h1').textContent()).toMatch(/Le numéro saisi apparaît dans \d+ fuites?/);
          await expect(page.getByRole('heading', { name: 'Votre numéro de téléphone' }).count()).resolves.toBe(1);

          // Chromium logs the refusal's 400 as a failed load: it is the answer this step expects.
          tolerate(/^Failed to load resource: the server responded with a status of 400 \(Bad Request\)$/);
          await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill(p.nir);
          const [response] = await Promise.all([page.waitForResponse(`${base}/verifier`), page.keyboard.press('Enter')]);
          expect(response.status()).toBe(400);
          await page.waitForLoadState();
          const error = page.locator('#account-error');
          await expect(error.textContent()).resolves.toContain('Un numéro de sécurité sociale (NIR) ne peut pas être recherché');
          expect(await page.locator('#account').getAttribute('aria-invalid')).toBe('true');
          expect((await page.content()).replace(/\s/g, '')).not.toContain(p.nir.replace(/\s/g, ''));
          await expectAccessible(page);
          await shot(page, 'refused-phone');
        } finally {
          await context.close();
        }
      });

      it('switches to English and checks there', async () => {
        const { context, page } = await open(DESKTOP);
        try {
          await page.goto(`${base}/`);
          await Promise.all([page.waitForURL(`${base}/en`), page.getByRole('link', { name: 'English' }).click()]);
          expect(await page.getAttribute('html', 'lang')).toBe('en');
          expect(await page.locator('h1').textContent()).toBe('Is your data in a leak?');
          await expectAccessible(page);
          await shot(page, 'form-en-desktop');
          await page.getByLabel('Email address or phone number').fill('nobody.here@example.invalid');
          await Promise.all([page.waitForURL(`${base}/en/check`), page.keyboard.press('Enter')]);
          expect(await page.locator('h1').textContent()).toBe('The email address you entered is in no leak Vigie knows');
          await expectAccessible(page);
          await shot(page, 'not-found-en-desktop');
        } finally {
          await context.close();
        }
      });

      it('shows the catalogue with its three SVG charts, on a desktop and on a phone', async () => {
        for (const [viewport, name] of [
          [DESKTOP, 'catalogue-desktop'],
          [PHONE, 'catalogue-phone'],
        ] as const) {
          const { context, page } = await open(viewport);
          try {
            await page.goto(`${base}/fuites`);
            const charts = page.locator('svg[role="img"]');
            expect(await charts.count()).toBe(3);
            for (let i = 0; i < 3; i++) {
              const box = await charts.nth(i).boundingBox();
              expect(box?.width).toBeGreaterThan(viewport.width / 2 - 40);
              expect(box?.height).toBeGreaterThan(50);
            }
            // The bars are drawn: the widest bar of the people chart spans most of the chart.
            const bar = await page.locator('#chart-people-heading + svg rect').first().boundingBox();
            expect(bar?.width).toBeGreaterThan(viewport.width / 3);
            await page.locator('details.chart-data summary').first().click();
            await expect(page.locator('details.chart-data table').first().isVisible()).resolves.toBe(true);
            await expectAccessible(page);
            await expectNoOverflow(page);
            await shot(page, name);
          } finally {
            await context.close();
          }
        }
      });

      it('keeps its contrast in the dark theme', async () => {
        const { context, page } = await open(PHONE, problems, 'dark');
        try {
          await page.goto(`${base}/fuites`);
          await expectAccessible(page);
          await shot(page, 'catalogue-dark-phone');
          await page.goto(`${base}/`);
          await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill(someone(() => true).email);
          await Promise.all([page.waitForURL(`${base}/verifier`), page.keyboard.press('Enter')]);
          await expectAccessible(page);
          await shot(page, 'results-dark-phone');
        } finally {
          await context.close();
        }
      });

      it('would notice a CSP violation: an inline style attribute is refused and logged', async () => {
        const seen: string[] = [];
        const { context, page } = await open(DESKTOP, seen);
        try {
          await page.goto(`${base}/`);
          await page.evaluate(`document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>')`);
          await page.waitForTimeout(200);
          expect(seen.join('\n')).toMatch(/Content Security Policy/);
        } finally {
          await context.close();
        }
      });

      it('logged no console error, no CSP violation and no failed load on any page', () => {
        expect(problems).toEqual([]);
      });
    },
  );

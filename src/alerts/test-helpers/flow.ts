/**
 * Test helper (imported by tests only): alerts end to end against a real SMTP server on loopback: double opt-in through the API, the
 * confirmation mail and its link, a prefetched GET that confirms nothing, expiry, the verified
 * owner's view of sensitive leaks, the alert of a leak published by `vigie ingest` (language,
 * classes, guidance, nothing leaked beyond the address), one-click unsubscribe (RFC 8058), and
 * dead-lettering after repeated SMTP refusals. Run on SQLite by `alerts.sqlite.test.ts`
 * and on PostgreSQL by `alerts.postgres.test.ts`.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/test-helpers/run-cli.js';
import { loadConfig } from '../../config.js';
import { classesFromMask, DataClasses } from '../../dataclasses.js';
import { writeDataset } from '../../gen/index.js';
import { guidanceFor } from '../../guidance/index.js';
import { buildApp } from '../../serve/index.js';
import { LogCapture } from '../../serve/test-helpers/api-suite.js';
import { makeServeWorld, type ServeWorld } from '../../serve/test-helpers/world.js';
import { alertsConfigured, type OutboxSender, senderFrom, Subscriptions, subscriptionsFrom } from '../index.js';
import { type ReceivedMail, rawHeader, type SmtpSink, startSmtpSink } from './smtp.js';

const PUBLIC = 'https://vigie.example.fr';

/**
 * What every message must have: the headers of a well-behaved sender, both parts, and a plain
 * text that reads as text (no markup, no entity), in the subscriber's language.
 */
function expectWellFormed(mail: ReceivedMail, lang: 'fr' | 'en'): void {
  expect(rawHeader(mail.raw, 'From')).toBe('Vigie <alertes@vigie.example.fr>');
  expect(rawHeader(mail.raw, 'To')).toBe(mail.to);
  expect(rawHeader(mail.raw, 'Content-Language')).toBe(lang);
  expect(rawHeader(mail.raw, 'Auto-Submitted')).toBe('auto-generated');
  expect(rawHeader(mail.raw, 'MIME-Version')).toBe('1.0');
  expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@vigie\.example\.fr>$/);
  // RFC 5322 §3.3: a date with its zone, and within a minute of now.
  const date = rawHeader(mail.raw, 'Date')!;
  expect(date).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/);
  expect(Math.abs(Date.parse(date) - Date.now())).toBeLessThan(120_000);
  expect(String(rawHeader(mail.raw, 'List-Unsubscribe'))).toMatch(new RegExp(`^<${PUBLIC}/api/v1/subscriptions/unsubscribe\\?token=[A-Za-z0-9_.-]+>$`));
  expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  expect(String(rawHeader(mail.raw, 'Content-Type'))).toMatch(/^multipart\/alternative; boundary=/);
  expect(mail.text).not.toMatch(/<[a-z/!]|&[a-z#0-9]+;/i);
  expect(mail.text).toContain('\n-- \n');
  for (const line of mail.text.split('\n')) if (!line.includes('://')) expect(line.length, line).toBeLessThanOrEqual(998);
  expect(mail.html).toContain(`<html lang="${lang}">`);
  // French typography: no ordinary space before « : ; ! ? » nor inside guillemets.
  if (lang === 'fr') for (const part of [mail.subject, mail.text]) expect(part).not.toMatch(/ [:;!?»]|« /);
  // Every link of the HTML part is absolute and under the public URL or a site of the guidance.
  for (const [, href] of mail.html.matchAll(/href="([^"]+)"/g)) expect(href).toMatch(/^https:\/\//);
}

export function runAlertsFlow(label: string, database: () => Promise<{ url: string | undefined; drop(): Promise<void> }>): void {
  describe(`alerts, end to end (${label})`, () => {
    let world: ServeWorld;
    let sink: SmtpSink;
    let app: FastifyInstance;
    let subs: Subscriptions;
    let sender: OutboxSender;
    let env: NodeJS.ProcessEnv;
    const log = new LogCapture();

    let drop: () => Promise<void> = async () => undefined;

    beforeAll(async () => {
      const db = await database();
      drop = db.drop;
      const url = db.url;
      world = await makeServeWorld(undefined, { label: `alerts-${label}`, ...(url ? { storeUrl: url } : {}) });
      sink = await startSmtpSink();
      env = {
        ...world.env,
        VIGIE_PUBLIC_URL: PUBLIC,
        VIGIE_SMTP_URL: sink.url,
        VIGIE_MAIL_FROM: 'Vigie <alertes@vigie.example.fr>',
        VIGIE_ALERTS_BACKOFF: '0',
        VIGIE_ALERTS_MAX_ATTEMPTS: '3',
      };
      const config = loadConfig(env).alerts;
      expect(alertsConfigured(config)).toBe(true);
      subs = subscriptionsFrom(config, world.store, world.key)!;
      sender = senderFrom(config, world.store, world.key);
      app = await buildApp({ store: world.store, key: world.key, subscriptions: subs, log });
    }, 120_000);
    afterAll(async () => {
      await sender?.stop();
      await app?.close();
      await sink?.close();
      await world?.close();
      await drop();
    });

    const subscribe = (email: string, lang?: 'fr' | 'en') =>
      app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: lang ? { email, lang } : { email } });
    const tokenOf = (mail: ReceivedMail, path: string) => {
      const m = new RegExp(`${PUBLIC}${path}\\?token=([A-Za-z0-9_.-]+)`).exec(mail.text);
      expect(m, `a ${path} link in the message`).not.toBeNull();
      return m![1]!;
    };
    const mailsTo = (email: string) => sink.mails.filter((m) => m.to === email);

    it('answers a subscription request alike for every address, and mails one confirmation per address', async () => {
      const inLeak = world.people.get('MutuelleDemo')![0]!; // in all three leaks, one of them sensitive
      const answers = [
        await subscribe(`  ${inLeak.email.toUpperCase()} `, 'en'),
        await subscribe(inLeak.email, 'en'), // the same address again: no second mail
        await subscribe('personne.inconnue@exemple.fr'),
      ];
      for (const r of answers) {
        expect(r.statusCode).toBe(202);
        expect(r.headers['cache-control']).toBe('no-store');
        expect(r.headers['content-security-policy']).toBeDefined();
      }
      expect(new Set(answers.map((r) => r.body)).size).toBe(1);
      expect((await subscribe('pas-une-adresse')).statusCode).toBe(400);
      // Nothing was sent inline: the mails wait in the outbox.
      expect(sink.mails).toEqual([]);
      expect(await sender.runOnce()).toEqual({ sent: 2, failed: 0, dead: 0 });
      expect(mailsTo(inLeak.email).length).toBe(1);
      const mail = mailsTo(inLeak.email)[0]!;
      expect(mail.subject).toBe('Vigie: confirm your alert');
      expect(mail.text).toContain('valid for 48 hours, until');
      expect(mail.html).toContain('Open the confirmation page');
      expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@vigie\.example\.fr>$/);
      expect(String(rawHeader(mail.raw, 'List-Unsubscribe'))).toMatch(new RegExp(`^<${PUBLIC}/api/v1/subscriptions/unsubscribe\\?token=`));
      expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.text).toContain(`${PUBLIC}/en/unsubscribe?token=`);
      expectWellFormed(mail, 'en');
      const french = mailsTo('personne.inconnue@exemple.fr')[0]!;
      expect(french.subject).toBe('Vigie\u00a0: confirmez votre alerte');
      expectWellFormed(french, 'fr');
      expect(french.text).toMatch(/valable 48 heures, jusqu’au \d{1,2}(er)? \p{L}+ \d{4} à \d{1,2}\u00a0h\u00a0\d\d \(heure de Paris\)/u);
      // The request log names routes and statuses only.
      expect(log.text).not.toContain(inLeak.email);
    });

    it('confirms nothing on a GET of the link (a mail scanner), then confirms by POST and sets the owner cookie', async () => {
      const person = world.people.get('MutuelleDemo')![0]!;
      const token = tokenOf(mailsTo(person.email)[0]!, '/en/confirm');
      const page = await app.inject({ method: 'GET', url: `/en/confirm?token=${token}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<form method="post" action="/en/confirm">');
      expect(page.headers['set-cookie']).toBeUndefined();
      expect((await world.store.getSubscription(subs.pseudonymOf(person.email)))?.state).toBe('pending');
      // Alerts go to confirmed subscribers only: nothing is queued for a pending one.
      expect((await world.store.outboxCounts()).queued).toBe(0);

      const r = await app.inject({ method: 'POST', url: '/api/v1/subscriptions/confirm', payload: { token } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ status: 'confirmed' });
      const cookie = String(r.headers['set-cookie']);
      expect(cookie).toMatch(/^vigie_owner=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/);
      expect((await world.store.getSubscription(subs.pseudonymOf(person.email)))?.state).toBe('confirmed');

      // The verified owner sees the sensitive leak; the public does not, nor a session for another address.
      const session = cookie.split(';')[0]!;
      const lookup = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/en/check', headers, payload: { account: person.email } });
      const mine = await lookup({ cookie: session });
      expect(mine.body).toContain('Mutuelle de démonstration');
      expect(mine.body).toContain('You are the verified owner of this address');
      const pub = await lookup({});
      expect(pub.body).not.toContain('Mutuelle de démonstration');
      expect(pub.body).toContain('Agence des titres');
      const other = world.people.get('MutuelleDemo')![1]!;
      const theirs = await app.inject({ method: 'POST', url: '/en/check', headers: { cookie: session }, payload: { account: other.email } });
      expect(theirs.body).not.toContain('Mutuelle de démonstration');
      const api = await app.inject({ method: 'POST', url: '/api/v1/lookup', headers: { cookie: session }, payload: { account: person.email } });
      expect(api.json<{ breaches: { Name: string }[] }>().breaches.map((b) => b.Name)).toContain('MutuelleDemo');
      // A forged or tampered cookie proves nothing.
      const forged = await lookup({ cookie: `${session.slice(0, -3)}abc` });
      expect(forged.body).not.toContain('Mutuelle de démonstration');
    });

    it('refuses an expired, forged or foreign confirmation token', async () => {
      const token = tokenOf(mailsTo('personne.inconnue@exemple.fr')[0]!, '/confirmer');
      const later = new Subscriptions(world.store, world.key, subs.settings, () => new Date(Date.now() + 49 * 3600_000));
      await expect(later.confirm(token)).rejects.toMatchObject({ code: 'VIGIE_BAD_TOKEN' });
      const foreign = new Subscriptions(world.store, Buffer.alloc(32, 7), subs.settings);
      await expect(foreign.confirm(token)).rejects.toMatchObject({ code: 'VIGIE_BAD_TOKEN' });
      for (const bad of [`${token}x`, 'abc', token.replace('.', '')]) {
        const r = await app.inject({ method: 'POST', url: '/api/v1/subscriptions/confirm', payload: { token: bad } });
        expect(r.statusCode).toBe(400);
        expect(r.json()).toMatchObject({ code: 'VIGIE_BAD_TOKEN' });
      }
      const page = await app.inject({
        method: 'POST',
        url: '/confirmer',
        payload: `token=${token}x`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('Lien non valable');
      expect((await world.store.getSubscription(subs.pseudonymOf('personne.inconnue@exemple.fr')))?.state).toBe('pending');
    });

    it('alerts a confirmed subscriber of a leak published by vigie ingest, in their language, with their classes and guidance only', async () => {
      const person = world.people.get('MutuelleDemo')![0]!;
      const file = join(world.dir, 'nouvelle.csv');
      await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: 80, seed: 41, invalidShare: 0, duplicateShare: 0 });
      const ingest = await runCli(
        ['ingest', file, '--breach', 'NouvelleFuite', '--title', 'Nouvelle fuite (démo)', '--date', '2026-11-20', '--workers', '0'],
        env,
      );
      expect(ingest.code, ingest.stderr).toBe(0);
      // Queued by the publishing commit: one alert, for the one confirmed subscriber in it.
      expect(await world.store.outboxCounts()).toMatchObject({ queued: 1 });
      expect(await sender.runOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
      const alert = mailsTo(person.email).at(-1)!;
      expect(alert.subject).toBe('Vigie: your address is in a new leak, “Nouvelle fuite (démo)”');
      expectWellFormed(alert, 'en');
      expect(alert.text).toContain('20 November 2026');
      const exposures = await world.store.lookup(subs.pseudonymOf(person.email));
      const mine = exposures.find((e) => e.breach === 'NouvelleFuite')!;
      const guidance = guidanceFor(classesFromMask(mine.mask), 'en');
      expect(guidance.length).toBeGreaterThan(1);
      for (const g of guidance) {
        expect(alert.text).toContain(g.label);
        expect(alert.text).toContain(g.actions[0]!);
      }
      // Their classes only, and nothing from the leak but the fact that their address is in it.
      expect(alert.text).not.toContain(guidanceFor([DataClasses.password], 'en')[0]!.label);
      for (const value of [person.nir, person.lastName, person.phone, person.phoneWritten]) expect(alert.raw).not.toContain(value);
      for (const other of world.people.get('NouvelleFuite') ?? world.people.get('AgenceTitres')!.slice(1, 80)) expect(alert.raw).not.toContain(other.email);
      expect(alert.raw.split(person.email).length - 1).toBeGreaterThanOrEqual(1);
      expect(alert.text).toContain(`${PUBLIC}/en/unsubscribe?token=`);
      expect(alert.html).toContain('<a href="https://vigie.example.fr/en"');
      expect(alert.text).not.toMatch(/bit\.ly|tinyurl|goo\.gl/);
      // A repeat of the same publish alerts nobody again.
      const again = await runCli(['ingest', file, '--breach', 'NouvelleFuite', '--append'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(await sender.runOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    });

    it('unsubscribes in one click (RFC 8058), erasing the address, and alerts nobody after', async () => {
      const person = world.people.get('MutuelleDemo')![0]!;
      const header = String(rawHeader(mailsTo(person.email).at(-1)!.raw, 'List-Unsubscribe'));
      const url = new URL(header.slice(1, -1));
      const r = await app.inject({
        method: 'POST',
        url: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ status: 'unsubscribed' });
      expect(await world.store.getSubscription(subs.pseudonymOf(person.email))).toBeUndefined();
      // Idempotent: a client retrying gets the same answer.
      expect(
        (
          await app.inject({
            method: 'POST',
            url: `${url.pathname}${url.search}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'List-Unsubscribe=One-Click',
          })
        ).statusCode,
      ).toBe(200);
      // The page's link opens a button, and only its POST acts.
      const token = url.searchParams.get('token')!;
      expect((await app.inject({ method: 'GET', url: `/desabonnement?token=${token}` })).body).toContain('Me désabonner');
      const bad = await app.inject({ method: 'POST', url: '/api/v1/subscriptions/unsubscribe', payload: { token: 'x.y' } });
      expect(bad.statusCode).toBe(400);
      // The owner's cookie no longer shows the sensitive leak once unsubscribed.
      const file = join(world.dir, 'encore.csv');
      await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: 20, seed: 41, invalidShare: 0, duplicateShare: 0 });
      expect((await runCli(['ingest', file, '--breach', 'EncoreUne', '--workers', '0'], env)).code).toBe(0);
      expect((await world.store.outboxCounts()).queued).toBe(0);
    });

    it('dead-letters a message at once on a permanent SMTP refusal (5xx), and retries the dead on demand', async () => {
      sink.reject = 550;
      const before = sink.mails.length;
      expect((await subscribe('inconnue@exemple.fr')).statusCode).toBe(202);
      // One try only: no retry cures an unknown mailbox.
      expect(await sender.runOnce()).toEqual({ sent: 0, failed: 0, dead: 1 });
      expect(await world.store.outboxCounts()).toMatchObject({ queued: 0, failed: 0, dead: 1 });
      sink.reject = false;
      expect(await world.store.retryDead()).toBe(1);
      expect(await sender.runOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
      expect(sink.mails.length).toBe(before + 1);
    });

    it('retries a temporary SMTP refusal (4xx) with backoff, dead-letters it after the last attempt, and retries the dead on demand', async () => {
      sink.reject = 451;
      const before = sink.mails.length;
      expect((await subscribe('refusee@exemple.fr')).statusCode).toBe(202);
      // Backoff 0 and 3 attempts: the three tries happen within one run.
      expect(await sender.runOnce()).toEqual({ sent: 0, failed: 2, dead: 1 });
      expect(await world.store.outboxCounts()).toMatchObject({ queued: 0, failed: 0, dead: 1 });
      const status = await runCli(['alerts', 'status', '--json'], env);
      expect(JSON.parse(status.stdout)).toMatchObject({ dead: 1 });
      sink.reject = false;
      expect((await runCli(['alerts', 'retry'], env)).stdout).toBe('Queued again: 1.\n');
      const sent = await runCli(['alerts', 'send', '--once'], env);
      expect(sent.stdout).toBe('Sent 1, failed 0 (to retry), dead 0.\n');
      expect(sink.mails.length).toBe(before + 1);
      expect(sink.mails.at(-1)?.to).toBe('refusee@exemple.fr');
      // Dates are kept to the second: let one pass so that "older than 0 days" holds.
      await new Promise((r) => setTimeout(r, 1100));
      const purge = await runCli(['alerts', 'purge', '--older-than', '0'], env);
      expect(purge.code, purge.stderr).toBe(0);
      expect((await world.store.outboxCounts()).sent).toBe(0);
    });
  });
}

/**
 * Alerts by phone, end to end, against an SMS webhook receiver this test starts on loopback
 * (node:http): the one-time code (sent through the outbox, kept only as a keyed hash, expiring,
 * a few tries, no oracle), the verified owner's session for the number, the alert of a leak
 * published by `vigie ingest` by SMS, and the webhook's failures (500 retried under the same
 * idempotency key, 4xx dead at once).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/test-helpers/run-cli.js';
import { loadConfig } from '../config.js';
import { writeDataset } from '../gen/index.js';
import { buildApp } from '../serve/index.js';
import { LogCapture } from '../serve/test-helpers/api-suite.js';
import { makeServeWorld, type ServeWorld } from '../serve/test-helpers/world.js';
import { type OutboxSender, senderFrom, Subscriptions, subscriptionsFrom } from './index.js';
import { type SmsHook, startSmsHook } from './test-helpers/sms-hook.js';
import { type SmtpSink, startSmtpSink } from './test-helpers/smtp.js';

const PUBLIC = 'https://vigie.example.fr';
/** GSM 03.38's basic alphabet: an SMS outside it goes as UCS-2, 70 characters a part. */
const GSM = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const inGsm = (text: string) => [...text].filter((c) => !GSM.includes(c));
const TOKEN = 'jeton-du-webhook';

describe('alerts by SMS', () => {
  let world: ServeWorld;
  let sink: SmtpSink;
  let hook: SmsHook;
  let app: FastifyInstance;
  let subs: Subscriptions;
  let sender: OutboxSender;
  let env: NodeJS.ProcessEnv;
  const log = new LogCapture();
  const unknown = '+33 7 50 00 00 01';

  beforeAll(async () => {
    world = await makeServeWorld(undefined, { label: 'alerts-sms' });
    sink = await startSmtpSink();
    hook = await startSmsHook();
    env = {
      ...world.env,
      VIGIE_PUBLIC_URL: PUBLIC,
      VIGIE_SMTP_URL: sink.url,
      VIGIE_MAIL_FROM: 'Vigie <alertes@vigie.example.fr>',
      VIGIE_SMS_WEBHOOK_URL: hook.url,
      VIGIE_SMS_WEBHOOK_TOKEN: TOKEN,
      VIGIE_ALERTS_BACKOFF: '0',
      VIGIE_ALERTS_MAX_ATTEMPTS: '3',
    };
    const config = loadConfig(env).alerts;
    subs = subscriptionsFrom(config, world.store, world.key)!;
    sender = senderFrom(config, world.store, world.key);
    app = await buildApp({ store: world.store, key: world.key, subscriptions: subs, log, settings: { ipRpm: 1_000 } });
  }, 120_000);
  afterAll(async () => {
    await sender?.stop();
    await app?.close();
    await hook?.close();
    await sink?.close();
    await world?.close();
  });

  const person = () => world.people.get('MutuelleDemo')![0]!;
  const subscribe = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload });
  const confirm = (phone: string, code: string) => app.inject({ method: 'POST', url: '/api/v1/subscriptions/confirm-phone', payload: { phone, code } });
  const codeOf = (to: string) => /^(\d{6}) /.exec(hook.received.filter((r) => r.body.to === to).at(-1)?.body.text ?? '')?.[1];

  it('answers alike for every number and sends one code per number by SMS, kept only as a keyed hash', async () => {
    const answers = [
      await subscribe({ phone: person().phoneWritten, lang: 'fr' }),
      await subscribe({ phone: person().phone }), // the same number in E.164: no second code
      await subscribe({ phone: unknown, lang: 'en' }),
    ];
    for (const r of answers) expect(r.statusCode, r.body).toBe(202);
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    expect((await subscribe({ phone: 'pas un numéro' })).json()).toMatchObject({ code: 'VIGIE_BAD_ACCOUNT' });
    expect((await subscribe({ phone: person().phone, email: 'a@exemple.fr' })).statusCode).toBe(400);
    expect(hook.received).toEqual([]);
    expect(await sender.runOnce()).toEqual({ sent: 2, failed: 0, dead: 0 });
    const [mine, theirs] = [hook.received.find((r) => r.body.to === person().phone)!, hook.received.find((r) => r.body.to === '+33750000001')!];
    expect(mine.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(mine.headers['idempotency-key']).toBe(mine.body.id);
    expect(mine.body.text).toMatch(/^\d{6} est votre code de confirmation Vigie, valable 10 minutes\./);
    expect(inGsm(mine.body.text)).toEqual([]);
    expect(inGsm(theirs.body.text)).toEqual([]);
    expect(theirs.body.text).toMatch(/^\d{6} is your Vigie confirmation code/);
    // Neither the number nor the code is in the store's files, nor in the request log.
    const db = ['vigie.db', 'vigie.db-wal'].map((f) => {
      try {
        return readFileSync(join(world.dataDir, f)).toString('latin1');
      } catch {
        return '';
      }
    });
    for (const secret of [person().phone, person().phone.slice(1), `${codeOf(person().phone)}`]) {
      for (const file of db) expect(file.includes(secret), secret).toBe(false);
      expect(log.text).not.toContain(secret);
    }
  });

  it('confirms with the code only, unexpired and within its tries, with one answer for every failure', async () => {
    const code = codeOf(person().phone)!;
    const later = new Subscriptions(world.store, world.key, subs.settings, () => new Date(Date.now() + 11 * 60_000));
    await expect(later.confirmPhone(person().phone, code)).rejects.toMatchObject({ code: 'VIGIE_BAD_TOKEN' });
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const failures = [await confirm(person().phoneWritten, wrong), await confirm('06 50 00 00 02', code), await confirm(unknown, 'abcdef')];
    for (const r of failures) expect(r.statusCode).toBe(400);
    expect(new Set(failures.map((r) => r.body)).size).toBe(1);
    expect((await world.store.getSubscription(subs.pseudonymOf(person().phone)))?.state).toBe('pending');

    const r = await confirm(` ${person().phoneWritten} `, code.replace(/(\d{3})/, '$1 '));
    expect(r.statusCode, r.body).toBe(200);
    const session = String(r.headers['set-cookie']).split(';')[0]!;
    // The verified owner of the number sees its sensitive leak; the public does not.
    const lookup = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/api/v1/lookup', headers, payload: { account: person().phoneWritten } });
    const names = async (headers: Record<string, string>) => (await lookup(headers)).json<{ breaches: { Name: string }[] }>().breaches.map((b) => b.Name);
    expect(await names({ cookie: session })).toContain('MutuelleDemo');
    expect(await names({})).not.toContain('MutuelleDemo');
    // A spent code does not confirm twice; five wrong tries spend the other number's code.
    expect((await confirm(person().phone, code)).statusCode).toBe(400);
    const other = codeOf('+33750000001')!;
    for (let i = 0; i < 5; i++) expect((await confirm(unknown, '000000' === other ? '111111' : '000000')).statusCode).toBe(400);
    expect((await confirm(unknown, other)).statusCode).toBe(400);
  });

  it('sends the alert of a new leak by SMS, retries a 500 under the same idempotency key, and dead-letters a 4xx at once', async () => {
    const file = join(world.dir, 'nouvelle.csv');
    await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: 60, seed: 41, invalidShare: 0, duplicateShare: 0 });
    const ingest = await runCli(['ingest', file, '--breach', 'Cantine', '--title', 'Cantine scolaire (démo)', '--date', '2026-11-20', '--workers', '0'], env);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect((await world.store.outboxCounts()).queued).toBe(1);
    hook.statuses = [500];
    const before = hook.received.length;
    expect(await sender.runOnce()).toEqual({ sent: 1, failed: 1, dead: 0 });
    const [failed, sent] = hook.received.slice(before);
    expect(failed!.body).toEqual(sent!.body);
    expect(sent!.headers['idempotency-key']).toBe(sent!.body.id);
    const text = sent!.body.text;
    expect(text).toMatch(/^Vigie : votre numéro figure dans une nouvelle fuite, "Cantine scolaire \(démo\)", publiée le /);
    expect(text).toContain(`Que faire : ${PUBLIC}/ `);
    // Two parts at most (153 characters each once concatenated), all in the GSM alphabet.
    expect(inGsm(text)).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(306);
    for (const value of [person().email, person().nir, person().lastName]) expect(text).not.toContain(value);
    // The SMS's unsubscribe link erases the number.
    const token = new URL(/https:\S+desabonnement\S+/.exec(text)![0]).searchParams.get('token')!;
    expect((await app.inject({ method: 'POST', url: '/api/v1/subscriptions/unsubscribe', payload: { token } })).statusCode).toBe(200);
    expect(await world.store.getSubscription(subs.pseudonymOf(person().phone))).toBeUndefined();

    hook.statuses = [400];
    expect((await subscribe({ phone: '07 50 00 00 03' })).statusCode).toBe(202);
    expect(await sender.runOnce()).toEqual({ sent: 0, failed: 0, dead: 1 });
  });
});

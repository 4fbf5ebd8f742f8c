/**
 * No alert lost under a kill (docs/architecture.md §5.6): `vigie alerts send` runs in its own
 * process against a real SMTP server and an SMS webhook on loopback that delay each acceptance,
 * is killed with SIGKILL mid-batch, and is started again once its claims' lease has run out.
 * Every recipient, by mail or by SMS, gets its alert, and every copy a recipient got carries one
 * and the same Message-ID (the SMS, one and the same idempotency key).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/test-helpers/run-cli.js';
import { loadConfig } from '../config.js';
import { writeDataset } from '../gen/index.js';
import { makeServeWorld, type ServeWorld } from '../serve/test-helpers/world.js';
import { subscriptionsFrom } from './index.js';
import { type SmsHook, startSmsHook } from './test-helpers/sms-hook.js';
import { type SmtpSink, startSmtpSink } from './test-helpers/smtp.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SUBSCRIBERS = 24;
/** Subscribers by phone, the people after the mail subscribers. */
const PHONES = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let world: ServeWorld;
let sink: SmtpSink;
let hook: SmsHook;
let env: NodeJS.ProcessEnv;
const live = new Set<number>();

beforeAll(async () => {
  world = await makeServeWorld([{ name: 'Ancienne', title: 'Ancienne fuite', date: '2024-01-10', rows: 40, seed: 77 }], { label: 'alerts-kill' });
  sink = await startSmtpSink();
  hook = await startSmsHook();
  env = {
    ...world.env,
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    VIGIE_PUBLIC_URL: 'https://vigie.example.fr',
    VIGIE_SMTP_URL: sink.url,
    VIGIE_MAIL_FROM: 'alertes@vigie.example.fr',
    VIGIE_ALERTS_LEASE: '2',
    VIGIE_ALERTS_BATCH: '8',
    VIGIE_SMTP_CONNECTIONS: '2',
    VIGIE_SMS_WEBHOOK_URL: hook.url,
  };
  // Confirmed subscribers, their confirmations already sent.
  const subs = subscriptionsFrom(loadConfig(env).alerts, world.store, world.key)!;
  for (const p of world.people.get('Ancienne')!.slice(0, SUBSCRIBERS)) {
    await subs.request(p.email, 'fr');
    await world.store.confirmSubscription(subs.pseudonymOf(p.email));
  }
  for (const p of world.people.get('Ancienne')!.slice(SUBSCRIBERS, SUBSCRIBERS + PHONES)) {
    await subs.requestPhone(p.phoneWritten, 'fr');
    await world.store.confirmSubscription(subs.pseudonymOf(p.phone));
  }
  await world.store.recordOutcomes((await world.store.claimOutbox({ limit: 100, leaseSeconds: 60 })).map((m) => ({ id: m.id, sent: true as const })));
  // A new leak of the same people, published by vigie ingest: one alert each, queued at commit.
  const file = join(world.dir, 'nouvelle.csv');
  await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: 40, seed: 77, invalidShare: 0, duplicateShare: 0 });
  const r = await runCli(['ingest', file, '--breach', 'Nouvelle', '--date', '2026-11-30', '--workers', '0'], env);
  expect(r.code, r.stderr).toBe(0);
  expect(await world.store.outboxCounts()).toMatchObject({ queued: SUBSCRIBERS + PHONES });
}, 120_000);

afterAll(async () => {
  for (const pid of live) process.kill(pid, 'SIGKILL');
  await sink?.close();
  await hook?.close();
  await world?.close();
});

function sendOnce(): { pid: number; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'alerts', 'send', '--once'], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  live.add(proc.pid!);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => {
      live.delete(proc.pid!);
      resolve({ code, signal, stderr });
    }),
  );
  return { pid: proc.pid!, exit };
}

describe('a sender killed mid-batch', () => {
  it('loses no alert, and a message re-sent after the kill keeps its Message-ID', async () => {
    sink.delayMs = 250;
    hook.delayMs = 250;
    const first = sendOnce();
    await sink.waitFor(5, 60_000);
    process.kill(first.pid, 'SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    const counts = await world.store.outboxCounts();
    expect(counts.sent).toBeLessThan(2 * (SUBSCRIBERS + PHONES)); // the confirmations, and only part of the alerts
    expect(counts.queued).toBeLessThan(SUBSCRIBERS + PHONES);
    expect(counts.queued).toBeGreaterThan(0);
    // The killed sender's claims come back when their lease (2 s) ends.
    await sleep(2_500);
    sink.delayMs = 0;
    hook.delayMs = 0;
    const second = sendOnce();
    const done = await second.exit;
    expect(done.code, done.stderr).toBe(0);
    expect(await world.store.outboxCounts()).toMatchObject({ queued: 0, failed: 0, dead: 0 });

    const alerts = sink.mails.filter((m) => m.subject.includes('Nouvelle'));
    const byRecipient = new Map<string, Set<string>>();
    for (const m of alerts) byRecipient.set(m.to, (byRecipient.get(m.to) ?? new Set()).add(m.messageId));
    const expected = world.people
      .get('Ancienne')!
      .slice(0, SUBSCRIBERS)
      .map((p) => p.email);
    expect([...byRecipient.keys()].sort()).toEqual([...expected].sort());
    for (const [to, ids] of byRecipient) expect(ids.size, to).toBe(1);
    const texts = hook.received.filter((r) => r.body.text.includes('nouvelle fuite'));
    const byPhone = new Map<string, Set<string>>();
    for (const r of texts) byPhone.set(r.body.to, (byPhone.get(r.body.to) ?? new Set()).add(String(r.headers['idempotency-key'])));
    const phones = world.people
      .get('Ancienne')!
      .slice(SUBSCRIBERS, SUBSCRIBERS + PHONES)
      .map((p) => p.phone);
    expect([...byPhone.keys()].sort()).toEqual([...phones].sort());
    for (const [to, ids] of byPhone) expect(ids.size, to).toBe(1);
    // At most the messages in flight at the kill (one per connection: 2) came twice.
    expect(alerts.length + texts.length - SUBSCRIBERS - PHONES).toBeLessThanOrEqual(2);
  }, 120_000);
});

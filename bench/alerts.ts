/**
 * Alerts benchmark: N confirmed subscribers (default 1,000,000), then a leak of 1,000,000
 * identifiers published through a store load, M of which (default 100,000) are subscribers: the
 * commit queues their alerts in its transaction. Then the sender empties the outbox into a
 * loopback SMTP sink (its own process) over one pooled transport for `--seconds`.
 * Prints one JSON line.
 *
 *   npx tsx bench/alerts.ts [--subscribers 1000000] [--match 100000] [--seconds 20] [--connections 4]
 *
 * The subscribers are written straight into the SQLite table (one transaction; going through
 * `requestSubscription` and `confirmSubscription` would time 2,000,000 small transactions, not the
 * alerts). Their addresses are sealed as Vigie seals them. Working files live in a temp dir.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { senderFrom } from '../src/alerts/index.js';
import { deriveAlertKeys, sealAddress } from '../src/alerts/keys.js';
import { loadConfig } from '../src/config.js';
import { DataClassBits } from '../src/dataclasses.js';
import { Pseudonymiser } from '../src/pseudonymise/index.js';
import { openStore } from '../src/store/index.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000000' },
    match: { type: 'string', default: '100000' },
    leak: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' },
  },
});
const SUBSCRIBERS = Number(values.subscribers);
const MATCH = Number(values.match);
const LEAK = Number(values.leak);
const SECONDS = Number(values.seconds);
const FIRST = ['camille', 'lucas', 'lea', 'hugo', 'chloe', 'louis', 'manon', 'gabriel', 'ines', 'jules'];
const email = (i: number): string => `${FIRST[i % 10]}.martin${i}@example.fr`;
const MASK = (1 << DataClassBits.email) | (1 << DataClassBits.phone) | (1 << DataClassBits.dob);
const BATCH = 100_000;

const dir = await mkdtemp(join(tmpdir(), 'vigie-bench-alerts-'));
const key = randomBytes(32);
const p = new Pseudonymiser(key);
const keys = deriveAlertKeys(key);
const store = await openStore(undefined, dir);
const out: Record<string, unknown> = { subscribers: SUBSCRIBERS, leakIdentifiers: LEAK, matching: MATCH };

// 1. Confirmed subscribers 0 .. SUBSCRIBERS-1.
let t = performance.now();
const db = new Database(join(dir, 'vigie.db'));
const now = `${new Date().toISOString().slice(0, 19)}Z`;
const insert = db.prepare(
  "INSERT INTO subscriptions (pseudonym, sealed, lang, state, created_at, confirmed_at, updated_at) VALUES (?, ?, ?, 'confirmed', ?, ?, ?)",
);
db.transaction(() => {
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const e = email(i);
    const ps = p.one('email', e);
    insert.run(ps, sealAddress(keys, e, ps), i % 3 === 0 ? 'en' : 'fr', now, now, now);
  }
})();
db.close();
out['subscribeSeconds'] = +((performance.now() - t) / 1000).toFixed(2);

// 2. A leak of LEAK identifiers: MATCH subscribers (every SUBSCRIBERS/MATCH-th), the rest strangers.
const stride = Math.floor(SUBSCRIBERS / MATCH);
const load = await store.beginLoad({
  breach: { Name: 'FuiteBench', Title: 'Fuite de démonstration', BreachDate: '2026-11-30' },
  append: false,
  fileDigests: ['a'.repeat(64)],
});
t = performance.now();
for (let from = 0; from < LEAK; from += BATCH) {
  const n = Math.min(BATCH, LEAK - from);
  const buf = Buffer.allocUnsafe(n * 16);
  for (let k = 0; k < n; k++) {
    const i = from + k;
    p.writeInto(buf, k * 16, 'email', i < MATCH ? email(i * stride) : `inconnu${i}@example.org`);
  }
  await load.write(buf, new Uint32Array(n).fill(MASK));
}
out['stageSeconds'] = +((performance.now() - t) / 1000).toFixed(2);
t = performance.now();
await load.commit({ records: LEAK, skipped: 0, people: LEAK, classCounts: { email: LEAK }, invalidCounts: {}, formats: ['csv'] });
out['commitWithAlertsSeconds'] = +((performance.now() - t) / 1000).toFixed(2);
out['queued'] = (await store.outboxCounts()).queued;

// 3. Send into a loopback sink for SECONDS.
const sink = spawn(process.execPath, [join(import.meta.dirname, 'smtp-sink.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: sink.stdout! })[Symbol.asyncIterator]();
const port = Number((await lines.next()).value);
const config = loadConfig({
  VIGIE_PUBLIC_URL: 'https://vigie.example.fr',
  VIGIE_SMTP_URL: `smtp://127.0.0.1:${port}`,
  VIGIE_MAIL_FROM: 'alertes@vigie.example.fr',
  VIGIE_SMTP_CONNECTIONS: values.connections,
  VIGIE_ALERTS_BATCH: '500',
}).alerts;
const sender = senderFrom(config, store, key);
t = performance.now();
const run = sender.runOnce();
// Until the outbox is empty or the time is up, whichever comes first.
await Promise.race([run, new Promise((r) => setTimeout(r, SECONDS * 1000))]);
await sender.stop();
const report = await run;
const elapsed = (performance.now() - t) / 1000;
sink.stdin!.write('\n');
const accepted = Number((await lines.next()).value);
sink.stdin!.end();
out['sendSeconds'] = +elapsed.toFixed(2);
out['sent'] = report.sent;
out['sinkAccepted'] = accepted;
out['messagesPerSecond'] = Math.round(report.sent / elapsed);
out['connections'] = Number(values.connections);
await store.close();
await rm(dir, { recursive: true, force: true });
console.log(JSON.stringify(out));

/**
 * The sender inside `vigie serve`: a server started as the README says (the three variables
 * set) mails the confirmation of a subscription asked through its API without any other
 * command, and its log names no address.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServeWorld, type ServeWorld } from '../serve/test-helpers/world.js';
import { type SmtpSink, startSmtpSink } from './test-helpers/smtp.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
let world: ServeWorld;
let sink: SmtpSink;

beforeAll(async () => {
  world = await makeServeWorld([{ name: 'Petite', title: 'Petite fuite', date: '2025-01-05', rows: 10, seed: 5 }], { label: 'alerts-serve' });
  sink = await startSmtpSink();
}, 120_000);
afterAll(async () => {
  await sink?.close();
  await world?.close();
});

describe('vigie serve with alerts configured', () => {
  it('runs the sender: a subscription asked through the API is mailed within the interval', async () => {
    const env = {
      PATH: process.env['PATH'],
      ...world.env,
      VIGIE_PUBLIC_URL: 'https://vigie.example.fr',
      VIGIE_SMTP_URL: sink.url,
      VIGIE_MAIL_FROM: 'Vigie <alertes@vigie.example.fr>',
      VIGIE_ALERTS_INTERVAL: '1',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0'], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`vigie serve did not start: ${err}`)), 60_000);
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /listening on (http:\/\/\S+?)\/ /.exec(err);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const r = await fetch(`${url}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'Camille.Durand@Exemple.FR', lang: 'fr' }),
      });
      expect(r.status).toBe(202);
      await sink.waitFor(1, 30_000);
      expect(sink.mails[0]?.to).toBe('camille.durand@exemple.fr');
      expect(err).toContain('Alerts: sending every 1 s');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(`${out}${err}`.toLowerCase()).not.toContain('camille.durand');
  }, 120_000);
});

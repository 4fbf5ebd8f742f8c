/**
 * What another process does shows in a running server within seconds (README, "Serving
 * lookups"): a key revoked by `vigie apikey revoke` is refused, a leak published by
 * `vigie ingest` is found by lookups at once and listed in the catalogue after the refresh.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../gen/index.js';
import { runCli } from '../cli/test-helpers/run-cli.js';
import { buildApp } from './app.js';
import { LogCapture } from './test-helpers/api-suite.js';
import { makeServeWorld, type ServeWorld } from './test-helpers/world.js';

let world: ServeWorld;
let app: FastifyInstance;
const REFRESH_MS = 300;

beforeAll(async () => {
  world = await makeServeWorld([{ name: 'Premiere', title: 'Première fuite', date: '2024-02-01', rows: 30, seed: 8 }], { label: 'refresh' });
  app = await buildApp({ store: world.store, key: world.key, log: new LogCapture(), settings: { refreshMs: REFRESH_MS } });
});
afterAll(async () => {
  await app?.close();
  await world?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a running server sees other processes', () => {
  it('refuses a key revoked by vigie apikey revoke', async () => {
    const key = (await runCli(['apikey', 'create', '--name', 'partenaire'], world.env)).stdout.trim();
    const get = () => app.inject({ method: 'GET', url: '/api/v3/subscription/status', headers: { 'user-agent': 't', 'hibp-api-key': key } });
    await sleep(1_100);
    expect((await get()).statusCode).toBe(200);
    expect((await runCli(['apikey', 'revoke', 'partenaire'], world.env)).code).toBe(0);
    await sleep(REFRESH_MS + 100);
    expect((await get()).statusCode).toBe(401);
  });

  it('finds a leak published by vigie ingest, and lists it after the refresh', async () => {
    const file = join(world.dir, 'seconde.csv');
    await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: 20, seed: 9, invalidShare: 0, duplicateShare: 0 });
    const names = async () => (await app.inject({ method: 'GET', url: '/api/v1/breaches' })).json<{ Name: string }[]>().map((b) => b.Name);
    expect(await names()).toEqual(['Premiere']);
    const r = await runCli(['ingest', file, '--breach', 'Seconde', '--date', '2025-05-05', '--workers', '0'], world.env);
    expect(r.code, r.stderr).toBe(0);
    const email = /;([^;@\s]+@[^;\s]+);/.exec(readFileSync(file, 'utf8').split('\n')[1] ?? '')?.[1];
    expect(email).toBeDefined();
    const hit = await app.inject({ method: 'POST', url: '/api/v1/lookup', headers: { 'content-type': 'application/json' }, payload: { account: email } });
    expect(hit.json<{ breaches: { Name: string }[] }>().breaches.map((b) => b.Name)).toEqual(['Seconde']);
    await sleep(REFRESH_MS + 100);
    expect(await names()).toEqual(['Premiere', 'Seconde']);
  });
});

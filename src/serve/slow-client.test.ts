/**
 * What a real socket can do that `inject()` cannot: a client that stalls, garbage instead of
 * HTTP, oversized headers. Each gets a small JSON error and the server goes on serving.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogCapture } from './test-helpers/api-suite.js';
import { startServer, type RunningServer } from './server.js';
import { makeServeWorld, type ServeWorld } from './test-helpers/world.js';

let world: ServeWorld;
let server: RunningServer;
let port: number;

beforeAll(async () => {
  world = await makeServeWorld([{ name: 'Petite', title: 'Petite fuite', date: '2024-01-01', rows: 20, seed: 3 }], { label: 'slow' });
  server = await startServer(
    { store: world.store, key: world.key, log: new LogCapture(), settings: { requestTimeoutMs: 600 } },
    { host: '127.0.0.1', port: 0 },
  );
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.stop();
  await world?.close().catch(() => undefined);
});

/** Sends `chunks` (then nothing more) and collects what the server answers until it closes. */
function raw(chunks: string[]): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    for (const c of chunks) socket.write(c);
  });
}

const jsonBody = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { statusCode: number; code: string };

describe('hostile clients on a real socket', () => {
  it('answers 408 to a client that stops halfway through its headers, then closes', async () => {
    const r = await raw(['GET /api/v3/breaches HTTP/1.1\r\nHost: x\r\nUser-Agent: slow']);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(jsonBody(r.text)).toMatchObject({ statusCode: 408, code: 'VIGIE_BAD_REQUEST' });
    expect(r.ms).toBeLessThan(5_000);
  });

  it('answers 400 to garbage and 431 to oversized headers', async () => {
    const garbage = await raw(['\u0000\u0001 NOT HTTP AT ALL\r\n\r\n']);
    expect(garbage.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(jsonBody(garbage.text).statusCode).toBe(400);
    const big = await raw([`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`]);
    expect(big.text).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('keeps serving others meanwhile', async () => {
    const stalled = raw(['POST /api/v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"acc']);
    const r = await fetch(`${server.url}/api/v3/breaches`, { headers: { 'user-agent': 't' } });
    expect(r.status).toBe(200);
    const s = await stalled;
    expect(s.text).toMatch(/^HTTP\/1\.1 (408|400) /);
  });
});

import { simpleParser } from 'mailparser';
/**
 * Organisations end to end, in-process on SQLite: a domain registered by an API key, verified by
 * a TXT record served by a DNS server on loopback (dns2) or by the mailed link; a leak ingested
 * afterwards; HIBP's breacheddomain and subscribeddomains for that key only; and the alert of the
 * organisation, delivered to a webhook receiver on loopback that checks the signature and refuses
 * a replay.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dns2 from 'dns2';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/test-helpers/run-cli.js';
import { loadConfig } from '../config.js';
import { writeDataset } from '../gen/index.js';
import { canonEmail, parseCsv } from '../gen/test-helpers/recount.js';
import { buildApp, createApiKey } from '../serve/index.js';
import { LogCapture } from '../serve/test-helpers/api-suite.js';
import { makeServeWorld, type ServeWorld } from '../serve/test-helpers/world.js';
import { type MailTransport, organisationsFrom, senderFrom, verifyWebhook } from './index.js';

const DOMAIN = 'orange.fr';
let world: ServeWorld;
let app: FastifyInstance;
let dns: ReturnType<typeof dns2.createServer>;
let hook: Server;
let txt: string[] = [];
const received: { body: string; signature: string | undefined; delivery: string | undefined; valid: boolean }[] = [];
let secret = '';
const mails: { to: string; text: string }[] = [];
const transport: MailTransport = {
  sendMail: async (m) => void mails.push({ to: m.envelope.to, text: (await simpleParser(m.raw)).text ?? '' }),
  close: () => undefined,
};
let keyA = '';
let keyB = '';
let opKey = '';

beforeAll(async () => {
  world = await makeServeWorld([], { label: 'orgs' });
  dns = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request);
      const name = request.questions[0]?.name ?? '';
      if (name === `_vigie.${DOMAIN}`)
        for (const t of txt)
          response.answers.push({
            name,
            type: dns2.Packet.TYPE.TXT,
            class: dns2.Packet.CLASS.IN,
            ttl: 1,
            data: t,
          } as unknown as (typeof response.answers)[number]);
      send(response);
    },
  });
  await dns.listen({ udp: { port: 0, address: '127.0.0.1' } });
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const signature = req.headers['vigie-signature'] as string | undefined;
      const valid = verifyWebhook(secret, signature, body, Date.now() / 1000);
      received.push({ body, signature, delivery: req.headers['vigie-delivery'] as string | undefined, valid });
      res.writeHead(valid ? 204 : 400).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  keyA = (await createApiKey(world.store, 'orange', 1000)).key;
  keyB = (await createApiKey(world.store, 'autre', 1000)).key;
  opKey = (await createApiKey(world.store, 'ops', 1000, true)).key;
});
afterAll(async () => {
  await app?.close();
  await dns?.close();
  await new Promise((r) => hook?.close(r));
  await world?.close();
});

const config = () =>
  loadConfig({
    VIGIE_PUBLIC_URL: 'https://vigie.example.fr',
    VIGIE_SMTP_URL: 'smtp://127.0.0.1:1',
    VIGIE_MAIL_FROM: 'Vigie <alertes@vigie.example.fr>',
    VIGIE_DNS_SERVERS: `127.0.0.1:${(dns.addresses().udp as AddressInfo).port}`,
    VIGIE_ALERTS_BACKOFF: '0',
  }).alerts;

describe('organisations', () => {
  it('verify a domain by a TXT record on a loopback DNS server, and another by the mailed link (a POST)', async () => {
    const orgs = organisationsFrom(config(), world.store, world.key);
    app = await buildApp({ store: world.store, key: world.key, organisations: orgs, log: new LogCapture() });
    const h = { 'user-agent': 'orgs-test', 'hibp-api-key': keyA };
    const added = await app.inject({ method: 'POST', url: '/api/v1/domains', headers: h, payload: { domain: 'Orange.FR.' } });
    expect(added.statusCode).toBe(201);
    const { txtRecord, domain } = added.json<{ txtRecord: string; domain: string }>();
    expect(domain).toBe(DOMAIN);
    // Not published yet: refused, nothing verified.
    const early = await app.inject({ method: 'POST', url: '/api/v1/domains/verify', headers: h, payload: { domain: DOMAIN, method: 'dns' } });
    expect(early.statusCode).toBe(409);
    txt = ['v=spf1 -all', txtRecord];
    const ok = await app.inject({ method: 'POST', url: '/api/v1/domains/verify', headers: h, payload: { domain: DOMAIN, method: 'dns' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'verified', method: 'dns' });

    // The other key proves a domain by mail: the link opens a page; only its POST confirms.
    const hb = { ...h, 'hibp-api-key': keyB };
    expect((await app.inject({ method: 'POST', url: '/api/v1/domains', headers: hb, payload: { domain: 'autre.example.fr' } })).statusCode).toBe(201);
    const queued = await app.inject({
      method: 'POST',
      url: '/api/v1/domains/verify',
      headers: hb,
      payload: { domain: 'autre.example.fr', method: 'email', mailbox: 'postmaster' },
    });
    expect(queued.statusCode).toBe(202);
    const sender = senderFrom(config(), world.store, world.key, { transport });
    expect(await sender.runOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    await sender.stop();
    expect(mails[0]?.to).toBe('postmaster@autre.example.fr');
    const link = new URL(/https:\/\/\S+/.exec(mails[0]?.text ?? '')?.[0] ?? '');
    const page = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(page.statusCode).toBe(200);
    expect((await world.store.getDomain('autre', 'autre.example.fr'))?.state).toBe('pending');
    const token = link.searchParams.get('token') ?? '';
    expect((await app.inject({ method: 'POST', url: '/api/v1/domains/confirm', payload: { token: `${token}x` } })).statusCode).toBe(400);
    const confirmed = await app.inject({ method: 'POST', url: '/api/v1/domains/confirm', payload: { token } });
    expect(confirmed.json()).toMatchObject({ domain: 'autre.example.fr', state: 'verified', method: 'email' });
  });

  it('answers breacheddomain in HIBP shape for the verified key only, and alerts the organisation by a signed webhook', async () => {
    const h = { 'user-agent': 'orgs-test', 'hibp-api-key': keyA };
    const hook1 = await app.inject({
      method: 'PUT',
      url: '/api/v1/organisation',
      headers: h,
      payload: { webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/vigie` },
    });
    secret = hook1.json<{ webhookSecret: string }>().webhookSecret;
    expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);

    const file = join(world.dir, 'mairie.csv');
    await writeDataset({ out: file, format: 'csv', columns: 'standard', rows: 400, seed: 12, invalidShare: 0, duplicateShare: 0 });
    const r = await runCli(['ingest', file, '--breach', 'Mairie', '--title', 'Mairie (démo)', '--date', '2025-03-01', '--workers', '1'], world.env);
    expect(r.code, r.stderr).toBe(0);
    const { rows } = parseCsv(readFileSync(file, 'utf8'), ';');
    const aliases = [...new Set(rows.map((row) => canonEmail(row.get('email') ?? '')).filter((e): e is string => e?.endsWith(`@${DOMAIN}`) === true))]
      .map((e) => e.slice(0, -DOMAIN.length - 1))
      .sort();
    expect(aliases.length).toBeGreaterThan(5);

    const found = await app.inject({ method: 'GET', url: `/api/v3/breacheddomain/${DOMAIN}`, headers: h });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(Object.fromEntries(aliases.map((a) => [a, ['Mairie']])));
    // Another key, a domain it has not verified, no key: HIBP's 403 and 401.
    expect((await app.inject({ method: 'GET', url: `/api/v3/breacheddomain/${DOMAIN}`, headers: { ...h, 'hibp-api-key': keyB } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v3/breacheddomain/${DOMAIN}`, headers: { 'user-agent': 'x' } })).statusCode).toBe(401);
    // A verified domain with no breached address: 404.
    expect((await app.inject({ method: 'GET', url: '/api/v3/breacheddomain/autre.example.fr', headers: { ...h, 'hibp-api-key': keyB } })).statusCode).toBe(404);
    const subscribed = await app.inject({ method: 'GET', url: '/api/v3/subscribeddomains', headers: h });
    expect(subscribed.json()).toEqual([
      {
        DomainName: DOMAIN,
        PwnCount: aliases.length,
        PwnCountExcludingSpamLists: aliases.length,
        PwnCountExcludingSpamListsAtLastSubscriptionRenewal: null,
        NextSubscriptionRenewal: null,
      },
    ]);

    const sender = senderFrom(config(), world.store, world.key, { transport });
    expect(await sender.runOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    await sender.stop();
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.valid).toBe(true);
    const body = JSON.parse(got.body) as { type: string; addresses: number; breach: { Name: string }; dataClasses: string[] };
    expect(body).toMatchObject({ type: 'breach', addresses: aliases.length, breach: { Name: 'Mairie' } });
    expect(body.dataClasses).toContain('Email addresses');
    // No address in the delivery.
    for (const a of aliases) expect(got.body).not.toContain(`${a}@`);
    // A replay ten minutes later, or a changed body, is refused by the receiver's check.
    const t = Number(/t=(\d+)/.exec(got.signature ?? '')?.[1]);
    expect(verifyWebhook(secret, got.signature, got.body, t + 600)).toBe(false);
    expect(verifyWebhook(secret, got.signature, got.body.replace('"breach"', '"Breach"'), t)).toBe(false);
    expect(verifyWebhook(`${secret}0`, got.signature, got.body, t)).toBe(false);
  });

  it('gives the outbox to operator keys only', async () => {
    const op = opKey;
    const plain = { 'hibp-api-key': keyA };
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts/status', headers: plain })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts/status' })).statusCode).toBe(401);
    const status = await app.inject({ method: 'GET', url: '/api/v1/alerts/status', headers: { 'hibp-api-key': op } });
    expect(status.json()).toEqual({ queued: 0, sent: 2, failed: 0, dead: 0 });
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts/retry', headers: { 'hibp-api-key': op } })).json()).toEqual({ requeued: 0 });
    const purged = await app.inject({ method: 'POST', url: '/api/v1/alerts/purge', headers: { 'hibp-api-key': op }, payload: { olderThanDays: 0 } });
    expect(purged.statusCode).toBe(200);
  });
});

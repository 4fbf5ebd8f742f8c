/**
 * The HTTP API's behaviour, one suite for both store engines (as the store contract is): the
 * HIBP v3 routes, Vigie's v1 routes, API keys and rates, the headers of every answer, bad
 * requests of every kind, and no trace of a looked-up value in what the server wrote.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createApiKey } from '../apikeys.js';
import type { ServeWorld, TestPerson } from './world.js';

/** HIBP v3's Breach model, in HIBP's order. */
const HIBP_BREACH_FIELDS = [
  'Name',
  'Title',
  'Domain',
  'BreachDate',
  'AddedDate',
  'ModifiedDate',
  'PwnCount',
  'Description',
  'LogoPath',
  'Attribution',
  'DataClasses',
  'IsVerified',
  'IsFabricated',
  'IsSensitive',
  'IsRetired',
  'IsSpamList',
  'IsMalware',
  'IsSubscriptionFree',
  'IsStealerLog',
];

/** A stream that keeps every line written to it: the server's log. */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

const UA = 'vigie-tests/1.0';

export function runApiSuite(engine: string, open: () => Promise<{ world: ServeWorld; drop?: () => Promise<void> }>): void {
  describe(`HTTP API on ${engine}`, () => {
    let world: ServeWorld;
    let drop: (() => Promise<void>) | undefined;
    let app: FastifyInstance;
    const log = new LogCapture();
    let apiKey: string;
    let slowKey: string;
    /** Everything looked up in this suite, to search for in the server's output. */
    const asked = new Set<string>();
    let shared: TestPerson; // in all three leaks (one sensitive)
    let agenceOnly: TestPerson; // only in AgenceTitres

    const get = (url: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url, headers: { 'user-agent': UA, 'hibp-api-key': apiKey, ...headers } });
    const account = (value: string, query = '', headers: Record<string, string> = {}) => {
      asked.add(value);
      return get(`/api/v3/breachedaccount/${encodeURIComponent(value)}${query}`, headers);
    };
    const lookup = (value: string, headers: Record<string, string> = {}, lang?: string) => {
      asked.add(value);
      return app.inject({
        method: 'POST',
        url: '/api/v1/lookup',
        headers: { 'content-type': 'application/json', ...headers },
        payload: { account: value, ...(lang ? { lang } : {}) },
      });
    };
    const errorOf = (r: LightMyRequestResponse) => {
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const body = r.json<{ statusCode: number; error: string; code: string; message: string }>();
      expect(body.statusCode).toBe(r.statusCode);
      expect(JSON.stringify(body).length).toBeLessThan(500);
      return body;
    };

    beforeAll(async () => {
      ({ world, drop } = await open());
      apiKey = (await createApiKey(world.store, 'tests', 100_000)).key;
      slowKey = (await createApiKey(world.store, 'lente', 3)).key;
      app = await buildApp({ store: world.store, key: world.key, log, settings: { ipRpm: 1000 } });
      const agence = world.people.get('AgenceTitres')!;
      shared = agence[0]!;
      agenceOnly = agence[200]!;
      expect(world.people.get('MutuelleDemo')!.map((p) => p.email)).toContain(shared.email);
    });
    afterAll(async () => {
      await app?.close();
      await world?.close();
      await drop?.();
    });

    describe('HIBP v3: breachedaccount', () => {
      it('answers the breach names of an email, truncated by default, sensitive leaks left out', async () => {
        const r = await account(shared.email);
        expect(r.statusCode).toBe(200);
        expect(r.json()).toEqual([{ Name: 'AgenceTitres' }, { Name: 'ForumDemo' }]);
      });

      it('gives the whole breach model with truncateResponse=false', async () => {
        const r = await account(agenceOnly.email, '?truncateResponse=false');
        expect(r.statusCode).toBe(200);
        const [b] = r.json<Record<string, unknown>[]>();
        expect(Object.keys(b!)).toEqual(HIBP_BREACH_FIELDS);
        expect(b).toMatchObject({
          Name: 'AgenceTitres',
          Domain: 'titres.example.fr',
          BreachDate: '2025-04-15',
          IsVerified: true,
          IsSensitive: false,
          Attribution: null,
        });
        expect(b!['DataClasses']).toEqual(expect.arrayContaining(['Email addresses', 'Phone numbers', 'Social security numbers']));
      });

      it('normalises the account as ingest does: case and spaces of an email, any writing of a phone', async () => {
        for (const v of [`  ${shared.email.toUpperCase()} `, shared.phone, shared.phoneWritten, shared.phone.replace('+33', '0')]) {
          if (v.startsWith('0') && !shared.phone.startsWith('+33')) continue;
          const r = await account(v);
          expect({ v, status: r.statusCode, body: r.json() }).toEqual({ v, status: 200, body: [{ Name: 'AgenceTitres' }, { Name: 'ForumDemo' }] });
        }
      });

      it('filters by domain and by verification', async () => {
        expect((await account(shared.email, '?domain=FORUM.example.fr')).json()).toEqual([{ Name: 'ForumDemo' }]);
        expect((await account(shared.email, '?includeUnverified=false')).json()).toEqual([{ Name: 'AgenceTitres' }]);
        expect((await account(shared.email, '?domain=autre.example.fr')).statusCode).toBe(404);
      });

      it('takes boolean parameters in any case, as HIBP (ASP.NET) does: .NET and Python clients send False', async () => {
        expect((await account(shared.email, '?includeUnverified=False')).json()).toEqual([{ Name: 'AgenceTitres' }]);
        expect((await account(shared.email, '?includeUnverified=%20FALSE%20')).json()).toEqual([{ Name: 'AgenceTitres' }]);
        const full = await account(agenceOnly.email, '?truncateResponse=False&includeUnverified=True');
        expect(Object.keys(full.json<Record<string, unknown>[]>()[0]!)).toEqual(HIBP_BREACH_FIELDS);
        expect((await account(agenceOnly.email, '?truncateResponse=TRUE')).json()).toEqual([{ Name: 'AgenceTitres' }]);
        expect((await get('/api/v3/breaches?isSpamList=True')).json()).toEqual([]);
        expect((await get('/api/v3/breaches?isSpamList=False')).json<unknown[]>()).toHaveLength(3);
        expect((await account(shared.email, '?truncateResponse=0')).statusCode).toBe(400);
        expect((await account(shared.email, '?truncateResponse=Falsey')).statusCode).toBe(400);
      });

      it('answers 404 for an account in no leak', async () => {
        const r = await account('personne.inconnue@exemple.fr');
        expect(r.statusCode).toBe(404);
        expect(errorOf(r).code).toBe('VIGIE_NOT_FOUND');
      });

      it('answers 401 without a key or with an unknown one, 403 without a user-agent', async () => {
        const none = await app.inject({ method: 'GET', url: `/api/v3/breachedaccount/${encodeURIComponent(shared.email)}`, headers: { 'user-agent': UA } });
        expect(none.statusCode).toBe(401);
        expect(errorOf(none).message).toMatch(/hibp-api-key/);
        expect((await account(shared.email, '', { 'hibp-api-key': 'f'.repeat(32) })).statusCode).toBe(401);
        const noUa = await app.inject({ method: 'GET', url: `/api/v3/breachedaccount/x%40example.fr`, headers: { 'hibp-api-key': apiKey, 'user-agent': '' } });
        expect(noUa.statusCode).toBe(403);
        expect(errorOf(noUa).code).toBe('VIGIE_FORBIDDEN');
        expect((await app.inject({ method: 'GET', url: '/api/v3/breaches', headers: { 'user-agent': ' ' } })).statusCode).toBe(403);
      });

      it("answers 429 with retry-after past the key's rate, counting per key", async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await account(agenceOnly.email, '', { 'hibp-api-key': slowKey })).statusCode);
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
        const r = await account(agenceOnly.email, '', { 'hibp-api-key': slowKey });
        const retry = Number(r.headers['retry-after']);
        expect(retry).toBeGreaterThanOrEqual(1);
        expect(retry).toBeLessThanOrEqual(60);
        expect(errorOf(r).message).toMatch(/Rate limit is exceeded/);
        // Another key is not affected.
        expect((await account(agenceOnly.email)).statusCode).toBe(200);
      });

      it('refuses a NIR, a name or a date of birth with 400 and the reason, without repeating it', async () => {
        for (const v of [shared.nir, shared.lastName, '31/03/1976']) {
          const r = await account(v);
          expect(r.statusCode).toBe(400);
          const body = errorOf(r);
          expect(body.code).toBe('VIGIE_NOT_SEARCHABLE');
          expect(body.message).toMatch(/never searchable/);
          expect(r.body).not.toContain(v);
        }
      });
    });

    describe('HIBP v3: catalogue, pastes, subscription', () => {
      it('lists every breach in the HIBP model, public, with domain and isSpamList filters', async () => {
        const r = await app.inject({ method: 'GET', url: '/api/v3/breaches', headers: { 'user-agent': UA } });
        expect(r.statusCode).toBe(200);
        const list = r.json<Record<string, unknown>[]>();
        expect(list.map((b) => b['Name'])).toEqual(['AgenceTitres', 'ForumDemo', 'MutuelleDemo']);
        for (const b of list) expect(Object.keys(b)).toEqual(HIBP_BREACH_FIELDS);
        expect(list.find((b) => b['Name'] === 'AgenceTitres')!['PwnCount']).toBe(300);
        expect((await get('/api/v3/breaches?domain=titres.example.fr')).json<{ Name: string }[]>().map((b) => b.Name)).toEqual(['AgenceTitres']);
        expect((await get('/api/v3/breaches?isSpamList=true')).json()).toEqual([]);
        expect((await get('/api/v3/breaches?isSpamList=maybe')).statusCode).toBe(400);
      });

      it('answers one breach by name in any case, the latest one and the data classes', async () => {
        const one = await get('/api/v3/breach/agencetitres');
        expect(one.json()).toMatchObject({ Name: 'AgenceTitres', Title: 'Agence des titres (démo)' });
        expect((await get('/api/v3/breach/Inconnue')).statusCode).toBe(404);
        const all = (await get('/api/v3/breaches')).json<{ AddedDate: string }[]>();
        const latest = (await get('/api/v3/latestbreach')).json<{ Name: string; AddedDate: string }>();
        expect(latest.AddedDate).toBe(
          all
            .map((b) => b.AddedDate)
            .sort()
            .at(-1),
        );
        const classes = (await get('/api/v3/dataclasses')).json<string[]>();
        expect(classes).toEqual(expect.arrayContaining(['Email addresses', 'Social security numbers', 'IBANs'.replace('IBANs', 'Bank account numbers')]));
        expect([...classes].sort()).toEqual(classes);
      });

      it('answers pasteaccount with 404 (no pastes), and describes the calling key', async () => {
        asked.add(shared.email);
        expect((await get(`/api/v3/pasteaccount/${encodeURIComponent(shared.email)}`)).statusCode).toBe(404);
        expect((await get(`/api/v3/pasteaccount/${encodeURIComponent(shared.email)}`, { 'hibp-api-key': '' })).statusCode).toBe(401);
        const s = await get('/api/v3/subscription/status');
        expect(s.json()).toMatchObject({ SubscriptionName: 'tests', Rpm: 100_000, IncludesStealerLogs: false });
        expect(Date.parse(s.json<{ SubscribedUntil: string }>().SubscribedUntil)).toBeGreaterThan(Date.now());
      });
    });

    describe('Vigie v1', () => {
      it('looks up an email: each leak with the classes exposed for it and the guidance', async () => {
        const r = await lookup(shared.email.toUpperCase());
        expect(r.statusCode).toBe(200);
        const body = r.json<{
          kind: string;
          found: boolean;
          breaches: { Name: string; ExposedDataClasses: string[]; Guidance: { dataClass: string }[] }[];
          guidance: { dataClass: string; actions: string[] }[];
        }>();
        expect(body.kind).toBe('email');
        expect(body.found).toBe(true);
        expect(body.breaches.map((b) => b.Name)).toEqual(['AgenceTitres', 'ForumDemo']);
        for (const b of body.breaches) {
          expect(b.ExposedDataClasses).toEqual(expect.arrayContaining(['Email addresses', 'Phone numbers', 'Names']));
          expect(b.Guidance.map((g) => g.dataClass).sort()).toEqual([...b.ExposedDataClasses].sort());
        }
        expect(body.guidance.length).toBeGreaterThan(0);
        for (const g of body.guidance) expect(g.actions.length).toBeGreaterThan(0);
      });

      it('looks up a phone in its national writing, in English on request; a miss is found: false', async () => {
        const r = await lookup(shared.phoneWritten, {}, 'en');
        expect(r.json<{ kind: string; found: boolean }>()).toMatchObject({ kind: 'phone', found: true });
        const fr = (await lookup(shared.phoneWritten)).json<{ guidance: { label: string }[] }>();
        const en = r.json<{ guidance: { label: string }[] }>();
        expect(en.guidance[0]!.label).not.toBe(fr.guidance[0]!.label);
        expect((await lookup('+33 6 00 00 00 00')).json()).toMatchObject({ found: false, breaches: [] });
      });

      it('refuses quasi-identifiers, unknown fields and a wrong content type', async () => {
        const nir = await lookup(shared.nir);
        expect(nir.statusCode).toBe(400);
        expect(errorOf(nir).code).toBe('VIGIE_NOT_SEARCHABLE');
        const extra = await app.inject({
          method: 'POST',
          url: '/api/v1/lookup',
          headers: { 'content-type': 'application/json' },
          payload: { account: 'a@b.fr', nir: shared.nir },
        });
        expect(extra.statusCode).toBe(400);
        expect(extra.body).not.toContain(shared.nir);
        const text = await app.inject({ method: 'POST', url: '/api/v1/lookup', headers: { 'content-type': 'text/plain' }, payload: shared.email });
        expect(text.statusCode).toBe(415);
        errorOf(text);
        const broken = await app.inject({
          method: 'POST',
          url: '/api/v1/lookup',
          headers: { 'content-type': 'application/json' },
          payload: `{"account": "${shared.email}"`,
        });
        expect(broken.statusCode).toBe(400);
        expect(broken.body).not.toContain(shared.email);
      });

      it('lists the catalogue with per-class counts, and one leak', async () => {
        const list = (await app.inject({ method: 'GET', url: '/api/v1/breaches' })).json<
          { Name: string; Stats: { records: number; dataClasses: Record<string, number> } }[]
        >();
        const agence = list.find((b) => b.Name === 'AgenceTitres')!;
        expect(agence.Stats.records).toBe(300);
        expect(agence.Stats.dataClasses['Email addresses']).toBe(300);
        const one = await app.inject({ method: 'GET', url: '/api/v1/breaches/ForumDemo' });
        expect(one.json<{ Stats: { records: number } }>().Stats.records).toBe(120);
        expect((await app.inject({ method: 'GET', url: '/api/v1/guidance?lang=en' })).json<unknown[]>().length).toBeGreaterThanOrEqual(20);
        expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({ status: 'ok', engine: world.store.engine, breaches: 3 });
      });

      it('counts the address a trusted reverse proxy gives, and only then', async () => {
        const behind = await buildApp({ store: world.store, key: world.key, log, settings: { ipRpm: 1, trustProxy: '127.0.0.1' } });
        const post = (forwarded: string, remoteAddress = '127.0.0.1') =>
          behind.inject({
            method: 'POST',
            url: '/api/v1/lookup',
            remoteAddress,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
            payload: { account: agenceOnly.email },
          });
        expect([(await post('198.51.100.1')).statusCode, (await post('198.51.100.2')).statusCode, (await post('198.51.100.1')).statusCode]).toEqual([
          200, 200, 429,
        ]);
        // From an untrusted peer the header is ignored: the peer's own address is counted.
        expect([(await post('198.51.100.3', '203.0.113.9')).statusCode, (await post('198.51.100.4', '203.0.113.9')).statusCode]).toEqual([200, 429]);
        await behind.close();
      });

      it('limits lookups without a key per client address', async () => {
        const strict = await buildApp({ store: world.store, key: world.key, log, settings: { ipRpm: 2 } });
        const post = (remoteAddress: string) =>
          strict.inject({
            method: 'POST',
            url: '/api/v1/lookup',
            remoteAddress,
            headers: { 'content-type': 'application/json' },
            payload: { account: agenceOnly.email },
          });
        expect([(await post('192.0.2.1')).statusCode, (await post('192.0.2.1')).statusCode, (await post('192.0.2.1')).statusCode]).toEqual([200, 200, 429]);
        expect(Number((await post('192.0.2.1')).headers['retry-after'])).toBeGreaterThan(0);
        expect((await post('192.0.2.2')).statusCode).toBe(200);
        // With a key, the key's rate applies instead.
        const keyed = await strict.inject({
          method: 'POST',
          url: '/api/v1/lookup',
          remoteAddress: '192.0.2.1',
          headers: { 'content-type': 'application/json', 'hibp-api-key': apiKey },
          payload: { account: agenceOnly.email },
        });
        expect(keyed.statusCode).toBe(200);
        await strict.close();
      });
    });

    describe('every answer', () => {
      it('carries no-store, no-referrer, nosniff and a strict CSP', async () => {
        for (const r of [await account(shared.email), await lookup(agenceOnly.email), await get('/api/v3/breaches'), await get('/nowhere')]) {
          expect(r.headers['cache-control']).toBe('no-store');
          expect(r.headers['referrer-policy']).toBe('no-referrer');
          expect(r.headers['x-content-type-options']).toBe('nosniff');
          const csp = String(r.headers['content-security-policy']);
          expect(csp).toContain("default-src 'none'");
          expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
        }
      });

      it('answers bad requests of every kind with a small JSON error', async () => {
        const cases: [string, () => Promise<LightMyRequestResponse>, number][] = [
          ['empty account', () => get('/api/v3/breachedaccount/'), 404],
          ['blank account', () => get('/api/v3/breachedaccount/%20%20'), 400],
          ['10 kB account', () => get(`/api/v3/breachedaccount/${'a'.repeat(10_000)}%40example.fr`), 400],
          ['invalid UTF-8', () => get('/api/v3/breachedaccount/%ff%fe%40example.fr'), 400],
          ['NUL in the path', () => get('/api/v3/breachedaccount/jean%00%40example.fr'), 400],
          ['bad percent-encoding', () => get('/api/v3/breachedaccount/%zz'), 400],
          ['unknown route', () => get('/api/v3/nothing-here'), 404],
          ['wrong method', () => app.inject({ method: 'DELETE', url: '/api/v3/breaches', headers: { 'user-agent': UA } }), 405],
          ['GET on a POST route', () => app.inject({ method: 'GET', url: '/api/v1/lookup' }), 405],
          [
            'body on a GET',
            () => app.inject({ method: 'GET', url: '/api/v3/breaches', headers: { 'user-agent': UA, 'content-type': 'application/json' }, payload: '{"a":1}' }),
            400,
          ],
          [
            'huge body',
            () =>
              app.inject({
                method: 'POST',
                url: '/api/v1/lookup',
                headers: { 'content-type': 'application/json' },
                payload: JSON.stringify({ account: 'x'.repeat(100_000) }),
              }),
            413,
          ],
          ['empty body', () => app.inject({ method: 'POST', url: '/api/v1/lookup', headers: { 'content-type': 'application/json' }, payload: '' }), 400],
          ['bad boolean', () => account(shared.email, '?truncateResponse=perhaps'), 400],
        ];
        for (const [what, send, status] of cases) {
          const r = await send();
          expect({ what, status: r.statusCode }).toEqual({ what, status });
          errorOf(r);
        }
        const wrong = await app.inject({ method: 'PUT', url: '/api/v1/lookup' });
        expect(wrong.headers.allow).toBe('POST');
      });

      it('logs the route pattern and the status, never a looked-up value', async () => {
        await new Promise((r) => setTimeout(r, 50));
        const lines = log.lines();
        expect(lines.length).toBeGreaterThan(20);
        const lookups = lines.filter((l) => l['route'] === '/api/v3/breachedaccount/:account');
        expect(lookups.length).toBeGreaterThan(5);
        expect(new Set(lookups.map((l) => l['status']))).toEqual(new Set([200, 400, 401, 403, 404, 429]));
        for (const v of asked) {
          for (const form of [v, encodeURIComponent(v), v.trim().toLowerCase()]) expect(log.text.includes(form), `log holds a looked-up value`).toBe(false);
        }
      });
    });
  });
}

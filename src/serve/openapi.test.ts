/**
 * The OpenAPI document at /api/openapi.json is generated from the route schemas the server
 * validates and serialises with: every route the server answers is in it, and the answers of
 * each route, success and error, match the schema the document gives for their status.
 */
import { randomBytes } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Subscriptions, subscriptionsFrom } from '../alerts/index.js';
import { loadConfig } from '../config.js';
import { deriveAliasKey, sealAlias } from '../pseudonymise/index.js';
import { buildApp } from './app.js';
import { createApiKey } from './apikeys.js';
import { LogCapture } from './test-helpers/api-suite.js';
import { makeServeWorld, type ServeWorld } from './test-helpers/world.js';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

let world: ServeWorld;
let app: FastifyInstance;
let doc: OpenApiDoc;
let key: string;
let subs: Subscriptions;
const routes: { method: string; url: string; hidden: boolean }[] = [];

beforeAll(async () => {
  world = await makeServeWorld(undefined, { label: 'openapi' });
  key = (await createApiKey(world.store, 'openapi', 10_000)).key;
  subs = subscriptionsFrom(
    loadConfig({ VIGIE_PUBLIC_URL: 'https://vigie.example.fr', VIGIE_SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms' }).alerts,
    world.store,
    world.key,
  )!;
  app = await buildApp({ store: world.store, key: world.key, subscriptions: subs, log: new LogCapture(), onRoute: (r) => routes.push(r) });
  const r = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(r.statusCode).toBe(200);
  doc = r.json<OpenApiDoc>();
});
afterAll(async () => {
  await app?.close();
  await world?.close();
});

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('is OpenAPI 3 and lists every route the server answers (the page excepted)', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const api = routes.filter((r) => !r.hidden && r.method !== 'HEAD');
    expect(api.length).toBeGreaterThanOrEqual(12);
    for (const r of api) {
      expect(doc.paths[toOpenApiPath(r.url)]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
      expect(r.url.startsWith('/api/v3/') || r.url.startsWith('/api/v1/')).toBe(true);
    }
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(listed.sort()).toEqual(api.map((r) => `${r.method} ${toOpenApiPath(r.url)}`).sort());
    // The page's routes are real but not part of the API.
    expect(routes.some((r) => r.hidden && r.url === '/')).toBe(true);
  });

  it('matches every answer of every route, by status', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // Component schemas are referenced as #/components/schemas/NAME.
    const root = { components: doc.components };
    ajv.addSchema(root, 'doc');
    const validator = (path: string, method: string, status: number): ValidateFunction => {
      const response = doc.paths[path]?.[method]?.responses[String(status)];
      expect(response, `${method} ${path} documents ${status}`).toBeDefined();
      const schema = response!.content?.['application/json']?.schema;
      expect(schema, `${method} ${path} ${status} has a JSON schema`).toBeDefined();
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as object;
      return ajv.compile(rewritten);
    };
    const person = world.people.get('AgenceTitres')![0]!;
    await subs.request(person.email, 'fr');
    const pseudonym = subs.pseudonymOf(person.email);
    const confirmToken = new URL(subs.links.confirm(pseudonym, 'fr', '2099-01-01T00:00:00Z')).searchParams.get('token')!;
    const unsubscribeToken = subs.links.unsubscribeToken(pseudonym);
    const h = { 'user-agent': 'openapi-test', 'hibp-api-key': key };
    // An organisation with a verified domain holding one sealed alias, and an operator key.
    const op = { 'hibp-api-key': (await createApiKey(world.store, 'openapi-ops', 10_000, true)).key };
    await world.store.ensureOrganisation('openapi', randomBytes(16));
    await world.store.addDomain({ keyName: 'openapi', domain: 'verifie.example.fr', token: 't' });
    await world.store.verifyDomain('openapi', 'verifie.example.fr', 'dns');
    await world.store.addDomain({ keyName: 'openapi', domain: 'vide.example.fr', token: 'u' });
    await world.store.verifyDomain('openapi', 'vide.example.fr', 'dns');
    const aliasP = randomBytes(16);
    const load = await world.store.beginLoad({ breach: { Name: 'OpenapiOrg' }, append: false, fileDigests: ['0'.repeat(64)] });
    await load.write(aliasP, Uint32Array.of(1));
    load.writeAliases([{ domain: 'verifie.example.fr', pseudonym: aliasP, sealed: sealAlias(deriveAliasKey(world.key), 'verifie.example.fr', aliasP, 'dpo') }]);
    await load.commit({ records: 1, skipped: 0, people: 1, classCounts: {}, invalidCounts: {}, formats: ['csv'] });
    const cases: [string, string, InjectOptions & { url: string }][] = [
      ['/api/v3/breachedaccount/{account}', 'get', { url: `/api/v3/breachedaccount/${encodeURIComponent(person.email)}`, headers: h }],
      ['/api/v3/breachedaccount/{account}', 'get', { url: `/api/v3/breachedaccount/${encodeURIComponent(person.email)}?truncateResponse=false`, headers: h }],
      ['/api/v3/breachedaccount/{account}', 'get', { url: '/api/v3/breachedaccount/inconnu%40exemple.fr', headers: h }],
      ['/api/v3/breachedaccount/{account}', 'get', { url: `/api/v3/breachedaccount/${person.nir}`, headers: h }],
      ['/api/v3/breachedaccount/{account}', 'get', { url: '/api/v3/breachedaccount/a%40b.fr', headers: { 'user-agent': 'x' } }],
      ['/api/v3/breachedaccount/{account}', 'get', { url: '/api/v3/breachedaccount/a%40b.fr' }],
      ['/api/v3/pasteaccount/{account}', 'get', { url: '/api/v3/pasteaccount/a%40b.fr', headers: h }],
      ['/api/v3/breaches', 'get', { url: '/api/v3/breaches', headers: h }],
      ['/api/v3/breach/{name}', 'get', { url: '/api/v3/breach/ForumDemo', headers: h }],
      ['/api/v3/breach/{name}', 'get', { url: '/api/v3/breach/Inconnue', headers: h }],
      ['/api/v3/latestbreach', 'get', { url: '/api/v3/latestbreach', headers: h }],
      ['/api/v3/dataclasses', 'get', { url: '/api/v3/dataclasses', headers: h }],
      ['/api/v3/subscription/status', 'get', { url: '/api/v3/subscription/status', headers: h }],
      ['/api/v1/lookup', 'post', { method: 'POST', url: '/api/v1/lookup', payload: { account: person.phoneWritten } }],
      ['/api/v1/lookup', 'post', { method: 'POST', url: '/api/v1/lookup', payload: { account: 'inconnu@exemple.fr', lang: 'en' } }],
      ['/api/v1/lookup', 'post', { method: 'POST', url: '/api/v1/lookup', payload: { account: person.nir } }],
      ['/api/v1/breaches', 'get', { url: '/api/v1/breaches' }],
      ['/api/v1/breaches/{name}', 'get', { url: '/api/v1/breaches/AgenceTitres' }],
      ['/api/v1/breaches/{name}', 'get', { url: '/api/v1/breaches/Inconnue' }],
      ['/api/v1/guidance', 'get', { url: '/api/v1/guidance?lang=en' }],
      ['/api/v1/health', 'get', { url: '/api/v1/health' }],
      ['/api/v1/subscriptions', 'post', { method: 'POST', url: '/api/v1/subscriptions', payload: { email: 'nouvelle@exemple.fr', lang: 'en' } }],
      ['/api/v1/subscriptions', 'post', { method: 'POST', url: '/api/v1/subscriptions', payload: { email: 'pas-une-adresse' } }],
      ['/api/v1/subscriptions', 'post', { method: 'POST', url: '/api/v1/subscriptions', payload: 'email=a', headers: { 'content-type': 'text/plain' } }],
      ['/api/v1/subscriptions', 'post', { method: 'POST', url: '/api/v1/subscriptions', payload: { phone: '06 12 34 56 78', lang: 'fr' } }],
      [
        '/api/v1/subscriptions/confirm-phone',
        'post',
        { method: 'POST', url: '/api/v1/subscriptions/confirm-phone', payload: { phone: '06 12 34 56 78', code: '000000' } },
      ],
      ['/api/v1/subscriptions/confirm-phone', 'post', { method: 'POST', url: '/api/v1/subscriptions/confirm-phone', payload: { phone: '12', code: '1' } }],
      ['/api/v1/subscriptions/confirm', 'post', { method: 'POST', url: '/api/v1/subscriptions/confirm', payload: { token: confirmToken } }],
      ['/api/v1/subscriptions/confirm', 'post', { method: 'POST', url: '/api/v1/subscriptions/confirm', payload: { token: 'x.y' } }],
      ['/api/v1/subscriptions/unsubscribe', 'post', { method: 'POST', url: '/api/v1/subscriptions/unsubscribe', payload: { token: unsubscribeToken } }],
      [
        '/api/v1/subscriptions/unsubscribe',
        'post',
        {
          method: 'POST',
          url: `/api/v1/subscriptions/unsubscribe?token=${unsubscribeToken}`,
          payload: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      ['/api/v1/subscriptions/unsubscribe', 'post', { method: 'POST', url: '/api/v1/subscriptions/unsubscribe', payload: {} }],
    ];
    cases.push(
      ['/api/v1/domains', 'post', { method: 'POST', url: '/api/v1/domains', headers: h, payload: { domain: 'nouveau.example.fr' } }],
      ['/api/v1/domains', 'post', { method: 'POST', url: '/api/v1/domains', headers: h, payload: { domain: 'nouveau.example.fr' } }],
      ['/api/v1/domains', 'post', { method: 'POST', url: '/api/v1/domains', headers: h, payload: { domain: 'pas un domaine' } }],
      ['/api/v1/domains', 'post', { method: 'POST', url: '/api/v1/domains', payload: { domain: 'x.fr' } }],
      ['/api/v1/domains', 'get', { url: '/api/v1/domains', headers: h }],
      [
        '/api/v1/domains/verify',
        'post',
        { method: 'POST', url: '/api/v1/domains/verify', headers: h, payload: { domain: 'absent.example.fr', method: 'dns' } },
      ],
      [
        '/api/v1/domains/verify',
        'post',
        { method: 'POST', url: '/api/v1/domains/verify', headers: h, payload: { domain: 'nouveau.example.fr', method: 'email' } },
      ],
      [
        '/api/v1/domains/verify',
        'post',
        { method: 'POST', url: '/api/v1/domains/verify', headers: h, payload: { domain: 'verifie.example.fr', method: 'dns' } },
      ],
      ['/api/v1/domains/confirm', 'post', { method: 'POST', url: '/api/v1/domains/confirm', payload: { token: 'x.y' } }],
      [
        '/api/v1/organisation',
        'put',
        { method: 'PUT', url: '/api/v1/organisation', headers: h, payload: { email: 'dpo@verifie.example.fr', webhookUrl: 'https://hooks.example.fr/v' } },
      ],
      ['/api/v1/organisation', 'put', { method: 'PUT', url: '/api/v1/organisation', headers: h, payload: { email: 'pas-une-adresse' } }],
      ['/api/v1/domains/{domain}', 'delete', { method: 'DELETE', url: '/api/v1/domains/nouveau.example.fr', headers: h }],
      ['/api/v1/domains/{domain}', 'delete', { method: 'DELETE', url: '/api/v1/domains/nouveau.example.fr', headers: h }],
      ['/api/v3/breacheddomain/{domain}', 'get', { url: '/api/v3/breacheddomain/verifie.example.fr', headers: h }],
      ['/api/v3/breacheddomain/{domain}', 'get', { url: '/api/v3/breacheddomain/vide.example.fr', headers: h }],
      ['/api/v3/breacheddomain/{domain}', 'get', { url: '/api/v3/breacheddomain/autre.example.fr', headers: h }],
      ['/api/v3/breacheddomain/{domain}', 'get', { url: '/api/v3/breacheddomain/autre.example.fr', headers: { 'user-agent': 'x' } }],
      ['/api/v3/subscribeddomains', 'get', { url: '/api/v3/subscribeddomains', headers: h }],
      ['/api/v3/subscribeddomains', 'get', { url: '/api/v3/subscribeddomains', headers: { 'user-agent': 'x' } }],
      ['/api/v1/alerts/status', 'get', { url: '/api/v1/alerts/status', headers: op }],
      ['/api/v1/alerts/status', 'get', { url: '/api/v1/alerts/status', headers: h }],
      ['/api/v1/alerts/retry', 'post', { method: 'POST', url: '/api/v1/alerts/retry', headers: op }],
      ['/api/v1/alerts/purge', 'post', { method: 'POST', url: '/api/v1/alerts/purge', headers: op, payload: { olderThanDays: 3650 } }],
      ['/api/v1/alerts/purge', 'post', { method: 'POST', url: '/api/v1/alerts/purge', headers: h, payload: {} }],
    );
    const covered = new Set<string>();
    for (const [path, method, request] of cases) {
      const r = await app.inject(request);
      const validate = validator(path, method, r.statusCode);
      expect(validate(r.json()), `${method} ${request.url} → ${r.statusCode}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      covered.add(`${method} ${path}`);
    }
    // Every documented operation was exercised.
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect([...covered].sort()).toEqual(documented.sort());
  });
});

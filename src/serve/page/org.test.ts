/**
 * The organisation view in-process (`app.inject`) against leaks published by the real CLI: no
 * page without a session, a refused key, a key exchanged for an HttpOnly SameSite=Strict cookie
 * (never the key itself), the leaks with their measured counts, a leak's CNIL draft with its
 * chart and no inline style or script, a forged or expired cookie, a revoked key, the logout.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createApiKey } from '../apikeys.js';
import { CONTENT_SECURITY_POLICY } from '../security.js';
import { makeServeWorld, type ServeWorld } from '../test-helpers/world.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let world: ServeWorld;
let app: FastifyInstance;
let key: string;
let clock = Date.parse('2026-12-02T09:00:00Z');

const text = (body: string) =>
  body
    .replace(/<[^>]+>/g, ' ')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();

function login(k: string, url = '/organisation/connexion') {
  return app.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams({ key: k }).toString() });
}

/** The cookie pair (`vigie_org=…`) of a Set-Cookie header. */
function cookieOf(setCookie: string | string[] | undefined): string {
  const v = [setCookie ?? ''].flat()[0] ?? '';
  return v.split(';')[0] ?? '';
}

beforeAll(async () => {
  world = await makeServeWorld(undefined, { label: 'org-view' });
  app = await buildApp({
    store: world.store,
    key: world.key,
    log: { write: () => true },
    settings: { ipRpm: 1_000, refreshMs: 50 },
    now: () => new Date(clock),
  });
  ({ key } = await createApiKey(world.store, 'dpo-team', 1000));
});

afterAll(async () => {
  await app?.close();
  await world?.close();
});

describe('the organisation view', () => {
  it('shows the login form, not the leaks, without a session, in French and in English', async () => {
    const r = await app.inject({ method: 'GET', url: '/organisation' });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.body).toMatch(/<html lang="fr">/);
    expect(r.body).toContain('<form method="post" action="/organisation/connexion"');
    expect(r.body).toMatch(/<input id="key" name="key" type="password"/);
    expect(r.body).not.toContain('AgenceTitres');
    const draft = await app.inject({ method: 'GET', url: '/organisation/fuites/AgenceTitres' });
    expect(draft.statusCode).toBe(401);
    expect(draft.body).not.toContain('Agence des titres');
    const en = await app.inject({ method: 'GET', url: '/en/organisation' });
    expect(en.statusCode).toBe(401);
    expect(text(en.body)).toContain('enter an API key');
    expect(en.body).toContain('action="/en/organisation/login"');
  });

  it('refuses an unknown key without echoing it, and sets no cookie', async () => {
    const wrong = 'f'.repeat(32);
    const r = await login(wrong);
    expect(r.statusCode).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(text(r.body)).toContain('Cette clé n’est pas reconnue');
    expect(r.body).not.toContain(wrong);
    expect(r.body).toMatch(/aria-invalid="true"/);
    expect((await app.inject({ method: 'POST', url: '/organisation/connexion', headers: FORM, payload: '' })).statusCode).toBe(401);
  });

  it('exchanges a valid key for a session cookie, then lists the leaks with their counts and links to each draft', async () => {
    const r = await login(key);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/organisation');
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(/^vigie_org=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    expect(set).not.toContain(key);
    const cookie = cookieOf(r.headers['set-cookie']);
    const list = await app.inject({ method: 'GET', url: '/organisation', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const t = text(list.body);
    expect(t).toContain('Connecté avec la clé « dpo-team »');
    const entry = await world.store.getBreach('AgenceTitres');
    const n = (x: number) => x.toLocaleString('fr-FR').replace(/\s/g, ' ');
    expect(t).toContain(
      `Agence des titres (démo) AgenceTitres Personnes ${n(entry!.breach.PwnCount)} Enregistrements ${n(entry!.stats.records)} Identifiants distincts ${n(entry!.stats.identifiers)}`,
    );
    // The sensitive leak is listed too: the view is the operator's, not the public's.
    expect(t).toContain('Mutuelle de démonstration');
    expect(list.body).toContain('href="/organisation/fuites/AgenceTitres"');
    expect(list.body).not.toMatch(/<script|<style|\sstyle=/i);
  });

  it('shows a leak’s CNIL draft with its per-class chart and the fields still to complete, in either language', async () => {
    const cookie = cookieOf((await login(key)).headers['set-cookie']);
    const r = await app.inject({ method: 'GET', url: '/organisation/fuites/AgenceTitres', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/<h1>[^<]*notification[^<]*<\/h1>/i);
    expect(r.body).toMatch(/<svg [^>]*class="chart"[^>]*role="img"/);
    expect(r.body).toContain('class="missing"');
    expect(r.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(text(r.body)).toContain('Agence des titres (démo)');
    const en = await app.inject({ method: 'GET', url: '/en/organisation/breaches/AgenceTitres', headers: { cookie } });
    expect(en.statusCode).toBe(200);
    expect(en.body).toMatch(/<html lang="en">/);
    expect(en.body).toMatch(/<svg [^>]*class="chart"/);
    const none = await app.inject({ method: 'GET', url: '/organisation/fuites/Inconnue', headers: { cookie } });
    expect(none.statusCode).toBe(404);
    expect(text(none.body)).toContain('Aucune fuite ne porte ce nom');
    expect((await app.inject({ method: 'GET', url: '/organisation/fuites/bad%20name!', headers: { cookie } })).statusCode).toBe(404);
  });

  it('refuses a forged, tampered or expired cookie, and the cookie of a revoked key', async () => {
    const cookie = cookieOf((await login(key)).headers['set-cookie']);
    const [body, sig] = cookie.slice('vigie_org='.length).split('.');
    const other = Buffer.from(body!, 'base64url');
    other[other.length - 1]! ^= 1;
    for (const bad of [`vigie_org=${other.toString('base64url')}.${sig}`, `vigie_org=${body}.${'A'.repeat(43)}`, 'vigie_org=x', 'vigie_org=']) {
      expect((await app.inject({ method: 'GET', url: '/organisation', headers: { cookie: bad } })).statusCode).toBe(401);
    }
    const saved = clock;
    clock += 8 * 3600_000 + 1000;
    expect((await app.inject({ method: 'GET', url: '/organisation', headers: { cookie } })).statusCode).toBe(401);
    clock = saved;
    const { key: temporary } = await createApiKey(world.store, 'temporary', 1000);
    // The app's copy of the key table is read again every `refreshMs` (50 ms here).
    await new Promise((r) => setTimeout(r, 80));
    const session = cookieOf((await login(temporary)).headers['set-cookie']);
    expect((await app.inject({ method: 'GET', url: '/organisation', headers: { cookie: session } })).statusCode).toBe(200);
    await world.store.revokeApiKey('temporary');
    await new Promise((r) => setTimeout(r, 80));
    expect((await app.inject({ method: 'GET', url: '/organisation', headers: { cookie: session } })).statusCode).toBe(401);
  });

  it('logs out: the cookie is cleared', async () => {
    const r = await app.inject({ method: 'POST', url: '/organisation/deconnexion' });
    expect(r.statusCode).toBe(303);
    expect(String(r.headers['set-cookie'])).toMatch(/^vigie_org=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
  });
});

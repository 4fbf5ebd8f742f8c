/**
 * The web page against the real app (`buildApp`) and leaks published by the real CLI, in-process
 * with `app.inject()`: the form, hits and misses, refusals, the rate limit, the catalogue, and
 * that no looked-up value reaches a page or a log line.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classShort } from '../../guidance/index.js';
import { CatalogueCache } from '../catalogue.js';
import { LookupService } from '../lookup.js';
import { CONTENT_SECURITY_POLICY } from '../security.js';
import { buildApp } from '../app.js';
import { makeServeWorld, type ServeWorld, type TestPerson } from '../test-helpers/world.js';

class Lines extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let world: ServeWorld;
let app: FastifyInstance;
const log = new Lines();
/** Every value looked up by these tests: none may appear in a page or in the log. */
const looked: string[] = [];

function check(url: string, account: string, target: FastifyInstance = app): Promise<LightMyRequestResponse> {
  looked.push(account);
  return target.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams({ account }).toString() });
}

/** The text of the page without its markup, spaces normalised (no-break ones included). */
function text(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();
}

/** The page must never show a value that was looked up, in any writing. */
function expectNoValue(body: string, ...values: string[]): void {
  const lower = body.toLowerCase();
  for (const v of values) {
    for (const form of [v, encodeURIComponent(v), v.replace(/\s+/g, '')]) {
      if (form.length < 4) continue;
      expect(lower, 'the page repeats a looked-up value').not.toContain(form.toLowerCase());
    }
  }
  expect(body).not.toMatch(/<input[^>]*\svalue=/);
}

/** What the CSP forbids must not be in the markup: inline scripts and styles. */
function expectCspClean(body: string): void {
  expect(body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
  expect(body).not.toMatch(/(?:src|href)="(?:https?:)?\/\/(?!www\.|ants\.gouv\.fr)/);
}

function person(leak: string, pick: (people: TestPerson[]) => TestPerson | undefined): TestPerson {
  const found = pick(world.people.get(leak) ?? []);
  if (!found) throw new Error(`no test person in ${leak}`);
  return found;
}

const inLeak = (leak: string, p: TestPerson) => (world.people.get(leak) ?? []).some((q) => q.email === p.email);

beforeAll(async () => {
  world = await makeServeWorld();
  app = await buildApp({ store: world.store, key: world.key, log, settings: { ipRpm: 1_000 } });
});

afterAll(async () => {
  await app?.close();
  await world?.close();
});

describe('the form', () => {
  it('GET / is the French form: one labelled field, its hint, the switch to English, the catalogue, the privacy note', async () => {
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(r.body).toContain('<form method="post" action="/verifier"');
    expect(r.body).toContain('<label for="account">Adresse e-mail ou numéro de téléphone</label>');
    expect(r.body).toMatch(/<input id="account" name="account" type="text"[^>]* aria-describedby="account-hint"/);
    expect(r.body.match(/<input /g)).toHaveLength(1);
    const t = text(r.body);
    expect(t).toContain('Un numéro de sécurité sociale, un nom ou une adresse postale ne peuvent pas l’être');
    expect(t).toContain('Ce que Vigie garde');
    expect(t).toContain('ni enregistré, ni écrit dans les journaux');
    expect(r.body).toContain('<a href="/en" lang="en" hreflang="en">English</a>');
    expect(r.body).toContain('href="/fuites"');
    expect(r.body).toContain('<a class="skip-link" href="#main">');
    expect(r.body).toMatch(/<header[\s\S]*<main id="main"[\s\S]*<footer/);
    expect(r.body).toContain('<title>Vos données sont-elles dans une fuite');
    expectCspClean(r.body);
  });

  it('GET /en is the English form, posting to /en/check, with the switch back to French', async () => {
    const r = await app.inject({ method: 'GET', url: '/en' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<html lang="en">');
    expect(r.body).toContain('action="/en/check"');
    expect(r.body).toContain('<label for="account">Email address or phone number</label>');
    expect(text(r.body)).toContain('A social security number, a name or a postal address cannot');
    expect(r.body).toContain('<a href="/" lang="fr" hreflang="fr">Français</a>');
  });

  it('stays out of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const p of ['/', '/en', '/verifier', '/en/check', '/fuites', '/en/breaches', '/assets/vigie.css']) expect(doc.paths).not.toHaveProperty(p);
  });
});

describe('a check', () => {
  it('shows a hit in French: each leak, newest first, its date, the classes exposed, the guidance and the general advice', async () => {
    const p = person('AgenceTitres', (ps) => ps.find((q) => inLeak('ForumDemo', q)));
    const r = await check('/verifier', p.email);
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    expect(t).toContain('L’adresse e-mail saisie apparaît dans 2 fuites');
    const agence = t.indexOf('Agence des titres (démo)');
    const forum = t.indexOf('Forum de démonstration');
    expect(agence).toBeGreaterThan(0);
    expect(forum).toBeGreaterThan(agence);
    expect(t).toContain('15 avril 2025');
    expect(t).toContain('1er juin 2021');
    for (const c of ['Adresse e-mail', 'Numéro de téléphone', 'Numéro de sécurité sociale (NIR)', 'Date de naissance']) expect(t).toContain(c);
    // Guidance for the exposed classes, most dangerous first, then the general advice.
    const nir = t.indexOf('Votre numéro de sécurité sociale (NIR)');
    const email = t.indexOf('Votre adresse e-mail');
    expect(nir).toBeGreaterThan(0);
    expect(email).toBeGreaterThan(nir);
    expect(t).toContain('SIM swapping');
    expect(r.body).toContain('href="https://www.cnil.fr/fr/plaintes"');
    expect(t.indexOf('Ce que toute personne touchée par une fuite devrait faire')).toBeGreaterThan(email);
    expect(t).not.toContain('Mot de passe');
    expectNoValue(r.body, p.email, p.nir, p.lastName);
    expectCspClean(r.body);
  });

  it("lists, in each leak's card, the classes the lookup found for this person", async () => {
    const p = person('AgenceTitres', (ps) => ps.at(-1));
    const expected = await new LookupService(world.store, world.key, new CatalogueCache(world.store, 0)).lookup(p.email);
    expect(expected.hits.length).toBeGreaterThan(0);
    const r = await check('/verifier', p.email);
    const cards = r.body.match(/<article class="card leak">[\s\S]*?<\/article>/g) ?? [];
    expect(cards).toHaveLength(expected.hits.length);
    cards.forEach((card, i) => {
      const hit = expected.hits[i];
      expect(card).toContain(`<h3>${hit?.breach.Title}</h3>`);
      const tags = [...card.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]);
      expect(tags.sort()).toEqual((hit?.exposed ?? []).map((c) => classShort(c, 'fr')).sort());
    });
  });

  it('finds a phone written nationally, and answers in English under /en/check', async () => {
    const p = person('AgenceTitres', (ps) => ps.find((q) => q.phone.startsWith('+33') && !inLeak('ForumDemo', q)));
    const national = `0${p.phone.slice(3)}`.replace(/(\d{2})(?=\d)/g, '$1 ');
    const r = await check('/en/check', national);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<html lang="en">');
    const t = text(r.body);
    expect(t).toContain('The number you entered is in 1 leak');
    expect(t).toContain('15 April 2025');
    expect(t).toContain('Your phone number');
    expect(t).toContain('SIM swap');
    expect(t).toContain('What anybody affected by a leak should do');
    expectNoValue(r.body, national, p.phone, p.phone.slice(3), p.email);
  });

  it('never shows a sensitive leak to a public check', async () => {
    const p = person('MutuelleDemo', (ps) => ps[0]);
    const r = await check('/verifier', p.email);
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain('Mutuelle de démonstration');
  });

  it('says so when the value is in no leak, with the caveat and the general advice', async () => {
    const r = await check('/verifier', 'personne.absente@exemple.invalid');
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    expect(t).toContain('L’adresse e-mail saisie n’apparaît dans aucune fuite connue de Vigie');
    expect(t).toContain('Cela ne prouve pas qu’elle n’a jamais fuité');
    expect(t).toContain('Ne cliquez jamais sur un lien');
    expect(r.body).toContain('<input id="account" name="account"');
    expectNoValue(r.body, 'personne.absente@exemple.invalid');
    const everyone = [...world.people.values()].flat();
    expect(everyone.some((q) => q.phone === '+33612345678')).toBe(false);
    const en = text((await check('/en/check', '+33 6 12 34 56 78')).body);
    expect(en).toContain('The number you entered is in no leak Vigie knows');
  });

  it('refuses a NIR with 400 and says why, tied to the field', async () => {
    const p = person('AgenceTitres', (ps) => ps[0]);
    const r = await check('/verifier', p.nir);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const t = text(r.body);
    expect(t).toContain('Un numéro de sécurité sociale (NIR) ne peut pas être recherché');
    expect(t).toContain('pour que personne ne puisse se renseigner sur quelqu’un d’autre');
    expect(r.body).toMatch(/<input [^>]*aria-describedby="account-hint account-error" aria-invalid="true">/);
    expect(r.body).toContain('<p id="account-error" class="field-error">');
    expect(r.body).toContain('<title>Erreur');
    expectNoValue(r.body, p.nir);
    const en = await check('/en/check', p.nir);
    expect(en.statusCode).toBe(400);
    expect(text(en.body)).toContain('A social security number (NIR) cannot be looked up');
  });

  it('refuses a name and a malformed value with their own messages', async () => {
    const name = await check('/verifier', 'Camille Martin');
    expect(name.statusCode).toBe(400);
    expect(text(name.body)).toContain('Un nom, une adresse postale ou un identifiant ne peuvent pas être recherchés');
    expectNoValue(name.body, 'Camille Martin');
    const bad = await check('/verifier', 'camille@');
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('ni une adresse e-mail ni un numéro de téléphone valides');
    const empty = await check('/en/check', '   ');
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('neither a valid email address nor a valid phone number');
  });

  it('answers a malformed form with an HTML page, not JSON: a missing field, an extra one, a body too large', async () => {
    const missing = await app.inject({ method: 'POST', url: '/verifier', headers: FORM, payload: 'other=1' });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body).toContain('aria-invalid="true"');
    const big = await app.inject({ method: 'POST', url: '/en/check', headers: FORM, payload: `account=${'a'.repeat(10_000)}` });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(big.body).toContain('<html lang="en">');
  });

  it('writes no looked-up value into the log, and logs the route pattern of each check', () => {
    expect(looked.length).toBeGreaterThan(5);
    const lower = log.text.toLowerCase();
    for (const v of looked) {
      const trimmed = v.trim();
      if (trimmed.length < 4) continue;
      expect(lower).not.toContain(trimmed.toLowerCase());
      expect(lower).not.toContain(encodeURIComponent(trimmed).toLowerCase());
    }
    expect(log.text).toContain('"route":"/verifier"');
    expect(log.text).toContain('"route":"/en/check"');
  });
});

describe('the rate limit', () => {
  it('answers 429 with retry-after and a page that says when to retry, after ipRpm checks', async () => {
    const limited = await buildApp({ store: world.store, key: world.key, log: new Lines(), settings: { ipRpm: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await check('/verifier', `quelqu.un${i}@exemple.invalid`, limited)).statusCode).toBe(200);
      const r = await check('/verifier', 'encore@exemple.invalid', limited);
      expect(r.statusCode).toBe(429);
      const after = Number(r.headers['retry-after']);
      expect(after).toBeGreaterThan(0);
      expect(after).toBeLessThanOrEqual(60);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(text(r.body)).toContain(`Réessayez dans ${after} seconde`);
      expectNoValue(r.body, 'encore@exemple.invalid');
      const en = await check('/en/check', 'again@example.invalid', limited);
      expect(en.statusCode).toBe(429);
      expect(text(en.body)).toMatch(/Try again in \d+ seconds?\./);
    } finally {
      await limited.close();
    }
  });
});

describe('the catalogue', () => {
  it('GET /fuites lists every leak with its date, people and classes, and draws three accessible charts', async () => {
    const r = await app.inject({ method: 'GET', url: '/fuites' });
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    expect(t).toContain('Les fuites que Vigie connaît');
    for (const title of ['Agence des titres (démo)', 'Forum de démonstration', 'Mutuelle de démonstration']) expect(t).toContain(title);
    expect(t).toContain('3 fuites');
    expect(t).toContain('300 personnes concernées');
    expect(t).toContain('Fuite sensible');
    const svgs = r.body.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="([\w-]+)-title \1-desc"/);
      expect(svg).toMatch(/<title id="[\w-]+-title">[^<]+<\/title><desc id="[\w-]+-desc">[^<]+<\/desc>/);
      expect(svg).not.toMatch(/\sstyle=/);
    }
    expect(t).toContain('Fuites par année');
    expect(t).toContain('Personnes concernées par fuite');
    expect(t).toContain('Données les plus exposées');
    expect(r.body.match(/<table>/g)).toHaveLength(3);
    expect(r.body).toContain('<th scope="row">2024</th><td>0</td>');
    expectCspClean(r.body);
  });

  it('GET /en/breaches is the same catalogue in English', async () => {
    const r = await app.inject({ method: 'GET', url: '/en/breaches' });
    expect(r.statusCode).toBe(200);
    const t = text(r.body);
    expect(r.body).toContain('<html lang="en">');
    expect(t).toContain('Leaks per year');
    expect(t).toContain('15 April 2025');
    expect(t).toContain('300 people affected');
    expect(t).toContain('Social security number (NIR)');
    expect(r.body).toContain('<a href="/fuites" lang="fr" hreflang="fr">Français</a>');
  });

  it('leaves retired leaks out', async () => {
    const other = await makeServeWorld(
      [
        { name: 'Ancienne', title: 'Ancienne fuite', date: '2019-03-01', rows: 20, seed: 5 },
        { name: 'Recente', title: 'Fuite récente', date: '2024-02-01', rows: 20, seed: 6 },
      ],
      { label: 'page-retired' },
    );
    const a = await buildApp({ store: other.store, key: other.key, log: new Lines(), settings: { refreshMs: 0 } });
    try {
      await other.store.retireBreach('Ancienne');
      const t = text((await a.inject({ method: 'GET', url: '/fuites' })).body);
      expect(t).toContain('Fuite récente');
      expect(t).not.toContain('Ancienne fuite');
      expect(t).toContain('1 fuite,');
    } finally {
      await a.close();
      await other.close();
    }
  });
});

describe('assets', () => {
  it('serves the stylesheet and the icon with their types, cacheable', async () => {
    const css = await app.inject({ method: 'GET', url: '/assets/vigie.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    expect(css.body).toContain(':focus-visible');
    const icon = await app.inject({ method: 'GET', url: '/assets/vigie.svg' });
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.body).toMatch(/^<svg /);
  });
});

/**
 * Compatibility with a client written by others for the real service: the `hibp` npm package,
 * pointed at a running Vigie through its `baseUrl` option, for every function that maps onto
 * Vigie's routes, on both store engines.
 */
import { breach, breachedAccount, breaches, dataClasses, latestBreach, pasteAccount, RateLimitError, search, subscriptionStatus } from 'hibp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './apikeys.js';
import { startServer, type RunningServer } from './server.js';
import { LogCapture } from './test-helpers/api-suite.js';
import { createTestDatabase } from './test-helpers/pg.js';
import { makeServeWorld, type ServeWorld } from './test-helpers/world.js';

const engines: [string, () => Promise<{ world: ServeWorld; drop?: () => Promise<void> }>][] = [
  ['SQLite', async () => ({ world: await makeServeWorld(undefined, { label: 'hibp-sqlite' }) })],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase('hibp');
      return { world: await makeServeWorld(undefined, { storeUrl: db.url, label: 'hibp-pg' }), drop: db.drop };
    },
  ],
];

for (const [engine, open] of engines) {
  describe(`the hibp client against vigie serve on ${engine}`, () => {
    let world: ServeWorld;
    let drop: (() => Promise<void>) | undefined;
    let server: RunningServer;
    let options: { apiKey: string; baseUrl: string; timeoutMs: number };

    beforeAll(async () => {
      ({ world, drop } = await open());
      const { key } = await createApiKey(world.store, 'hibp-client', 1000);
      server = await startServer({ store: world.store, key: world.key, log: new LogCapture() }, { host: '127.0.0.1', port: 0 });
      options = { apiKey: key, baseUrl: `${server.url}/api/v3`, timeoutMs: 10_000 };
    });
    afterAll(async () => {
      await server?.stop();
      await world?.close().catch(() => undefined);
      await drop?.();
    });

    it('breachedAccount: names by default, whole breaches untruncated, null when not found', async () => {
      const person = world.people.get('AgenceTitres')![0]!;
      expect(await breachedAccount(person.email, options)).toEqual([{ Name: 'AgenceTitres' }, { Name: 'ForumDemo' }]);
      const full = await breachedAccount(person.phone, { ...options, truncate: false, includeUnverified: false });
      expect(full).toHaveLength(1);
      expect(full![0]).toMatchObject({ Name: 'AgenceTitres', Domain: 'titres.example.fr', IsVerified: true, PwnCount: 300 });
      expect(await breachedAccount(person.email, { ...options, domain: 'forum.example.fr' })).toEqual([{ Name: 'ForumDemo' }]);
      expect(await breachedAccount('personne.inconnue@exemple.fr', options)).toBeNull();
    });

    it('breaches, breach, latestBreach and dataClasses, without a key', async () => {
      const all = await breaches({ baseUrl: options.baseUrl });
      expect(all.map((b) => b.Name)).toEqual(['AgenceTitres', 'ForumDemo', 'MutuelleDemo']);
      expect((await breaches({ baseUrl: options.baseUrl, domain: 'forum.example.fr' })).map((b) => b.Name)).toEqual(['ForumDemo']);
      expect(await breach('ForumDemo', { baseUrl: options.baseUrl })).toMatchObject({ Name: 'ForumDemo', PwnCount: 120, IsVerified: false });
      expect(await breach('Inconnue', { baseUrl: options.baseUrl })).toBeNull();
      const newest = all
        .map((b) => b.AddedDate)
        .sort()
        .at(-1);
      expect((await latestBreach({ baseUrl: options.baseUrl }))?.AddedDate).toBe(newest);
      expect(await dataClasses({ baseUrl: options.baseUrl })).toContain('Social security numbers');
    });

    it('pasteAccount and search: no pastes, the breaches', async () => {
      const person = world.people.get('AgenceTitres')![150]!;
      expect(await pasteAccount(person.email, options)).toBeNull();
      expect(await search(person.email, options)).toEqual({ breaches: [{ Name: 'AgenceTitres' }], pastes: null });
    });

    it('subscriptionStatus describes the key', async () => {
      expect(await subscriptionStatus(options)).toMatchObject({ SubscriptionName: 'hibp-client', Rpm: 1000 });
    });

    it('errors as the client expects: unauthorised, bad request, rate limit with its retry-after', async () => {
      await expect(breachedAccount('a@example.fr', { ...options, apiKey: 'wrong' })).rejects.toThrow(/hibp-api-key/);
      await expect(breachedAccount('ni un mail ni un numéro', options)).rejects.toThrow(/Bad request/i);
      const { key } = await createApiKey(world.store, 'hibp-slow', 1);
      // The server reads the key table again at most once a second when it meets an unknown key.
      await new Promise((r) => setTimeout(r, 1100));
      const slow = { ...options, apiKey: key };
      await breachedAccount('a@example.fr', slow);
      const e = await breachedAccount('a@example.fr', slow).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RateLimitError);
      expect((e as RateLimitError).retryAfterSeconds).toBeGreaterThan(0);
    });
  });
}

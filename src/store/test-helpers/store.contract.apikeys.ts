/**
 * The store contract, API keys: what `vigie apikey` and the HTTP API rely on, the same on both
 * engines. Only hashes are stored; names are unique regardless of case.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { rejectsWith } from './contract.helpers.js';
import type { ContractContext } from './store.contract.js';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

export function runApiKeyContract(ctx: ContractContext): void {
  describe('API keys', () => {
    beforeEach(async () => {
      for (const k of await ctx.store.listApiKeys()) await ctx.store.revokeApiKey(k.name);
    });

    it('creates, lists by name and revokes keys, keeping only the hash', async () => {
      ctx.clock.set('2026-04-15T08:00:00Z');
      const created = await ctx.store.createApiKey({ name: 'banque-demo', hash: hash('k1'), rpm: 100 });
      expect(created).toEqual({ name: 'banque-demo', hash: hash('k1'), rpm: 100, createdAt: '2026-04-15T08:00:00Z', lastUsedAt: null, operator: false });
      expect((await ctx.store.createApiKey({ name: 'ops', hash: hash('k9'), rpm: 10, operator: true })).operator).toBe(true);
      await ctx.store.revokeApiKey('ops');
      await ctx.store.createApiKey({ name: 'Agence', hash: hash('k2'), rpm: 5000 });
      const other = await ctx.open();
      expect((await other.listApiKeys()).map((k) => [k.name, k.rpm])).toEqual([
        ['Agence', 5000],
        ['banque-demo', 100],
      ]);
      await other.revokeApiKey('AGENCE');
      expect((await ctx.store.listApiKeys()).map((k) => k.name)).toEqual(['banque-demo']);
      await rejectsWith(ctx.store.revokeApiKey('Agence'), 'VIGIE_NOT_FOUND');
    });

    it('refuses a taken name in any case, a taken hash, and malformed input', async () => {
      await ctx.store.createApiKey({ name: 'banque', hash: hash('k1'), rpm: 100 });
      await rejectsWith(ctx.store.createApiKey({ name: 'BANQUE', hash: hash('k2'), rpm: 100 }), 'VIGIE_CONFLICT');
      await rejectsWith(ctx.store.createApiKey({ name: 'autre', hash: hash('k1'), rpm: 100 }), 'VIGIE_CONFLICT');
      await rejectsWith(ctx.store.createApiKey({ name: '../x', hash: hash('k3'), rpm: 100 }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.createApiKey({ name: 'x', hash: 'not-a-hash', rpm: 100 }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.createApiKey({ name: 'x', hash: hash('k3'), rpm: 0 }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.createApiKey({ name: 'x', hash: hash('k3'), rpm: 1.5 }), 'VIGIE_USAGE');
      expect((await ctx.store.listApiKeys()).length).toBe(1);
    });

    it('records the last use, never moving it back, and ignores unknown hashes', async () => {
      await ctx.store.createApiKey({ name: 'banque', hash: hash('k1'), rpm: 100 });
      await ctx.store.touchApiKeys(
        new Map([
          [hash('k1'), '2026-04-16T10:00:00Z'],
          [hash('unknown'), '2026-04-16T10:00:00Z'],
        ]),
      );
      await ctx.store.touchApiKeys(new Map([[hash('k1'), '2026-04-16T09:00:00Z']]));
      await ctx.store.touchApiKeys(new Map());
      expect((await ctx.store.listApiKeys())[0]?.lastUsedAt).toBe('2026-04-16T10:00:00Z');
    });
  });
}

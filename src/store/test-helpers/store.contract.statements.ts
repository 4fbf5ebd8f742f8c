/**
 * The store contract, the operator's statements: the organisation profile and each incident's
 * statement, kept as JSON objects, the same on both engines. These tests run in order on one
 * database: the first one sees no profile yet.
 */
import { describe, expect, it } from 'vitest';
import { rejectsWith } from './contract.helpers.js';
import type { ContractContext } from './store.contract.js';

export function runStatementContract(ctx: ContractContext): void {
  describe('statements', () => {
    it('keeps one organisation profile, replaced as a whole, seen by another instance', async () => {
      expect(await ctx.store.getOrgProfile()).toBeUndefined();
      ctx.clock.set('2026-11-02T08:00:00Z');
      const first = { name: 'Mutuelle Exemple', siren: '552100554', dpo: { name: 'Claire Dubois', email: 'dpo@mutuelle.example.fr' } };
      expect(await ctx.store.setOrgProfile(first)).toEqual({ value: first, updatedAt: '2026-11-02T08:00:00Z' });
      const other = await ctx.open();
      expect(await other.getOrgProfile()).toEqual({ value: first, updatedAt: '2026-11-02T08:00:00Z' });
      ctx.clock.set('2026-11-02T09:30:00Z');
      await other.setOrgProfile({ name: 'Mutuelle Exemple SA', processors: ['Hébergeur Nuage SAS'] });
      expect(await ctx.store.getOrgProfile()).toEqual({
        value: { name: 'Mutuelle Exemple SA', processors: ['Hébergeur Nuage SAS'] },
        updatedAt: '2026-11-02T09:30:00Z',
      });
    });

    it('keeps one incident statement per breach name, regardless of case, whether the breach is ingested or not', async () => {
      expect(await ctx.store.getIncident('FuiteMutuelle')).toBeUndefined();
      ctx.clock.set('2026-11-03T10:00:00Z');
      await ctx.store.setIncident('FuiteMutuelle', { type: 'initial', aware: '2026-11-01T14:30:00Z', nature: ['confidentiality'] });
      await ctx.store.setIncident('AutreFuite', { type: 'complete' });
      ctx.clock.set('2026-11-03T11:00:00Z');
      await ctx.store.setIncident('FUITEMUTUELLE', { type: 'complementary', initialReference: 'CNIL-2026-0042' });
      const other = await ctx.open();
      expect(await other.getIncident('fuitemutuelle')).toEqual({
        value: { type: 'complementary', initialReference: 'CNIL-2026-0042' },
        updatedAt: '2026-11-03T11:00:00Z',
      });
      expect((await other.getIncident('AutreFuite'))?.value).toEqual({ type: 'complete' });
    });

    it('refuses what is not a JSON object within limits, and a bad breach name', async () => {
      await rejectsWith(ctx.store.setOrgProfile([] as never), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.setOrgProfile({ when: new Date() }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.setOrgProfile({ n: Number.NaN }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.setIncident('x', { text: 'é'.repeat(40_000) }), 'VIGIE_USAGE', /bytes/);
      await rejectsWith(ctx.store.setIncident('../etc', { type: 'initial' }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.getIncident('a b'), 'VIGIE_USAGE');
      expect(await ctx.store.getIncident('x')).toBeUndefined();
    });
  });
}

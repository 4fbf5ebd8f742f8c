/**
 * The store contract: one suite, every engine (docs/architecture.md §5.5). Each engine's test file
 * calls `runStoreContract` with a factory that opens a store on that file's database; calling
 * the factory twice gives two instances on the same database (as two processes would have).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, digest, hits, loadRange, mask, masks, one, pseudonyms, rejectsWith, stats } from './contract.helpers.js';
import { runAlertContract } from './store.contract.alerts.js';
import { runApiKeyContract } from './store.contract.apikeys.js';
import { runDomainContract } from './store.contract.domains.js';
import { runLoadContract } from './store.contract.loads.js';
import { runStatementContract } from './store.contract.statements.js';
import type { Store, StoreOptions } from '../store.js';

export type MakeStore = (options: StoreOptions) => Promise<Store>;

/** Context shared with the parts of the contract. */
export interface ContractContext {
  store: Store;
  clock: ReturnType<typeof manualClock>;
  open(): Promise<Store>;
}

export function runStoreContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    const ctx = {} as ContractContext;
    const extra: Store[] = [];

    beforeEach(async () => {
      ctx.clock = manualClock();
      ctx.open = async () => {
        const s = await makeStore({ now: ctx.clock.now });
        extra.push(s);
        return s;
      };
      ctx.store = await makeStore({ now: ctx.clock.now });
      // Every test starts from an empty catalogue.
      for (const e of await ctx.store.listBreaches({ includeRetired: true })) await ctx.store.deleteBreach(e.breach.Name);
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await ctx.store.close();
    });

    describe('migrations', () => {
      it('are idempotent, on one instance and across instances', async () => {
        const v = await ctx.store.migrate();
        expect(v).toBeGreaterThanOrEqual(1);
        expect(await ctx.store.migrate()).toBe(v);
        const other = await ctx.open();
        expect(await other.migrate()).toBe(v);
      });
    });

    describe('catalogue', () => {
      it('publishes a breach with HIBP fields and Vigie statistics', async () => {
        const load = await ctx.store.beginLoad({
          breach: { Name: 'AgenceDemo', Title: 'Agence Démo', Domain: 'agence-demo.example.fr', BreachDate: '2025-03-30', IsVerified: true },
          append: false,
          fileDigests: [digest('agence.csv')],
        });
        expect(load.knownDigests).toEqual([]);
        expect(load.newDigests).toEqual([digest('agence.csv')]);
        await load.write(pseudonyms(0, 100), masks(100, mask('email', 'name', 'dob')));
        ctx.clock.set('2025-04-07T10:30:00Z');
        const res = await load.commit(stats(120, 100, { skipped: 20, classCounts: { email: 100, phone: 40 }, invalidCounts: { phone: 10 }, formats: ['csv'] }));
        expect(res.changed).toBe(true);
        expect(res.inserted).toBe(100);
        expect(res.entry.breach).toEqual({
          Name: 'AgenceDemo',
          Title: 'Agence Démo',
          Domain: 'agence-demo.example.fr',
          BreachDate: '2025-03-30',
          AddedDate: '2025-04-07T10:30:00Z',
          ModifiedDate: '2025-04-07T10:30:00Z',
          PwnCount: 100,
          Description: '',
          LogoPath: '',
          DataClasses: ['Dates of birth', 'Email addresses', 'Names', 'Phone numbers'],
          IsVerified: true,
          IsFabricated: false,
          IsSensitive: false,
          IsRetired: false,
          IsSpamList: false,
          IsMalware: false,
          IsSubscriptionFree: false,
          IsStealerLog: false,
        });
        expect(res.entry.stats).toEqual({
          records: 120,
          skipped: 20,
          people: 100,
          classCounts: { email: 100, phone: 40 },
          invalidCounts: { phone: 10 },
          formats: ['csv'],
          identifiers: 100,
          loads: 1,
        });
        expect(res.entry.files).toEqual([{ digest: digest('agence.csv'), addedAt: '2025-04-07T10:30:00Z' }]);
        expect(await ctx.store.getBreach('AgenceDemo')).toEqual(res.entry);
        expect(await ctx.store.listBreaches()).toEqual([res.entry]);
      });

      it('finds names regardless of case and keeps them unique regardless of case', async () => {
        await loadRange(ctx.store, 'DemoLeak', 'a', 0, 5, mask('email'));
        expect((await ctx.store.getBreach('demoleak'))?.breach.Name).toBe('DemoLeak');
        await rejectsWith(ctx.store.beginLoad({ breach: { Name: 'DEMOLEAK' }, append: false, fileDigests: [digest('b')] }), 'VIGIE_CONFLICT');
        expect(await ctx.store.getBreach('Absent')).toBeUndefined();
      });

      it('lists breaches by name', async () => {
        for (const n of ['zeta', 'Alpha', 'mid-1', 'mid_2', 'Beta.v2']) await loadRange(ctx.store, n, n, 0, 2, mask('email'));
        expect((await ctx.store.listBreaches()).map((e) => e.breach.Name)).toEqual(['Alpha', 'Beta.v2', 'mid-1', 'mid_2', 'zeta']);
      });

      it('deletes a breach and every pseudonym row of it, and only of it', async () => {
        await loadRange(ctx.store, 'LeakA', 'a', 0, 50, mask('email'));
        await loadRange(ctx.store, 'LeakB', 'b', 25, 75, mask('email', 'phone'));
        await ctx.store.deleteBreach('leaka');
        expect(await ctx.store.getBreach('LeakA')).toBeUndefined();
        expect(await hits(ctx.store, 10)).toEqual([]);
        expect(await hits(ctx.store, 30)).toEqual([`LeakB:${mask('email', 'phone')}`]);
        await rejectsWith(ctx.store.deleteBreach('LeakA'), 'VIGIE_NOT_FOUND');
        // The name and its file are free again: a fresh load counts from zero.
        const again = await loadRange(ctx.store, 'LeakA', 'a', 0, 10, mask('email'));
        expect(again.entry.stats.identifiers).toBe(10);
        expect(await hits(ctx.store, 30)).toEqual([`LeakB:${mask('email', 'phone')}`]);
      });

      it('retires a breach as HIBP does: kept in the catalogue, gone from lookups, closed to new data', async () => {
        await loadRange(ctx.store, 'OldLeak', 'a', 0, 20, mask('email'));
        await loadRange(ctx.store, 'NewLeak', 'b', 10, 30, mask('email'));
        ctx.clock.set('2025-05-01T00:00:00Z');
        const entry = await ctx.store.retireBreach('OldLeak');
        expect(entry.breach.IsRetired).toBe(true);
        expect(entry.breach.ModifiedDate).toBe('2025-05-01T00:00:00Z');
        expect(await hits(ctx.store, 5)).toEqual([]);
        expect(await hits(ctx.store, 15)).toEqual([`NewLeak:${mask('email')}`]);
        expect((await ctx.store.listBreaches()).map((e) => e.breach.Name)).toEqual(['NewLeak']);
        expect((await ctx.store.listBreaches({ includeRetired: true })).map((e) => e.breach.Name)).toEqual(['NewLeak', 'OldLeak']);
        expect(await ctx.store.retireBreach('OldLeak')).toEqual(entry);
        await rejectsWith(ctx.store.beginLoad({ breach: { Name: 'OldLeak' }, append: true, fileDigests: [digest('c')] }), 'VIGIE_CONFLICT', /retired/);
        // Re-ingesting the very same file stays a harmless no-op.
        expect((await ctx.store.beginLoad({ breach: { Name: 'OldLeak' }, append: false, fileDigests: [digest('a')] })).newDigests).toEqual([]);
        await rejectsWith(ctx.store.retireBreach('Nope'), 'VIGIE_NOT_FOUND');
      });
    });

    describe('lookup', () => {
      it('returns every breach holding the pseudonym, with its mask, by name', async () => {
        await loadRange(ctx.store, 'Zulu', 'z', 0, 10, mask('email', 'password'));
        await loadRange(ctx.store, 'Alpha', 'a', 5, 15, mask('email', 'nir'));
        expect(await hits(ctx.store, 7)).toEqual([`Alpha:${mask('email', 'nir')}`, `Zulu:${mask('email', 'password')}`]);
        expect(await hits(ctx.store, 2)).toEqual([`Zulu:${mask('email', 'password')}`]);
        expect(await hits(ctx.store, 99)).toEqual([]);
      });

      it('keeps all 32 mask bits, the sign bit included', async () => {
        const load = await ctx.store.beginLoad({ breach: { Name: 'Bits' }, append: false, fileDigests: [digest('bits')] });
        await load.write(pseudonyms(0, 2), new Uint32Array([0x80000001, 0xffffffff]));
        await load.commit(stats(2));
        expect((await ctx.store.lookup(one(0)))[0]?.mask).toBe(0x80000001);
        expect((await ctx.store.lookup(one(1)))[0]?.mask).toBe(0xffffffff);
      });

      it('refuses a pseudonym of the wrong length', async () => {
        await rejectsWith(ctx.store.lookup(Buffer.alloc(15)), 'VIGIE_INTERNAL');
      });
    });

    describe('lookupMany', () => {
      it('answers a batch in one breach, in input order, 0 where absent, appended masks merged', async () => {
        await loadRange(ctx.store, 'Zulu', 'z', 0, 10, mask('email', 'password'));
        await loadRange(ctx.store, 'Alpha', 'a', 5, 15, mask('email', 'nir'));
        await loadRange(ctx.store, 'Alpha', 'a2', 12, 20, mask('email', 'phone'), true);
        // Emails 18..21, then 0..9 backwards: found and absent interleaved, one repeated.
        const order = [18, 19, 20, 21, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 13];
        const batch = Buffer.concat(order.map(one));
        const alpha = await ctx.store.lookupMany('alpha', batch);
        const want = (i: number) =>
          i >= 12 && i < 15 ? mask('email', 'nir', 'phone') : i >= 5 && i < 15 ? mask('email', 'nir') : i >= 15 && i < 20 ? mask('email', 'phone') : 0;
        expect([...alpha]).toEqual(order.map(want));
        const zulu = await ctx.store.lookupMany('Zulu', batch);
        expect([...zulu]).toEqual(order.map((i) => (i < 10 ? mask('email', 'password') : 0)));
        expect((await ctx.store.lookupMany('Alpha', Buffer.alloc(0))).length).toBe(0);
      });

      it('answers large batches (past one query chunk) and keeps the sign bit', async () => {
        const load = await ctx.store.beginLoad({ breach: { Name: 'Big' }, append: false, fileDigests: [digest('big')] });
        await load.write(pseudonyms(0, 30_000), masks(30_000, 0x80000001));
        await load.commit(stats(30_000));
        // Every other email of 0..49,999: the first 15,000 found, the rest absent.
        const ids = Array.from({ length: 25_000 }, (_, k) => 2 * k);
        const got = await ctx.store.lookupMany('Big', Buffer.concat(ids.map(one)));
        expect(got.length).toBe(ids.length);
        expect(got.filter((m) => m === 0x80000001).length).toBe(15_000);
        expect(got.indexOf(0)).toBe(15_000);
      });

      it('answers a pseudonym repeated in a batch at each place, across query chunks too', async () => {
        await loadRange(ctx.store, 'Rep', 'r', 0, 3, mask('email'));
        // 70,000 places (past a query chunk of either engine), cycling through 0..4: found, found, found, absent, absent.
        const order = Array.from({ length: 70_000 }, (_, k) => k % 5);
        const got = await ctx.store.lookupMany('Rep', Buffer.concat(order.map(one)));
        expect(got.length).toBe(order.length);
        expect(order.every((i, k) => got[k] === (i < 3 ? mask('email') : 0))).toBe(true);
      });

      it('finds nothing in a retired breach, refuses an unknown breach and a ragged batch', async () => {
        await loadRange(ctx.store, 'Old', 'o', 0, 5, mask('email'));
        await ctx.store.retireBreach('Old');
        expect([...(await ctx.store.lookupMany('Old', pseudonyms(0, 5)))]).toEqual([0, 0, 0, 0, 0]);
        await rejectsWith(ctx.store.lookupMany('Nope', pseudonyms(0, 2)), 'VIGIE_NOT_FOUND');
        await rejectsWith(ctx.store.lookupMany('Old', Buffer.alloc(17)), 'VIGIE_INTERNAL');
        await rejectsWith(ctx.store.lookupMany('bad name!', pseudonyms(0, 1)), 'VIGIE_USAGE');
      });
    });

    describe('ingest runs and key binding', () => {
      it('records runs, updates them by id and lists them newest first', async () => {
        const base = { breach: 'DemoLeak', inputDigests: [digest('a')] };
        await ctx.store.recordRun({ ...base, id: 'run-1', status: 'running', startedAt: '2025-04-07T09:00:00Z' });
        await ctx.store.recordRun({ ...base, id: 'run-2', breach: 'Other', status: 'running', startedAt: '2025-04-07T09:05:00Z' });
        await ctx.store.recordRun({
          ...base,
          id: 'run-1',
          status: 'failed',
          startedAt: '2025-04-07T09:00:00Z',
          finishedAt: '2025-04-07T09:01:00Z',
          error: 'leak.csv, line 12: syntax error',
        });
        const runs = (await ctx.store.listRuns()).filter((r) => r.id.startsWith('run-'));
        expect(runs.map((r) => r.id)).toEqual(['run-2', 'run-1']);
        expect(runs[1]).toEqual({
          ...base,
          id: 'run-1',
          status: 'failed',
          startedAt: '2025-04-07T09:00:00Z',
          finishedAt: '2025-04-07T09:01:00Z',
          error: 'leak.csv, line 12: syntax error',
        });
        expect(runs[0]).toEqual({ ...base, id: 'run-2', breach: 'Other', status: 'running', startedAt: '2025-04-07T09:05:00Z' });
        expect((await ctx.store.listRuns({ breach: 'demoleak' })).map((r) => r.id)).toEqual(['run-1']);
        expect(await ctx.store.listRuns({ limit: 1 })).toHaveLength(1);
        await rejectsWith(ctx.store.recordRun({ ...base, id: 'run-3', status: 'done' as 'running', startedAt: '2025-04-07T09:00:00Z' }), 'VIGIE_USAGE');
        await rejectsWith(ctx.store.recordRun({ ...base, id: 'bad id', status: 'running', startedAt: '2025-04-07T09:00:00Z' }), 'VIGIE_USAGE');
      });

      it('binds to the first key fingerprint and refuses another', async () => {
        const other = await ctx.open();
        const fp = 'a'.repeat(32);
        await ctx.store.checkKey(fp);
        await other.checkKey(fp);
        await rejectsWith(other.checkKey('b'.repeat(32)), 'VIGIE_KEY', /another secret key/);
      });
    });

    runLoadContract(ctx);
    runDomainContract(ctx);
    runApiKeyContract(ctx);
    runStatementContract(ctx);
    runAlertContract(ctx);
  });
}

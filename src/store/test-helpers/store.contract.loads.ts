/**
 * The loading half of the store contract: atomic publication, idempotence, OR-merging, aborts
 * and crash leftovers. Called by `runStoreContract`.
 */
import { describe, expect, it } from 'vitest';
import { digest, hits, loadRange, mask, masks, one, pseudonyms, rejectsWith, stats } from './contract.helpers.js';
import type { ContractContext } from './store.contract.js';

export function runLoadContract(ctx: ContractContext): void {
  describe('loads', () => {
    it('are invisible, even to another instance, until commit', async () => {
      const other = await ctx.open();
      const load = await ctx.store.beginLoad({ breach: { Name: 'Pending' }, append: false, fileDigests: [digest('p')] });
      await load.write(pseudonyms(0, 1000), masks(1000, mask('email')));
      for (const s of [ctx.store, other]) {
        expect(await hits(s, 500)).toEqual([]);
        expect(await s.getBreach('Pending')).toBeUndefined();
        expect(await s.listBreaches({ includeRetired: true })).toEqual([]);
      }
      await load.commit(stats(1000));
      expect(await hits(other, 500)).toEqual([`Pending:${mask('email')}`]);
      expect((await other.getBreach('Pending'))?.stats.identifiers).toBe(1000);
    });

    it('merge duplicate pseudonyms with OR, across batches and producers, and count them once', async () => {
      const load = await ctx.store.beginLoad({ breach: { Name: 'Dups' }, append: false, fileDigests: [digest('d')] });
      // Emails 0-99 with email+name, then 50-149 with email+phone, written by three producers at once.
      await Promise.all([
        load.write(pseudonyms(0, 100), masks(100, mask('email', 'name'))),
        load.write(pseudonyms(50, 150), masks(100, mask('email', 'phone'))),
        load.write(pseudonyms(50, 60), masks(10, mask('email', 'iban'))),
      ]);
      const res = await load.commit(stats(210, 150));
      expect(res.inserted).toBe(150);
      expect(res.entry.stats.identifiers).toBe(150);
      expect(await hits(ctx.store, 10)).toEqual([`Dups:${mask('email', 'name')}`]);
      expect(await hits(ctx.store, 55)).toEqual([`Dups:${mask('email', 'name', 'phone', 'iban')}`]);
      expect(await hits(ctx.store, 75)).toEqual([`Dups:${mask('email', 'name', 'phone')}`]);
      expect(await hits(ctx.store, 120)).toEqual([`Dups:${mask('email', 'phone')}`]);
      expect(res.entry.breach.DataClasses).toEqual(['Bank account numbers', 'Email addresses', 'Names', 'Phone numbers']);
    });

    it('append adds a file: masks OR per pseudonym, counts add up exactly', async () => {
      await loadRange(ctx.store, 'Grows', 'part1.csv', 0, 100, mask('email', 'dob'));
      ctx.clock.set('2025-04-08T09:00:00Z');
      const load = await ctx.store.beginLoad({
        breach: { Name: 'Grows', Description: 'second file' },
        append: true,
        fileDigests: [digest('part1.csv'), digest('part2.csv')],
      });
      expect(load.knownDigests).toEqual([digest('part1.csv')]);
      expect(load.newDigests).toEqual([digest('part2.csv')]);
      await load.write(pseudonyms(80, 130), masks(50, mask('email', 'address')));
      const res = await load.commit(stats(50, 50, { formats: ['json'] }));
      expect(res.inserted).toBe(30);
      expect(res.entry.stats).toMatchObject({ identifiers: 130, records: 150, people: 150, loads: 2, formats: ['csv', 'json'], classCounts: { email: 150 } });
      expect(res.entry.breach).toMatchObject({ Description: 'second file', AddedDate: '2025-04-07T09:00:00Z', ModifiedDate: '2025-04-08T09:00:00Z' });
      expect(res.entry.files.map((f) => f.digest)).toEqual([digest('part1.csv'), digest('part2.csv')]);
      expect(await hits(ctx.store, 50)).toEqual([`Grows:${mask('email', 'dob')}`]);
      expect(await hits(ctx.store, 90)).toEqual([`Grows:${mask('email', 'dob', 'address')}`]);
      expect(await hits(ctx.store, 120)).toEqual([`Grows:${mask('email', 'address')}`]);
    });

    it('re-ingesting committed files changes nothing; a new file without append is a conflict', async () => {
      const first = await loadRange(ctx.store, 'Once', 'f.csv', 0, 40, mask('email'));
      ctx.clock.set('2025-06-01T00:00:00Z');
      for (const append of [false, true]) {
        const again = await ctx.store.beginLoad({ breach: { Name: 'Once' }, append, fileDigests: [digest('f.csv')] });
        expect(again.knownDigests).toEqual([digest('f.csv')]);
        expect(again.newDigests).toEqual([]);
        await rejectsWith(again.write(pseudonyms(0, 1), masks(1, 1)), 'VIGIE_INTERNAL', /already committed/);
        const res = await again.commit(stats(40));
        expect(res.changed).toBe(false);
        expect(res.entry).toEqual(first.entry);
      }
      await rejectsWith(ctx.store.beginLoad({ breach: { Name: 'Once' }, append: false, fileDigests: [digest('g.csv')] }), 'VIGIE_CONFLICT', /append/);
    });

    it('of the same new breach race: the first commit wins, the second conflicts or is a no-op', async () => {
      const a = await ctx.store.beginLoad({ breach: { Name: 'Race' }, append: false, fileDigests: [digest('a')] });
      const b = await (await ctx.open()).beginLoad({ breach: { Name: 'Race' }, append: false, fileDigests: [digest('b')] });
      const c = await ctx.store.beginLoad({ breach: { Name: 'Race' }, append: false, fileDigests: [digest('a')] });
      await a.write(pseudonyms(0, 10), masks(10, mask('email')));
      await b.write(pseudonyms(100, 110), masks(10, mask('email')));
      await c.write(pseudonyms(0, 10), masks(10, mask('email')));
      await a.commit(stats(10));
      await rejectsWith(b.commit(stats(10)), 'VIGIE_CONFLICT');
      expect((await c.commit(stats(10))).changed).toBe(false);
      const entry = await ctx.store.getBreach('Race');
      expect(entry?.stats).toMatchObject({ identifiers: 10, records: 10, loads: 1 });
      expect(await hits(ctx.store, 105)).toEqual([]);
      // The failed load is over; abort stays harmless.
      await b.abort();
    });

    it('abort drops everything written and ends the load', async () => {
      const load = await ctx.store.beginLoad({ breach: { Name: 'Dropped' }, append: false, fileDigests: [digest('x')] });
      await load.write(pseudonyms(0, 500), masks(500, mask('email')));
      await load.abort();
      await load.abort();
      await rejectsWith(load.write(pseudonyms(0, 1), masks(1, 1)), 'VIGIE_INTERNAL', /aborted/);
      await rejectsWith(load.commit(stats(1)), 'VIGIE_INTERNAL', /aborted/);
      expect(await hits(ctx.store, 10)).toEqual([]);
      expect(await ctx.store.getBreach('Dropped')).toBeUndefined();
      // The same file loads normally afterwards.
      expect((await loadRange(ctx.store, 'Dropped', 'x', 0, 5, mask('email'))).entry.stats.identifiers).toBe(5);
    });

    it('leave nothing behind when the store closes without commit (a crash, in process)', async () => {
      const crashing = await ctx.open();
      const load = await crashing.beginLoad({ breach: { Name: 'Crashed' }, append: false, fileDigests: [digest('c')] });
      await load.write(pseudonyms(0, 2000), masks(2000, mask('email', 'phone')));
      await crashing.close();
      const reopened = await ctx.open();
      expect(await hits(reopened, 1000)).toEqual([]);
      expect(await reopened.getBreach('Crashed')).toBeUndefined();
      // A rerun commits, and counts only what it wrote: no staged row survived.
      const rerun = await reopened.beginLoad({ breach: { Name: 'Crashed' }, append: false, fileDigests: [digest('c')] });
      expect(rerun.newDigests).toEqual([digest('c')]);
      await rerun.write(pseudonyms(1500, 1600), masks(100, mask('email')));
      const res = await rerun.commit(stats(100));
      expect(res.entry.stats.identifiers).toBe(100);
      expect(await hits(reopened, 1000)).toEqual([]);
      expect(await hits(reopened, 1550)).toEqual([`Crashed:${mask('email')}`]);
    });

    it('handle tens of thousands of rows in large batches', async () => {
      const n = 60_000;
      const load = await ctx.store.beginLoad({ breach: { Name: 'Bulk' }, append: false, fileDigests: [digest('bulk')] });
      for (let i = 0; i < n; i += 20_000) await load.write(pseudonyms(i, i + 20_000), masks(20_000, mask('email', 'name')));
      // A second pass over a tenth of them, as a file with duplicates would have.
      await load.write(pseudonyms(0, n / 10), masks(n / 10, mask('email', 'nir')));
      const res = await load.commit(stats(n + n / 10, n));
      expect(res.inserted).toBe(n);
      for (const i of [0, 5_999, 6_000, 31_337, n - 1]) {
        expect(await hits(ctx.store, i)).toEqual([`Bulk:${i < n / 10 ? mask('email', 'name', 'nir') : mask('email', 'name')}`]);
      }
      expect(await hits(ctx.store, n)).toEqual([]);
    });

    it('refuse malformed requests, batches and statistics', async () => {
      await rejectsWith(ctx.store.beginLoad({ breach: { Name: 'bad name' }, append: false, fileDigests: [digest('a')] }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.beginLoad({ breach: { Name: 'Ok' }, append: false, fileDigests: [] }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.beginLoad({ breach: { Name: 'Ok' }, append: false, fileDigests: ['ABC'] }), 'VIGIE_USAGE');
      await rejectsWith(ctx.store.beginLoad({ breach: { Name: 'Ok', BreachDate: '2025-13-01' }, append: false, fileDigests: [digest('a')] }), 'VIGIE_USAGE');
      const load = await ctx.store.beginLoad({ breach: { Name: 'Ok' }, append: false, fileDigests: [digest('a')] });
      await rejectsWith(load.write(Buffer.alloc(33), masks(2, 1)), 'VIGIE_INTERNAL');
      await rejectsWith(load.commit({ ...stats(1), records: -1 }), 'VIGIE_INTERNAL');
      await rejectsWith(load.commit({ ...stats(1), classCounts: { siren: 1 } as never }), 'VIGIE_INTERNAL');
      await rejectsWith(load.commit({ ...stats(1), formats: ['camille.martin@example.fr'] }), 'VIGIE_INTERNAL');
      // A refused commit leaves the load open and valid.
      await load.write(pseudonyms(0, 3), masks(3, mask('email')));
      expect((await load.commit(stats(3))).entry.stats.identifiers).toBe(3);
      expect(await hits(ctx.store, 1)).toEqual([`Ok:${mask('email')}`]);
      expect((await ctx.store.lookup(one(4))).length).toBe(0);
    });
  });
}

/**
 * The store contract, alerts: subscriptions keyed by pseudonym and the outbox, the same on both
 * engines. Alerts are queued by the commit that publishes a leak, once per confirmed
 * subscriber and breach; claiming leases messages so that a killed sender loses none.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubscriptionRequest } from '../alerts.js';
import { digest, loadRange, mask, masks, one, pseudonyms, stats } from './contract.helpers.js';
import type { ContractContext } from './store.contract.js';

const FAR = '9999-12-31T00:00:00Z';

export function runAlertContract(ctx: ContractContext): void {
  describe('subscriptions and outbox', () => {
    const made: Buffer[] = [];
    const request = (i: number, extra: Partial<SubscriptionRequest> = {}): SubscriptionRequest => {
      const pseudonym = one(i);
      made.push(pseudonym);
      return {
        pseudonym,
        sealed: randomBytes(40),
        lang: 'fr',
        messageId: randomBytes(16).toString('hex'),
        expiresAt: '2025-04-09T09:00:00Z',
        throttleSince: '2025-04-07T08:50:00Z',
        ...extra,
      };
    };
    const subscribe = async (i: number, lang: 'fr' | 'en' = 'fr') => {
      await ctx.store.requestSubscription(request(i, { lang }));
      expect(await ctx.store.confirmSubscription(one(i))).toBe(true);
    };
    /** Sends everything due, as a sender would, and returns it. */
    const drain = async () => {
      const claimed = await ctx.store.claimOutbox({ limit: 1000, leaseSeconds: 60 });
      await ctx.store.recordOutcomes(claimed.map((m) => ({ id: m.id, sent: true as const })));
      return claimed;
    };

    afterEach(async () => {
      for (const p of made.splice(0)) await ctx.store.deleteSubscription(p);
      await ctx.store.purgeOutbox(FAR);
    });

    it('keeps a pending subscription and queues one confirmation, throttled, in any instance', async () => {
      const r = request(1, { lang: 'en' });
      await ctx.store.requestSubscription(r);
      const sub = await ctx.store.getSubscription(one(1));
      expect(sub).toMatchObject({ state: 'pending', lang: 'en', createdAt: '2025-04-07T09:00:00Z', confirmedAt: null });
      expect(sub?.sealed.equals(r.sealed)).toBe(true);
      // A second request soon after: the language follows, no second mail.
      await ctx.store.requestSubscription(request(1, { lang: 'fr' }));
      const other = await ctx.open();
      expect((await other.getSubscription(one(1)))?.lang).toBe('fr');
      expect(await other.outboxCounts()).toEqual({ queued: 1, sent: 0, failed: 0, dead: 0 });
      const [m, ...rest] = await other.claimOutbox({ limit: 10, leaseSeconds: 60 });
      expect(rest).toEqual([]);
      expect(m).toMatchObject({ kind: 'confirm', breach: null, mask: 0, messageId: r.messageId, attempts: 0, expiresAt: '2025-04-09T09:00:00Z' });
      expect(m?.recipient.equals(one(1))).toBe(true);
      expect(m?.subscription?.lang).toBe('fr');
      // Past the throttle window a new request queues a new confirmation.
      ctx.clock.set('2025-04-07T10:00:00Z');
      await ctx.store.requestSubscription(request(1, { throttleSince: '2025-04-07T09:50:00Z' }));
      expect((await ctx.store.outboxCounts()).queued).toBe(2);
      expect(await ctx.store.getSubscription(one(2))).toBeUndefined();
    });

    it('confirms once, keeps a confirmed subscription from being changed by a new request, and deletes on unsubscribe', async () => {
      await ctx.store.requestSubscription(request(3, { lang: 'en' }));
      ctx.clock.set('2025-04-07T09:30:00Z');
      expect(await ctx.store.confirmSubscription(one(3))).toBe(true);
      ctx.clock.set('2025-04-07T09:40:00Z');
      expect(await ctx.store.confirmSubscription(one(3))).toBe(true);
      await ctx.store.requestSubscription(request(3, { lang: 'fr', throttleSince: FAR }));
      expect(await ctx.store.getSubscription(one(3))).toMatchObject({ state: 'confirmed', lang: 'en', confirmedAt: '2025-04-07T09:30:00Z' });
      expect(await ctx.store.deleteSubscription(one(3))).toBe(true);
      expect(await ctx.store.getSubscription(one(3))).toBeUndefined();
      // Its unsent confirmation went with it.
      expect(await ctx.store.outboxCounts()).toEqual({ queued: 0, sent: 0, failed: 0, dead: 0 });
      expect(await ctx.store.deleteSubscription(one(3))).toBe(false);
      expect(await ctx.store.confirmSubscription(one(3))).toBe(false);
      await expect(ctx.store.getSubscription(Buffer.alloc(3))).rejects.toThrow();
    });

    it('queues one alert per confirmed subscriber in the publishing commit, with their own mask, never twice', async () => {
      for (const i of [10, 11, 12, 40]) await subscribe(i, i === 11 ? 'en' : 'fr');
      await ctx.store.requestSubscription(request(13)); // pending: never alerted
      await drain(); // the confirmations
      const m1 = mask('email', 'phone');
      const m2 = mask('email', 'nir');
      // A load that is aborted queues nothing.
      const aborted = await ctx.store.beginLoad({ breach: { Name: 'Avorte' }, append: false, fileDigests: [digest('a.csv')] });
      await aborted.write(pseudonyms(0, 20), masks(20, m1));
      await aborted.abort();
      expect((await ctx.store.outboxCounts()).queued).toBe(0);

      const load = await ctx.store.beginLoad({ breach: { Name: 'AgenceDemo' }, append: false, fileDigests: [digest('agence.csv')] });
      await load.write(pseudonyms(0, 12), masks(12, m1));
      await load.write(pseudonyms(12, 20), masks(8, m2));
      await load.write(pseudonyms(10, 11), masks(1, m2)); // a duplicate record of subscriber 10
      // Staged, not committed: nothing queued yet, seen from another instance either.
      const other = await ctx.open();
      expect((await other.outboxCounts()).queued).toBe(0);
      await load.commit(stats(21));
      expect((await other.outboxCounts()).queued).toBe(3);
      const alerts = (await drain()).sort((a, b) => a.mask - b.mask || a.recipient.compare(b.recipient));
      const byRecipient = new Map(alerts.map((a) => [a.recipient.toString('hex'), a]));
      expect(alerts.map((a) => a.kind)).toEqual(['alert', 'alert', 'alert']);
      expect(byRecipient.get(one(10).toString('hex'))?.mask).toBe((m1 | m2) >>> 0);
      expect(byRecipient.get(one(11).toString('hex'))).toMatchObject({ mask: m1, breach: 'AgenceDemo', subscription: { lang: 'en' } });
      expect(byRecipient.get(one(12).toString('hex'))?.mask).toBe(m2);
      expect(new Set(alerts.map((a) => a.messageId)).size).toBe(3);
      expect(byRecipient.has(one(13).toString('hex'))).toBe(false);

      // An append holding old and new subscribers alerts only the new one; another file of the same people, nobody.
      await loadRange(ctx.store, 'AgenceDemo', 'agence-2.csv', 5, 45, m1, true);
      await loadRange(ctx.store, 'AgenceDemo', 'agence-3.csv', 5, 45, m2, true);
      const appended = await drain();
      expect(appended.map((a) => a.recipient.toString('hex'))).toEqual([one(40).toString('hex')]);
      expect(await ctx.store.outboxCounts()).toEqual({ queued: 0, sent: 9, failed: 0, dead: 0 });
    });

    it('keeps a phone’s code as its hash: the right one confirms once, wrong tries and expiry spend it, a new request renews it', async () => {
      const hash = Buffer.alloc(32, 1);
      const phone = (extra: Partial<SubscriptionRequest> = {}) =>
        request(30, { channel: 'phone', codeHash: hash, expiresAt: '2025-04-07T09:10:00Z', ...extra });
      await ctx.store.requestSubscription(phone());
      expect((await ctx.store.getSubscription(one(30)))?.channel).toBe('phone');
      expect((await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 }))[0]?.subscription?.channel).toBe('phone');
      const check = (codeHash: Buffer, now = '2025-04-07T09:05:00Z', p = one(30)) => ctx.store.checkPhoneCode({ pseudonym: p, codeHash, maxAttempts: 2, now });
      expect(await check(Buffer.alloc(32, 2))).toBe(false);
      expect(await check(hash, '2025-04-07T09:10:00Z')).toBe(false); // expired
      expect(await check(hash)).toBe(false); // two wrong tries: spent
      // Within the throttle a request keeps the code already sent; past it, a new code and fresh tries.
      await ctx.store.requestSubscription(phone({ codeHash: Buffer.alloc(32, 3) }));
      expect(await check(hash)).toBe(false);
      ctx.clock.set('2025-04-07T10:00:00Z');
      await ctx.store.requestSubscription(phone({ expiresAt: '2025-04-07T10:10:00Z', throttleSince: '2025-04-07T09:50:00Z' }));
      expect(await check(hash, '2025-04-07T10:05:00Z')).toBe(true);
      expect(await ctx.store.getSubscription(one(30))).toMatchObject({ state: 'confirmed', confirmedAt: '2025-04-07T10:05:00Z' });
      expect(await check(hash, '2025-04-07T10:05:00Z')).toBe(false); // used once
      expect(await check(hash, '2025-04-07T10:05:00Z', one(31))).toBe(false); // nobody
    });

    it('leases claimed messages, retries failures when due, dead-letters, retries the dead and purges', async () => {
      await ctx.store.requestSubscription(request(20));
      await ctx.store.requestSubscription(request(21));
      const first = await ctx.store.claimOutbox({ limit: 1, leaseSeconds: 60 });
      expect(first.length).toBe(1);
      // Claimed and leased: a second sender does not get it while the lease runs.
      const second = await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 });
      expect(second.length).toBe(1);
      expect(second[0]?.id).not.toBe(first[0]?.id);
      expect(await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 })).toEqual([]);
      // The sender of `first` was killed: past the lease the message comes back, same identity.
      ctx.clock.set('2025-04-07T09:01:01Z');
      const again = await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 });
      expect(again.map((m) => [m.id, m.messageId])).toEqual([
        [first[0]!.id, first[0]!.messageId],
        [second[0]!.id, second[0]!.messageId],
      ]);
      // Both outcomes in one group, as the sender records them.
      await ctx.store.recordOutcomes([
        { id: first[0]!.id, sent: false, error: '451 4.3.0 <camille.martin@example.fr> try later', retryAt: '2025-04-07T09:10:00Z' },
        { id: second[0]!.id, sent: false, error: '550 5.1.1 unknown', retryAt: null },
      ]);
      expect(await ctx.store.outboxCounts()).toEqual({ queued: 0, sent: 0, failed: 1, dead: 1 });
      expect(await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 })).toEqual([]);
      ctx.clock.set('2025-04-07T09:10:00Z');
      const retried = await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 });
      expect(retried.map((m) => [m.id, m.attempts])).toEqual([[first[0]!.id, 1]]);
      await ctx.store.recordOutcomes([{ id: first[0]!.id, sent: true }]);
      expect(await ctx.store.retryDead()).toBe(1);
      expect((await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 })).map((m) => [m.id, m.attempts])).toEqual([[second[0]!.id, 0]]);
      await ctx.store.recordOutcomes([{ id: second[0]!.id, sent: true }]);
      expect(await ctx.store.purgeOutbox('2025-04-07T09:00:00Z')).toEqual({ messages: 0, subscriptions: 0 });
      ctx.clock.set('2025-04-12T00:00:00Z');
      await subscribe(22);
      expect(await ctx.store.purgeOutbox('2025-04-11T00:00:00Z')).toEqual({ messages: 2, subscriptions: 2 });
      expect(await ctx.store.getSubscription(one(20))).toBeUndefined();
      expect((await ctx.store.getSubscription(one(22)))?.state).toBe('confirmed');
      expect(await ctx.store.outboxCounts()).toEqual({ queued: 1, sent: 0, failed: 0, dead: 0 });
    });
  });
}

/**
 * The store contract, organisations: domains registered by an API key and verified, the sealed
 * aliases of verified domains staged by a load and written by its commit, and the one alert per
 * organisation and breach queued in the same transaction; the same on both engines.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { digest, mask, masks, one, pseudonyms, rejectsWith, stats } from './contract.helpers.js';
import type { ContractContext } from './store.contract.js';

const FAR = '9999-12-31T00:00:00Z';
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

export function runDomainContract(ctx: ContractContext): void {
  describe('organisations and domains', () => {
    afterEach(async () => {
      for (const d of await ctx.store.listDomains()) await ctx.store.removeDomain(d.keyName, d.domain);
      for (const k of await ctx.store.listApiKeys()) await ctx.store.revokeApiKey(k.name);
      // Everything queued is sent, then purged: the next suites start from an empty outbox.
      for (const m of await ctx.store.claimOutbox({ limit: 1000, leaseSeconds: 60 })) await ctx.store.recordOutcomes([{ id: m.id, sent: true }]);
      await ctx.store.purgeOutbox(FAR);
    });

    const org = async (name: string) => {
      await ctx.store.createApiKey({ name, hash: hash(name), rpm: 100 });
      return ctx.store.ensureOrganisation(name, randomBytes(16));
    };

    it('registers, verifies, lists and removes domains per key', async () => {
      const a = await org('Mairie');
      expect(a.keyName).toBe('Mairie');
      // Idempotent, by name in any case: the first id stays.
      expect((await ctx.store.ensureOrganisation('MAIRIE', randomBytes(16))).id.equals(a.id)).toBe(true);
      await rejectsWith(ctx.store.ensureOrganisation('absente', randomBytes(16)), 'VIGIE_NOT_FOUND');
      const d = await ctx.store.addDomain({ keyName: 'mairie', domain: 'ville.example.fr', token: 'abc' });
      expect(d).toMatchObject({ keyName: 'Mairie', domain: 'ville.example.fr', token: 'abc', state: 'pending', method: null, verifiedAt: null });
      await rejectsWith(ctx.store.addDomain({ keyName: 'Mairie', domain: 'ville.example.fr', token: 'x' }), 'VIGIE_CONFLICT');
      expect(await ctx.store.verifiedDomainNames()).toEqual([]);
      const v = await ctx.store.verifyDomain('Mairie', 'ville.example.fr', 'dns');
      expect(v).toMatchObject({ state: 'verified', method: 'dns', verifiedAt: '2025-04-07T09:00:00Z' });
      // A second proof keeps the first method.
      expect((await ctx.store.verifyDomain('Mairie', 'ville.example.fr', 'email')).method).toBe('dns');
      await rejectsWith(ctx.store.verifyDomain('Mairie', 'autre.example.fr', 'dns'), 'VIGIE_NOT_FOUND');
      const other = await ctx.open();
      expect(await other.verifiedDomainNames()).toEqual(['ville.example.fr']);
      expect((await other.listDomains('Mairie')).map((x) => x.domain)).toEqual(['ville.example.fr']);
      expect(await other.listDomains('autre')).toEqual([]);
      await ctx.store.removeDomain('Mairie', 'ville.example.fr');
      await rejectsWith(ctx.store.removeDomain('Mairie', 'ville.example.fr'), 'VIGIE_NOT_FOUND');
    });

    it('keeps a contact and a webhook, sealed as given', async () => {
      const a = await org('Banque');
      const sealed = randomBytes(40);
      const o = await ctx.store.setOrganisationContact('Banque', { contactSealed: sealed, webhookUrl: 'https://hooks.example.fr/vigie' });
      expect(o.contactSealed?.equals(sealed)).toBe(true);
      expect(o.webhookUrl).toBe('https://hooks.example.fr/vigie');
      const again = await ctx.store.setOrganisationContact('Banque', { webhookUrl: null });
      expect(again.webhookUrl).toBeNull();
      expect(again.contactSealed?.equals(sealed)).toBe(true);
      expect((await ctx.store.getOrganisationById(a.id))?.keyName).toBe('Banque');
      await rejectsWith(ctx.store.setOrganisationContact('personne', { webhookUrl: null }), 'VIGIE_NOT_FOUND');
    });

    it('writes staged aliases at commit and queues one alert per organisation and breach', async () => {
      const a = await org('Mairie');
      await ctx.store.setOrganisationContact('Mairie', { contactSealed: randomBytes(40) });
      await ctx.store.addDomain({ keyName: 'Mairie', domain: 'ville.example.fr', token: 't' });
      await ctx.store.verifyDomain('Mairie', 'ville.example.fr', 'dns');
      // A second organisation, without contact or webhook: nothing queued for it.
      await org('Muette');
      await ctx.store.addDomain({ keyName: 'Muette', domain: 'ville.example.fr', token: 'u' });
      await ctx.store.verifyDomain('Muette', 'ville.example.fr', 'email');

      const load = await ctx.store.beginLoad({ breach: { Name: 'Cantine' }, append: false, fileDigests: [digest('cantine')] });
      await load.write(pseudonyms(0, 10), masks(10, mask('email', 'name')));
      load.writeAliases([0, 1, 2].map((i) => ({ domain: 'ville.example.fr', pseudonym: one(i), sealed: Buffer.from(`sealed-${i}`) })));
      // Nothing is visible before the commit.
      expect(await ctx.store.domainAliases('ville.example.fr')).toEqual([]);
      await load.commit(stats(10));

      const other = await ctx.open();
      const aliases = await other.domainAliases('ville.example.fr');
      expect(aliases.map((r) => [r.breach, r.sealed.toString()]).sort()).toEqual([
        ['Cantine', 'sealed-0'],
        ['Cantine', 'sealed-1'],
        ['Cantine', 'sealed-2'],
      ]);
      expect(await other.domainCounts('ville.example.fr')).toEqual({ pwnCount: 3, excludingSpamLists: 3 });
      expect(await other.organisationBreachCount(a.id, 'Cantine')).toBe(3);
      const claimed = await other.claimOutbox({ limit: 10, leaseSeconds: 60 });
      expect(claimed.map((m) => [m.kind, m.breach, m.mask])).toEqual([['org-alert', 'Cantine', mask('email', 'name')]]);
      expect(claimed[0]?.recipient.equals(a.id)).toBe(true);
      for (const m of claimed) await other.recordOutcomes([{ id: m.id, sent: true }]);

      // An append adds aliases but alerts nobody twice.
      const more = await ctx.store.beginLoad({ breach: { Name: 'Cantine' }, append: true, fileDigests: [digest('cantine-2')] });
      await more.write(pseudonyms(10, 12), masks(2, mask('email')));
      more.writeAliases([{ domain: 'ville.example.fr', pseudonym: one(10), sealed: Buffer.from('sealed-10') }]);
      await more.commit(stats(2));
      expect(await ctx.store.domainCounts('ville.example.fr')).toEqual({ pwnCount: 4, excludingSpamLists: 4 });
      expect(await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 })).toEqual([]);

      // A retired breach no longer answers; removing the last verified owner erases the aliases.
      await ctx.store.retireBreach('Cantine');
      expect(await ctx.store.domainAliases('ville.example.fr')).toEqual([]);
      await ctx.store.deleteBreach('Cantine');
    });

    it('queues a domain check mail to the organisation, and erases aliases with the last owner', async () => {
      const a = await org('Mairie');
      await ctx.store.queueDomainMail({ orgId: a.id, domain: 'ville.example.fr', messageId: 'm1', expiresAt: '2025-04-09T09:00:00Z' });
      const [m] = await ctx.store.claimOutbox({ limit: 10, leaseSeconds: 60 });
      expect(m).toMatchObject({
        kind: 'domain-verify',
        breach: 'ville.example.fr',
        messageId: 'm1',
        expiresAt: '2025-04-09T09:00:00Z',
        subscription: undefined,
      });
      await ctx.store.recordOutcomes([{ id: m!.id, sent: true }]);

      await ctx.store.addDomain({ keyName: 'Mairie', domain: 'ville.example.fr', token: 't' });
      await ctx.store.verifyDomain('Mairie', 'ville.example.fr', 'dns');
      const load = await ctx.store.beginLoad({ breach: { Name: 'Piscine' }, append: false, fileDigests: [digest('piscine')] });
      await load.write(pseudonyms(0, 2), masks(2, mask('email')));
      load.writeAliases([{ domain: 'ville.example.fr', pseudonym: one(0), sealed: Buffer.from('s') }]);
      await load.commit(stats(2));
      expect(await ctx.store.domainAliases('ville.example.fr')).toHaveLength(1);
      await ctx.store.removeDomain('Mairie', 'ville.example.fr');
      expect(await ctx.store.domainAliases('ville.example.fr')).toEqual([]);
      await ctx.store.deleteBreach('Piscine');
    });
  });
}

/**
 * HIBP's domain search for organisations: `breacheddomain/{domain}` (alias → breach names, for a
 * domain the key has verified) and `subscribeddomains` (the key's verified domains and their
 * counts), with HIBP's field names and statuses: 401 without a valid key, 403 for a domain the
 * key has not verified, 404 when the domain has no breached address.
 */
import type { FastifyInstance } from 'fastify';
import { isVigieError } from '../../errors.js';
import type { ServeContext } from '../context.js';
import { sendError } from '../http-errors.js';
import { errors } from '../schemas.js';

const keyed = [{ hibpApiKey: [] }];
const nullableCount = { type: 'integer', nullable: true } as const;

export async function registerHibpDomainRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.get<{ Params: { domain: string } }>(
    '/breacheddomain/:domain',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'The breached aliases of a verified domain, each with the names of its breaches',
        description:
          'HIBP\'s shape: {"alias1":["Adobe"],"alias2":["Adobe","Gawker"]}. Only leaks ingested after the domain was verified (by any key) hold its aliases: Vigie keeps no address of a domain nobody verified (ADR 0008).',
        security: keyed,
        params: { type: 'object', properties: { domain: { type: 'string', minLength: 1, maxLength: 253 } }, required: ['domain'] },
        response: {
          200: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const key = await ctx.authenticate(request, reply, true);
      if (!key) return reply;
      try {
        const found = await ctx.organisations.breachedDomain(key.name, request.params.domain);
        if (Object.keys(found).length === 0) return sendError(reply, 'VIGIE_NOT_FOUND', 'Not found');
        return found;
      } catch (e) {
        if (isVigieError(e) && (e.code === 'VIGIE_FORBIDDEN' || e.code === 'VIGIE_USAGE')) return sendError(reply, e.code, e.message);
        throw e;
      }
    },
  );

  app.get(
    '/subscribeddomains',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: "The key's verified domains with their breached address counts",
        security: keyed,
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                DomainName: { type: 'string' },
                PwnCount: nullableCount,
                PwnCountExcludingSpamLists: nullableCount,
                PwnCountExcludingSpamListsAtLastSubscriptionRenewal: nullableCount,
                NextSubscriptionRenewal: { type: 'string', format: 'date-time', nullable: true },
              },
              required: [
                'DomainName',
                'PwnCount',
                'PwnCountExcludingSpamLists',
                'PwnCountExcludingSpamListsAtLastSubscriptionRenewal',
                'NextSubscriptionRenewal',
              ],
              additionalProperties: false,
            },
          },
          ...errors(401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const key = await ctx.authenticate(request, reply, true);
      if (!key) return reply;
      return ctx.organisations.subscribedDomains(key.name);
    },
  );
}

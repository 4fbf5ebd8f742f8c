/**
 * Have I Been Pwned's API v3, under `/api/v3`: the same paths, query parameters, JSON field
 * names and casing, status codes and headers, so that existing HIBP clients work unchanged
 * against Vigie through their base-URL option. The catalogue routes are public, as on HIBP;
 * account searches need a `hibp-api-key` and count against its rate. Every v3 request needs a
 * `user-agent`, as HIBP requires (403 without one).
 */
import type { FastifyInstance } from 'fastify';
import { VigieError } from '../../errors.js';
import { parseAccount } from '../account.js';
import type { ServeContext } from '../context.js';
import { sendError } from '../http-errors.js';
import { accountParams, breachSchema, dataClassNames, errors } from '../schemas.js';
import { matchesDomain, toHibpBreach } from './breach.js';

const breachList = { type: 'array', items: { $ref: 'Breach#' } } as const;
/** `truncateResponse` (the default) gives only `Name`; `false` gives every field. */
const accountList = {
  type: 'array',
  description: 'With truncateResponse=true (the default) each breach has only its Name; with false, every field of the Breach model',
  items: { type: 'object', properties: breachSchema.properties, required: ['Name'], additionalProperties: false },
} as const;
const keyed = [{ hibpApiKey: [] }];

interface AccountRequest {
  Params: { account: string };
  Querystring: { truncateResponse: boolean; domain?: string; includeUnverified: boolean };
}

export async function registerHibpRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    const ua = request.headers['user-agent'];
    if (typeof ua !== 'string' || ua.trim() === '') {
      sendError(reply, 'VIGIE_FORBIDDEN', 'a user-agent header is required, as on the Have I Been Pwned API');
      return;
    }
    done();
  });

  app.get<AccountRequest>(
    '/breachedaccount/:account',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'The breaches an email address or a phone number is in',
        description:
          'The account is an email address or a phone number in any usual writing, normalised as ingest does. Sensitive breaches are left out, as HIBP does for anyone who has not proven ownership.',
        security: keyed,
        params: accountParams,
        querystring: {
          type: 'object',
          properties: {
            truncateResponse: { type: 'boolean', default: true },
            domain: { type: 'string', maxLength: 255 },
            includeUnverified: { type: 'boolean', default: true },
          },
        },
        response: { 200: accountList, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const key = await ctx.authenticate(request, reply, true);
      if (!key) return reply;
      const { hits } = await ctx.lookups.lookup(request.params.account);
      const q = request.query;
      const found = hits.map((h) => h.breach).filter((b) => matchesDomain(b, q.domain) && (q.includeUnverified || b.IsVerified));
      if (found.length === 0) return sendError(reply, 'VIGIE_NOT_FOUND', 'Not found');
      return q.truncateResponse ? found.map((b) => ({ Name: b.Name })) : found.map(toHibpBreach);
    },
  );

  app.get<{ Params: { account: string } }>(
    '/pasteaccount/:account',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'Pastes of an email address: Vigie holds none, so always 404',
        security: keyed,
        params: accountParams,
        response: { ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const key = await ctx.authenticate(request, reply, true);
      if (!key) return reply;
      const account = parseAccount(request.params.account);
      if (account.kind !== 'email') throw new VigieError('VIGIE_BAD_ACCOUNT', 'pastes are searched by email address only');
      return sendError(reply, 'VIGIE_NOT_FOUND', 'Not found');
    },
  );

  app.get<{ Querystring: { domain?: string; isSpamList?: boolean } }>(
    '/breaches',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'Every breach in the catalogue',
        querystring: { type: 'object', properties: { domain: { type: 'string', maxLength: 255 }, isSpamList: { type: 'boolean' } } },
        response: { 200: breachList, ...errors(400, 403) },
      },
    },
    async (request) => {
      const { domain, isSpamList } = request.query;
      return (await ctx.catalogue.list())
        .map((e) => e.breach)
        .filter((b) => matchesDomain(b, domain) && (isSpamList === undefined || b.IsSpamList === isSpamList))
        .map(toHibpBreach);
    },
  );

  app.get<{ Params: { name: string } }>(
    '/breach/:name',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'One breach by name',
        params: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] },
        response: { 200: { $ref: 'Breach#' }, ...errors(400, 403, 404) },
      },
    },
    async (request, reply) => {
      const entry = await ctx.catalogue.get(request.params.name);
      if (!entry) return sendError(reply, 'VIGIE_NOT_FOUND', 'Not found');
      return toHibpBreach(entry.breach);
    },
  );

  app.get(
    '/latestbreach',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'The breach most recently added',
        response: { 200: { $ref: 'Breach#' }, ...errors(403, 404) },
      },
    },
    async (_request, reply) => {
      const entries = (await ctx.catalogue.list()).filter((e) => !e.breach.IsRetired);
      const latest = entries.reduce<(typeof entries)[number] | undefined>((a, e) => (!a || e.breach.AddedDate > a.breach.AddedDate ? e : a), undefined);
      if (!latest) return sendError(reply, 'VIGIE_NOT_FOUND', 'Not found');
      return toHibpBreach(latest.breach);
    },
  );

  app.get(
    '/dataclasses',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'Every data class Vigie knows',
        response: { 200: { type: 'array', items: { type: 'string' } }, ...errors(403) },
      },
    },
    async () => dataClassNames,
  );

  app.get(
    '/subscription/status',
    {
      schema: {
        tags: ['HIBP v3'],
        summary: 'The calling API key: its name and rate',
        security: keyed,
        response: {
          200: {
            type: 'object',
            properties: {
              SubscriptionName: { type: 'string' },
              Description: { type: 'string' },
              SubscribedUntil: { type: 'string' },
              Rpm: { type: 'integer' },
              DomainSearchMaxBreachedAccounts: { type: 'integer' },
              IncludesStealerLogs: { type: 'boolean' },
            },
            required: ['SubscriptionName', 'Description', 'SubscribedUntil', 'Rpm', 'DomainSearchMaxBreachedAccounts', 'IncludesStealerLogs'],
            additionalProperties: false,
          },
          ...errors(401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const key = await ctx.authenticate(request, reply, true);
      if (!key) return reply;
      return {
        SubscriptionName: key.name,
        Description: `Vigie API key "${key.name}", created ${key.createdAt}: up to ${key.rpm} requests per minute`,
        // Vigie's keys do not expire; HIBP's field is a date, so the far end of ISO 8601.
        SubscribedUntil: '9999-12-31T23:59:59Z',
        Rpm: key.rpm,
        DomainSearchMaxBreachedAccounts: 0,
        IncludesStealerLogs: false,
      };
    },
  );
}

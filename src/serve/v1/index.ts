/**
 * Vigie's own API, under `/api/v1`: lookups of an email or a phone that say, leak by leak, which
 * data classes were exposed for that identifier and what to do about them; the catalogue with
 * per-class counts; the guidance. A lookup is a POST: the value travels in the body, never in a
 * URL that proxies, browsers and access logs keep.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { DataClasses, type DataClassKey, type DataClassName } from '../../dataclasses.js';
import { allGuidance, guidanceFor, type Lang } from '../../guidance/index.js';
import type { BreachEntry } from '../../store/index.js';
import type { ServeContext } from '../context.js';
import { sendError, sendRateLimited } from '../http-errors.js';
import { toHibpBreach } from '../hibp/index.js';
import { breachSchema, errors, langQuery } from '../schemas.js';
import { registerSubscriptionRoutes } from './subscriptions.js';
import { registerDomainRoutes } from './domains.js';
import { isVerifiedOwner } from '../owner.js';

const classCounts = {
  type: 'object',
  description: 'Per data class: records holding a valid value of it',
  additionalProperties: { type: 'integer' },
} as const;

const catalogueEntry = {
  type: 'object',
  properties: {
    ...breachSchema.properties,
    Stats: {
      type: 'object',
      properties: {
        records: { type: 'integer' },
        skipped: { type: 'integer' },
        people: { type: 'integer' },
        identifiers: { type: 'integer' },
        dataClasses: classCounts,
      },
      required: ['records', 'skipped', 'people', 'identifiers', 'dataClasses'],
      additionalProperties: false,
    },
  },
  required: [...breachSchema.required, 'Stats'],
  additionalProperties: false,
} as const;

const guidanceList = { type: 'array', items: { $ref: 'Guidance#' } } as const;

const lookupResponse = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['email', 'phone'] },
    found: { type: 'boolean' },
    breaches: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          Name: { type: 'string' },
          Title: { type: 'string' },
          Domain: { type: 'string' },
          BreachDate: { type: ['string', 'null'] },
          AddedDate: { type: 'string' },
          Description: { type: 'string' },
          IsVerified: { type: 'boolean' },
          DataClasses: { type: 'array', items: { type: 'string' }, description: "the breach's data classes" },
          ExposedDataClasses: { type: 'array', items: { type: 'string' }, description: 'the data classes exposed with this identifier' },
          Guidance: guidanceList,
        },
        required: ['Name', 'Title', 'Domain', 'BreachDate', 'AddedDate', 'Description', 'IsVerified', 'DataClasses', 'ExposedDataClasses', 'Guidance'],
        additionalProperties: false,
      },
    },
    guidance: { ...guidanceList, description: 'the guidance for every class exposed in any of these breaches' },
  },
  required: ['kind', 'found', 'breaches', 'guidance'],
  additionalProperties: false,
} as const;

function withStats(e: BreachEntry) {
  const counts: Partial<Record<DataClassName, number>> = {};
  for (const [k, n] of Object.entries(e.stats.classCounts)) {
    const name = DataClasses[k as DataClassKey];
    if (name !== undefined && typeof n === 'number') counts[name] = n;
  }
  const s = e.stats;
  return { ...toHibpBreach(e.breach), Stats: { records: s.records, skipped: s.skipped, people: s.people, identifiers: s.identifiers, dataClasses: counts } };
}

export async function registerV1Routes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  // JSON only: any other body is a 415, not a string that fails validation.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.post<{ Body: { account: string; lang: Lang } }>(
    '/lookup',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'The leaks an email address or a phone number is in, with what each exposed for it and what to do',
        description:
          "Only an email address or a phone number can be looked up (a NIR, a name, a date of birth or an address is refused with 400). Without an API key, lookups are limited per client address; with one, by its rate. Nothing of the value is kept. Leaks marked sensitive are shown only to the address's verified owner (the session cookie set by confirming a subscription).",
        security: [{}, { hibpApiKey: [] }],
        body: {
          type: 'object',
          properties: { account: { type: 'string', maxLength: 1024 }, lang: langQuery },
          required: ['account'],
          additionalProperties: false,
        },
        response: { 200: lookupResponse, ...errors(400, 401, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const key = await ctx.authenticate(request, reply, false);
      if (key === undefined) return reply;
      if (key === null) {
        const limit = await ctx.limits.perAddress(request);
        if (!limit.ok) return sendRateLimited(reply, limit.retryAfter);
      }
      const { lang } = request.body;
      const { account } = request.body;
      const result = await ctx.lookups.lookup(account, { includeSensitive: await isVerifiedOwner(ctx.subscriptions, request, account) });
      const union = new Set<DataClassName>();
      const breaches = result.hits.map(({ breach: b, exposed }) => {
        for (const c of exposed) union.add(c);
        return {
          Name: b.Name,
          Title: b.Title,
          Domain: b.Domain,
          BreachDate: b.BreachDate,
          AddedDate: b.AddedDate,
          Description: b.Description,
          IsVerified: b.IsVerified,
          DataClasses: b.DataClasses,
          ExposedDataClasses: exposed,
          Guidance: guidanceFor(exposed, lang),
        };
      });
      return { kind: result.kind, found: breaches.length > 0, breaches, guidance: guidanceFor([...union], lang) };
    },
  );

  const subscriptions: FastifyPluginAsync = (scope) => registerSubscriptionRoutes(scope, ctx);
  await app.register(subscriptions);
  const domains: FastifyPluginAsync = (scope) => registerDomainRoutes(scope, ctx);
  await app.register(domains);

  app.get(
    '/breaches',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'The catalogue, with per-class counts',
        response: { 200: { type: 'array', items: catalogueEntry } },
      },
    },
    async () => (await ctx.catalogue.list()).map(withStats),
  );

  app.get<{ Params: { name: string } }>(
    '/breaches/:name',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'One leak, with per-class counts',
        params: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] },
        response: { 200: catalogueEntry, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const entry = await ctx.catalogue.get(request.params.name);
      if (!entry) return sendError(reply, 'VIGIE_NOT_FOUND', 'no leak by that name');
      return withStats(entry);
    },
  );

  app.get<{ Querystring: { lang: Lang } }>(
    '/guidance',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'What to do, for every data class',
        querystring: { type: 'object', properties: { lang: langQuery } },
        response: { 200: guidanceList, ...errors(400) },
      },
    },
    async (request) => allGuidance(request.query.lang),
  );

  app.get(
    '/health',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'Liveness: the store answers',
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, engine: { type: 'string' }, breaches: { type: 'integer' } },
            required: ['status', 'engine', 'breaches'],
            additionalProperties: false,
          },
          ...errors(503),
        },
      },
    },
    async () => ({ status: 'ok', engine: ctx.store.engine, breaches: (await ctx.catalogue.list()).length }),
  );
}

/**
 * Organisations' routes under `/api/v1` (an organisation is its API key, `hibp-api-key`):
 * register a domain, prove control of it (DNS TXT record now, or a link mailed to `security@`
 * or `postmaster@` it), confirm that link (a POST: mail scanners fetch links), list and remove
 * domains, and set where alerts go (contact address, signed webhook). And the operators' outbox
 * routes, for keys created with `vigie apikey create --operator`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isVigieError } from '../../errors.js';
import { type ApiKey, type Domain, normaliseDomain } from '../../store/index.js';
import type { ServeContext } from '../context.js';
import { sendError } from '../http-errors.js';
import { errors } from '../schemas.js';

const keyed = [{ hibpApiKey: [] }];
const domainName = { type: 'string', minLength: 1, maxLength: 253 } as const;
const domainSchema = {
  type: 'object',
  properties: {
    domain: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'verified'] },
    method: { type: 'string', enum: ['dns', 'email', null], nullable: true },
    txtRecord: { type: 'string', description: 'The TXT record to publish at the domain or at _vigie.<domain>' },
    createdAt: { type: 'string' },
    verifiedAt: { type: 'string', nullable: true },
  },
  required: ['domain', 'state', 'method', 'txtRecord', 'createdAt', 'verifiedAt'],
  additionalProperties: false,
} as const;
const countsSchema = {
  type: 'object',
  properties: { queued: { type: 'integer' }, sent: { type: 'integer' }, failed: { type: 'integer' }, dead: { type: 'integer' } },
  required: ['queued', 'sent', 'failed', 'dead'],
  additionalProperties: false,
} as const;

const view = (d: Domain) => ({
  domain: d.domain,
  state: d.state,
  method: d.method,
  txtRecord: `vigie-verification=${d.token}`,
  createdAt: d.createdAt,
  verifiedAt: d.verifiedAt,
});

/** Runs `fn`, answering a VigieError as its JSON error. */
async function answer<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await fn();
  } catch (e) {
    if (isVigieError(e)) return sendError(reply, e.code, e.message);
    throw e;
  }
}

export async function registerDomainRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  const orgs = ctx.organisations;
  const key = (request: FastifyRequest, reply: FastifyReply) => ctx.authenticate(request, reply, true) as Promise<ApiKey | undefined>;

  app.post<{ Body: { domain: string } }>(
    '/domains',
    {
      schema: {
        tags: ['Organisations'],
        summary: "Register a domain for the key's organisation; the answer gives the TXT record that proves control",
        security: keyed,
        body: { type: 'object', properties: { domain: domainName }, required: ['domain'], additionalProperties: false },
        response: { 201: domainSchema, ...errors(400, 401, 409, 429) },
      },
    },
    async (request, reply) => {
      const k = await key(request, reply);
      if (!k) return reply;
      return answer(reply, async () => reply.code(201).send(view(await orgs.addDomain(k.name, request.body.domain))));
    },
  );

  app.get(
    '/domains',
    {
      schema: {
        tags: ['Organisations'],
        summary: "The key's domains and their state",
        security: keyed,
        response: { 200: { type: 'array', items: domainSchema }, ...errors(401, 429) },
      },
    },
    async (request, reply) => {
      const k = await key(request, reply);
      if (!k) return reply;
      return (await ctx.store.listDomains(k.name)).map(view);
    },
  );

  app.post<{ Body: { domain: string; method: 'dns' | 'email'; mailbox: 'security' | 'postmaster' } }>(
    '/domains/verify',
    {
      schema: {
        tags: ['Organisations'],
        summary: 'Prove control of a domain: look up its TXT record now (dns), or mail a link to security@ or postmaster@ it (email)',
        security: keyed,
        body: {
          type: 'object',
          properties: {
            domain: domainName,
            method: { type: 'string', enum: ['dns', 'email'] },
            mailbox: { type: 'string', enum: ['security', 'postmaster'], default: 'security' },
          },
          required: ['domain', 'method'],
          additionalProperties: false,
        },
        response: { 200: domainSchema, 202: domainSchema, ...errors(400, 401, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const k = await key(request, reply);
      if (!k) return reply;
      const { domain, method, mailbox } = request.body;
      return answer(reply, async () => {
        if (method === 'dns') return view(await orgs.verifyByDns(k.name, domain));
        const d = await orgs.verifyByMail(k.name, domain, mailbox);
        return reply.code(d.state === 'verified' ? 200 : 202).send(view(d));
      });
    },
  );

  app.post<{ Body: { token: string } }>(
    '/domains/confirm',
    {
      schema: {
        tags: ['Organisations'],
        summary: 'Confirm a domain with the token of the link mailed to it',
        body: { type: 'object', properties: { token: { type: 'string', minLength: 1, maxLength: 2048 } }, required: ['token'], additionalProperties: false },
        response: { 200: domainSchema, ...errors(400) },
      },
    },
    async (request, reply) => answer(reply, async () => view(await orgs.confirmByMail(request.body.token))),
  );

  app.delete<{ Params: { domain: string } }>(
    '/domains/:domain',
    {
      schema: {
        tags: ['Organisations'],
        summary: 'Remove a domain (its sealed aliases go too, unless another key has it verified)',
        security: keyed,
        params: { type: 'object', properties: { domain: domainName }, required: ['domain'] },
        response: {
          200: {
            type: 'object',
            properties: { domain: { type: 'string' }, removed: { type: 'boolean', enum: [true] } },
            required: ['domain', 'removed'],
            additionalProperties: false,
          },
          ...errors(400, 401, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const k = await key(request, reply);
      if (!k) return reply;
      return answer(reply, async () => {
        const domain = normaliseDomain(request.params.domain);
        await ctx.store.removeDomain(k.name, domain);
        return { domain, removed: true };
      });
    },
  );

  app.put<{ Body: { email?: string | null; webhookUrl?: string | null } }>(
    '/organisation',
    {
      schema: {
        tags: ['Organisations'],
        summary: "Where the organisation's alerts go: a contact address and/or a signed webhook (its secret is in this answer only)",
        security: keyed,
        body: {
          type: 'object',
          properties: { email: { type: 'string', maxLength: 256, nullable: true }, webhookUrl: { type: 'string', maxLength: 2048, nullable: true } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              contact: { type: 'boolean' },
              webhookUrl: { type: 'string', nullable: true },
              webhookSecret: { type: 'string', description: 'HMAC-SHA-256 key of the Vigie-Signature header; shown once' },
            },
            required: ['contact', 'webhookUrl'],
            additionalProperties: false,
          },
          ...errors(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const k = await key(request, reply);
      if (!k) return reply;
      return answer(reply, async () => {
        const r = await orgs.setContact(k.name, request.body);
        return {
          contact: r.organisation.contactSealed !== null,
          webhookUrl: r.organisation.webhookUrl,
          ...(r.webhookSecret ? { webhookSecret: r.webhookSecret } : {}),
        };
      });
    },
  );

  // The operators' outbox API: the same as `vigie alerts status|retry|purge`.
  const operator = async (request: FastifyRequest, reply: FastifyReply) => {
    const k = await key(request, reply);
    if (!k) return undefined;
    if (!k.operator) {
      sendError(reply, 'VIGIE_FORBIDDEN', 'this API key is not an operator key (vigie apikey create --operator)');
      return undefined;
    }
    return k;
  };

  app.get(
    '/alerts/status',
    {
      schema: {
        tags: ['Operators'],
        summary: 'Outbox counts: queued, sent, failed (to retry), dead',
        security: keyed,
        response: { 200: countsSchema, ...errors(401, 403, 429) },
      },
    },
    async (request, reply) => ((await operator(request, reply)) ? ctx.store.outboxCounts() : reply),
  );

  app.post(
    '/alerts/retry',
    {
      schema: {
        tags: ['Operators'],
        summary: 'Put the dead messages back in the queue, attempts reset',
        security: keyed,
        response: {
          200: { type: 'object', properties: { requeued: { type: 'integer' } }, required: ['requeued'], additionalProperties: false },
          ...errors(401, 403, 429),
        },
      },
    },
    async (request, reply) => ((await operator(request, reply)) ? { requeued: await ctx.store.retryDead() } : reply),
  );

  app.post<{ Body: { olderThanDays: number } | undefined }>(
    '/alerts/purge',
    {
      schema: {
        tags: ['Operators'],
        summary: 'Delete sent and dead messages, and unconfirmed subscriptions, older than a number of days (default 30)',
        security: keyed,
        body: { type: 'object', properties: { olderThanDays: { type: 'integer', minimum: 0, maximum: 36500, default: 30 } }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: { messages: { type: 'integer' }, subscriptions: { type: 'integer' } },
            required: ['messages', 'subscriptions'],
            additionalProperties: false,
          },
          ...errors(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      if (!(await operator(request, reply))) return reply;
      const days = request.body?.olderThanDays ?? 30;
      return ctx.store.purgeOutbox(`${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 19)}Z`);
    },
  );
}

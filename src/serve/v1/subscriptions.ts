/**
 * Subscriptions under `/api/v1/subscriptions`: ask for alerts (double opt-in), confirm, and
 * unsubscribe, the last also in one click as RFC 8058 specifies (a POST of
 * `List-Unsubscribe=One-Click`, form-encoded, to the URL of the `List-Unsubscribe` header).
 *
 * The answer to a request never says whether the address is known, pending, confirmed or in a
 * leak: one status, one body, and the same work (the mail goes through the outbox).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isVigieError } from '../../errors.js';
import type { Lang } from '../../guidance/index.js';
import type { ServeContext } from '../context.js';
import { sendError, sendRateLimited } from '../http-errors.js';
import { errors, langQuery } from '../schemas.js';
import { ownerCookie } from '../owner.js';

const FORM = 'application/x-www-form-urlencoded';
const token = { type: 'string', minLength: 1, maxLength: 2048 } as const;

const statusResponse = (status: string, description: string) =>
  ({
    type: 'object',
    description,
    properties: { status: { type: 'string', enum: [status] }, message: { type: 'string' } },
    required: ['status', 'message'],
    additionalProperties: false,
  }) as const;

const REQUESTED = {
  status: 'pending',
  message: 'If this address can receive mail, a confirmation link is on its way. Nothing is sent to it until the link is followed.',
} as const;

const REQUESTED_PHONE = {
  status: 'pending',
  message:
    'If this number can receive text messages, a code is on its way. Post it to /api/v1/subscriptions/confirm-phone; nothing else is sent to the number until then.',
} as const;

const phone = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  description: 'A French phone number in any usual writing (06 12 34 56 78, +33 6 12 34 56 78...)',
} as const;

export async function registerSubscriptionRoutes(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  // RFC 8058 clients post a form body; only these routes accept one.
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const off = (reply: FastifyReply) => sendError(reply, 'VIGIE_ALERTS_OFF', 'alerts are not configured on this server');

  app.post<{ Body: { email?: string; phone?: string; lang: Lang } }>(
    '/subscriptions',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'Ask for alerts on an email address (a confirmation link is mailed to it) or a phone (a one-time code is sent by SMS)',
        description:
          'Either `email` or `phone`. The answer is the same whether or not the address or number is known, already subscribed or in a leak. Limited per client address, as lookups are. Nothing is sent but the confirmation (or the code) until it is confirmed. Phones need an SMS gateway (`VIGIE_SMS_WEBHOOK_URL`): 503 otherwise.',
        security: [{}, { hibpApiKey: [] }],
        body: {
          type: 'object',
          properties: { email: { type: 'string', maxLength: 1024 }, phone, lang: langQuery },
          oneOf: [{ required: ['email'] }, { required: ['phone'] }],
          additionalProperties: false,
        },
        response: {
          202: statusResponse('pending', 'The request is recorded; a confirmation link is mailed, or a code sent by SMS'),
          ...errors(400, 401, 413, 415, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const subs = ctx.subscriptions;
      if (!subs) return off(reply);
      const { email, phone: number, lang } = request.body;
      if (number !== undefined && !subs.settings.phones) return sendError(reply, 'VIGIE_ALERTS_OFF', 'alerts by SMS are not configured on this server');
      const key = await ctx.authenticate(request, reply, false);
      if (key === undefined) return reply;
      if (key === null) {
        const limit = await ctx.limits.perAddress(request);
        if (!limit.ok) return sendRateLimited(reply, limit.retryAfter);
      }
      if (number !== undefined) {
        await subs.requestPhone(number, lang);
        return reply.code(202).send(REQUESTED_PHONE);
      }
      await subs.request(email ?? '', lang);
      return reply.code(202).send(REQUESTED);
    },
  );

  app.post<{ Body: { phone: string; code: string } }>(
    '/subscriptions/confirm-phone',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'Confirm a phone subscription with the one-time code it received by SMS',
        description:
          'Six digits, valid 10 minutes, 5 tries; a wrong, expired or spent code and an unknown number get the same 400 `VIGIE_BAD_TOKEN`. Limited per client address, as lookups are. Makes the caller a verified owner of the number (the session cookie of `/subscriptions/confirm`).',
        body: {
          type: 'object',
          properties: { phone, code: { type: 'string', minLength: 1, maxLength: 16 } },
          required: ['phone', 'code'],
          additionalProperties: false,
        },
        response: { 200: statusResponse('confirmed', 'The subscription is confirmed'), ...errors(400, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const subs = ctx.subscriptions;
      if (!subs?.settings.phones) return sendError(reply, 'VIGIE_ALERTS_OFF', 'alerts by SMS are not configured on this server');
      // Every try counts against the client's address too: guessing across many numbers is slowed as well.
      const limit = await ctx.limits.perAddress(request);
      if (!limit.ok) return sendRateLimited(reply, limit.retryAfter);
      const pseudonym = await subs.confirmPhone(request.body.phone, request.body.code);
      reply.header('set-cookie', ownerCookie(subs, request.headers.cookie, pseudonym));
      return { status: 'confirmed', message: 'The subscription is confirmed: an SMS will be sent if this number appears in a new leak.' };
    },
  );

  app.post<{ Body: { token: string } }>(
    '/subscriptions/confirm',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'Confirm a subscription with the token of its confirmation link',
        description:
          'Makes the caller a verified owner of the address: the answer sets a session cookie (HttpOnly, SameSite=Strict) under which lookups of that address show sensitive leaks too.',
        body: { type: 'object', properties: { token }, required: ['token'], additionalProperties: false },
        response: { 200: statusResponse('confirmed', 'The subscription is confirmed'), ...errors(400, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const subs = ctx.subscriptions;
      if (!subs) return off(reply);
      const pseudonym = await subs.confirm(request.body.token);
      reply.header('set-cookie', ownerCookie(subs, request.headers.cookie, pseudonym));
      return { status: 'confirmed', message: 'The subscription is confirmed: an alert will be mailed if this address appears in a new leak.' };
    },
  );

  app.post<{ Body: { token?: string; 'List-Unsubscribe'?: string } | undefined; Querystring: { token?: string } }>(
    '/subscriptions/unsubscribe',
    {
      schema: {
        tags: ['Vigie v1'],
        summary: 'Unsubscribe, erasing the address (JSON with the token, or RFC 8058 one-click)',
        description:
          'Either JSON `{"token": "..."}`, or the RFC 8058 one-click POST: the token in the query (`?token=`, as the `List-Unsubscribe` header of every message gives it) and the form body `List-Unsubscribe=One-Click`. Idempotent.',
        querystring: { type: 'object', properties: { token }, additionalProperties: false },
        body: {
          type: 'object',
          properties: { token, 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } },
          additionalProperties: false,
        },
        response: { 200: statusResponse('unsubscribed', 'The address is unsubscribed and erased'), ...errors(400, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const subs = ctx.subscriptions;
      if (!subs) return off(reply);
      const value = request.body?.token ?? request.query.token;
      if (value === undefined) return sendError(reply, 'VIGIE_BAD_TOKEN', 'the unsubscribe token is missing');
      try {
        await subs.unsubscribe(value);
      } catch (e) {
        if (isVigieError(e)) return sendError(reply, e.code, e.message);
        throw e;
      }
      return { status: 'unsubscribed', message: 'The address is unsubscribed and erased: nothing more will be sent to it.' };
    },
  );
}

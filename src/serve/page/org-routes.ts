/**
 * The organisation view's routes, in each language: the login form and its POST (an API key
 * exchanged for a session cookie: `../org-session.ts`), the leaks, one leak's CNIL draft, and
 * the logout. HTML pages, not API routes: hidden from OpenAPI like the rest of the page. Every
 * page of the view is counted against the key's own rate, as its API requests are.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../../guidance/index.js';
import { draftFromStore, draftHtml } from '../../notify/index.js';
import type { ApiKey } from '../../store/index.js';
import type { ServeContext } from '../context.js';
import { tooManyPage } from './form-view.js';
import { draftPage, loginPage, noLeakPage, orgPage } from './org-view.js';
import { ORG_PATHS, ORG_TEXTS } from './org-texts.js';

const hidden = { schema: { hide: true } } as const;
const FORM_LIMIT = 4096;
const leakParams = {
  schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 128 } }, required: ['name'] } },
} as const;

function sendHtml(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** The form's `key` field, or undefined for a body that is not the form's. */
function keyField(body: unknown): string | undefined {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['key'] : undefined;
  return typeof v === 'string' ? v.trim() : undefined;
}

const secure = (request: FastifyRequest): boolean => request.protocol === 'https';

export function registerOrgPages(app: FastifyInstance, ctx: ServeContext, lang: Lang): void {
  const paths = ORG_PATHS[lang];

  /**
   * The session's key, counted against its rate; otherwise the login form (no session) or the
   * 429 page has been sent and the handler stops there.
   */
  const session = async (request: FastifyRequest, reply: FastifyReply): Promise<ApiKey | undefined> => {
    const key = await ctx.orgSessions.current(request.headers.cookie);
    if (!key) {
      sendHtml(reply, 401, loginPage(lang));
      return undefined;
    }
    const limit = await ctx.limits.perKey(request, key);
    if (!limit.ok) {
      reply.header('retry-after', String(limit.retryAfter));
      sendHtml(reply, 429, tooManyPage(lang, limit.retryAfter));
      return undefined;
    }
    return key;
  };

  app.get(paths.view, hidden, async (request, reply) => {
    const key = await session(request, reply);
    if (!key) return reply;
    const entries = await ctx.store.listBreaches();
    entries.sort((a, b) => b.breach.AddedDate.localeCompare(a.breach.AddedDate) || a.breach.Name.localeCompare(b.breach.Name));
    return sendHtml(reply, 200, orgPage(lang, entries, key.name));
  });

  app.get<{ Params: { name: string } }>(`${paths.leak}/:name`, leakParams, async (request, reply) => {
    const key = await session(request, reply);
    if (!key) return reply;
    const draft = await draftFromStore(ctx.store, request.params.name, new Date(), lang).catch((e: unknown) => {
      // A name that cannot be a leak's (`VIGIE_USAGE` from the store) is simply not one.
      if ((e as { code?: string }).code === 'VIGIE_USAGE') return undefined;
      throw e;
    });
    if (!draft) return sendHtml(reply, 404, noLeakPage(lang));
    return sendHtml(reply, 200, draftPage(lang, draft.breach.name, draft.breach.title, draftHtml(draft), key.name));
  });

  app.post(paths.login, { ...hidden, bodyLimit: FORM_LIMIT }, async (request, reply) => {
    // Keys are guessed no faster than lookups are made: the address's own rate.
    const limit = await ctx.limits.perAddress(request);
    if (!limit.ok) {
      reply.header('retry-after', String(limit.retryAfter));
      return sendHtml(reply, 429, tooManyPage(lang, limit.retryAfter));
    }
    const presented = keyField(request.body);
    const key = presented ? await ctx.keys.find(presented) : undefined;
    if (!key) return sendHtml(reply, 401, loginPage(lang, ORG_TEXTS[lang].badKey));
    // Post/Redirect/Get: reloading the list does not post the key again.
    return reply
      .code(303)
      .header('set-cookie', ctx.orgSessions.open(key, secure(request)))
      .header('location', paths.view)
      .send();
  });

  app.post(paths.logout, { ...hidden, bodyLimit: FORM_LIMIT }, async (request, reply) => {
    return reply
      .code(303)
      .header('set-cookie', ctx.orgSessions.close(secure(request)))
      .header('location', paths.view)
      .send();
  });
}

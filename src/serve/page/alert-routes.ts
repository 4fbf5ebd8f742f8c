/**
 * The alert pages' routes, in each language: the subscribe form's POST, and the confirmation
 * and unsubscribe links. A GET only shows a page with a button; the button's POST acts, so a
 * mail scanner that fetches every link of a message confirms and unsubscribes nothing.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LINK_PATHS } from '../../alerts/index.js';
import { isVigieError } from '../../errors.js';
import type { Lang } from '../../guidance/index.js';
import type { ServeContext } from '../context.js';
import { ownerCookie } from '../owner.js';
import { ALERT_TEXTS } from './alert-texts.js';
import { actionPage, alertsOffPage, badLinkPage, confirmedPage, requestedPage, subscribeForm, unsubscribedPage } from './alert-view.js';
import { formPage, tooManyPage } from './form-view.js';

type Form = Record<string, string | undefined>;
const hidden = { schema: { hide: true } } as const;
const tokenQuery = { schema: { hide: true, querystring: { type: 'object', properties: { token: { type: 'string', maxLength: 2048 } } } } } as const;

function sendHtml(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** The form's one field, or undefined for a body that is not the form's. */
function field(body: unknown, name: string): string | undefined {
  const v = typeof body === 'object' && body !== null ? (body as Form)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function registerAlertPages(app: FastifyInstance, ctx: ServeContext, lang: Lang): void {
  const paths = LINK_PATHS[lang];
  const subs = ctx.subscriptions;

  app.post(paths.subscribe, { ...hidden, bodyLimit: 4096 }, async (request, reply) => {
    if (!subs) return sendHtml(reply, 503, alertsOffPage(lang));
    const limit = await ctx.limits.perAddress(request);
    if (!limit.ok) {
      reply.header('retry-after', String(limit.retryAfter));
      return sendHtml(reply, 429, tooManyPage(lang, limit.retryAfter));
    }
    const email = field(request.body, 'email');
    try {
      if (email === undefined) throw new Error('no email field');
      await subs.request(email, lang);
    } catch (e) {
      if (isVigieError(e) && e.code !== 'VIGIE_BAD_ACCOUNT') throw e;
      return sendHtml(reply, 400, formPage(lang, undefined, subscribeForm(lang, ALERT_TEXTS[lang].badEmail)));
    }
    return sendHtml(reply, 200, requestedPage(lang, subs.settings.confirmHours));
  });

  for (const action of ['confirm', 'unsubscribe'] as const) {
    app.get<{ Querystring: { token?: string } }>(paths[action], tokenQuery, async (request, reply) => {
      if (!subs) return sendHtml(reply, 503, alertsOffPage(lang));
      const token = request.query.token;
      if (token === undefined || token === '') return sendHtml(reply, 400, badLinkPage(lang));
      return sendHtml(reply, 200, actionPage(lang, action, token));
    });
  }

  app.post(paths.confirm, { ...hidden, bodyLimit: 4096 }, async (request, reply) => {
    if (!subs) return sendHtml(reply, 503, alertsOffPage(lang));
    try {
      const pseudonym = await subs.confirm(field(request.body, 'token') ?? '');
      reply.header('set-cookie', ownerCookie(subs, request.headers.cookie, pseudonym));
      return sendHtml(reply, 200, confirmedPage(lang));
    } catch (e) {
      if (isVigieError(e) && e.code === 'VIGIE_BAD_TOKEN') return sendHtml(reply, 400, badLinkPage(lang));
      throw e;
    }
  });

  app.post(paths.unsubscribe, { ...hidden, bodyLimit: 4096 }, async (request, reply) => {
    if (!subs) return sendHtml(reply, 503, alertsOffPage(lang));
    try {
      await subs.unsubscribe(field(request.body, 'token') ?? '');
      return sendHtml(reply, 200, unsubscribedPage(lang));
    } catch (e) {
      if (isVigieError(e) && e.code === 'VIGIE_BAD_TOKEN') return sendHtml(reply, 400, badLinkPage(lang));
      throw e;
    }
  });
}

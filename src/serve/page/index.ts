/**
 * The web page of `vigie serve`, French first (`/`, `/verifier`, `/fuites`), English under
 * `/en`: the check form, the results with guidance, the catalogue with its charts, and the
 * stylesheet. Server-rendered HTML that works without script, under the app's strict CSP.
 *
 * A looked-up value is read from the form body, passed to the lookup and dropped: it is never
 * written into a page (the field is always empty), a log line or an error message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isVigieError, type VigieError } from '../../errors.js';
import { LANGS, type Lang } from '../../guidance/index.js';
import { NotSearchableError } from '../account.js';
import type { ServeContext } from '../context.js';
import { describeError } from '../http-errors.js';
import { cataloguePage } from './catalogue-view.js';
import { CSS, ICON_SVG } from './css.js';
import { errorPage, formPage, tooManyPage } from './form-view.js';
import { ICON, STYLESHEET } from './layout.js';
import { registerAlertPages } from './alert-routes.js';
import { registerDomainPages } from './domain-routes.js';
import { registerOrgPages } from './org-routes.js';
import { subscribeForm } from './alert-view.js';
import { resultsPage } from './results-view.js';
import { isVerifiedOwner } from '../owner.js';
import { PATHS, TEXTS, type Refusal } from './texts.js';

const FORM = 'application/x-www-form-urlencoded';
/** A form with one field of at most 256 characters, percent-encoded (up to 12 bytes each). */
const FORM_BODY_LIMIT = 4 * 1024;

/** The form's body: the one field, nothing else. */
const formBody = {
  type: 'object',
  properties: { account: { type: 'string' } },
  required: ['account'],
  additionalProperties: false,
} as const;

interface CheckRequest {
  Body: { account: string };
}

function sendHtml(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

function langOf(request: FastifyRequest): Lang {
  const route = request.routeOptions.url ?? request.url;
  return route === '/en' || route.startsWith('/en/') ? 'en' : 'fr';
}

/**
 * Which refusal to explain. `parseAccount` refuses quasi-identifiers with an English message;
 * the page says in the person's language what kind of value it recognised.
 */
function refusalOf(e: VigieError): Refusal {
  if (!(e instanceof NotSearchableError)) return 'badAccount';
  return e.refused === 'name' ? 'other' : e.refused;
}

const hidden = { schema: { hide: true } } as const;

/**
 * Registers the page's routes, its form body parser and its error pages (HTML, not JSON) in
 * the encapsulated context `app`.
 * @example await app.register(async (page) => registerPage(page, ctx));
 */
export async function registerPage(app: FastifyInstance, ctx: ServeContext): Promise<void> {
  // A plain HTML form posts `application/x-www-form-urlencoded`; only this plugin accepts it.
  if (app.hasContentTypeParser(FORM)) app.removeContentTypeParser(FORM);
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const lang = langOf(request);
    const { body, internal } = describeError(error);
    // The same log line as the app's handler: the error's type and code, never its message.
    if (internal) request.log.error({ err: error, route: request.routeOptions.url ?? null }, 'internal error');
    if (request.method === 'POST' && error.validation) return sendHtml(reply, 400, formPage(lang, TEXTS[lang].refusals.badAccount));
    return sendHtml(reply, body.statusCode, errorPage(lang));
  });

  registerDomainPages(app, ctx);
  for (const lang of LANGS) {
    const paths = PATHS[lang];
    const subscribe = ctx.subscriptions ? subscribeForm(lang) : undefined;
    app.get(paths.home, hidden, async (_request, reply) => sendHtml(reply, 200, formPage(lang, undefined, subscribe)));
    registerAlertPages(app, ctx, lang);
    registerOrgPages(app, ctx, lang);

    app.post<CheckRequest>(paths.check, { schema: { hide: true, body: formBody }, bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
      const limit = await ctx.limits.perAddress(request);
      if (!limit.ok) {
        reply.header('retry-after', String(limit.retryAfter));
        return sendHtml(reply, 429, tooManyPage(lang, limit.retryAfter));
      }
      const raw = request.body.account;
      try {
        const verified = await isVerifiedOwner(ctx.subscriptions, request, raw);
        const result = await ctx.lookups.lookup(raw, { includeSensitive: verified });
        return sendHtml(reply, 200, resultsPage(lang, result, verified));
      } catch (e) {
        if (isVigieError(e) && (e.code === 'VIGIE_BAD_ACCOUNT' || e.code === 'VIGIE_NOT_SEARCHABLE')) {
          return sendHtml(reply, 400, formPage(lang, TEXTS[lang].refusals[refusalOf(e)], subscribe));
        }
        throw e;
      }
    });

    app.get(paths.breaches, hidden, async (_request, reply) => sendHtml(reply, 200, cataloguePage(lang, await ctx.catalogue.list())));
  }

  app.get(STYLESHEET, hidden, async (_request, reply) => reply.type('text/css; charset=utf-8').send(CSS));
  app.get(ICON, hidden, async (_request, reply) => reply.type('image/svg+xml').send(ICON_SVG));
}

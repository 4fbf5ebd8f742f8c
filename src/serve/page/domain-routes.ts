/**
 * The page a domain check's mailed link opens: a button that POSTs the token (the link alone
 * confirms nothing, since mail scanners fetch links), and the outcome.
 */
import type { FastifyInstance } from 'fastify';
import { DOMAIN_CONFIRM_PATH } from '../../alerts/index.js';
import { isVigieError } from '../../errors.js';
import type { ServeContext } from '../context.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { PATHS } from './texts.js';

const page = (title: string, main: ReturnType<typeof html>) => layout({ lang: 'fr', title, otherHref: PATHS.en.home, main });

export function registerDomainPages(app: FastifyInstance, ctx: ServeContext): void {
  app.get<{ Querystring: { token?: string } }>(
    DOMAIN_CONFIRM_PATH,
    { schema: { hide: true, querystring: { type: 'object', properties: { token: { type: 'string', maxLength: 2048 } } } } },
    async (request, reply) => {
      const token = request.query.token ?? '';
      return reply.type('text/html; charset=utf-8').send(
        page(
          'Confirmer le domaine',
          html`<h1>Confirmer le domaine / Confirm the domain</h1>
<p>Confirmez que votre organisation contrôle ce domaine et recevra les alertes de Vigie. / Confirm that your organisation controls this domain and will receive Vigie's alerts.</p>
<form method="post" action="${DOMAIN_CONFIRM_PATH}"><input type="hidden" name="token" value="${token}"><button type="submit" class="button">Confirmer / Confirm</button></form>`,
        ),
      );
    },
  );

  app.post(DOMAIN_CONFIRM_PATH, { schema: { hide: true }, bodyLimit: 4096 }, async (request, reply) => {
    const body = request.body as Record<string, unknown> | undefined;
    const token = typeof body?.['token'] === 'string' ? body['token'] : '';
    try {
      const d = await ctx.organisations.confirmByMail(token);
      return reply
        .type('text/html; charset=utf-8')
        .send(page('Domaine confirmé', html`<h1>Domaine confirmé / Domain confirmed</h1><p class="notice">${d.domain}</p>`));
    } catch (e) {
      if (!isVigieError(e) || e.code !== 'VIGIE_BAD_TOKEN') throw e;
      return reply.code(400).type('text/html; charset=utf-8').send(page('Lien invalide', html`<h1>Lien invalide ou expiré / Invalid or expired link</h1>`));
    }
  });
}

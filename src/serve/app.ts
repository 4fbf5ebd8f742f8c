/**
 * `buildApp(deps)`: the HTTP application of `vigie serve`, built apart from `listen` so that tests
 * run it in-process (`app.inject`). Fastify was chosen by measurement (docs/adr/0004-http-framework.md).
 *
 * What every response gets, whatever the route: security headers (no caching, no referrer, a
 * strict Content-Security-Policy), errors as one small JSON object, and a log line that names
 * the route pattern and the status, never the path, the query or the body.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { type DestinationStream, destination, pino, stdTimeFunctions } from 'pino';
import { Organisations, type Subscriptions } from '../alerts/index.js';
import type { Store } from '../store/index.js';
import { ApiKeyRegistry } from './apikeys.js';
import { CatalogueCache } from './catalogue.js';
import { DEFAULT_SETTINGS, type Limits, type ServeContext, type ServeSettings } from './context.js';
import { registerHibpDomainRoutes, registerHibpRoutes } from './hibp/index.js';
import { describeError, rawErrorResponse, sendError, sendRateLimited } from './http-errors.js';
import { LookupService } from './lookup.js';
import { registerPage } from './page/index.js';
import { MethodTable } from './methods.js';
import { OrgSessions } from './org-session.js';
import { MinuteLimiter, type RateLimiter } from './rate-limit.js';
import { shared } from './schemas.js';
import { parseQuery } from './query.js';
import { securityHeaders } from './security.js';
import { registerV1Routes } from './v1/index.js';

export interface AppDeps {
  store: Store;
  /** The pseudonymisation key: lookups compute the same pseudonyms as ingest. */
  key: Buffer;
  settings?: Partial<ServeSettings>;
  /** Subscriptions (`subscriptionsFrom`); without them the subscription routes answer 503. */
  subscriptions?: Subscriptions;
  /** Organisations (`organisationsFrom`); default: DNS checks through the system's resolver, no mail checks. */
  organisations?: Organisations;
  /** Where request logs go (one JSON line each); default stdout. */
  log?: DestinationStream;
  now?: () => Date;
  /** Where requests are counted against their rate; default: in this process's memory. */
  limiter?: RateLimiter;
  /** Told of every route as it is registered (the OpenAPI conformance test lists them). */
  onRoute?: (route: { method: string; url: string; hidden: boolean }) => void;
}

/**
 * The request log. By default it goes to stdout through a buffer written every second or when
 * it holds about 4 KiB: a write per line was a system call per request, an eighth of a lookup's
 * CPU under load (BENCHMARKS.md). Each write is whole lines and at most 4,096 bytes, what a pipe
 * writes atomically, so the lines of `--processes N` never mix. Written out when the app closes.
 */
function makeLogger(dest: DestinationStream | undefined): { logger: FastifyBaseLogger; close: () => void } {
  const buffered = dest === undefined ? destination({ dest: 1, sync: false, minLength: 4000, maxWrite: 4096, periodicFlush: 1000 }) : undefined;
  const logger = pino(
    {
      level: 'info',
      base: null,
      // Milliseconds since the epoch: an ISO date per line cost 2 % of a lookup's CPU.
      timestamp: stdTimeFunctions.epochTime,
      // Never the URL, the headers or an error's message: they may hold a looked-up value.
      serializers: {
        req: (r: FastifyRequest) => ({ method: r.method, route: r.routeOptions?.url ?? null }),
        res: (r: FastifyReply) => ({ statusCode: r.statusCode }),
        err: (e: { name?: string; code?: string }) => ({ type: e?.name, code: e?.code }),
      },
    },
    dest ?? buffered,
  );
  return {
    logger,
    close: () => {
      try {
        buffered?.flushSync();
      } catch {
        // A full pipe (EAGAIN): let the stream write it out asynchronously instead.
        buffered?.flush();
      }
    },
  };
}

/**
 * Builds the app and loads what it keeps in memory (catalogue, key table).
 * @example const app = await buildApp({ store, key }); await app.listen({ port: 8080 });
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const settings: ServeSettings = { ...DEFAULT_SETTINGS, ...deps.settings };
  const now = deps.now ?? (() => new Date());
  const log = makeLogger(deps.log);
  const app = Fastify({
    loggerInstance: log.logger,
    // Fastify's own request lines carry the URL: ours (onResponse) carry the route pattern.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: settings.trustProxy,
    bodyLimit: settings.bodyLimit,
    requestTimeout: settings.requestTimeoutMs,
    // A socket silent this long in the middle of a request (a body that stops coming) gets a 408.
    connectionTimeout: settings.requestTimeoutMs,
    // How often Node looks for requests past their time (its default, 30 s, would let a slow
    // client hold a connection three times longer than the request timeout).
    http: { connectionsCheckingInterval: Math.max(100, Math.min(2_000, Math.floor(settings.requestTimeoutMs / 4))) },
    clientErrorHandler: (error, socket) => {
      if ((error as { code?: string }).code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
      const code = (error as { code?: string }).code;
      const [status, message] =
        code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'the request did not arrive in time']
          : code === 'HPE_HEADER_OVERFLOW'
            ? [431, 'the request headers are too large']
            : [400, 'the request is malformed'];
      socket.end(rawErrorResponse(status, message));
    },
    keepAliveTimeout: 5_000,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: {
      // Long parameters must reach validation (a 400), not fall through to a 404.
      maxParamLength: 16 * 1024,
      ignoreTrailingSlash: true,
      querystringParser: parseQuery,
    },
    // Unknown body fields are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    frameworkErrors: (error, _request, reply) => {
      const { body } = describeError(error);
      void (reply as FastifyReply).code(body.statusCode).type('application/json; charset=utf-8').send(body);
    },
  });

  app.server.on('timeout', (socket: Socket) => {
    const response = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    // Nothing answered yet on this socket's current request: a 408 (RFC 9110 §15.5.9 allows it
    // on an idle connection too) before closing.
    if (!response?.headersSent && socket.writable) {
      socket.end(rawErrorResponse(408, 'the request did not arrive in time'));
      response?.destroy();
    } else {
      socket.destroy();
    }
  });

  const catalogue = new CatalogueCache(deps.store, settings.refreshMs);
  const keys = new ApiKeyRegistry(deps.store, { refreshMs: settings.refreshMs, flushMs: 10_000, now });
  await keys.start();
  app.addHook('onClose', () => keys.stop());
  // After the keys' hook: the lines of the last requests are in the buffer by then.
  app.addHook('onClose', (_instance, done) => {
    log.close();
    done();
  });

  const counter = deps.limiter ?? new MinuteLimiter();
  const limits: Limits = {
    perKey: (_request, key) => counter.hit(`k:${key.hash}`, key.rpm),
    perAddress: (request) => counter.hit(`a:${request.ip}`, settings.ipRpm),
  };

  const ctx: ServeContext = {
    store: deps.store,
    settings,
    catalogue,
    lookups: new LookupService(deps.store, deps.key, catalogue),
    keys,
    limits,
    orgSessions: new OrgSessions(deps.key, keys, now),
    subscriptions: deps.subscriptions,
    organisations: deps.organisations ?? new Organisations(deps.store, deps.key, { publicUrl: undefined, confirmHours: 48, dnsServers: undefined }, now),
    async authenticate(request, reply, required) {
      const header = request.headers['hibp-api-key'];
      if (header === undefined) {
        if (!required) return null;
        sendError(reply, 'VIGIE_UNAUTHORIZED', 'Access denied due to missing hibp-api-key.');
        return undefined;
      }
      const key = typeof header === 'string' ? await keys.find(header) : undefined;
      if (!key) {
        sendError(reply, 'VIGIE_UNAUTHORIZED', 'Access denied due to invalid hibp-api-key.');
        return undefined;
      }
      const limit = await limits.perKey(request, key);
      if (!limit.ok) {
        sendRateLimited(reply, limit.retryAfter);
        return undefined;
      }
      return key;
    },
  };

  for (const s of shared) app.addSchema(s);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vigie',
        version: '0.1.0',
        description:
          "Vigie's lookup API: Have I Been Pwned's API v3 paths and JSON under /api/v3, Vigie's own under /api/v1 (phone numbers, the data classes exposed for one identifier, guidance).",
      },
      components: { securitySchemes: { hibpApiKey: { type: 'apiKey', in: 'header', name: 'hibp-api-key' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
  });

  const methods = new MethodTable();
  app.addHook('onRoute', (route) => {
    methods.add(route.method, route.url);
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const m of [route.method].flat()) deps.onRoute?.({ method: m, url: route.url, hidden });
  });

  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    // A GET carries no body: refuse one rather than ignore it.
    if ((request.method === 'GET' || request.method === 'HEAD') && (hasBody(request) || request.headers['transfer-encoding'] !== undefined)) {
      sendError(reply, 'VIGIE_BAD_REQUEST', 'this route takes no request body');
      return;
    }
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    securityHeaders(request, reply);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { route: request.routeOptions.url ?? null, method: request.method, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
    done();
  });
  app.setErrorHandler((error, request, reply) => {
    const { body, internal } = describeError(error);
    if (internal) request.log.error({ err: error, route: request.routeOptions.url ?? null }, 'internal error');
    return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowed(request.url.split('?')[0] ?? '/');
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(reply, 'VIGIE_METHOD', `this route answers ${allowed.join(', ')} only`);
    }
    return sendError(reply, 'VIGIE_NOT_FOUND', 'no such route');
  });

  const hibp: FastifyPluginAsync = async (v3) => {
    await registerHibpRoutes(v3, ctx);
    await registerHibpDomainRoutes(v3, ctx);
  };
  const v1: FastifyPluginAsync = (scope) => registerV1Routes(scope, ctx);
  const page: FastifyPluginAsync = (scope) => registerPage(scope, ctx);
  await app.register(hibp, { prefix: '/api/v3' });
  await app.register(v1, { prefix: '/api/v1' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(page);
  return app;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return length !== undefined && length !== '0';
}

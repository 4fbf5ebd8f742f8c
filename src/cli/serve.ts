/**
 * `vigie serve` (the lookup API and the web page) and `vigie apikey create|list|revoke`.
 */
import type { Command } from 'commander';
import { parseBoundedInt } from '../config.js';
import { alertsConfigured, type OutboxSender, organisationsFrom, senderFrom, subscriptionsFrom } from '../alerts/index.js';
import { ErrorCodes, isVigieError, VigieError } from '../errors.js';
import {
  createApiKey,
  isServeWorker,
  primaryLimiter,
  type RateLimiter,
  reportStarted,
  type RunningServer,
  startServer,
  startWorkers,
  untilStopped,
} from '../serve/index.js';
import { MAX_RPM } from '../store/index.js';
import type { CliContext } from './context.js';
import { withStoreOptions } from './store-commands.js';
import { openWorld, type StoreFlags, type World, withWorld } from './world.js';

function parseIntFlag(raw: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = parseBoundedInt(raw, min, max);
  if (n === undefined) throw new VigieError('VIGIE_USAGE', `${flag} must be an integer from ${min} to ${max}`);
  return n;
}

interface ServeFlags extends StoreFlags {
  host?: string;
  port?: string;
  processes?: string;
}

/** The alerts' sender, when they are configured; says on stderr whether they are on. */
function startSender(ctx: CliContext, world: World): OutboxSender | undefined {
  const alerts = world.config.alerts;
  if (!alertsConfigured(alerts)) {
    ctx.stderr.write('Alerts: off (set VIGIE_PUBLIC_URL, VIGIE_SMTP_URL and VIGIE_MAIL_FROM to turn them on)\n');
    return undefined;
  }
  // SMTP failures are counted in the outbox (`vigie alerts status`); one line each here, no address.
  const sender = senderFrom(alerts, world.store, world.key, { onError: (reason) => ctx.stderr.write(`alerts: a message failed (${reason})\n`) });
  sender.start(alerts.intervalSeconds * 1000);
  ctx.stderr.write(`Alerts: sending every ${alerts.intervalSeconds} s\n`);
  return sender;
}

/** Serves with `world`'s store; closes it if the server cannot start. */
async function listen(ctx: CliContext, world: World, flags: ServeFlags, port: number | undefined, limiter?: RateLimiter): Promise<RunningServer> {
  const s = world.config.serve;
  const subscriptions = subscriptionsFrom(world.config.alerts, world.store, world.key);
  try {
    return await startServer(
      {
        store: world.store,
        key: world.key,
        ...(subscriptions ? { subscriptions } : {}),
        organisations: organisationsFrom(world.config.alerts, world.store, world.key),
        settings: { ipRpm: s.ipRpm, trustProxy: s.trustProxy },
        ...(ctx.stdout === process.stdout ? {} : { log: ctx.stdout }),
        ...(limiter ? { limiter } : {}),
      },
      { host: flags.host ?? s.host, port: port ?? s.port },
    );
  } catch (e) {
    await world.store.close();
    throw e;
  }
}

function announce(ctx: CliContext, url: string, processes: number): void {
  const how = processes > 1 ? ` with ${processes} processes` : '';
  ctx.stderr.write(`Vigie listening on ${url}/${how} (API: ${url}/api/v3, ${url}/api/v1; OpenAPI: ${url}/api/openapi.json)\n`);
}

/** Runs the alerts' sender until SIGTERM or SIGINT, then stops it and what serves. */
async function serveUntilSignal(ctx: CliContext, world: World, stopServing: () => Promise<void>): Promise<void> {
  const sender = startSender(ctx, world);
  const signal = await untilSignal();
  ctx.stderr.write(`${signal}: finishing requests in flight, then closing the store\n`);
  await sender?.stop();
  await stopServing();
  ctx.stderr.write('Stopped.\n');
}

/** One of `--processes N`: serves until the primary says stop; the primary does the talking. */
async function serveAsWorker(ctx: CliContext, flags: ServeFlags, port: number | undefined): Promise<void> {
  let server: RunningServer;
  try {
    server = await listen(ctx, await openWorld(ctx, flags), flags, port, primaryLimiter());
  } catch (e) {
    reportStarted({ error: e });
    process.exitCode = isVigieError(e) ? e.exitCode : ErrorCodes.VIGIE_INTERNAL.exit;
    process.disconnect?.();
    return;
  }
  reportStarted({ url: server.url });
  await untilStopped();
  await server.stop();
  process.disconnect?.();
}

/** Resolves on the first SIGTERM or SIGINT. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

export function registerServe(program: Command, ctx: CliContext): void {
  withStoreOptions(
    program
      .command('serve')
      .description('serve the lookup API (HIBP v3-compatible and /api/v1) and the web page until stopped (SIGTERM, Ctrl-C)')
      .option('--host <host>', 'address to listen on (default: $VIGIE_HOST, else 127.0.0.1)')
      .option('--port <n>', 'port to listen on, 0 for any free one (default: $VIGIE_PORT, else 8080)')
      .option('--processes <n>', 'processes answering on the port, sharing the rate limits (default: $VIGIE_SERVE_PROCESSES, else the cores, at most 4)'),
  ).action(async (flags: ServeFlags) => {
    const port = parseIntFlag(flags.port, '--port', 0, 65535);
    const processes = parseIntFlag(flags.processes, '--processes', 1, 64);
    if (isServeWorker()) {
      await serveAsWorker(ctx, flags, port);
      return;
    }
    // The key and the store are checked (and migrations applied) once, before any fork; under
    // --processes the primary keeps the store for the alerts' sender, which runs once, here.
    const world = await openWorld(ctx, flags);
    // Run inside another program (the tests' `run()`), forking would start that program again.
    const count = ctx.stdout === process.stdout ? (processes ?? world.config.serve.processes) : 1;
    if (count === 1) {
      const server = await listen(ctx, world, flags, port);
      announce(ctx, server.url, 1);
      await serveUntilSignal(ctx, world, () => server.stop());
      return;
    }
    let workers: Awaited<ReturnType<typeof startWorkers>>;
    try {
      workers = await startWorkers(count, (line) => ctx.stderr.write(`vigie: ${line}\n`));
    } catch (e) {
      await world.store.close();
      throw e;
    }
    announce(ctx, workers.url, count);
    await serveUntilSignal(ctx, world, async () => {
      await workers.stop();
      await world.store.close();
    });
  });

  const apikey = program.command('apikey').description('manage the API keys of the HTTP API (hibp-api-key header)');
  withStoreOptions(
    apikey
      .command('create')
      .description('create a key and print it once (only its SHA-256 is kept)')
      .option('--name <label>', 'a label for the key (letters, digits, . _ -); default key-<date>-<n>')
      .option('--rpm <n>', `requests per minute allowed to this key (default: $VIGIE_KEY_RPM, else 100)`)
      .option('--operator', "may use the operators' outbox API (/api/v1/alerts/status, retry, purge)"),
  ).action(async (flags: StoreFlags & { name?: string; rpm?: string; operator?: boolean }) => {
    const rpm = parseIntFlag(flags.rpm, '--rpm', 1, MAX_RPM);
    await withWorld(ctx, flags, async ({ store, config }) => {
      const name = flags.name ?? `key-${new Date().toISOString().slice(0, 10)}-${(await store.listApiKeys()).length + 1}`;
      const { key, record } = await createApiKey(store, name, rpm ?? config.serve.defaultKeyRpm, flags.operator === true);
      ctx.stdout.write(`${key}\n`);
      ctx.stderr.write(
        `API key ${record.name} created${record.operator ? ' (operator)' : ''}, ${record.rpm} requests per minute. It is shown only now: keep it somewhere safe.\n`,
      );
    });
  });
  withStoreOptions(apikey.command('list').description('list the keys: name, created, last used, rate (never the key)').option('--json', 'print JSON')).action(
    async (flags: StoreFlags & { json?: boolean }) => {
      await withWorld(ctx, flags, async ({ store }) => {
        const keys = (await store.listApiKeys()).map((k) => ({ name: k.name, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, rpm: k.rpm }));
        if (flags.json) ctx.stdout.write(`${JSON.stringify(keys)}\n`);
        else if (keys.length === 0) ctx.stdout.write('No API key yet: create one with vigie apikey create.\n');
        else for (const k of keys) ctx.stdout.write(`${k.name}\tcreated ${k.createdAt}\tlast used ${k.lastUsedAt ?? 'never'}\t${k.rpm} requests/min\n`);
      });
    },
  );
  withStoreOptions(apikey.command('revoke').description('revoke a key by name: refused within seconds by every server').argument('<name>')).action(
    async (name: string, flags: StoreFlags) => {
      await withWorld(ctx, flags, async ({ store }) => {
        await store.revokeApiKey(name);
        ctx.stdout.write(`Revoked ${name}.\n`);
      });
    },
  );
}

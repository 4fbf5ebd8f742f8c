/**
 * Configuration, read once at start-up from the environment it is given (`process.env` by
 * default). Everything else receives a `Config` (or the parts it needs), with one exception:
 * the CLI's last-resort error handler (`cli/index.ts`) checks `VIGIE_DEBUG` in the same
 * environment itself, since loading the configuration may be what failed.
 */
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { VigieError } from './errors.js';

export interface Config {
  /** Vigie's data directory: key file, embedded store, logs. */
  dataDir: string;
  /** Store URL: undefined for the embedded SQLite store, `postgres://...` for PostgreSQL. */
  storeUrl: string | undefined;
  /** Secret key given directly (hex or base64), for deployments. */
  keyEnv: string | undefined;
  /** Path of a key file kept outside the data directory. */
  keyFile: string | undefined;
  /** Default worker threads for ingest: one per core besides the main thread's. */
  workers: number;
  /** `VIGIE_MEMORY`: the ingest's memory budget in bytes (`--memory`), default 1 GiB. */
  memory: number;
  /** `VIGIE_DEBUG=1`. Nothing reads this field yet: the CLI's error handler reads the variable (see above). */
  debug: boolean;
  /** `vigie serve` and `vigie apikey`. */
  serve: ServeConfig;
  /** Subscriptions and the sender (`vigie alerts`, and inside `vigie serve`). */
  alerts: AlertsConfig;
}

/** Alerts are on when `publicUrl`, `smtpUrl` and `mailFrom` are all set. */
export interface AlertsConfig {
  /** `VIGIE_PUBLIC_URL`: the address people reach the page at; the links of every message. */
  publicUrl: string | undefined;
  /** `VIGIE_SMTP_URL`: `smtp://` or `smtps://` relay (credentials in the URL if needed). */
  smtpUrl: string | undefined;
  /** `VIGIE_MAIL_FROM`: the From of every message. */
  mailFrom: string | undefined;
  /** `VIGIE_SMS_WEBHOOK_URL`: the SMS gateway's webhook; phones may subscribe when it is set. */
  smsWebhookUrl: string | undefined;
  /** `VIGIE_SMS_WEBHOOK_TOKEN`: the bearer token sent to it, if it wants one. */
  smsWebhookToken: string | undefined;
  /** Seconds between two runs of the sender inside `vigie serve`. */
  intervalSeconds: number;
  batch: number;
  leaseSeconds: number;
  maxAttempts: number;
  backoffSeconds: number;
  /** SMTP connections kept open (and messages in flight at once). */
  connections: number;
  confirmHours: number;
  sessionHours: number;
  maxVerified: number;
  /** `VIGIE_DNS_SERVERS`: resolvers for domain checks (ip or ip:port, comma-separated); undefined: the system's. */
  dnsServers: string[] | undefined;
}

interface ServeConfig {
  host: string;
  port: number;
  /** Lookups per minute per client address, for lookups made without an API key. */
  ipRpm: number;
  /** The rate of a new API key unless `--rpm` says otherwise. */
  defaultKeyRpm: number;
  /** Trust `X-Forwarded-For`: false, true, or proxy addresses / CIDR ranges, comma-separated. */
  trustProxy: boolean | string;
  /** Processes answering on the port (`VIGIE_SERVE_PROCESSES`); default: the cores, at most 4. */
  processes: number;
}

/**
 * A whole number from `min` to `max` written in decimal digits, or undefined: the text is checked,
 * not just the number (`Number('')` is 0, `Number('1e3')` is 1000). Shared by the variables
 * below and the CLI's numeric flags.
 */
export function parseBoundedInt(raw: string, min: number, max: number): number | undefined {
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  return n >= min && n <= max ? n : undefined;
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = parseBoundedInt(raw.trim(), min, max);
  if (n === undefined) throw new VigieError('VIGIE_CONFIG', `${name} must be an integer from ${min} to ${max}`);
  return n;
}

function serveConfig(env: NodeJS.ProcessEnv): ServeConfig {
  const proxy = env['VIGIE_TRUST_PROXY']?.trim();
  return {
    host: env['VIGIE_HOST'] || '127.0.0.1',
    port: intVar(env, 'VIGIE_PORT', 8080, 0, 65535),
    ipRpm: intVar(env, 'VIGIE_IP_RPM', 30, 1, 1_000_000),
    defaultKeyRpm: intVar(env, 'VIGIE_KEY_RPM', 100, 1, 10_000_000),
    trustProxy: proxy === undefined || proxy === '' || proxy === 'false' ? false : proxy === 'true' ? true : proxy,
    processes: intVar(env, 'VIGIE_SERVE_PROCESSES', Math.min(availableParallelism(), 4), 1, 64),
  };
}

/** `1.1.1.1,[::1]:5353,127.0.0.1:5300`: addresses with an optional port, as `Resolver.setServers` takes them. */
function dnsServers(raw: string | undefined): string[] | undefined {
  const list = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) return undefined;
  const ok = /^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|[0-9a-f:]+|\[[0-9a-f:]+\](:\d{1,5})?)$/i;
  if (!list.every((s) => ok.test(s))) throw new VigieError('VIGIE_CONFIG', 'VIGIE_DNS_SERVERS must be IP addresses with optional ports, comma-separated');
  return list;
}

function alertsConfig(env: NodeJS.ProcessEnv): AlertsConfig {
  const publicUrl = env['VIGIE_PUBLIC_URL']?.trim() || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicUrl)) {
    throw new VigieError('VIGIE_CONFIG', 'VIGIE_PUBLIC_URL must be an http:// or https:// URL without query or fragment');
  }
  const smtpUrl = env['VIGIE_SMTP_URL']?.trim() || undefined;
  // The URL may hold a password: the message names the variable only.
  if (smtpUrl !== undefined && !/^smtps?:\/\/\S+$/.test(smtpUrl)) throw new VigieError('VIGIE_CONFIG', 'VIGIE_SMTP_URL must be an smtp:// or smtps:// URL');
  const mailFrom = env['VIGIE_MAIL_FROM']?.trim() || undefined;
  if (mailFrom !== undefined && !/^[^\r\n]*@[^\r\n]+$/.test(mailFrom))
    throw new VigieError('VIGIE_CONFIG', 'VIGIE_MAIL_FROM must be an address, such as "Vigie <alertes@example.fr>"');
  const smsWebhookUrl = env['VIGIE_SMS_WEBHOOK_URL']?.trim() || undefined;
  // The URL may hold a key in its query: the message names the variable only.
  if (smsWebhookUrl !== undefined && !/^https?:\/\/[^/?#\s]+(\/\S*)?$/.test(smsWebhookUrl)) {
    throw new VigieError('VIGIE_CONFIG', 'VIGIE_SMS_WEBHOOK_URL must be an http:// or https:// URL');
  }
  const smsWebhookToken = env['VIGIE_SMS_WEBHOOK_TOKEN']?.trim() || undefined;
  if (smsWebhookToken !== undefined && !/^[\x21-\x7e]+$/.test(smsWebhookToken)) {
    throw new VigieError('VIGIE_CONFIG', 'VIGIE_SMS_WEBHOOK_TOKEN must be printable ASCII without spaces');
  }
  return {
    publicUrl,
    smtpUrl,
    mailFrom,
    smsWebhookUrl,
    smsWebhookToken,
    intervalSeconds: intVar(env, 'VIGIE_ALERTS_INTERVAL', 30, 1, 86_400),
    batch: intVar(env, 'VIGIE_ALERTS_BATCH', 200, 1, 10_000),
    leaseSeconds: intVar(env, 'VIGIE_ALERTS_LEASE', 300, 1, 86_400),
    maxAttempts: intVar(env, 'VIGIE_ALERTS_MAX_ATTEMPTS', 8, 1, 100),
    backoffSeconds: intVar(env, 'VIGIE_ALERTS_BACKOFF', 60, 0, 86_400),
    connections: intVar(env, 'VIGIE_SMTP_CONNECTIONS', 4, 1, 64),
    confirmHours: intVar(env, 'VIGIE_CONFIRM_HOURS', 48, 1, 720),
    sessionHours: intVar(env, 'VIGIE_SESSION_HOURS', 12, 1, 720),
    maxVerified: intVar(env, 'VIGIE_MAX_VERIFIED', 20, 1, 100),
    dnsServers: dnsServers(env['VIGIE_DNS_SERVERS']),
  };
}

/**
 * A worker-thread count (`VIGIE_WORKERS`, `--workers`): 0 to 256 written in decimal digits, or
 * undefined. The text is checked, not just the number: `Number('')` is 0, `Number(' 2 ')` is 2.
 */
export function parseWorkerCount(raw: string): number | undefined {
  const n = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  return n <= 256 ? n : undefined;
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** The ingest's memory budget unless `VIGIE_MEMORY` or `--memory` say otherwise. */
export const DEFAULT_MEMORY = 1024 ** 3;

/**
 * A memory size (`VIGIE_MEMORY`, `--memory`): a number of bytes, or a number with a binary
 * unit `K`, `M`, `G` or `T` (optionally followed by `iB` or `B`), from 1 MiB to 1 TiB; else
 * undefined.
 *
 * @example parseMemorySize('512M') // 536870912
 */
export function parseMemorySize(raw: string): number | undefined {
  const m = /^(\d{1,7}(?:\.\d{1,3})?)\s*([KMGT]?)(?:i?B)?$/i.exec(raw.trim());
  if (!m) return undefined;
  const n = Math.floor(Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toUpperCase()] ?? 1));
  return n >= 1024 ** 2 && n <= 1024 ** 4 ? n : undefined;
}

/** `$XDG_DATA_HOME/vigie`, else `~/.local/share/vigie`. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_DATA_HOME'] && env['XDG_DATA_HOME'].length > 0 ? env['XDG_DATA_HOME'] : join(homedir(), '.local', 'share');
  return join(base, 'vigie');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { dataDir?: string; storeUrl?: string } = {}): Config {
  const workersRaw = env['VIGIE_WORKERS'];
  // The main thread reads and parses, and processes batches itself whenever every worker is
  // busy: one worker per core besides it. One core: the main thread alone (measured faster
  // than a worker sharing the core with it). BENCHMARKS.md has the figures.
  const cores = availableParallelism();
  let workers = cores - 1;
  if (workersRaw !== undefined && workersRaw !== '') {
    const n = parseWorkerCount(workersRaw);
    if (n === undefined) throw new VigieError('VIGIE_CONFIG', 'VIGIE_WORKERS must be an integer between 0 and 256');
    workers = n;
  }
  const memoryRaw = env['VIGIE_MEMORY'];
  let memory = DEFAULT_MEMORY;
  if (memoryRaw !== undefined && memoryRaw !== '') {
    const n = parseMemorySize(memoryRaw);
    if (n === undefined) throw new VigieError('VIGIE_CONFIG', 'VIGIE_MEMORY must be a size from 1M to 1T, such as 512M or 2G');
    memory = n;
  }
  const storeUrl = overrides.storeUrl ?? (env['VIGIE_STORE'] || undefined);
  if (storeUrl !== undefined && !/^(postgres(ql)?:\/\/|sqlite:)/.test(storeUrl)) {
    throw new VigieError('VIGIE_CONFIG', 'store must be a postgres:// URL or sqlite:PATH');
  }
  return {
    dataDir: resolve(overrides.dataDir ?? (env['VIGIE_DATA'] || defaultDataDir(env))),
    storeUrl,
    keyEnv: env['VIGIE_KEY'] || undefined,
    keyFile: env['VIGIE_KEY_FILE'] || undefined,
    workers,
    memory,
    debug: env['VIGIE_DEBUG'] === '1',
    serve: serveConfig(env),
    alerts: alertsConfig(env),
  };
}

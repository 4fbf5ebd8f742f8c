/**
 * `vigie serve`'s lifecycle: listen, then on `stop()` (SIGTERM, SIGINT) stop accepting
 * connections, let in-flight requests finish (idle keep-alive connections are closed at once),
 * write what the app keeps in memory (keys' last use) and close the store.
 */
import type { AddressInfo } from 'node:net';
import { VigieError } from '../errors.js';
import type { Store } from '../store/index.js';
import { type AppDeps, buildApp } from './app.js';

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  /** Stops gracefully; resolves when every request has been answered and the store is closed. */
  stop(): Promise<void>;
}

/**
 * Builds the app and listens.
 * @example const server = await startServer({ store, key }, { host: '127.0.0.1', port: 8080 });
 */
export async function startServer(deps: AppDeps & { store: Store }, where: { host: string; port: number }): Promise<RunningServer> {
  const app = await buildApp(deps);
  try {
    await app.listen({ host: where.host, port: where.port });
  } catch (e) {
    await app.close();
    const code = (e as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new VigieError('VIGIE_CONFIG', `port ${where.port} on ${where.host} is already in use: choose another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new VigieError('VIGIE_CONFIG', `cannot listen on host ${where.host}`);
    if (code === 'EACCES') throw new VigieError('VIGIE_CONFIG', `not allowed to listen on port ${where.port}`);
    throw e;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    stop: () => {
      stopping ??= app.close().finally(() => deps.store.close());
      return stopping;
    },
  };
}

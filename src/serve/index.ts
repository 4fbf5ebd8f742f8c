/**
 * The `serve` stage's only door: the HTTP application (`buildApp`), its lifecycle
 * (`startServer`), API keys, and the lookup rule shared with `vigie check`.
 */
export { buildApp, type AppDeps } from './app.js';
export { startServer, type RunningServer } from './server.js';
export { createApiKey } from './apikeys.js';
export { parseAccount, type Account, type AccountKind } from './account.js';
export { LookupService, type LookupResult } from './lookup.js';
export { CatalogueCache } from './catalogue.js';
export { DEFAULT_SETTINGS, type ServeSettings } from './context.js';
export { isServeWorker, primaryLimiter, reportStarted, startWorkers, untilStopped } from './cluster.js';
export type { RateLimiter } from './rate-limit.js';

/** HIBP's API v3 under `/api/v3`: its routes, and its breach model for Vigie's own API. */
export { registerHibpRoutes } from './routes.js';
export { registerHibpDomainRoutes } from './domains.js';
export { matchesDomain, toHibpBreach } from './breach.js';

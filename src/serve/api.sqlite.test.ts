import { runApiSuite } from './test-helpers/api-suite.js';
import { makeServeWorld } from './test-helpers/world.js';

runApiSuite('SQLite', async () => ({ world: await makeServeWorld(undefined, { label: 'api-sqlite' }) }));

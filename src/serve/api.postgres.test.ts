import { runApiSuite } from './test-helpers/api-suite.js';
import { createTestDatabase } from './test-helpers/pg.js';
import { makeServeWorld } from './test-helpers/world.js';

runApiSuite('PostgreSQL', async () => {
  const db = await createTestDatabase('api');
  return { world: await makeServeWorld(undefined, { storeUrl: db.url, label: 'api-pg' }), drop: db.drop };
});

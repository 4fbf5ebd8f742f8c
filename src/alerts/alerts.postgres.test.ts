import { createTestDatabase } from '../serve/test-helpers/pg.js';
import { runAlertsFlow } from './test-helpers/flow.js';

runAlertsFlow('PostgreSQL', () => createTestDatabase('alerts'));

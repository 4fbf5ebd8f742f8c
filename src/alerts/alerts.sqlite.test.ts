import { runAlertsFlow } from './test-helpers/flow.js';

runAlertsFlow('SQLite', async () => ({ url: undefined, drop: async () => undefined }));

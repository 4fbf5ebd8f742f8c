/**
 * Test helper: a PostgreSQL database of its own for a test file, on the server of
 * `VIGIE_TEST_PG_URL` (src/test-helpers/services.ts), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { PG_URL } from '../../test-helpers/services.js';

export async function createTestDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vigie_${label}_${randomBytes(5).toString('hex')}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

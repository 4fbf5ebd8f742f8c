import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    reporters: ['default', './vitest.summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files run in parallel: each PostgreSQL test file works in a schema of its own (random name)
    // and drops it afterwards, so they share the server's database safely.
    fileParallelism: true,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    reporters: ['default', './vitest.summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store contract tests share one PostgreSQL database: run files one at a time per worker pool.
    fileParallelism: true,
  },
});

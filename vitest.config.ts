import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/temporary-root.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['test/corpus/**'],
    testTimeout: 30_000,
  },
});

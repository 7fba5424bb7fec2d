import { defineConfig } from 'vitest/config';

/** Checks that need ../shared (the reference corpus); `npm run corpus`. */
export default defineConfig({
  test: {
    globalSetup: ['test/support/temporary-root.ts'],
    include: ['test/corpus/**/*.test.ts'],
    testTimeout: 120_000,
  },
});

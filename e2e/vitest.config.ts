import { defineConfig } from 'vitest/config';

// End-to-end tests start real processes, databases and browsers: give them room.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

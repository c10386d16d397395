import { defineConfig } from 'vitest/config';

// Image builds take seconds to minutes on 2 cores.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});

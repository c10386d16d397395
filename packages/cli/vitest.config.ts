import { defineConfig } from 'vitest/config';

// Intercept tests start a simulated cluster with pods and roll out agents: give them room.
export default defineConfig({
  test: {
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});

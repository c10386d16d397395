import { defineConfig } from 'vitest/config';

// Data-plane tests move real bytes over loopback; on a loaded 2-core machine give them room.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The CLI and tmux tests start real processes (tsx compiles on first run).
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

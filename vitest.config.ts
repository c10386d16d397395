import { defineConfig } from 'vitest/config';

// One entry for editors and `npx vitest`: every workspace package is a project.
// `npm test` runs each package's own `vitest run` through turbo instead.
export default defineConfig({
  test: {
    projects: ['apps/*', 'packages/*', 'e2e'],
  },
});

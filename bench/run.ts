// `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (so
// they do not compete for the two cores), and lists the JSON results each one wrote.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

if (files.length === 0) {
  console.error(
    `no benchmark matches ${only.join(', ')}; available: ${readdirSync(here)
      .filter((f) => f.endsWith('.bench.ts'))
      .join(', ')}`,
  );
  process.exit(1);
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) console.log(`✔ ${file} (${seconds}s)`);
  else {
    console.log(`✖ ${file} exited ${result.status ?? result.signal} after ${seconds}s`);
    failed.push(file);
  }
}
console.log(`\nresults: ${join(here, 'results')}`);
process.exit(failed.length === 0 ? 0 : 1);

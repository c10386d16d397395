// How long the installable ffk (packages/cli/dist, built first) takes to print its help and its
// version, against a bare `node -e 0` on the same Node in the same run (the part no CLI can save),
// with the repository's bin (sources through tsx, what `npm run ffk` runs) beside it.
// Writes bench/results/cli-startup.json and prints a table with the targets.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../packages/cli/build-cli';
import { interleavedMedians, verdict } from './shared/spawn-timing';

const here = dirname(fileURLToPath(import.meta.url));
const HELP_TARGET_S = 0.15;
const seconds = (ms: number) => +(ms / 1000).toFixed(3);

const cli = await buildCli();
const repositoryBin = join(here, '../packages/cli/bin/ffk.mjs');
const loadBefore = loadavg()[0];
const node = process.execPath;
const installed = await interleavedMedians(15, {
  baseline: [node, ['-e', '0']],
  help: [node, [cli.bin, '--help']],
  version: [node, [cli.bin, '--version']],
});
const repository = await interleavedMedians(5, { help: [node, [repositoryBin, '--help']] });

const result = {
  name: 'cli-startup',
  date: new Date().toISOString(),
  node: process.version,
  load_average: { before: +loadBefore.toFixed(1), after: +loadavg()[0].toFixed(1) },
  help_s: seconds(installed.help),
  version_s: seconds(installed.version),
  node_baseline_s: seconds(installed.baseline),
  help_over_baseline_s: seconds(installed.help - installed.baseline),
  repository_help_s: seconds(repository.help),
  target: { help_s: HELP_TARGET_S },
  pass: installed.help / 1000 <= HELP_TARGET_S,
  detail: {
    help: 'wall clock of `node packages/cli/dist/ffk.mjs --help` (the installable bundle), spawn to exit, median of 15 run in turns with the baseline and --version, after one run of each that fills the compile cache',
    baseline: '`node -e 0` on the same Node, in the same turns',
    repository_help: '`node packages/cli/bin/ffk.mjs --help` (sources through tsx, what `npm run ffk` runs after its bootstrap), median of 5',
    bundle_bytes: cli.bytes,
  },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'cli-startup.json'), `${JSON.stringify(result, null, 2)}\n`);
console.table({
  'ffk --help, installed (s)': { measured: result.help_s, target: `≤ ${HELP_TARGET_S}`, verdict: verdict(result.help_s, HELP_TARGET_S) },
  'ffk --version, installed (s)': { measured: result.version_s, target: '-', verdict: '' },
  'node -e 0, baseline (s)': { measured: result.node_baseline_s, target: 'baseline', verdict: '' },
  'ffk --help, repository bin (s)': { measured: result.repository_help_s, target: '-', verdict: '' },
});
console.log(
  `load average ${result.load_average.before} → ${result.load_average.after}: on a busy machine every figure is several times its quiet value; compare with the baseline`,
);

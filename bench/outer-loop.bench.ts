// The course's central contrast, measured in one run on kube-sim with a Docker engine: a banner
// edit through the outer loop (build the catalog image with a warm layer cache, point the
// Deployment at it, roll out, visible on the storefront; 5 runs) beside the same edit through an
// intercept (20 runs), plus each app image's cold (--no-cache) and warm (nothing changed) build.
// Writes bench/results/outer-loop.json and prints a table. Needs an engine with BuildKit.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_IMAGES, buildImage, requireBuilder, runCommand } from '@ffk/images';
import { localCatalog, repoRoot, startKit, viewStorefront } from '../e2e/intercept/kit';
import { saveToVisible, until } from './shared/save-to-visible';
import { stats } from './shared/stats';

const here = dirname(fileURLToPath(import.meta.url));
const OUTER_RUNS = 5;
const BANNER_FILE = join(repoRoot, 'apps/catalog/src/banner.ts');
const round = (ms: number) => Math.round(ms);

const builder = await requireBuilder().catch((error: Error) => {
  console.error(`outer-loop: ${error.message}`);
  process.exit(1);
});
console.log(`  docker client ${builder.client} (BuildKit ${builder.buildkit}), engine ${builder.engineVersion}`);

/** Cold (every step rebuilt; npm's download cache stays warm) and warm (unchanged, all layers cached) builds of each image. */
async function buildTimes(): Promise<Record<string, { cold_s: number; warm_s: number }>> {
  const times: Record<string, { cold_s: number; warm_s: number }> = {};
  for (const image of APP_IMAGES) {
    const tag = `${image.image}:bench`;
    const cold = await buildImage({ repoRoot, dockerfile: image.dockerfile, tag, noCache: true });
    const warm = await buildImage({ repoRoot, dockerfile: image.dockerfile, tag });
    times[image.name] = { cold_s: +(cold.ms / 1000).toFixed(1), warm_s: +(warm.ms / 1000).toFixed(1) };
    console.log(`  ${tag}: cold ${times[image.name].cold_s} s, warm ${times[image.name].warm_s} s`);
  }
  return times;
}

/**
 * The outer loop as lab 2 runs it on kube-sim: the edit is saved in the repository's banner.ts
 * (the build context; put back afterwards), the image is built under a new tag, `kubectl set
 * image`, and the storefront polled until it shows the text.
 */
async function outerLoop(kit: Awaited<ReturnType<typeof startKit>>, tags: string[]): Promise<{ total: number[]; build: number[] }> {
  const original = readFileSync(BANNER_FILE, 'utf8');
  const total: number[] = [];
  const build: number[] = [];
  try {
    for (let i = 1; i <= OUTER_RUNS; i++) {
      const text = `Outer ${i} at ${Date.now()}`;
      const saved = performance.now();
      writeFileSync(BANNER_FILE, original.replace(/\btext:\s*'[^']*'/, `text: ${JSON.stringify(text)}`));
      const tag = `ffk/catalog:0.1.0-bench.${Date.now()}`;
      tags.push(tag);
      const built = await buildImage({ repoRoot, dockerfile: 'apps/catalog/Dockerfile', tag });
      await kit.kubectl('set', 'image', 'deployment/catalog', `catalog=${tag}`);
      const ms = await until(saved, async () => (await viewStorefront(kit)).banner === text);
      total.push(ms);
      build.push(built.ms);
      console.log(`  outer ${i}/${OUTER_RUNS}: ${round(ms)} ms (build ${round(built.ms)} ms, ${built.steps.cached} steps cached)`);
    }
  } finally {
    writeFileSync(BANNER_FILE, original);
  }
  return { total, build };
}

const buildsPerImage = await buildTimes();
const [kit, catalog] = await Promise.all([startKit(), localCatalog()]);
const benchTags: string[] = [];
let result;
try {
  const deployed = await kit.kubectl('get', 'deployment/catalog', '-o', 'jsonpath={.spec.template.spec.containers[?(@.name=="catalog")].image}');
  const outer = await outerLoop(kit, benchTags);
  // Back to the image lab 1 deploys (not one revision back: that is the previous bench tag), so
  // the intercept starts from the same state every time.
  await kit.kubectl('set', 'image', 'deployment/catalog', `catalog=${deployed}`);
  await kit.kubectl('rollout', 'status', 'deployment/catalog', '--timeout=120s');
  const intercept = await saveToVisible(kit, catalog);
  const outerStats = stats(outer.total);
  const interceptStats = stats(intercept.storefront);
  result = {
    name: 'outer-loop',
    date: new Date().toISOString(),
    node: process.version,
    docker: { client: builder.client, engine: builder.engineVersion },
    outer_loop_ms: outerStats,
    intercept_ms: interceptStats,
    ratio_p50: +(outerStats.p50 / interceptStats.p50).toFixed(1),
    builds_s: buildsPerImage,
    detail: {
      outer_loop: `${OUTER_RUNS} banner edits: docker build of ffk/catalog with a warm layer cache under a new tag + kubectl set image + rollout on kube-sim, until the storefront NodePort shows the text ("docker build + rollout, kube-sim": no kind load)`,
      intercept: `${intercept.storefront.length} banner edits through \`ffk intercept catalog -- npm run dev\`, until the storefront NodePort shows the text`,
      builds: 'cold: --no-cache (npm download cache still warm); warm: the same build again, every layer cached',
      outer_loop_all_ms: outer.total.map(round),
      outer_loop_build_ms: outer.build.map(round),
      intercept_all_ms: intercept.storefront.map(round),
    },
  };
} finally {
  catalog.remove();
  await kit.stop();
  // The outer loop's tags would pile up in the engine, one per edit and run.
  if (benchTags.length) {
    const removed = await runCommand('docker', ['rmi', ...benchTags]);
    if (removed.code !== 0) console.error(`  could not remove the outer loop's images (${benchTags.join(' ')}): ${removed.stderr.trim()}`);
  }
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'outer-loop.json'), `${JSON.stringify(result, null, 2)}\n`);
console.table({
  'outer loop p50 / p95 (ms)': { measured: `${result.outer_loop_ms.p50} / ${result.outer_loop_ms.p95}` },
  'intercept p50 / p95 (ms)': { measured: `${result.intercept_ms.p50} / ${result.intercept_ms.p95}` },
  'outer ÷ intercept (p50)': { measured: result.ratio_p50 },
  ...Object.fromEntries(Object.entries(result.builds_s).map(([name, t]) => [`${name} build cold / warm (s)`, { measured: `${t.cold_s} / ${t.warm_s}` }])),
});

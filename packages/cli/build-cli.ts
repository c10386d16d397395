// `npm run build -w @ffk/cli` (and `npm pack`, through prepack): the installable ffk in dist/,
// needing nothing but Node >= 22.12 and a kubeconfig. dist/ffk-cli.mjs is a small minified ES
// module with what every command needs (commander, the command table); dist/chunks/ hold the
// rest, every dependency (client-node, undici…) and the agent's bundle, which it writes into the
// agent's ConfigMap, loaded by the commands that use them. dist/ffk.mjs is the bin that enables
// V8's compile cache and loads ffk-cli.mjs.
import { rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { buildAgentBundle } from '../intercept/src/agent/bundle';

const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

const common: BuildOptions = { bundle: true, platform: 'node', target: 'node22', format: 'esm', logLevel: 'error', legalComments: 'none' };

const LAZY_MODULE = 'ffk:lazy-module';

/**
 * An ES module bundle hoists every `import … from 'node:http2'` to its top, so all of Node's
 * modules that client-node and the tunnel use would load before `ffk --help` prints a line. Each
 * builtin becomes an object whose properties load it on first use instead (its names listed at
 * build time), so a module loads only when a command touches it. Builtins that are themselves a
 * function or class (events, stream, assert…) and `process` (its methods need `this`) are
 * required as they are.
 */
const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(plugins) {
    const requireBuiltin = createRequire(import.meta.url);
    plugins.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path.replace(/^node:/, ''), namespace: 'builtin' } : undefined,
    );
    plugins.onResolve({ filter: new RegExp(`^${LAZY_MODULE}$`) }, () => ({ path: LAZY_MODULE, namespace: 'lazy-module' }));
    plugins.onLoad({ filter: /.*/, namespace: 'lazy-module' }, () => ({
      loader: 'js',
      contents: `exports.lazyModule = (load, names) => {
  let real;
  const lazy = {};
  for (const name of names)
    Object.defineProperty(lazy, name, { enumerable: true, get: () => (real ??= load())[name], set: (value) => { (real ??= load())[name] = value; } });
  return lazy;
};`,
    }));
    plugins.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const id = `node:${args.path}`;
      const exports: unknown = requireBuiltin(id);
      if (typeof exports === 'function' || id === 'node:process' || typeof exports !== 'object' || exports === null)
        return { loader: 'js', contents: `module.exports = require('${id}');` };
      const names = JSON.stringify(Object.getOwnPropertyNames(exports));
      return { loader: 'js', contents: `module.exports = require('${LAZY_MODULE}').lazyModule(() => require('${id}'), ${names});` };
    });
  },
};

export async function buildCli(): Promise<{ bin: string; bytes: number }> {
  const agent = await buildAgentBundle();
  rmSync(dist(''), { recursive: true, force: true }); // no chunk of an older build may stay behind
  const result = await build({
    ...common,
    entryPoints: [fileURLToPath(new URL('./src/published.ts', import.meta.url))],
    outdir: dist(''),
    entryNames: 'ffk-cli',
    // Each command's import() becomes a chunk of its own, so `--help` reads only what it runs.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify: true,
    metafile: true,
    plugins: [lazyBuiltins],
    define: { FFK_AGENT_BUNDLE: JSON.stringify(agent) },
    // Only the repository builds the agent from sources; optional native speed-ups of ws stay out.
    external: ['esbuild', 'bufferutil', 'utf-8-validate'],
    // CommonJS dependencies use require(); give each ES module of the bundle one.
    banner: { js: "import{createRequire as __ffkRequire}from'node:module';const require=__ffkRequire(import.meta.url);" },
  });
  await build({
    ...common,
    entryPoints: [fileURLToPath(new URL('./bin/launcher.mjs', import.meta.url))],
    outfile: dist('ffk.mjs'),
    external: ['./ffk-cli.mjs'],
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { bin: dist('ffk.mjs'), bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bin, bytes } = await buildCli();
  console.log(`built ${bin} (bundle ${(bytes / 1024 / 1024).toFixed(1)} MB)`);
}

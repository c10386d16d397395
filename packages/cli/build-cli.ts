// `npm run build -w @ffk/cli` (and `npm pack`, through prepack): the installable ffk in dist/,
// needing nothing but Node >= 22.12 and a kubeconfig. dist/ffk-cli.mjs is one minified ES module
// holding every dependency (client-node, commander…) and the agent's bundle, which it writes into
// the agent's ConfigMap; dist/ffk.mjs is the bin that enables V8's compile cache and loads it.
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { buildAgentBundle } from '../intercept/src/agent/bundle';

const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

const common: BuildOptions = { bundle: true, platform: 'node', target: 'node22', format: 'esm', logLevel: 'error', legalComments: 'none' };

/**
 * An ES module bundle hoists every `import … from 'node:http2'` to its top, so all of Node's
 * modules that client-node and the tunnel use would load before `ffk --help` prints a line. Each
 * builtin becomes a small module that require()s it instead: esbuild evaluates it with the first
 * module that imports it, and the modules behind the CLI's dynamic import()s evaluate only when
 * a command runs.
 */
const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(plugins) {
    plugins.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path.replace(/^node:/, ''), namespace: 'builtin' } : undefined,
    );
    plugins.onLoad({ filter: /.*/, namespace: 'builtin' }, async (args) => {
      // Values only: destructuring a getter (fs.promises, util.types…) would load what it hides.
      const module = (await import(`node:${args.path}`)) as Record<string, unknown> & { default?: object };
      const names = Object.keys(module).filter(
        (name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name) && !Object.getOwnPropertyDescriptor(module.default ?? module, name)?.get,
      );
      return { loader: 'js', contents: `const m = require('node:${args.path}');\nexport default m;\nexport const { ${names.join(', ')} } = m;\n` };
    });
  },
};

export async function buildCli(): Promise<{ bin: string; bytes: number }> {
  const agent = await buildAgentBundle();
  const result = await build({
    ...common,
    entryPoints: [fileURLToPath(new URL('./src/published.ts', import.meta.url))],
    outfile: dist('ffk-cli.mjs'),
    minify: true,
    metafile: true,
    plugins: [lazyBuiltins],
    define: { FFK_AGENT_BUNDLE: JSON.stringify(agent) },
    // Only the repository builds the agent from sources; optional native speed-ups of ws stay out.
    external: ['esbuild', 'bufferutil', 'utf-8-validate'],
    // CommonJS dependencies use require(); give the ES module bundle one.
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

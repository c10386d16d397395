// `npm run build`: bundles the agent into one file for Dockerfile.agent (no node_modules in the image).
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const agentBundle = (outfile: string): BuildOptions => ({
  entryPoints: [fileURLToPath(new URL('./src/agent/main.ts', import.meta.url))],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  logLevel: 'error',
  // pino's dependencies use require(); give the ES module bundle one.
  banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = fileURLToPath(new URL('./dist/agent.mjs', import.meta.url));
  await build(agentBundle(outfile));
  console.log(`bundled the agent into ${outfile}`);
}

// The agent as one minified ES module with its dependencies (pino, undici) inside: what the CLI
// puts in the agent's ConfigMap, and what tests and benchmarks run. esbuild is a build-time tool:
// the published CLI carries the finished bundle and never loads this file.
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

export function agentBuildOptions(): BuildOptions {
  return {
    entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
    bundle: true,
    minify: true,
    write: false,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    logLevel: 'error',
    legalComments: 'none',
    // pino's dependencies use require(); give the ES module bundle one.
    banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
  };
}

/** The bundle's source text. */
export async function buildAgentBundle(): Promise<string> {
  const { build } = await import('esbuild');
  const [output] = (await build(agentBuildOptions())).outputFiles ?? [];
  if (!output) throw new Error('esbuild returned no agent bundle (agentBuildOptions() asks for write: false, which returns it)');
  return output.text;
}

// Which local process an image stands for. There is no container engine: the mapping file
// (k8s/overlays/sim/images.yaml) names, per image repository, a TypeScript entry point or a
// built-in. An image that is not mapped cannot be "pulled".
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { findPostgresBin, NO_POSTGRES } from './postgres';

/**
 * `node`: a TypeScript entry point of this repository stands for the image; `node-image`: the
 * official Node image, running the container's own `node …` command (node-image.ts); `postgres`.
 */
export type ImageRuntime = { kind: 'node'; entry: string } | { kind: 'node-image' } | { kind: 'postgres' };

export interface ImageMap {
  readonly file: string;
  /** The runtime for an image reference, or a pull error in the kubelet's words. */
  resolve(image: string): { runtime: ImageRuntime } | { error: string };
}

export const DEFAULT_IMAGE_MAP = fileURLToPath(new URL('../../../../k8s/overlays/sim/images.yaml', import.meta.url));
const BUILTINS: Record<string, ImageRuntime> = { postgres: { kind: 'postgres' }, node: { kind: 'node-image' } };

/** `docker.io/library/postgres:16@sha256:…` -> `postgres`; `ffk/web:1.2` -> `ffk/web`. */
export function imageRepository(image: string): string {
  let name = image.split('@')[0];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) name = name.slice(0, colon);
  return name.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

/** The image map file (YAML) as written: where entries are relative to, and how each image runs. */
interface ImageMapFile {
  root?: string;
  images?: Record<string, { node?: string; builtin?: string } | null>;
}

export function loadImageMap(file = DEFAULT_IMAGE_MAP): ImageMap {
  const where = resolve(file);
  let document: ImageMapFile;
  try {
    document = (parse(readFileSync(where, 'utf8')) ?? {}) as ImageMapFile;
  } catch (error) {
    throw new Error(`cannot read the image map ${where}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const root = resolve(dirname(where), document.root ?? '.');
  const entries = new Map<string, ImageRuntime>();
  for (const [repository, how] of Object.entries(document.images ?? {})) {
    if (how?.node) entries.set(repository, { kind: 'node', entry: join(root, how.node) });
    else if (how?.builtin && BUILTINS[how.builtin]) entries.set(repository, BUILTINS[how.builtin]);
    else throw new Error(`image map ${where}: "${repository}" needs \`node: <entry.ts>\`, \`builtin: node\` or \`builtin: postgres\``);
  }
  return {
    file: where,
    resolve(image) {
      const runtime = entries.get(imageRepository(image));
      if (!runtime) {
        return { error: `Failed to pull image "${image}": kube-sim runs only the images mapped in ${where} (add "${imageRepository(image)}" there)` };
      }
      if (runtime.kind === 'node' && !existsSync(runtime.entry)) {
        return { error: `Failed to pull image "${image}": it maps to ${runtime.entry}, which does not exist` };
      }
      if (runtime.kind === 'postgres' && !findPostgresBin()) {
        return { error: `Failed to pull image "${image}": ${NO_POSTGRES}` };
      }
      return { runtime };
    },
  };
}

// `npm run images -- <command>`: the kit's images by hand, and Skaffold's custom build command.
//   base                         the Dockerfiles' Node base: the official image when present or
//                                pullable, else the stand-in (built once per machine)
//   build [web|catalog|inventory …] [--tag <tag>] [--target <stage>]
//   postgres                     the manifests' PostgreSQL image, or its stand-in
//   skaffold [--target <stage>]  builds $IMAGE (Skaffold's custom builder sets it)
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ImageBuildError, buildImage, ensureBaseOf, requireBuilder } from './build/build-image';
import { stepPrinter } from './build/progress';
import { APP_IMAGES, IMAGE_TAG } from './images';
import { ensurePostgresImage } from './postgres/stand-in-postgres';
import type { AppImage } from './images';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const say = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

class UsageError extends Error {}

async function base(): Promise<void> {
  const builder = await requireBuilder();
  say(`docker client ${builder.client} (${builder.clientVersion}, BuildKit ${builder.buildkit}), engine ${builder.engineVersion}`);
  const outcome = await ensureBaseOf(builder, repoRoot, APP_IMAGES[0]!.dockerfile, say)!;
  const said = {
    official: `${outcome.tag}: the official image is here already, nothing to build`,
    pulled: `${outcome.tag}: pulled the official image`,
    cached: `${outcome.tag}: the stand-in is up to date (built from the same inputs before)`,
    built: outcome.kind === 'built' ? `${outcome.tag}: stand-in built in ${seconds(outcome.ms)}, ${(outcome.bytes / 1e6).toFixed(0)} MB` : '',
  }[outcome.kind];
  say(said);
}

async function build(image: AppImage, tag: string, target: string | undefined): Promise<void> {
  say(`building ${tag}${target ? ` (target ${target})` : ''} from ${image.dockerfile}`);
  const result = await buildImage({ repoRoot, dockerfile: image.dockerfile, tag, target, onLine: stepPrinter(say) });
  say(`${tag} built in ${seconds(result.ms)} (${result.steps.ran} steps ran, ${result.steps.cached} from cache)`);
}

function appImage(name: string): AppImage {
  const found = APP_IMAGES.find((candidate) => candidate.name === name || candidate.image === name);
  if (!found) throw new UsageError(`no image "${name}": pick from ${APP_IMAGES.map((candidate) => candidate.name).join(', ')}`);
  return found;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { tag: { type: 'string' }, target: { type: 'string' } } });
  const [command, ...names] = positionals;
  if (command === 'base') return base();
  if (command === 'build') {
    const images = names.length ? names.map(appImage) : APP_IMAGES;
    if (values.tag && images.length > 1) throw new UsageError('--tag names one image: give one image name with it');
    for (const image of images) await build(image, values.tag?.includes(':') ? values.tag : `${image.image}:${values.tag ?? IMAGE_TAG}`, values.target);
    return;
  }
  if (command === 'postgres') {
    const outcome = await ensurePostgresImage(repoRoot, stepPrinter(say));
    say(`${outcome.tag}: ${{ official: 'the official image is here already', pulled: 'pulled the official image', 'stand-in': 'stand-in built' }[outcome.kind]} (${seconds(outcome.ms)})`);
    return;
  }
  if (command === 'skaffold') {
    const ref = process.env.IMAGE;
    if (!ref) throw new UsageError('`images skaffold` is Skaffold\'s custom build command and reads $IMAGE: run `images build` yourself instead');
    return build(appImage(ref.replace(/:[^/]*$/, '')), ref, values.target);
  }
  throw new UsageError(`usage: npm run images -- base | postgres | build [${APP_IMAGES.map((image) => image.name).join('|')} …] [--tag <tag>] [--target <stage>] | skaffold [--target <stage>]`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ImageBuildError || error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    say(`images: ${(error as Error).message}`);
    process.exit(1);
  }
  throw error;
});

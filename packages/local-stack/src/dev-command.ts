// `npm run dev`: reads its settings from the environment, shows progress, and stops
// everything on Ctrl-C.
import { join } from 'node:path';
import { styleText } from 'node:util';
import { type LocalStack, REPO_ROOT, startLocalStack } from './stack';

function portSetting(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${variable}=${raw} is not a port number (0-65535)`);
  return port;
}

function say(line: string): void {
  process.stdout.write(`${styleText('dim', '[dev]')} ${line}\n`);
}

function fail(line: string): never {
  process.stderr.write(`${styleText('red', '[dev]')} ${line}\n`);
  process.exit(1);
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

export async function runDev(): Promise<void> {
  let stack: LocalStack | null = null;
  let firstStop = 0;
  const starting = new AbortController();
  const onSignal = async () => {
    // One Ctrl-C can arrive twice (from the terminal, and relayed by tsx): only a later one forces.
    // Forcing exits at once; the exit hook of each service kills its process group.
    if (firstStop) return void (performance.now() - firstStop > 1_000 && process.exit(130));
    firstStop = performance.now();
    say('stopping (Ctrl-C again to force)…');
    // Still starting: startLocalStack stops what runs and rejects; the code below reports it.
    if (!stack) return starting.abort();
    const started = performance.now();
    await stack.stop();
    say(`stopped in ${seconds(started)}s`);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void onSignal());

  const started = performance.now();
  try {
    stack = await startLocalStack({
      ports: { web: portSetting('WEB_PORT', 8080), catalog: portSetting('CATALOG_PORT', 3000), inventory: portSetting('INVENTORY_PORT', 3001) },
      databaseUrl: process.env.DATABASE_URL || undefined,
      storage: process.env.FFK_DEV_DB || join(REPO_ROOT, '.ffk/dev/pgdata'),
      onReady: (step, took, where) => say(`${styleText('green', '✔')} ${step} ready in ${took.toFixed(1)}s  ${styleText('dim', where)}`),
      onLog: (line) => process.stdout.write(`${line}\n`),
      onCrash: (service) =>
        say(`${styleText('red', '✖')} ${service} crashed while starting (its log is above): fix it and save, tsx restarts it; Ctrl-C quits`),
      signal: starting.signal,
    });
  } catch (error) {
    if (starting.signal.aborted) {
      say('stopped before the stack was up');
      process.exit(130);
    }
    fail((error as Error).message);
  }
  process.stdout.write(
    `\n  Storefront: ${styleText('bold', stack.urls.web)}   ${styleText('dim', `(up in ${seconds(started)}s; Ctrl-C stops everything)`)}\n\n`,
  );
}

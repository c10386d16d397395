// `npm run dev`: reads its settings from the environment, shows progress, and stops
// everything on Ctrl-C.
import { join } from 'node:path';
import { styleText } from 'node:util';
import { REPO_ROOT, startLocalStack, type LocalStack } from './stack';

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

export async function runDev(): Promise<void> {
  let stack: LocalStack | null = null;
  let stopping = false;
  const onSignal = async () => {
    // Still starting: the exit hook of each service kills its process group.
    if (!stack || stopping) process.exit(130);
    stopping = true;
    say('stopping (Ctrl-C again to force)…');
    const started = performance.now();
    await stack.stop();
    say(`stopped in ${((performance.now() - started) / 1000).toFixed(1)}s`);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void onSignal());

  try {
    const storage = process.env.FFK_DEV_DB || join(REPO_ROOT, '.ffk/dev/pgdata');
    stack = await startLocalStack({
      ports: { web: portSetting('WEB_PORT', 8080), catalog: portSetting('CATALOG_PORT', 3000), inventory: portSetting('INVENTORY_PORT', 3001) },
      databaseUrl: process.env.DATABASE_URL || undefined,
      storage,
      onReady: (step, seconds, where) => say(`${styleText('green', '✔')} ${step} ready in ${seconds.toFixed(1)}s  ${styleText('dim', where)}`),
      onLog: (line) => process.stdout.write(`${line}\n`),
      onCrash: (service) => say(`${styleText('red', '✖')} ${service} crashed while starting (its log is above): fix it and save, tsx restarts it; Ctrl-C quits`),
    });
  } catch (error) {
    fail((error as Error).message);
  }
  process.stdout.write(`\n  Storefront: ${styleText('bold', stack.urls.web)}   ${styleText('dim', '(Ctrl-C stops everything)')}\n\n`);
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive as alive } from '../processes/tree';

const spawnModule = fileURLToPath(new URL('./spawn.ts', import.meta.url));
const preload = fileURLToPath(new URL('./preload.mjs', import.meta.url));


/**
 * A parent process that starts `children` (code run with spawnWithLifeline in scope), prints
 * their pids as JSON, and then idles until it is killed.
 */
async function parentWith(children: string, env: NodeJS.ProcessEnv = process.env): Promise<{ parent: number; pids: number[] }> {
  const code = `import { spawnWithLifeline, passOnLifeline } from ${JSON.stringify(spawnModule)}; import { spawn } from 'node:child_process';
    const pids = [${children}].map((child) => child.pid); console.log(JSON.stringify(pids)); setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const line = await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  return { parent: parent.pid!, pids: JSON.parse(line) as number[] };
}

const idleNode = `spawnWithLifeline(process.execPath, ['--import', ${JSON.stringify(preload)}, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', onLost: 'watches' })`;
const sleeper = `spawnWithLifeline('sleep', ['600'], { stdio: 'ignore', onLost: 'SIGTERM' })`;

describe('lifeline', { timeout: 20_000 }, () => {
  it('ends a watching Node child and a keeper-run program when their parent is SIGKILLed', async () => {
    const { parent, pids } = await parentWith(`${idleNode}, ${sleeper}`);
    expect(pids.every(alive)).toBe(true);
    process.kill(parent, 'SIGKILL');
    await expect.poll(() => pids.filter(alive), { timeout: 5_000 }).toEqual([]);
  });

  it('hands its own lifeline to a detached child, which then ends with the original parent', async () => {
    // The middle process detaches a child and exits at once, as `ffk sim start --detach` does.
    const detach = `spawn(process.execPath, ['--import', ${JSON.stringify(preload)}, '-e', 'setInterval(() => {}, 1000)'], passOnLifeline({ detached: true, stdio: 'ignore' }))`;
    const middle = `import { passOnLifeline } from ${JSON.stringify(spawnModule)}; import { spawn } from 'node:child_process'; const c = ${detach}; console.log(c.pid); c.unref();`;
    // The parent prints the detached grandchild's pid, which the middle process told it.
    const { parent, pids } = await parentWith(
      `await new Promise((resolve) => spawnWithLifeline(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ${JSON.stringify(middle)}], { stdio: ['ignore', 'pipe', 'inherit'], onLost: 'watches' }).stdout.once('data', (pid) => resolve({ pid: Number(pid) })))`,
    );
    const grandchild = pids[0]!;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive(grandchild)).toBe(true); // it outlived the middle process, which exited
    process.kill(parent, 'SIGKILL');
    await expect.poll(() => alive(grandchild), { timeout: 5_000 }).toBe(false);
  });
});

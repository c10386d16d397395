import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/ffk.mjs', import.meta.url));

async function ffk(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ffk bin', () => {
  it('prints its help with no arguments', async () => {
    const result = await ffk();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: ffk');
    expect(result.stdout).toContain('ffk intercept catalog');
  });

  it('prints its version with --version and -v', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await ffk(flag);
      expect(result).toMatchObject({ code: 0, stdout: `ffk ${packageJson.version} (node ${process.version})\n` });
    }
  });

  it('rejects an unknown command in one line, without a stack trace', async () => {
    const result = await ffk('frobnicate');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

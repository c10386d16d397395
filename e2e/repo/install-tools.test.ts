// .devcontainer/install-tools.sh run for real against a stand-in for the release downloads
// (a fake `curl` that serves files from a temp folder): it installs what matches the published
// checksum, refuses what does not, and skips a tool that is already at its pinned version.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from './repo-files';
import { readmeVersion } from './tool-versions';

const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
const root = mkdtempSync(join(tmpdir(), 'ffk-install-tools-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
/** A fresh bin dir and release folder; the fake curl logs every URL it is asked for. */
function sandbox() {
  const dir = join(root, `run-${++runs}`);
  const paths = { releases: join(dir, 'releases'), fakeBin: join(dir, 'fake-bin'), bin: join(dir, 'bin'), log: join(dir, 'curl.log') };
  for (const folder of [paths.releases, paths.fakeBin, paths.bin]) mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(paths.fakeBin, 'curl'),
    `#!/usr/bin/env bash
out=; url=
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done
echo "$url" >> "${paths.log}"
file="${paths.releases}/\${url##*/}"
[ -f "$file" ] || exit 22
if [ -n "$out" ]; then cp "$file" "$out"; else cat "$file"; fi
`,
  );
  chmodSync(join(paths.fakeBin, 'curl'), 0o755);
  return paths;
}

/** A stand-in tool binary that reports `version` the way the real one does. */
function release(releases: string, file: string, versionLine: string, checksumFile: string, checksumStyle: 'bare' | 'sha256sum', tamper = false) {
  const binary = `#!/bin/sh\necho "${versionLine}"\n`;
  writeFileSync(join(releases, file), tamper ? `${binary}# tampered\n` : binary);
  const hash = createHash('sha256').update(binary).digest('hex');
  writeFileSync(join(releases, checksumFile), checksumStyle === 'bare' ? `${hash}\n` : `${hash}  ${file}\n`);
}

function run(paths: ReturnType<typeof sandbox>, ...tools: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'bash',
      [repoPath('.devcontainer/install-tools.sh'), ...tools],
      { env: { ...process.env, BIN_DIR: paths.bin, PATH: `${paths.fakeBin}:${paths.bin}:${process.env.PATH}` } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('.devcontainer/install-tools.sh', () => {
  const kubectl = readmeVersion('kubectl');
  const kind = readmeVersion('kind');

  it('installs release binaries whose SHA-256 matches the published one (bare or "hash  file" format)', async () => {
    const paths = sandbox();
    release(paths.releases, 'kubectl', `Client Version: v${kubectl}`, 'kubectl.sha256', 'bare');
    release(paths.releases, `kind-linux-${arch}`, `kind v${kind} go1.25 linux/${arch}`, `kind-linux-${arch}.sha256sum`, 'sha256sum');
    const result = await run(paths, 'kubectl', 'kind');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(join(paths.bin, 'kubectl')) && existsSync(join(paths.bin, 'kind')), 'both installed').toBe(true);
    const urls = readFileSync(paths.log, 'utf8');
    expect(urls).toContain(`/v${kubectl}/bin/linux/${arch}/kubectl`);
    expect(urls).toContain(`/v${kind}/kind-linux-${arch}`);
  });

  it('leaves a tool alone when it is already at the pinned version', async () => {
    const paths = sandbox();
    release(paths.releases, 'kubectl', `Client Version: v${kubectl}`, 'kubectl.sha256', 'bare');
    await run(paths, 'kubectl');
    rmSync(paths.log);
    const again = await run(paths, 'kubectl');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`kubectl ${kubectl} already installed`);
    expect(existsSync(paths.log), 'nothing downloaded the second time').toBe(false);
  });

  it('refuses a binary that does not match its checksum, in one line, and installs nothing', async () => {
    const paths = sandbox();
    release(paths.releases, 'kubectl', `Client Version: v${kubectl}`, 'kubectl.sha256', 'bare', true);
    const result = await run(paths, 'kubectl');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/kubectl .* does not match its published checksum/)]);
    expect(existsSync(join(paths.bin, 'kubectl'))).toBe(false);
  });

  it('names the choices when asked for a tool it does not know', async () => {
    const result = await run(sandbox(), 'helm');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("install-tools: unknown tool 'helm'; choose from kubectl, kind, skaffold.");
  });
});

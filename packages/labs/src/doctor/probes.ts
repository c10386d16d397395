// What is installed and usable on this machine. Shared by `doctor` and by the runner, which
// skips steps whose tools are missing (with the reason) instead of failing them.
import type { Shell } from '../shell/shell';

/** A usable tool has a version; an unusable one says why, in one line (and its version when too old). */
export type Probe = { found: true; version: string } | { found: false; version?: string; problem: string };

export const MIN_KIND = '0.31.0';
export const MIN_NODE = '22.12.0';

export function parseVersion(text: string): number[] | null {
  const match = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

export function atLeast(version: string, minimum: string): boolean {
  const have = parseVersion(version);
  const need = parseVersion(minimum);
  if (!need) throw new Error(`atLeast: the minimum "${minimum}" is not a version`);
  if (!have) return false;
  for (let i = 0; i < 3; i++) {
    if (have[i] !== need[i]) return have[i] > need[i];
  }
  return true;
}

/** stdout carries versions; stderr only explains failures (and may hold shell start-up noise). */
async function run($: Shell, command: string[]): Promise<{ ok: boolean; out: string; err: string; missing: boolean }> {
  const result = await $({ nothrow: true })`${command}`;
  // bash reports 127 for a command it cannot find.
  return { ok: result.exitCode === 0, out: result.stdout.trim(), err: result.stderr.trim(), missing: result.exitCode === 127 };
}

/** The engine, not just the client: `docker info` talks to the daemon. */
export async function probeDockerEngine($: Shell): Promise<Probe & { client: boolean }> {
  const info = await run($, ['docker', 'info', '--format', '{{.ServerVersion}}']);
  if (info.missing) return { found: false, client: false, problem: 'the docker command is not installed' };
  if (!info.ok || !info.out) {
    const said = `${info.err}\n${info.out}`.split('\n');
    const reason = said.find((line) => /cannot connect|error|permission/i.test(line)) ?? said.find(Boolean);
    return { found: false, client: true, problem: `the docker client is installed but no engine answers (${reason?.trim() || 'docker info failed'})` };
  }
  return { found: true, client: true, version: info.out.split('\n')[0].trim() };
}

export async function probeKind($: Shell): Promise<Probe> {
  const result = await run($, ['kind', 'version']);
  if (result.missing || !result.ok) return { found: false, problem: 'kind is not installed' };
  const version = /v\d+\.\d+\.\d+/.exec(result.out)?.[0] ?? result.out;
  if (!atLeast(version, MIN_KIND))
    return { found: false, version, problem: `kind ${version} is older than v${MIN_KIND} (older releases break on Codespaces' IPv6)` };
  return { found: true, version };
}

export async function probeKubectl($: Shell): Promise<Probe> {
  const result = await run($, ['kubectl', 'version', '--client', '-o', 'json']);
  if (result.missing || !result.ok) return { found: false, problem: 'kubectl is not installed' };
  try {
    return { found: true, version: (JSON.parse(result.out) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion };
  } catch {
    return { found: true, version: result.out.split('\n')[0] };
  }
}

export async function probeSkaffold($: Shell): Promise<Probe> {
  const result = await run($, ['skaffold', 'version']);
  if (result.missing || !result.ok) return { found: false, problem: 'skaffold is not installed' };
  return { found: true, version: result.out.split('\n')[0] };
}

// Parsing what the user typed for an intercept, with one-line errors.
import { DEFAULT_USER_HEADER, type InterceptSpec, selectorProblem } from '@ffk/intercept';
import { UsageError } from '../cli-kit/errors';

export interface PortFlag {
  local: number;
  /** Service port or container port (number or name), when given */
  remote?: string;
}

export function parsePortFlag(value: string | undefined): PortFlag {
  if (!value) throw new UsageError('--port is required: --port <local port>[:<service port>], e.g. --port 3000 or --port 3000:80');
  const match = /^(\d{1,5})(?::([a-z0-9-]{1,15}|\d{1,5}))?$/.exec(value);
  const local = Number(match?.[1]);
  if (!match || local < 1 || local > 65535) {
    throw new UsageError(
      `--port ${value} is not <local port>[:<service port>]: use e.g. --port 3000 (the port your local process listens on) or --port 3000:80`,
    );
  }
  return { local, remote: match[2] };
}

export function parseInterceptSpec(user: string | undefined, header: string | undefined, mirror = false): InterceptSpec {
  if (user !== undefined && header !== undefined)
    throw new UsageError(`--user and --header both select ${mirror ? 'the requests to mirror' : 'a personal intercept'}: give one of them`);
  let selector: { header?: string; value: string } | undefined;
  if (user !== undefined) selector = { value: user };
  else if (header !== undefined) {
    const match = /^([A-Za-z0-9-]+)=(.*)$/.exec(header);
    if (!match) throw new UsageError(`--header ${header} is not NAME=VALUE: use e.g. --header x-team=blue`);
    selector = { header: match[1].toLowerCase(), value: match[2] };
  }
  if (!selector) return { mode: mirror ? 'mirror' : 'global' };
  const mode = mirror ? 'mirror' : 'personal';
  // The agent refuses these too; saying it here names the flag.
  const problem = selectorProblem(mode, selector.header, selector.value);
  if (problem) throw new UsageError(`${user !== undefined ? '--user' : '--header'}: ${problem}`);
  return { mode, ...selector };
}

/** The intercept as the banner, `ffk status` and `ffk list` name it. */
export function modeLabel(spec: { mode: InterceptSpec['mode']; header?: string; value?: string }): string {
  if (spec.mode === 'global' || (spec.mode === 'mirror' && spec.value === undefined)) return spec.mode;
  return `${spec.mode} ${spec.header ?? DEFAULT_USER_HEADER}=${spec.value}`;
}

export function describeMode(spec: InterceptSpec, localPort: number): string {
  const where = `127.0.0.1:${localPort}`;
  if (spec.mode === 'global') return `global: every request goes to ${where}`;
  if (spec.mode === 'personal') return `personal: requests with ${spec.header ?? DEFAULT_USER_HEADER}: ${spec.value} go to ${where}, all others to the cluster`;
  const which = spec.value === undefined ? 'every request' : `each request with ${spec.header ?? DEFAULT_USER_HEADER}: ${spec.value}`;
  return `mirror: the cluster answers every request; a copy of ${which} goes to ${where}, its answer logged and discarded`;
}

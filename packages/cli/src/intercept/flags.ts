// Parsing what the user typed for an intercept, with one-line errors.
import { type InterceptSpec, selectorProblem } from '@ffk/intercept';
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

export function parseInterceptSpec(user: string | undefined, header: string | undefined): InterceptSpec {
  if (user !== undefined && header !== undefined) throw new UsageError('--user and --header both select a personal intercept: give one of them');
  let spec: InterceptSpec = { mode: 'global' };
  if (user !== undefined) spec = { mode: 'personal', value: user };
  else if (header !== undefined) {
    const match = /^([A-Za-z0-9-]+)=(.*)$/.exec(header);
    if (!match) throw new UsageError(`--header ${header} is not NAME=VALUE: use e.g. --header x-team=blue`);
    spec = { mode: 'personal', header: match[1].toLowerCase(), value: match[2] };
  }
  // The agent refuses these too; saying it here names the flag.
  const problem = spec.mode === 'personal' ? selectorProblem('personal', spec.header, spec.value) : undefined;
  if (problem) throw new UsageError(`${user !== undefined ? '--user' : '--header'}: ${problem}`);
  return spec;
}

export function describeMode(spec: InterceptSpec, localPort: number): string {
  const where = `127.0.0.1:${localPort}`;
  if (spec.mode === 'global') return `global: every request goes to ${where}`;
  return `personal: requests with ${spec.header ?? 'x-ffk-user'}: ${spec.value} go to ${where}, all others to the cluster`;
}

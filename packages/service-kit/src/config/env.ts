import { z } from 'zod';

/**
 * Typed environment variables. Each one carries, besides its schema, the words for a good value,
 * so a bad or missing variable becomes one readable line instead of a zod dump.
 */
export interface EnvVar<T> {
  schema: z.ZodType<T, unknown>;
  /** What a valid value looks like, e.g. "a TCP port from 0 to 65535". */
  expected: string;
  /** Never echo the value back (URLs with passwords). */
  secret?: boolean;
}

type EnvShape = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends EnvShape> = { [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

const port = z.coerce.number().int().min(0).max(65535);

/** The variable kinds the services use. Empty strings count as unset (Kubernetes `value: ""`). */
export const vars = {
  port: (fallback: number): EnvVar<number> => ({
    schema: port.default(fallback),
    expected: `a TCP port from 0 to 65535 (default ${fallback})`,
  }),
  httpUrl: (example: string): EnvVar<string> => ({
    schema: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
    expected: `an http(s) URL such as ${example}`,
  }),
  postgresUrl: (): EnvVar<string> => ({
    schema: z.url({ protocol: /^postgres(ql)?$/ }),
    expected: 'a PostgreSQL URL such as postgres://user:password@host:5432/database',
    secret: true,
  }),
  milliseconds: (fallback: number): EnvVar<number> => ({
    schema: z.coerce.number().int().min(1).max(600_000).default(fallback),
    expected: `a whole number of milliseconds from 1 to 600000 (default ${fallback})`,
  }),
  logLevel: (): EnvVar<string> => ({
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    expected: 'one of fatal, error, warn, info, debug, trace, silent (default info)',
  }),
  optionalText: (what: string): EnvVar<string | undefined> => ({
    schema: z.string().optional(),
    expected: what,
  }),
};

/** Thrown by parseConfig; its message is the one line to show. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates `shape` from `env`; throws a ConfigError naming every bad variable. */
export function parseConfig<S extends EnvShape>(shape: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(shape)) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = spec.schema.safeParse(raw);
    if (result.success) config[name] = result.data;
    else if (raw === undefined) problems.push(`${name} is not set: expected ${spec.expected}`);
    else problems.push(`${name}${spec.secret ? '' : `=${JSON.stringify(raw)}`} is not valid: expected ${spec.expected}`);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return config as ConfigOf<S>;
}

/** parseConfig for main.ts: on a bad variable, print one line to stderr and exit 1 (no stack trace). */
export function loadConfig<S extends EnvShape>(service: string, shape: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  try {
    return parseConfig(shape, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: bad configuration: ${error.message}\n`);
    process.exit(1);
  }
}

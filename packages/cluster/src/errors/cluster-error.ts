/** What went wrong, for callers that branch on it (exit codes, retries, JSON output). */
export type ClusterErrorKind =
  | 'kubeconfig'
  | 'remote-context'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'already-exists'
  | 'invalid'
  | 'manifest'
  | 'kustomize'
  | 'rollout-stuck'
  | 'rollout-failed'
  | 'timeout'
  | 'port-forward'
  | 'api';

/**
 * An error whose message is ONE line a person can act on: what was wrong and what to do.
 * The CLI prints `message` and nothing else (no stack); `cause` keeps the original for --verbose.
 */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  /** Structured facts behind the message (missing permission, suggestions…) for --output json. */
  readonly details: Record<string, unknown>;
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details ?? {};
  }
}

export function isClusterError(error: unknown, kind?: ClusterErrorKind): error is ClusterError {
  return error instanceof ClusterError && (kind === undefined || error.kind === kind);
}

/** The first line of any thrown value's message (client-node packs whole responses into messages). */
export function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error)
    .split('\n')[0]
    .trim();
}

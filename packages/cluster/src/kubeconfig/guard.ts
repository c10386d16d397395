import { ClusterError } from '../errors/cluster-error';
import { classifyContext, type ContextClass } from './classify';
import type { ClusterTarget } from './load';

export interface GuardOptions {
  /** The user said so explicitly (--allow-remote-context). */
  allowRemote?: boolean;
  /** The flag to name in the refusal, so the message matches the command that printed it. */
  allowFlag?: string;
}

/** Refuses a context that is not a local cluster unless explicitly allowed; returns the classification. */
export function guardContext(target: ClusterTarget, options: GuardOptions = {}): ContextClass {
  const verdict = classifyContext(target);
  if (!verdict.local && !options.allowRemote) {
    const flag = options.allowFlag ?? '--allow-remote-context';
    throw new ClusterError(
      'remote-context',
      `refusing to change context "${target.context}" (${target.server}): it is not a local cluster: ${verdict.reason}; switch to a local context with --context, or pass ${flag} if you mean it`,
      { details: { target, reason: verdict.reason } },
    );
  }
  return verdict;
}

/** The one-line description printed before any change. */
export function describeTarget(target: ClusterTarget): string {
  return `context ${target.context} · server ${target.server} · namespace ${target.namespace} · user ${target.user}`;
}

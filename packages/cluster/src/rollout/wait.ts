import { AppsV1Api, CoreV1Api, type KubernetesObject, ListWatch, type V1Deployment, type V1Pod, type V1ReplicaSet, Watch } from '@kubernetes/client-node';
import { ClusterError } from '../errors/cluster-error';
import { toClusterError } from '../errors/friendly';
import type { ClusterAccess } from '../kubeconfig/access';
import { readDeployment } from '../workloads/deployments';
import { selectorString } from '../workloads/selectors';
import { assessRollout, type RolloutCounts, type RolloutState } from './assess';
import { lastLogLines } from './log-tail';
import type { PodCondition } from './pod-problems';

export interface RolloutProgress extends Omit<RolloutState, 'done' | 'failed'> {
  elapsedMs: number;
}

export interface WaitForRolloutOptions {
  /** Give up after this long (default 5 minutes), saying what was still awaited. */
  timeoutMs?: number;
  /** A pod that stays in a stuck state (ErrImagePull, CrashLoopBackOff, Unschedulable…) this long fails the wait (default 30 s). */
  stuckAfterMs?: number;
  /** Called whenever what is being waited for changes. */
  onProgress?: (progress: RolloutProgress) => void;
  signal?: AbortSignal;
}

export interface RolloutResult {
  counts: RolloutCounts;
  ms: number;
}

/**
 * Watches a Deployment, its ReplicaSets and pods until the rollout is complete, reporting
 * progress, and fails early with the pod's reason when the rollout is stuck.
 */
export async function waitForRollout(cluster: ClusterAccess, name: string, options: WaitForRolloutOptions = {}): Promise<RolloutResult> {
  const started = performance.now();
  const deployment = await readDeployment(cluster, name);
  const selector = selectorString(deployment.spec?.selector ?? {});
  const { namespace } = cluster.target;
  const apps = cluster.kc.makeApiClient(AppsV1Api);
  const core = cluster.kc.makeApiClient(CoreV1Api);
  const watch = new Watch(cluster.kc);
  const deployments = new ListWatch<V1Deployment>(
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    watch,
    () => apps.listNamespacedDeployment({ namespace, fieldSelector: `metadata.name=${name}` }),
    false,
    undefined,
    `metadata.name=${name}`,
  );
  const replicaSets = new ListWatch<V1ReplicaSet>(
    `/apis/apps/v1/namespaces/${namespace}/replicasets`,
    watch,
    () => apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }),
    false,
    selector,
  );
  const pods = new ListWatch<V1Pod>(
    `/api/v1/namespaces/${namespace}/pods`,
    watch,
    () => core.listNamespacedPod({ namespace, labelSelector: selector }),
    false,
    selector,
  );
  const informers = [deployments, replicaSets, pods] as Array<ListWatch<KubernetesObject>>;

  const stuckAfterMs = options.stuckAfterMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const firstSeenStuck = new Map<string, number>();
  let lastMessage = '';
  let watchProblem: string | undefined;

  return new Promise<RolloutResult>((resolve, reject) => {
    let finished = false;
    let failing = false; // set while a stuck error gathers its log tail
    let listed = false; // until every informer has listed, a missing object only means "not seen yet"
    const restarts = new Set<ReturnType<typeof setTimeout>>();
    const finish = (error: ClusterError | undefined, result?: RolloutResult) => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      for (const timer of restarts) clearTimeout(timer);
      for (const informer of informers) void informer.stop();
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else if (result) resolve(result);
      else reject(new Error(`the wait for deployment "${name}" ended without a result`));
    };
    const fail = (error: ClusterError) => finish(error);
    const onAbort = () => fail(new ClusterError('timeout', `stopped waiting for the rollout of deployment "${name}"`));
    options.signal?.addEventListener('abort', onAbort);

    const evaluate = () => {
      if (finished || failing) return;
      const elapsedMs = performance.now() - started;
      if (!listed) {
        if (elapsedMs >= timeoutMs)
          fail(new ClusterError('timeout', `could not list deployment "${name}" and its pods within ${Math.round(timeoutMs / 1000)}s`));
        return;
      }
      const current = deployments.get(name, namespace);
      if (!current) return fail(new ClusterError('not-found', `deployment "${name}" was deleted in namespace "${namespace}" while waiting for its rollout`));
      const state = assessRollout(current, replicaSets.list(namespace), pods.list(namespace));
      if (state.done) return finish(undefined, { counts: state.counts, ms: Math.round(elapsedMs) });
      if (state.failed) return fail(new ClusterError('rollout-failed', `rollout of deployment "${name}" ${state.failed}`, { details: { pods: state.pods } }));
      const stuck = longestStuck(state.pods, firstSeenStuck);
      if (stuck && stuck.ms >= stuckAfterMs) {
        failing = true;
        void stuckError(cluster, name, stuck.condition).then(fail);
        return;
      }
      if (elapsedMs >= timeoutMs) {
        return fail(
          new ClusterError('timeout', `rollout of deployment "${name}" did not finish in ${Math.round(timeoutMs / 1000)}s; still waiting: ${state.message}`),
        );
      }
      const message = watchProblem ? `${state.message} (watch interrupted: ${watchProblem}; retrying)` : state.message;
      if (message !== lastMessage) {
        lastMessage = message;
        options.onProgress?.({ message, counts: state.counts, pods: state.pods, elapsedMs: Math.round(elapsedMs) });
      }
    };

    for (const informer of informers) {
      informer.on('change', () => {
        watchProblem = undefined;
        evaluate();
      });
      // ListWatch stops on errors other than 410; start it again (it re-lists) after a pause.
      informer.on('error', (error: unknown) => {
        if (finished) return;
        watchProblem = toClusterError(error, { target: cluster.target }).message;
        const timer = setTimeout(() => {
          restarts.delete(timer);
          if (!finished) informer.start().catch(() => undefined);
        }, 1000);
        restarts.add(timer);
      });
    }
    // The clock matters too: stuck pods and the timeout are judged even when nothing changes.
    const ticker = setInterval(evaluate, 500);
    Promise.all(informers.map((informer) => informer.start()))
      .then(() => {
        listed = true;
        evaluate();
      })
      .catch((error: unknown) => fail(toClusterError(error, { target: cluster.target })));
  });
}

/** The stuck pod condition seen the longest, tracking when each was first seen. */
function longestStuck(conditions: PodCondition[], firstSeen: Map<string, number>): { condition: PodCondition; ms: number } | undefined {
  const now = performance.now();
  const current = new Set<string>();
  let longest: { condition: PodCondition; ms: number } | undefined;
  for (const condition of conditions.filter((c) => c.stuck)) {
    // ErrImagePull and ImagePullBackOff alternate for one problem: key them together.
    const key = `${condition.pod}/${condition.container ?? ''}/${/Image/.test(condition.reason) ? 'image' : condition.reason}`;
    current.add(key);
    if (!firstSeen.has(key)) firstSeen.set(key, now);
    const ms = now - (firstSeen.get(key) ?? now);
    if (!longest || ms > longest.ms) longest = { condition, ms };
  }
  for (const key of firstSeen.keys()) if (!current.has(key)) firstSeen.delete(key);
  return longest;
}

async function stuckError(cluster: ClusterAccess, name: string, condition: PodCondition): Promise<ClusterError> {
  const logs = condition.reason === 'CrashLoopBackOff' ? await lastLogLines(cluster, condition.pod, condition.container) : [];
  const prefix = `rollout of deployment "${name}" is stuck: pod ${condition.pod} ${condition.text}`;
  return new ClusterError(
    'rollout-stuck',
    `${prefix}${condition.detail && !/Image/.test(condition.reason) ? `: ${condition.detail}` : ''}; ${hintFor(condition, logs)}`,
    {
      details: { pod: condition.pod, container: condition.container, reason: condition.reason, image: condition.image, logs },
    },
  );
}

function hintFor(condition: PodCondition, logs: string[]): string {
  if (/Image/.test(condition.reason)) {
    return `check the image name and tag; on kind, build it and run \`kind load docker-image ${condition.image ?? '<image>'}\``;
  }
  if (condition.reason === 'CrashLoopBackOff') {
    const last = logs.at(-1);
    return `${last ? `its last log line: ${last.trim()}; ` : ''}see \`kubectl logs ${condition.pod}${condition.container ? ` -c ${condition.container}` : ''} --previous\``;
  }
  if (condition.reason === 'Unschedulable') return 'no node can take the pod: lower its resource requests or check nodeSelector and taints';
  return `see \`kubectl describe pod ${condition.pod}\``;
}

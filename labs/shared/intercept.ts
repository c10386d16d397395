// `ffk intercept catalog` as the labs run it: in the background, against the lab's cluster, with
// catalog running locally under its `npm run dev` watcher; and the precondition that `ffk` has the command.
import { hostname, userInfo } from 'node:os';
import { relative } from 'node:path';
import type { ActionTask, Backend, LabContext, SkipIf } from '@ffk/labs';
import { startBackground, stopBackground } from './background';
import { type ClusterTarget, clusterTarget, ffk } from './cluster';
import { isLocal, waitForStorefront } from './storefront';

export const FFK_BIN = 'packages/cli/bin/ffk.mjs';
/** What the learner's own terminal would run; `npm run dev -w @ffk/catalog` is `service-dev src/main.ts`. */
export const LOCAL_CATALOG = ['npm', 'run', 'dev', '-w', '@ffk/catalog'];

const probes = new Map<string, Promise<string | null>>();

/** Skips a task or step while this checkout's `ffk` has no `<command>` (issue 6 is adding them). */
export function needsFfk(command: string): SkipIf {
  return (ctx) => {
    let probe = probes.get(command);
    if (!probe) {
      probe = ctx.$`node ${FFK_BIN} ${command} --help`.then(
        () => null,
        () => `\`ffk ${command}\` is not in this checkout yet (packages/cli, issue 6): this runs once it lands`,
      );
      probes.set(command, probe);
    }
    return probe;
  };
}

/** A name the storefront's "preview as" field accepts, for personal intercepts. */
export function previewName(): string {
  const name = (process.env.FFK_USER ?? userInfo().username)
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^[._-]+/, '')
    .slice(0, 63);
  return name || 'me';
}

export interface InterceptOptions {
  /** Personal intercept for this preview name; global when omitted. */
  user?: string;
}

export const interceptName = (options: InterceptOptions) => (options.user ? 'intercept-catalog-personal' : 'intercept-catalog');

/**
 * Where the local catalog listens. On kube-sim the cluster's pods are processes on this machine
 * and its catalog already holds port 3000 (on its own 127.x address, which a local catalog
 * listening on every address would collide with), so offline mode uses 3100; ffk sets PORT to it.
 */
export const localPort = (backend: Backend) => (backend === 'sim' ? 3100 : 3000);

export function interceptArgs(target: ClusterTarget, options: InterceptOptions): string[] {
  return [
    'intercept',
    'catalog',
    '--port',
    String(localPort(target.backend)),
    '--context',
    target.context,
    ...(options.user ? ['--user', options.user] : []),
    '--',
    ...LOCAL_CATALOG,
  ];
}

/**
 * The intercept as a learner would type it in this checkout, which the runner shows; it runs the
 * same CLI with the runner's Node directly, whose absolute path would mean nothing to them.
 */
export function interceptCommandLine(repoRoot: string, target: ClusterTarget, options: InterceptOptions): string {
  const kubeconfig = target.kubeconfig ? `KUBECONFIG=${relative(repoRoot, target.kubeconfig)} ` : '';
  return `${kubeconfig}npm run ffk -- ${interceptArgs(target, options).join(' ')}`;
}

/** Starts the intercept and waits until the storefront shows catalog answered by this machine. */
export async function startIntercept(ctx: LabContext, options: InterceptOptions): Promise<string> {
  const target = await clusterTarget(ctx);
  const started = performance.now();
  return startBackground(ctx, {
    name: interceptName(options),
    command: process.execPath,
    args: [FFK_BIN, ...interceptArgs(target, options)],
    shownAs: interceptCommandLine(ctx.repoRoot, target, options),
    env: target.env,
    ready: async () => {
      const view = await waitForStorefront((v) => isLocal(v.servedBy.banner), {
        timeoutMs: 90_000,
        waitingFor: `the banner served by local (${hostname()})`,
        signal: ctx.signal,
        ...(options.user ? { previewAs: options.user } : {}),
      });
      return `${view.servedBy.banner} answers for catalog ${options.user ? `(for ${options.user} only) ` : ''}after ${((performance.now() - started) / 1000).toFixed(1)} s`;
    },
  });
}

/** Ctrl-C on the intercept, then the time until the storefront shows the cluster's catalog again. */
export async function leaveIntercept(ctx: LabContext, options: InterceptOptions): Promise<string> {
  const started = performance.now();
  if (!(await stopBackground(ctx, interceptName(options)))) return 'no intercept of this lab was running';
  const view = await waitForStorefront((v) => v.servedBy.banner !== null && !isLocal(v.servedBy.banner), {
    timeoutMs: 10_000,
    waitingFor: "the cluster's catalog",
    signal: ctx.signal,
    ...(options.user ? { previewAs: options.user } : {}),
  });
  return `${view.servedBy.banner} answers again, ${Math.round(performance.now() - started)} ms after Ctrl-C`;
}

/** Stops intercepts an earlier, interrupted run left behind (part of labs 3, 4 and 6's prepare). */
export const stopLeftoverIntercepts: ActionTask = {
  title: 'Stop intercepts left running by an earlier lab',
  run: async (ctx) => {
    const stopped = [];
    for (const options of [{}, { user: previewName() }]) if (await stopBackground(ctx, interceptName(options))) stopped.push(interceptName(options));
    return stopped.length ? `stopped ${stopped.join(', ')}` : 'none running';
  },
};

/** `ffk uninstall catalog`: the agent out, the Deployment and Service exactly as before. */
export async function ffkUninstall(ctx: LabContext): Promise<string> {
  const missing = await needsFfk('uninstall')(ctx);
  if (missing) return `agent not removed: ${missing}`;
  const target = await clusterTarget(ctx);
  return (await ffk(ctx, ['uninstall', 'catalog', '--context', target.context])).trim().split('\n').at(-1) ?? 'uninstalled';
}

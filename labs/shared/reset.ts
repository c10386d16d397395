// lab:reset's cluster half: the app as the overlay describes it, with no intercept left over.
import type { LabContext } from '@ffk/labs';
import { stopBackground } from './background';
import { clusterTarget, DEPLOYMENTS, kubectl, rollout } from './cluster';
import { ffkUninstall, interceptName, previewName } from './intercept';

/**
 * Leaves the labs' intercepts, removes the agent (re-applying the overlay over it would leave a
 * half-patched pod), re-applies the overlay, which restores the pinned images, and on kube-sim
 * restarts catalog, whose pod runs the sources on disk, so it drops a banner reset just restored.
 */
export async function redeployApp(ctx: LabContext): Promise<void> {
  for (const options of [{}, { user: previewName() }]) await stopBackground(ctx, interceptName(options));
  ctx.log(await ffkUninstall(ctx));
  const { overlay, backend } = await clusterTarget(ctx);
  await kubectl(ctx, ['apply', '-k', overlay]);
  if (backend === 'sim') await kubectl(ctx, ['rollout', 'restart', 'deployment/catalog']);
  for (const name of DEPLOYMENTS) await rollout(ctx, name);
}

// waitForRollout from @ffk/cluster, retried when it reports the Deployment deleted although it
// still exists: its informers can fire before the Deployment's own list has arrived (reported
// to the cluster package's owner; remove this once fixed there).
import { isClusterError, readDeployment, waitForRollout, type ClusterAccess, type RolloutResult, type WaitForRolloutOptions } from '@ffk/cluster';

export async function waitForDeploymentRollout(access: ClusterAccess, name: string, options: WaitForRolloutOptions): Promise<RolloutResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await waitForRollout(access, name, options);
    } catch (error) {
      if (attempt >= 3 || !isClusterError(error, 'not-found') || !/was deleted/.test(error.message)) throw error;
      await readDeployment(access, name); // really gone: this throws the not-found with suggestions
    }
  }
}

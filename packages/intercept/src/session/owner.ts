import { hostname } from 'node:os';
import { type ClusterAccess, whoAmI } from '@ffk/cluster';

/**
 * The name teammates see on an intercept and a lease: the user the API server says this is
 * (SelfSubjectReview; the kubeconfig user when the server cannot say), not the OS user, with the
 * machine it runs on.
 */
export async function ownerOf(access: ClusterAccess): Promise<string> {
  return `${(await whoAmI(access)).user}@${hostname()}`;
}

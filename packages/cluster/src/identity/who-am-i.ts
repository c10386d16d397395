// Who the cluster says the user is: the name teammates see on an intercept and a lease. Asked of
// the API server (SelfSubjectReview, what `kubectl auth whoami` sends), because a name the client
// makes up (an OS user, a --owner flag) could be anyone's.
import { AuthenticationV1Api } from '@kubernetes/client-node';
import { toClusterError } from '../errors/friendly';
import { apiStatusOf } from '../errors/status';
import type { ClusterAccess } from '../kubeconfig/access';

export interface ClusterIdentity {
  /** the user name as authenticated by the API server, or the kubeconfig's user entry */
  user: string;
  /** where the name comes from: the API server's answer, or only the kubeconfig (say so) */
  source: 'SelfSubjectReview' | 'kubeconfig';
}

export async function whoAmI(access: ClusterAccess): Promise<ClusterIdentity> {
  const request = { verb: 'create', group: 'authentication.k8s.io', resource: 'selfsubjectreviews' };
  try {
    const review = await access.kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    const username = review.status?.userInfo?.username;
    if (username) return { user: username, source: 'SelfSubjectReview' };
  } catch (error) {
    // Servers before Kubernetes 1.28 (404) or without the basic-user binding (403) cannot say.
    const code = apiStatusOf(error)?.code;
    if (code !== 404 && code !== 403) throw toClusterError(error, { target: access.target, request });
  }
  return { user: access.target.user, source: 'kubeconfig' };
}

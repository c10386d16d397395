// @ffk/cluster: the Kubernetes access layer the ffk CLI and the labs compose.
export { ClusterError, isClusterError, type ClusterErrorKind } from './errors/cluster-error';
export { toClusterError, friendly, type ErrorContext } from './errors/friendly';
export { formatPermission, type ResourceRef } from './errors/resource-ref';
export { checkPermissions, type PermissionCheck } from './errors/permissions';
export { closeNames, editDistance } from './errors/suggest';

export { loadKubeconfig, kubeconfigFiles, type KubeconfigOptions, type ClusterTarget, type LoadedKubeconfig } from './kubeconfig/load';
export { accessFor, targetOf, type ClusterAccess } from './kubeconfig/access';
export { classifyContext, type ContextClass } from './kubeconfig/classify';
export { guardContext, describeTarget, type GuardOptions } from './kubeconfig/guard';
export { pinContext, describeDrift, type ContextPin, type KubeconfigDrift } from './kubeconfig/pin';
export { openSession, type ClusterSession, type SessionOptions } from './kubeconfig/session';
export { whoAmI, type ClusterIdentity } from './identity/who-am-i';

export { readDeployment } from './workloads/deployments';
export { nameOf } from './workloads/name-of';
export { selectorString } from './workloads/selectors';

export { parseManifests, objectName, type Manifest } from './apply/manifests';
export { renderKustomize } from './apply/kustomize';
export { applyManifests, applyKustomize, type ApplyAction, type ApplyOptions, type ApplyResult } from './apply/apply';

export { assessRollout, type RolloutCounts, type RolloutState } from './rollout/assess';
export { podCondition, isPodReady, type PodCondition } from './rollout/pod-problems';
export { lastLogLines } from './rollout/log-tail';
export { waitForRollout, type RolloutProgress, type RolloutResult, type WaitForRolloutOptions } from './rollout/wait';

export { openPortForward, PortForwardStream, type CloseCause } from './portforward/duplex';
export { resolveReadyPods, newestReadyPod, type PodSelector } from './portforward/ready-pods';
export { reconnectingPortForward, type PortForwardEvent, type ReconnectingPortForwardOptions } from './portforward/reconnect';

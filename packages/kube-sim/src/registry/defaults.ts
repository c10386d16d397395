// The defaults the API server fills in (its SetDefaults_* functions and admission plugins), so
// `kubectl get -o yaml` shows what a real cluster would.
import type { KubeObject } from '../store/types';

type Json = Record<string, any>;

const setDefault = (target: Json, key: string, value: unknown) => {
  if (target[key] === undefined || target[key] === null) target[key] = value;
};

/** `:latest` or no tag means Always, anything else IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function probe(p: Json | undefined): void {
  if (!p) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (p.httpGet) setDefault(p.httpGet, 'scheme', 'HTTP');
}

function container(c: Json): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefault(c, 'resources', {});
  for (const port of c.ports ?? []) setDefault(port, 'protocol', 'TCP');
  for (const env of c.env ?? []) if (env.valueFrom?.fieldRef) setDefault(env.valueFrom.fieldRef, 'apiVersion', 'v1');
  probe(c.livenessProbe);
  probe(c.readinessProbe);
  probe(c.startupProbe);
}

export function defaultPodSpec(spec: Json | undefined): void {
  if (!spec) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) container(c);
  for (const volume of spec.volumes ?? []) {
    if (volume.configMap) setDefault(volume.configMap, 'defaultMode', 420);
    if (volume.secret) setDefault(volume.secret, 'defaultMode', 420);
  }
}

function qosClass(spec: Json): string {
  const containers: Json[] = spec.containers ?? [];
  const resources = containers.map((c) => c.resources ?? {});
  if (resources.every((r) => !r.limits && !r.requests)) return 'BestEffort';
  const guaranteed = resources.every(
    (r) => r.limits?.cpu && r.limits?.memory && (!r.requests || ['cpu', 'memory'].every((k) => !r.requests[k] || String(r.requests[k]) === String(r.limits[k]))),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const DEFAULTERS: Record<string, (object: KubeObject) => void> = {
  Pod(pod) {
    defaultPodSpec(pod.spec);
    if (!pod.spec) return;
    // Admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds) on a real server.
    setDefault(pod.spec, 'serviceAccountName', 'default');
    setDefault(pod.spec, 'serviceAccount', pod.spec.serviceAccountName);
    setDefault(pod.spec, 'enableServiceLinks', true);
    setDefault(pod.spec, 'priority', 0);
    setDefault(pod.spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(pod.spec, 'tolerations', [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    pod.status ??= {};
    setDefault(pod.status, 'phase', 'Pending');
    setDefault(pod.status, 'qosClass', qosClass(pod.spec));
  },
  Deployment(deployment) {
    const spec = (deployment.spec ??= {});
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    setDefault(spec, 'strategy', {});
    setDefault(spec.strategy, 'type', 'RollingUpdate');
    if (spec.strategy.type === 'RollingUpdate') {
      setDefault(spec.strategy, 'rollingUpdate', {});
      setDefault(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
      setDefault(spec.strategy.rollingUpdate, 'maxSurge', '25%');
    }
    defaultPodSpec(spec.template?.spec);
  },
  ReplicaSet(replicaSet) {
    const spec = (replicaSet.spec ??= {});
    setDefault(spec, 'replicas', 1);
    defaultPodSpec(spec.template?.spec);
  },
  Service(service) {
    const spec = (service.spec ??= {});
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec.type !== 'ExternalName') {
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
      setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    for (const port of spec.ports ?? []) {
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port);
    }
    service.status ??= { loadBalancer: {} };
  },
  Secret(secret) {
    setDefault(secret, 'type', 'Opaque');
  },
  Namespace(namespace) {
    namespace.spec ??= {};
    setDefault(namespace.spec, 'finalizers', ['kubernetes']);
    namespace.status ??= {};
    setDefault(namespace.status, 'phase', 'Active');
    namespace.metadata.labels = { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': namespace.metadata.name };
  },
};

/** Fills in defaults in place (on every write, as decoding does on a real server). */
export function applyDefaults(object: KubeObject): void {
  DEFAULTERS[object.kind]?.(object);
}

// The defaults of a pod spec (SetDefaults_PodSpec, _Container, _Probe...), which pods and pod
// templates share; each kind's own defaults live in its strategy (src/registry/strategies), so
// `kubectl get -o yaml` shows what a real cluster would.

type Json = Record<string, any>;

export const setDefault = (target: Json, key: string, value: unknown) => {
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

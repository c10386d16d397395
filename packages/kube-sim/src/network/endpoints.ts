// What the endpoints controller computes for a Service (pkg/controller/endpoint): the pods its
// selector picks, each target port resolved per pod (named ports by the pod's container ports),
// ready pods under `addresses`, the others under `notReadyAddresses`, grouped by port set.
import type { EndpointAddress, EndpointSubset, Pod, Service } from '../runtime/kube-types';

export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false; // no selector: endpoints are managed by hand
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function resolveTargetPort(target: number | string | undefined, port: number, pod: Pod): number | undefined {
  if (target === undefined) return port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of pod.spec.containers) {
    const found = container.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

export function endpointSubsets(service: Service, pods: Pod[]): EndpointSubset[] {
  const bySignature = new Map<string, EndpointSubset>();
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || !pod.status?.podIP) continue; // terminating pods leave at once
    if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') continue;
    if (pod.metadata.namespace !== service.metadata.namespace || !selects(service.spec.selector, pod.metadata.labels)) continue;
    const ports = (service.spec.ports ?? []).flatMap((p) => {
      const resolved = resolveTargetPort(p.targetPort, p.port, pod);
      return resolved === undefined ? [] : [{ ...(p.name ? { name: p.name } : {}), port: resolved, protocol: p.protocol ?? 'TCP' }];
    });
    if (ports.length === 0) continue;
    const signature = JSON.stringify(ports);
    const subset = bySignature.get(signature) ?? { ports };
    bySignature.set(signature, subset);
    const address: EndpointAddress = {
      ip: pod.status.podIP,
      ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', uid: pod.metadata.uid },
    };
    const list = isPodReady(pod) ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= []);
    list.push(address);
  }
  // Stable order, so an unchanged set of pods gives an unchanged object (no needless writes).
  for (const subset of bySignature.values()) {
    subset.addresses?.sort((a, b) => a.ip.localeCompare(b.ip));
    subset.notReadyAddresses?.sort((a, b) => a.ip.localeCompare(b.ip));
  }
  return [...bySignature.values()];
}

/** Ready backends of one Service port, from its Endpoints (as kube-proxy reads them). */
export function readyBackends(subsets: EndpointSubset[] | undefined, portName: string | undefined): { ip: string; port: number }[] {
  return (subsets ?? []).flatMap((subset) => {
    const port = subset.ports?.find((p) => (p.name ?? '') === (portName ?? ''));
    return port ? (subset.addresses ?? []).map((a) => ({ ip: a.ip, port: port.port })) : [];
  });
}

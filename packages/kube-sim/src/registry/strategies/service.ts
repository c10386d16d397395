// Service (pkg/registry/core/service/strategy.go and its storage's allocation hooks): DNS-1035
// names, defaults, port rules, a ClusterIP from 10.96.0.0/12 and node ports from 30000-32767
// taken at create, kept across updates that leave them out and given back at deletion (a failed
// allocation is a 422 naming the Service and the port's index), an immutable clusterIP, and the
// columns of `kubectl get services`.
import { AGE, type Column, NAME, orNone, selectorText } from '../../api/columns';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldRequired } from '../../api/field-errors';
import { invalid, type StatusCause } from '../../api/status';
import { AllocationError } from '../allocators';
import type { ServiceObject } from '../kinds';
import { dns1035Label, portCauses } from '../validation';
import type { Pools, Strategy } from './strategy';

type ServiceSpec = NonNullable<ServiceObject['spec']>;

const usesNodePorts = (spec: ServiceSpec | undefined) => spec?.type === 'NodePort' || spec?.type === 'LoadBalancer';

function serviceCauses(service: ServiceObject): StatusCause[] {
  const spec = service.spec ?? {};
  const causes: StatusCause[] = [];
  const ports = spec.ports ?? [];
  if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && ports.length === 0) causes.push(fieldRequired('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    causes.push(...portCauses(`spec.ports[${i}].port`, p.port));
    if (ports.length > 1 && !p.name) causes.push(fieldRequired(`spec.ports[${i}].name`));
    if (p.name && names.has(p.name)) causes.push(fieldDuplicate(`spec.ports[${i}].name`, p.name));
    if (p.name) names.add(p.name);
    if (typeof p.targetPort === 'number') causes.push(...portCauses(`spec.ports[${i}].targetPort`, p.targetPort));
    if (p.nodePort && spec.type === 'ClusterIP') causes.push(fieldForbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });
  return causes;
}

/** Runs an allocation; an AllocationError becomes the 422 kube-apiserver answers for that field. */
function allocating<T>(service: ServiceObject, field: string, value: unknown, detail: (why: string) => string, take: () => T): T {
  try {
    return take();
  } catch (error) {
    if (!(error instanceof AllocationError)) throw error;
    throw invalid('Service', '', service.metadata.name, [fieldInvalid(field, value, detail(error.message))]);
  }
}

/** Takes the ClusterIP and node ports; on a failure gives back what it took (the create fails whole). */
function allocate(service: ServiceObject, pools: Pools): void {
  const spec = (service.spec ??= {});
  const before = structuredClone(spec);
  try {
    take(service, spec, pools);
  } catch (error) {
    if (spec.clusterIP && spec.clusterIP !== before.clusterIP) pools.clusterIPs.release(spec.clusterIP);
    (spec.ports ?? []).forEach((port, i) => port.nodePort !== before.ports?.[i]?.nodePort && pools.nodePorts.release(port.nodePort));
    throw error;
  }
}

function take(service: ServiceObject, spec: ServiceSpec, pools: Pools): void {
  if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
    const requested = spec.clusterIP || undefined;
    spec.clusterIP = allocating(
      service,
      'spec.clusterIPs',
      spec.clusterIPs ?? [requested],
      (why) => `failed to allocate IP ${requested}: ${why}`,
      () => pools.clusterIPs.allocate(requested),
    );
    spec.clusterIPs = [spec.clusterIP];
  } else if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
  if (usesNodePorts(spec)) {
    (spec.ports ?? []).forEach((port, i) => {
      port.nodePort = allocating(
        service,
        `spec.ports[${i}].nodePort`,
        port.nodePort,
        (why) => why,
        () => pools.nodePorts.allocate(port.nodePort),
      );
    });
  }
}

function servicePorts(service: ServiceObject): string {
  const ports = service.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

const COLUMNS: Column<ServiceObject>[] = [
  NAME,
  { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
  { name: 'Cluster-IP', type: 'string', cell: (o) => orNone(o.spec?.clusterIP) },
  { name: 'External-IP', type: 'string', cell: (o) => o.spec?.externalName ?? (o.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>') },
  { name: 'Port(s)', type: 'string', cell: servicePorts },
  AGE,
  { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorText(o.spec?.selector) },
];

export const serviceStrategy: Strategy<ServiceObject> = {
  name: dns1035Label,
  defaults(service) {
    const spec = (service.spec ??= {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') {
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    if (usesNodePorts(spec)) spec.externalTrafficPolicy ??= 'Cluster';
    for (const port of spec.ports ?? []) {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port;
    }
    service.status ??= { loadBalancer: {} };
  },
  /** An update that leaves the ClusterIP (or NodePorts) out keeps the allocated ones. */
  prepareForUpdate(next, current) {
    const spec = (next.spec ??= {});
    if (!spec.clusterIP && current.spec?.clusterIP) spec.clusterIP = current.spec.clusterIP;
    if (!spec.clusterIPs && current.spec?.clusterIPs) spec.clusterIPs = current.spec.clusterIPs;
    for (const port of spec.ports ?? []) {
      const before = (current.spec?.ports ?? []).find((p) => p.port === port.port);
      if (!port.nodePort && before?.nodePort && usesNodePorts(spec)) port.nodePort = before.nodePort;
    }
  },
  validate: serviceCauses,
  validateUpdate(next, previous) {
    const changed = previous.spec?.clusterIP && previous.spec.clusterIP !== next.spec?.clusterIP;
    const external = previous.spec?.type === 'ExternalName' || next.spec?.type === 'ExternalName';
    return changed && !external ? [fieldInvalid('spec.clusterIP', next.spec?.clusterIP ?? '', 'field is immutable')] : [];
  },
  allocate,
  release(service, pools) {
    pools.clusterIPs.release(service.spec?.clusterIP);
    for (const port of service.spec?.ports ?? []) pools.nodePorts.release(port.nodePort);
  },
  columns: COLUMNS,
};

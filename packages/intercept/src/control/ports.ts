// Which container port an intercept takes over, and which Service ports lead to it.
import { ClusterError, nameOf } from '@ffk/cluster';
import type { V1Container, V1ContainerPort, V1Deployment, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { AGENT_CONTAINER } from './annotations';

export interface ServicePortRef {
  service: string;
  index: number;
  port: V1ServicePort;
}

export interface PortChoice {
  container: string;
  containerIndex: number;
  /** the app's port number inside the pod */
  containerPort: number;
  /** the app port's name, when it has one */
  name?: string;
  protocol: 'http' | 'tcp';
  /** Service ports whose targetPort reaches this container port (by name or number) */
  services: ServicePortRef[];
}

/** Services of the namespace whose selector picks the Deployment's pods. */
export function servicesSelecting(deployment: V1Deployment, services: V1Service[]): V1Service[] {
  const labels = deployment.spec?.template.metadata?.labels ?? {};
  return services.filter((service) => {
    const selector = service.spec?.selector;
    return selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

/** The app containers (everything but our sidecar), with their index in the pod spec. */
export function appContainers(deployment: V1Deployment): { container: V1Container; index: number }[] {
  return (deployment.spec?.template.spec?.containers ?? [])
    .map((container, index) => ({ container, index }))
    .filter(({ container }) => container.name !== AGENT_CONTAINER);
}

/**
 * Picks the port: `requested` is a Service port (number or name) or a container port (number or
 * name); without it, the only declared port, else the one named "http". One line with the
 * choices otherwise.
 */
export function choosePort(deployment: V1Deployment, services: V1Service[], requested?: string): PortChoice {
  const name = deployment.metadata?.name ?? '';
  const containers = appContainers(deployment);
  const declared = containers.flatMap(({ container, index }) => (container.ports ?? []).map((port) => ({ container, index, port })));
  const selecting = servicesSelecting(deployment, services);
  const servicePorts = selecting.flatMap((service) => (service.spec?.ports ?? []).map((port, index) => ({ service: nameOf(service), index, port })));

  let target: { container: V1Container; index: number; port: V1ContainerPort } | undefined;
  if (requested) {
    const viaService = servicePorts.find(({ port }) => String(port.port) === requested || port.name === requested);
    const targetPort = viaService ? String(viaService.port.targetPort ?? viaService.port.port) : requested;
    target = declared.find(({ port }) => String(port.containerPort) === targetPort || port.name === targetPort);
    if (!target && viaService && /^\d+$/.test(targetPort) && containers[0]) {
      // A numeric targetPort need not be declared in the container (Kubernetes allows it).
      target = { ...containers[0], port: { containerPort: Number(targetPort) } };
    }
    if (!target) {
      throw new ClusterError(
        'not-found',
        `port ${requested} is not among the ports of deployment "${name}": ${describePorts(declared, servicePorts)}; pass --port <local>:<one of them>`,
        {
          details: { requested, ports: declared.map(({ port }) => port.name ?? port.containerPort) },
        },
      );
    }
  } else if (declared.length === 1) {
    target = declared[0];
  } else {
    target = declared.find(({ port }) => port.name === 'http');
    if (
      !target &&
      declared.length === 0 &&
      servicePorts.length === 1 &&
      /^\d+$/.test(String(servicePorts[0].port.targetPort ?? servicePorts[0].port.port)) &&
      containers[0]
    ) {
      target = { ...containers[0], port: { containerPort: Number(servicePorts[0].port.targetPort ?? servicePorts[0].port.port) } };
    }
    if (!target) {
      const why = declared.length === 0 ? 'its containers declare no ports' : 'it has several ports';
      throw new ClusterError('invalid', `which port of deployment "${name}"? ${why}: ${describePorts(declared, servicePorts)}; pass --port <local>:<port>`);
    }
  }
  const { container, index, port } = target;
  const reaches = (ref: ServicePortRef) => {
    const tp = ref.port.targetPort ?? ref.port.port;
    return typeof tp === 'number' || /^\d+$/.test(String(tp)) ? Number(tp) === port.containerPort : tp === port.name;
  };
  const serviceRefs = servicePorts.filter(reaches);
  return {
    container: container.name,
    containerIndex: index,
    containerPort: port.containerPort,
    name: port.name,
    protocol: isTcp(port, serviceRefs) ? 'tcp' : 'http',
    services: serviceRefs,
  };
}

// appProtocol (or a name like "tcp-…", "postgres") says the bytes are not HTTP: such ports are
// intercepted per connection, not per request. gRPC and h2c ports stay HTTP ports: the agent
// ends cleartext HTTP/2 itself and routes each call.
const NOT_HTTP = /^(tcp|udp|postgres|postgresql|mysql|redis|mongo|amqp|kafka)(-|$)/;
function isTcp(port: V1ContainerPort, services: ServicePortRef[]): boolean {
  const hints = [port.name, ...services.flatMap(({ port: p }) => [p.appProtocol, p.name])].filter(Boolean) as string[];
  return hints.some((hint) => NOT_HTTP.test(hint.toLowerCase().replace(/^kubernetes\.io\//, '')));
}

function describePorts(declared: { container: V1Container; port: V1ContainerPort }[], servicePorts: ServicePortRef[]): string {
  const containerText = declared.length
    ? declared.map(({ container, port }) => `container ${container.name} ${port.name ? `${port.name} (${port.containerPort})` : port.containerPort}`).join(', ')
    : 'no container ports';
  const serviceText = servicePorts
    .map(({ service, port }) => `Service ${service} ${port.name ? `${port.name} ` : ''}${port.port} -> ${port.targetPort ?? port.port}`)
    .join(', ');
  return serviceText ? `${containerText}; ${serviceText}` : containerText;
}

// What `kubectl kustomize` renders for the kind cluster, checked the way a reviewer would before
// applying it: every workload probed, bounded, pinned, non-root, with named ports, and wired to
// the others as the services' contract says. Each failure lists the offending objects by name.
import { defined } from '@ffk/test-kit/defined';
import { beforeAll, describe, expect, it } from 'vitest';
import { unpinnedReason } from './dockerfile';
import type { ContainerRef, KubeObject } from './kube-objects';
import { envOf, kustomize, workloadContainers } from './kube-objects';
import { readRepoYaml, SERVICES } from './repo-files';

const PART_OF = 'fast-feedback-k8s';
const OWN_IMAGE = /^ffk\//;

/** The containers for which `problem` returns a message, as "<label>: <message>" lines. */
function offenders(refs: ContainerRef[], problem: (ref: ContainerRef) => string | undefined | false): string[] {
  return refs.flatMap((ref) => {
    const message = problem(ref);
    return message ? [`${ref.label}: ${message}`] : [];
  });
}

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!object) throw new Error(`no ${kind}/${name} in the rendered manifests`);
  return object;
}

let kind: KubeObject[];
let kindDev: KubeObject[];
let base: KubeObject[];
beforeAll(async () => {
  [kind, kindDev, base] = await Promise.all([kustomize('k8s/overlays/kind'), kustomize('k8s/overlays/kind-dev'), kustomize('k8s/base')]);
});

describe('k8s/overlays/kind workloads', () => {
  const containers = () => workloadContainers(kind);

  it('renders the three services and PostgreSQL as Deployments', () => {
    const deployments = kind
      .filter((object) => object.kind === 'Deployment')
      .map((object) => object.metadata.name)
      .sort();
    expect(deployments).toEqual([...SERVICES, 'postgres'].sort());
  });

  it('every container has readiness and liveness probes, the services on /readyz and /healthz', () => {
    expect(
      offenders(containers(), ({ container }) => (!container.readinessProbe ? 'no readinessProbe' : !container.livenessProbe && 'no livenessProbe')),
    ).toEqual([]);
    expect(
      offenders(
        containers().filter(({ container }) => OWN_IMAGE.test(container.image)),
        ({ container }) => {
          const paths = `${container.readinessProbe?.httpGet?.path} / ${container.livenessProbe?.httpGet?.path}`;
          return paths !== '/readyz / /healthz' && `readiness / liveness paths are ${paths}, want /readyz / /healthz`;
        },
      ),
    ).toEqual([]);
  });

  it('every container has cpu and memory requests and limits', () => {
    expect(
      offenders(containers(), ({ container }) => {
        const missing = ['requests', 'limits'].flatMap((kind) =>
          ['cpu', 'memory'].filter((resource) => !container.resources?.[kind as 'requests' | 'limits']?.[resource]).map((resource) => `${kind}.${resource}`),
        );
        return missing.length > 0 && `no resources ${missing.join(', ')}`;
      }),
    ).toEqual([]);
  });

  it("every image is pinned, and the kit's own images are never pulled when the node has them", () => {
    expect(offenders(containers(), ({ container }) => unpinnedReason(container.image))).toEqual([]);
    expect(
      offenders(
        containers().filter(({ container }) => OWN_IMAGE.test(container.image)),
        ({ container }) =>
          container.imagePullPolicy !== 'IfNotPresent' &&
          `imagePullPolicy is ${container.imagePullPolicy ?? 'unset'}, want IfNotPresent (kind loads these images; there is no registry to pull from)`,
      ),
    ).toEqual([]);
  });

  it('every container port is named, the services\' one "http"', () => {
    expect(
      offenders(containers(), ({ container }) =>
        !container.ports?.length ? 'declares no ports' : container.ports.some((port) => !port.name) && 'has an unnamed port',
      ),
    ).toEqual([]);
    expect(
      offenders(
        containers().filter(({ container }) => OWN_IMAGE.test(container.image)),
        ({ container }) => container.ports?.[0]?.name !== 'http' && `port is named ${container.ports?.[0]?.name}, want http`,
      ),
    ).toEqual([]);
  });

  it('every container runs as non-root without privilege escalation, on a read-only root filesystem', () => {
    expect(
      offenders(containers(), ({ pod, container }) => {
        const nonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
        const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
        if (nonRoot !== true) return 'runAsNonRoot is not true';
        if (user === undefined || user === 0) return `runAsUser is ${user ?? 'unset'}, want a non-zero uid (the kubelet cannot verify a named image user)`;
        if (container.securityContext?.allowPrivilegeEscalation !== false) return 'allowPrivilegeEscalation is not false';
        return container.securityContext?.readOnlyRootFilesystem !== true && 'readOnlyRootFilesystem is not true';
      }),
    ).toEqual([]);
  });

  it('carries the common labels on every object and pod template, and names no namespace', () => {
    const problems = kind.flatMap((object) => {
      const name = `${object.kind}/${object.metadata.name}`;
      const labelSets = [object.metadata.labels, ...(object.spec?.template ? [object.spec.template.metadata?.labels] : [])];
      return [
        ...(labelSets.some((labels) => labels?.['app.kubernetes.io/part-of'] !== PART_OF || !labels?.['app.kubernetes.io/name'])
          ? [`${name}: missing app.kubernetes.io/name or part-of=${PART_OF}`]
          : []),
        ...(object.metadata.namespace ? [`${name}: fixed namespace ${object.metadata.namespace}`] : []),
      ];
    });
    expect(problems).toEqual([]);
  });
});

describe('k8s/overlays/kind wiring', () => {
  const service = (name: string) =>
    defined(
      workloadContainers(kind).find((ref) => ref.workload.metadata.name === name),
      `the workload ${name}`,
    );

  it('every Service targets a named container port that its selected pods declare', () => {
    const problems = kind
      .filter((object) => object.kind === 'Service')
      .flatMap((svc) => {
        const selector = defined(svc.spec?.selector, `Service/${svc.metadata.name} selector`) as Record<string, string>;
        const pods = workloadContainers(kind).filter((ref) =>
          Object.entries(selector).every(([key, value]) => ref.workload.spec?.template?.metadata?.labels?.[key] === value),
        );
        return (svc.spec?.ports ?? []).flatMap((port) => {
          if (typeof port.targetPort !== 'string')
            return [`Service/${svc.metadata.name} port ${port.port}: targetPort ${port.targetPort ?? 'unset'} is not a port name`];
          if (!pods.some((ref) => ref.container.ports?.some((declared) => declared.name === port.targetPort)))
            return [`Service/${svc.metadata.name} port ${port.port}: no selected container has a port named ${port.targetPort}`];
          return [];
        });
      });
    expect(problems).toEqual([]);
  });

  it('serves web, catalog and inventory on port 80 and the storefront on NodePort 30080', () => {
    for (const name of SERVICES) expect(find(kind, 'Service', name).spec?.ports?.[0].port, `Service/${name} port`).toBe(80);
    const web = find(kind, 'Service', 'web');
    expect(web.spec?.type, 'Service/web type').toBe('NodePort');
    expect(web.spec?.ports?.[0].nodePort, 'Service/web nodePort').toBe(30080);
  });

  it('gives each service the environment of the contract', () => {
    const secretRef = (name: string) => envOf(service(name), 'DATABASE_URL')?.valueFrom?.secretKeyRef;
    expect(envOf(service('web'), 'CATALOG_URL')?.value, 'web CATALOG_URL').toBe('http://catalog');
    expect(envOf(service('catalog'), 'INVENTORY_URL')?.value, 'catalog INVENTORY_URL').toBe('http://inventory');
    for (const name of ['catalog', 'inventory']) expect(secretRef(name), `${name} DATABASE_URL`).toEqual({ name: 'postgres-credentials', key: 'DATABASE_URL' });
    for (const name of SERVICES) {
      expect(envOf(service(name), 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath, `${name} POD_NAME`).toBe('metadata.name');
      expect(envOf(service(name), 'PORT')?.value, `${name} PORT vs its container port`).toBe(String(service(name).container.ports?.[0].containerPort));
    }
  });

  it('keeps the PostgreSQL credentials in Secret postgres-credentials, consistent with DATABASE_URL', () => {
    const secret = find(kind, 'Secret', 'postgres-credentials');
    const data =
      secret.stringData ?? Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));
    for (const key of ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'DATABASE_URL'])
      expect(data[key], `Secret/postgres-credentials ${key}`).toBeTruthy();
    const url = new URL(data.DATABASE_URL);
    expect([url.username, url.password, url.pathname.slice(1), url.hostname], 'DATABASE_URL user, password, database and host').toEqual([
      data.POSTGRES_USER,
      data.POSTGRES_PASSWORD,
      data.POSTGRES_DB,
      'postgres',
    ]);
    expect(Number(url.port), 'DATABASE_URL port vs Service/postgres').toBe(find(kind, 'Service', 'postgres').spec?.ports?.[0].port);
    expect(find(kind, 'ConfigMap', 'postgres-settings').data?.PGDATA, 'ConfigMap/postgres-settings PGDATA').toBeTruthy();
  });
});

describe('other kustomizations', () => {
  it('k8s/base builds, with the same objects as the kind overlay', () => {
    const names = (objects: KubeObject[]) => objects.map((object) => `${object.kind}/${object.metadata.name}`).sort();
    expect(names(base)).toEqual(names(kind));
  });

  it("k8s/overlays/kind-dev differs from the kind overlay only in the services' writable root filesystem", () => {
    const withoutReadOnlyRoot = (objects: KubeObject[]) =>
      structuredClone(objects).map((object) => {
        for (const { container } of workloadContainers([object])) delete container.securityContext?.readOnlyRootFilesystem;
        return object;
      });
    expect(withoutReadOnlyRoot(kindDev)).toEqual(withoutReadOnlyRoot(kind));
    const writable = workloadContainers(kindDev)
      .filter(({ container }) => container.securityContext?.readOnlyRootFilesystem === false)
      .map((ref) => ref.workload.metadata.name)
      .sort();
    expect(writable, 'containers Skaffold syncs files into').toEqual([...SERVICES].sort());
  });
});

describe('k8s/kind/cluster.yaml', () => {
  interface KindCluster {
    kind: string;
    name: string;
    nodes: { role: string; extraPortMappings?: { containerPort: number; hostPort: number }[] }[];
  }

  it('creates the cluster "ffk" with the storefront NodePort on host port 8080', () => {
    const cluster = readRepoYaml<KindCluster>('k8s/kind/cluster.yaml');
    expect(cluster.kind).toBe('Cluster');
    expect(cluster.name).toBe('ffk');
    const nodePort = find(kind, 'Service', 'web').spec?.ports?.[0].nodePort;
    const mappings = cluster.nodes.flatMap((node) => node.extraPortMappings ?? []);
    expect(mappings.find((mapping) => mapping.containerPort === nodePort)?.hostPort, `host port for web's NodePort ${nodePort}`).toBe(8080);
  });
});

import { describe, expect, it } from 'vitest';
import { ContainerConfigError, containerEnv, type EnvSources, expandVariables } from './env';
import type { Container, Pod, Service } from './kube-types';

const catalogService: Service = {
  metadata: { name: 'catalog', namespace: 'shop' },
  spec: { clusterIP: '10.96.0.12', ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

const sources: EnvSources = {
  configMap: (ns, name) => (ns === 'shop' && name === 'settings' ? { metadata: { name }, data: { LOG_LEVEL: 'debug', 'bad key': 'x' } } : undefined),
  secret: (ns, name) =>
    ns === 'shop' && name === 'postgres-credentials'
      ? { metadata: { name }, data: { url: Buffer.from('postgres://app:pw@postgres:5432/shop').toString('base64') } }
      : undefined,
  services: (ns) => (ns === 'shop' ? [{ service: catalogService, address: '127.9.0.3' }] : []),
};

const pod: Pod = {
  metadata: { name: 'catalog-7d9f8-abcde', namespace: 'shop', uid: 'u-1', labels: { app: 'catalog' } },
  spec: { nodeName: 'ffk-sim', containers: [] },
};

describe('container environment', () => {
  it('builds env as the kubelet does: envFrom, valueFrom, $(VAR) expansion and Service variables', () => {
    const container: Container = {
      name: 'catalog',
      envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'APP_' }],
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP_LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'url' } } },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LOG_LEVEL' } } },
        { name: 'GREETING', value: 'I am $(POD_NAME) at $(CATALOG_SERVICE_HOST), $$(POD_NAME) stays, $(UNSET) too' },
      ],
    };
    const env = containerEnv(pod, container, '127.9.16.4', sources);
    expect(env).toMatchObject({
      APP_LOG_LEVEL: 'debug',
      POD_NAME: 'catalog-7d9f8-abcde',
      POD_NAMESPACE: 'shop',
      POD_IP: '127.9.16.4',
      NODE: 'ffk-sim',
      APP_LABEL: 'catalog',
      DATABASE_URL: 'postgres://app:pw@postgres:5432/shop',
      LEVEL: 'debug',
      GREETING: 'I am catalog-7d9f8-abcde at 127.9.0.3, $(POD_NAME) stays, $(UNSET) too',
      CATALOG_SERVICE_HOST: '127.9.0.3',
      CATALOG_SERVICE_PORT: '80',
      CATALOG_SERVICE_PORT_HTTP: '80',
      CATALOG_PORT: 'tcp://127.9.0.3:80',
      CATALOG_PORT_80_TCP_ADDR: '127.9.0.3',
    });
    expect(env).not.toHaveProperty('APP_bad key');
  });

  it('leaves Service variables out when enableServiceLinks is false, and lets the pod override them', () => {
    const quiet = containerEnv({ ...pod, spec: { ...pod.spec, enableServiceLinks: false } }, { name: 'c' }, '127.9.16.4', sources);
    expect(quiet).not.toHaveProperty('CATALOG_SERVICE_HOST');
    const overridden = containerEnv(pod, { name: 'c', env: [{ name: 'CATALOG_SERVICE_HOST', value: 'mine' }] }, '127.9.16.4', sources);
    expect(overridden.CATALOG_SERVICE_HOST).toBe('mine');
  });

  it('refuses to start a container whose secret or key is missing, with the kubelet message', () => {
    const missing = (name: string, key: string) => () =>
      containerEnv(pod, { name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name, key } } }] }, '127.9.16.4', sources);
    expect(missing('nope', 'url')).toThrow(new ContainerConfigError('secret "nope" not found'));
    expect(missing('postgres-credentials', 'password')).toThrow("couldn't find key password in Secret shop/postgres-credentials");
    const optional = containerEnv(
      pod,
      { name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } }] },
      '127.9.16.4',
      sources,
    );
    expect(optional).not.toHaveProperty('X');
  });

  it('expands only defined variables', () => {
    expect(expandVariables('$(A)-$(B)-$$(A)-$', (n) => (n === 'A' ? 'a' : undefined))).toBe('a-$(B)-$(A)-$');
  });
});

// Namespace lifecycle: every namespace gets a `default` ServiceAccount (the serviceaccount
// controller's job), and a namespace being deleted is emptied, then removed (the namespace
// controller's job).
import type { NamespaceObject } from '../registry/kinds';
import type { ObjectStore } from '../registry/object-store';
import { type Controller, WorkQueue } from './controller';

function ensureDefaultServiceAccount(store: ObjectStore, namespace: string): void {
  const ns = store.find('namespaces', undefined, namespace);
  if (!ns || ns.metadata.deletionTimestamp || store.find('serviceaccounts', namespace, 'default')) return;
  store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
}

function finalize(store: ObjectStore, namespace: string): void {
  const ns = store.find<NamespaceObject>('namespaces', undefined, namespace);
  if (!ns?.metadata.deletionTimestamp) return;
  const namespaced = store.resources.filter((r) => r.namespaced);
  for (const type of namespaced) {
    for (const object of store.list(type.plural, { namespace }).items) {
      if (!object.metadata.deletionTimestamp) store.delete(type.plural, namespace, object.metadata.name, { propagationPolicy: 'Background' });
    }
  }
  // Objects still terminating (finalizers, graceful pods) hold the namespace; their DELETED
  // events requeue it.
  if (namespaced.some((type) => store.list(type.plural, { namespace }).items.length > 0)) return;
  store.update('namespaces', { ...ns, spec: { ...ns.spec, finalizers: [] } });
}

export const namespaceController: Controller = {
  name: 'namespace',
  start(store) {
    const accounts = new WorkQueue('serviceaccount', (namespace) => ensureDefaultServiceAccount(store, namespace));
    const lifecycle = new WorkQueue('namespace', (namespace) => finalize(store, namespace));
    const unsubscribe = store.subscribe((event) => {
      const { object } = event;
      if (event.resource === 'namespaces') {
        if (event.type === 'ADDED') accounts.add(object.metadata.name);
        if (event.type !== 'DELETED' && object.metadata.deletionTimestamp) lifecycle.add(object.metadata.name);
        return;
      }
      const namespace = object.metadata.namespace;
      if (!namespace) return;
      if (event.resource === 'serviceaccounts' && event.type === 'DELETED' && object.metadata.name === 'default') accounts.add(namespace);
      if (event.type === 'DELETED') {
        const ns = store.find('namespaces', undefined, namespace);
        if (ns?.metadata.deletionTimestamp) lifecycle.add(namespace);
      }
    });
    return () => {
      unsubscribe();
      accounts.stop();
      lifecycle.stop();
    };
  },
};

// The endpoints controller: keeps one Endpoints object per Service with a selector, current as
// pods come, become ready, and go.
import { type Controller, objectKey, splitKey, WorkQueue } from '../controllers/controller';
import type { Pod, Service } from '../runtime/kube-types';
import { endpointSubsets } from './endpoints';

export const endpointsController: Controller = {
  name: 'endpoints',
  start(store) {
    const queue = new WorkQueue('endpoints', (key) => {
      const [namespace, name] = splitKey(key);
      const service = store.find<Service>('services', namespace, name);
      const current = store.find('endpoints', namespace, name);
      if (!service) {
        if (current) store.delete('endpoints', namespace, name);
        return;
      }
      if (!service.spec.selector || Object.keys(service.spec.selector).length === 0) return; // managed by hand
      const pods = store.list<Pod>('pods', { namespace }).items;
      const subsets = endpointSubsets(service, pods);
      const labels = service.metadata.labels;
      if (!current) {
        store.create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, ...(labels ? { labels } : {}) }, subsets });
      } else if (JSON.stringify(current.subsets ?? []) !== JSON.stringify(subsets)) {
        store.update('endpoints', { ...current, subsets });
      }
    });
    const stops = [
      store.watch('services', {}, (event) => queue.add(objectKey(event.object.metadata.namespace, event.object.metadata.name))),
      store.watch('pods', {}, (event) => {
        // Any pod change may matter to any Service of its namespace.
        for (const service of store.list('services', { namespace: event.object.metadata.namespace }).items) {
          queue.add(objectKey(service.metadata.namespace, service.metadata.name));
        }
      }),
    ];
    return () => {
      stops.forEach((stop) => stop());
      queue.stop();
    };
  },
};

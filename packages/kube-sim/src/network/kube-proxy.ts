// kube-proxy for the simulated node: Services and their Endpoints from the store onto the
// ServiceNetwork (addresses, proxies, node ports, DNS table).
import type { Controller } from '../controllers/controller';
import type { Endpoints, Service } from '../runtime/kube-types';
import type { ServiceNetwork } from './service-network';

export function kubeProxy(network: ServiceNetwork, warn: (line: string) => void): Controller {
  return {
    name: 'kube-proxy',
    start(store) {
      // Proxies open and close asynchronously: one chain keeps changes to the network in order.
      let chain = Promise.resolve();
      const inOrder = (step: () => Promise<void> | void) => {
        chain = chain.then(step).catch((error: Error) => warn(`kube-proxy: ${error.message}`));
      };
      const stops = [
        store.watch<Service>('services', {}, (event) => {
          const service = event.object;
          if (event.type === 'DELETED') inOrder(() => network.removeService(service.metadata.namespace, service.metadata.name ?? ''));
          else inOrder(() => network.applyService(service));
        }),
        store.watch<Endpoints>('endpoints', {}, (event) => {
          const endpoints = event.object;
          if (event.type === 'DELETED') network.removeEndpoints(endpoints.metadata.namespace, endpoints.metadata.name ?? '');
          else network.applyEndpoints(endpoints);
        }),
      ];
      return () => stops.forEach((stop) => stop());
    },
  };
}

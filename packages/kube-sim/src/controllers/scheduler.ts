// The scheduler of a one-node cluster: every new pod is bound to the simulated node.
import { EventRecorder } from '../runtime/events';
import type { Pod } from '../runtime/kube-types';
import { NODE_NAME } from '../runtime/kubelet';
import type { KubeObject } from '../store/types';
import { type Controller, objectKey, splitKey, WorkQueue } from './controller';

export const schedulerController: Controller = {
  name: 'scheduler',
  start(store) {
    const events = new EventRecorder(store, 'default-scheduler');
    const queue = new WorkQueue('scheduler', (key) => {
      const [namespace, name] = splitKey(key);
      const pod = store.find<Pod & KubeObject>('pods', namespace, name);
      if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp) return;
      store.update('pods', { ...pod, spec: { ...pod.spec, nodeName: NODE_NAME } });
      events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${NODE_NAME}`);
    });
    const stop = store.watch<Pod & KubeObject>('pods', {}, (event) => {
      if (event.type !== 'DELETED' && !event.object.spec?.nodeName) queue.add(objectKey(event.object.metadata.namespace, event.object.metadata.name));
    });
    return () => {
      stop();
      queue.stop();
    };
  },
};

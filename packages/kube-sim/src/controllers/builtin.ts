import type { Controller } from './controller';
import { deploymentController } from './deployment';
import { garbageCollector } from './garbage-collector';
import { namespaceController } from './namespace';
import { replicaSetController } from './replicaset';

/** The controllers a cluster's control plane runs (kube-controller-manager's, for our kinds). */
export function builtinControllers(): Controller[] {
  return [namespaceController, garbageCollector, deploymentController, replicaSetController];
}

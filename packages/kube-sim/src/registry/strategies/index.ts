// The strategy of each served kind; kinds without rules of their own (the access reviews) get
// the default: a DNS-1123 subdomain name and nothing else.
import { configMapStrategy } from './configmap';
import { endpointsStrategy } from './endpoints';
import { eventStrategy } from './event';
import { namespaceStrategy } from './namespace';
import { podStrategy } from './pod';
import { bindingStrategy, roleStrategy } from './rbac';
import { secretStrategy } from './secret';
import { serviceStrategy } from './service';
import { serviceAccountStrategy } from './service-account';
import type { Strategy } from './strategy';
import { deploymentStrategy, replicaSetStrategy } from './workloads';

export type { Pools, Strategy } from './strategy';

const STRATEGIES: Record<string, Strategy> = {
  Namespace: namespaceStrategy,
  Pod: podStrategy,
  Service: serviceStrategy,
  Endpoints: endpointsStrategy,
  ConfigMap: configMapStrategy,
  Secret: secretStrategy,
  ServiceAccount: serviceAccountStrategy,
  Event: eventStrategy,
  Deployment: deploymentStrategy,
  ReplicaSet: replicaSetStrategy,
  Role: roleStrategy,
  ClusterRole: roleStrategy,
  RoleBinding: bindingStrategy,
  ClusterRoleBinding: bindingStrategy,
};

export const strategyFor = (kind: string): Strategy => STRATEGIES[kind] ?? {};

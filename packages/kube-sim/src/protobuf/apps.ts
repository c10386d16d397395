// apps/v1 kinds (k8s.io/api/apps/v1/generated.proto) and the autoscaling/v1 Scale subresource.
import { f, type Message, opt } from './message';
import { LABEL_SELECTOR, withMetadata } from './meta';
import { POD_TEMPLATE_SPEC } from './pod-spec';

const DEPLOYMENT_STRATEGY: Message = {
  1: f('type', 'string'),
  2: f('rollingUpdate', { 1: f('maxUnavailable', 'intOrString'), 2: f('maxSurge', 'intOrString') }),
};
const DEPLOYMENT_SPEC: Message = {
  1: opt('replicas', 'int'),
  2: f('selector', LABEL_SELECTOR),
  3: f('template', POD_TEMPLATE_SPEC),
  4: f('strategy', DEPLOYMENT_STRATEGY),
  5: f('minReadySeconds', 'int'),
  6: opt('revisionHistoryLimit', 'int'),
  7: f('paused', 'bool'),
  9: opt('progressDeadlineSeconds', 'int'),
};
const REPLICA_SET_SPEC: Message = {
  1: opt('replicas', 'int'),
  4: f('minReadySeconds', 'int'),
  2: f('selector', LABEL_SELECTOR),
  3: f('template', POD_TEMPLATE_SPEC),
};

export const APPS_KINDS: Record<string, Message> = {
  'apps/v1/Deployment': withMetadata({ 2: f('spec', DEPLOYMENT_SPEC) }),
  'apps/v1/ReplicaSet': withMetadata({ 2: f('spec', REPLICA_SET_SPEC) }),
  // ScaleSpec.replicas is no pointer, but protobuf always sends it and 0 means "scale to zero".
  'autoscaling/v1/Scale': withMetadata({ 2: f('spec', { 1: opt('replicas', 'int') }) }),
};

// core/v1 kinds kube-sim serves (k8s.io/api/core/v1/generated.proto): what `kubectl create
// namespace|configmap|secret|service|serviceaccount` send, and the rest of each kind's spec.
import { f, list, mapOf, type Message, opt } from './message';
import { STRING_MAP, withMetadata } from './meta';
import { LOCAL_OBJECT_REFERENCE, POD_SPEC } from './pod-spec';

const OBJECT_REFERENCE: Message = {
  1: f('kind', 'string'),
  2: f('namespace', 'string'),
  3: f('name', 'string'),
  4: f('uid', 'string'),
  5: f('apiVersion', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('fieldPath', 'string'),
};

const SERVICE_PORT: Message = {
  1: f('name', 'string'),
  2: f('protocol', 'string'),
  6: opt('appProtocol', 'string'),
  3: f('port', 'int'),
  4: f('targetPort', 'intOrString'),
  5: f('nodePort', 'int'),
};
const SERVICE_SPEC: Message = {
  1: list('ports', SERVICE_PORT),
  2: f('selector', STRING_MAP),
  3: f('clusterIP', 'string'),
  18: list('clusterIPs', 'string'),
  4: f('type', 'string'),
  5: list('externalIPs', 'string'),
  7: f('sessionAffinity', 'string'),
  8: f('loadBalancerIP', 'string'),
  9: list('loadBalancerSourceRanges', 'string'),
  10: f('externalName', 'string'),
  11: f('externalTrafficPolicy', 'string'),
  12: f('healthCheckNodePort', 'int'),
  13: f('publishNotReadyAddresses', 'bool'),
  14: f('sessionAffinityConfig', { 1: f('clientIP', { 1: opt('timeoutSeconds', 'int') }) }),
  19: list('ipFamilies', 'string'),
  17: opt('ipFamilyPolicy', 'string'),
  20: opt('allocateLoadBalancerNodePorts', 'bool'),
  21: opt('loadBalancerClass', 'string'),
  22: opt('internalTrafficPolicy', 'string'),
  23: opt('trafficDistribution', 'string'),
};

const ENDPOINT_ADDRESS: Message = { 1: f('ip', 'string'), 3: f('hostname', 'string'), 4: opt('nodeName', 'string'), 2: f('targetRef', OBJECT_REFERENCE) };
const ENDPOINT_SUBSET: Message = {
  1: list('addresses', ENDPOINT_ADDRESS),
  2: list('notReadyAddresses', ENDPOINT_ADDRESS),
  3: list('ports', { 1: f('name', 'string'), 2: f('port', 'int'), 3: f('protocol', 'string'), 4: opt('appProtocol', 'string') }),
};

const EVENT: Message = withMetadata({
  2: f('involvedObject', OBJECT_REFERENCE),
  3: f('reason', 'string'),
  4: f('message', 'string'),
  5: f('source', { 1: f('component', 'string'), 2: f('host', 'string') }),
  6: f('firstTimestamp', 'time'),
  7: f('lastTimestamp', 'time'),
  8: f('count', 'int'),
  9: f('type', 'string'),
  10: f('eventTime', 'microTime'),
  11: f('series', { 1: f('count', 'int'), 2: f('lastObservedTime', 'microTime') }),
  12: f('action', 'string'),
  13: f('related', OBJECT_REFERENCE),
  14: f('reportingComponent', 'string'),
  15: f('reportingInstance', 'string'),
});

export const CORE_KINDS: Record<string, Message> = {
  'v1/Namespace': withMetadata({ 2: f('spec', { 1: list('finalizers', 'string') }) }),
  'v1/Pod': withMetadata({ 2: f('spec', POD_SPEC) }),
  'v1/Service': withMetadata({ 2: f('spec', SERVICE_SPEC) }),
  'v1/Endpoints': withMetadata({ 2: list('subsets', ENDPOINT_SUBSET) }),
  'v1/ConfigMap': withMetadata({ 4: opt('immutable', 'bool'), 2: f('data', STRING_MAP), 3: f('binaryData', mapOf('bytes')) }),
  'v1/Secret': withMetadata({ 5: opt('immutable', 'bool'), 2: f('data', mapOf('bytes')), 4: f('stringData', STRING_MAP), 3: f('type', 'string') }),
  'v1/ServiceAccount': withMetadata({
    2: list('secrets', OBJECT_REFERENCE),
    3: list('imagePullSecrets', LOCAL_OBJECT_REFERENCE),
    4: opt('automountServiceAccountToken', 'bool'),
  }),
  'v1/Event': EVENT,
};

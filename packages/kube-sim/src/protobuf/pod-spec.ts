// core/v1 PodSpec and the messages under it (k8s.io/api/core/v1/generated.proto): containers,
// env, probes, resources, volumes. Left out (skipped when sent): affinity, topology spread,
// ephemeral containers, projected and cloud volume sources, DNS config, host aliases, statuses.
import { f, inline, list, mapOf, type Message, opt } from './message';
import { OBJECT_META, STRING_MAP } from './meta';

export const LOCAL_OBJECT_REFERENCE: Message = { 1: f('name', 'string') };
const QUANTITY_MAP = mapOf('quantity');

/** configMapKeyRef and secretKeyRef: `{ name, key, optional }`. */
const KEY_SELECTOR: Message = { 1: inline(LOCAL_OBJECT_REFERENCE), 2: f('key', 'string'), 3: opt('optional', 'bool') };
const OBJECT_FIELD_SELECTOR: Message = { 1: f('apiVersion', 'string'), 2: f('fieldPath', 'string') };
const RESOURCE_FIELD_SELECTOR: Message = { 1: f('containerName', 'string'), 2: f('resource', 'string'), 3: f('divisor', 'quantity') };
const ENV_VAR: Message = {
  1: f('name', 'string'),
  2: f('value', 'string'),
  3: f('valueFrom', {
    1: f('fieldRef', OBJECT_FIELD_SELECTOR),
    2: f('resourceFieldRef', RESOURCE_FIELD_SELECTOR),
    3: f('configMapKeyRef', KEY_SELECTOR),
    4: f('secretKeyRef', KEY_SELECTOR),
  }),
};
/** configMapRef and secretRef of envFrom: `{ name, optional }`. */
const ENV_SOURCE: Message = { 1: inline(LOCAL_OBJECT_REFERENCE), 2: opt('optional', 'bool') };
const ENV_FROM_SOURCE: Message = { 1: f('prefix', 'string'), 2: f('configMapRef', ENV_SOURCE), 3: f('secretRef', ENV_SOURCE) };

const CONTAINER_PORT: Message = {
  1: f('name', 'string'),
  2: f('hostPort', 'int'),
  3: f('containerPort', 'int'),
  4: f('protocol', 'string'),
  5: f('hostIP', 'string'),
};
const RESOURCE_REQUIREMENTS: Message = {
  1: f('limits', QUANTITY_MAP),
  2: f('requests', QUANTITY_MAP),
  3: list('claims', { 1: f('name', 'string'), 2: f('request', 'string') }),
};

const EXEC: Message = { 1: list('command', 'string') };
const HTTP_GET: Message = {
  1: f('path', 'string'),
  2: f('port', 'intOrString'),
  3: f('host', 'string'),
  4: f('scheme', 'string'),
  5: list('httpHeaders', { 1: f('name', 'string'), 2: f('value', 'string') }),
};
const TCP_SOCKET: Message = { 1: f('port', 'intOrString'), 2: f('host', 'string') };
const PROBE_HANDLER: Message = {
  1: f('exec', EXEC),
  2: f('httpGet', HTTP_GET),
  3: f('tcpSocket', TCP_SOCKET),
  4: f('grpc', { 1: f('port', 'int'), 2: opt('service', 'string') }),
};
const PROBE: Message = {
  1: inline(PROBE_HANDLER),
  2: f('initialDelaySeconds', 'int'),
  3: f('timeoutSeconds', 'int'),
  4: f('periodSeconds', 'int'),
  5: f('successThreshold', 'int'),
  6: f('failureThreshold', 'int'),
  7: opt('terminationGracePeriodSeconds', 'int'),
};
const LIFECYCLE_HANDLER: Message = { 1: f('exec', EXEC), 2: f('httpGet', HTTP_GET), 3: f('tcpSocket', TCP_SOCKET), 4: f('sleep', { 1: f('seconds', 'int') }) };

const VOLUME_MOUNT: Message = {
  1: f('name', 'string'),
  2: f('readOnly', 'bool'),
  3: f('mountPath', 'string'),
  4: f('subPath', 'string'),
  5: opt('mountPropagation', 'string'),
  6: f('subPathExpr', 'string'),
  7: opt('recursiveReadOnly', 'string'),
};
const SECCOMP_PROFILE: Message = { 1: f('type', 'string'), 2: opt('localhostProfile', 'string') };
const SECURITY_CONTEXT: Message = {
  1: f('capabilities', { 1: list('add', 'string'), 2: list('drop', 'string') }),
  2: opt('privileged', 'bool'),
  4: opt('runAsUser', 'int'),
  8: opt('runAsGroup', 'int'),
  5: opt('runAsNonRoot', 'bool'),
  6: opt('readOnlyRootFilesystem', 'bool'),
  7: opt('allowPrivilegeEscalation', 'bool'),
  11: f('seccompProfile', SECCOMP_PROFILE),
};
const CONTAINER: Message = {
  1: f('name', 'string'),
  2: f('image', 'string'),
  3: list('command', 'string'),
  4: list('args', 'string'),
  5: f('workingDir', 'string'),
  6: list('ports', CONTAINER_PORT),
  19: list('envFrom', ENV_FROM_SOURCE),
  7: list('env', ENV_VAR),
  8: f('resources', RESOURCE_REQUIREMENTS),
  24: opt('restartPolicy', 'string'),
  9: list('volumeMounts', VOLUME_MOUNT),
  10: f('livenessProbe', PROBE),
  11: f('readinessProbe', PROBE),
  22: f('startupProbe', PROBE),
  12: f('lifecycle', { 1: f('postStart', LIFECYCLE_HANDLER), 2: f('preStop', LIFECYCLE_HANDLER) }),
  13: f('terminationMessagePath', 'string'),
  20: f('terminationMessagePolicy', 'string'),
  14: f('imagePullPolicy', 'string'),
  15: f('securityContext', SECURITY_CONTEXT),
  16: f('stdin', 'bool'),
  17: f('stdinOnce', 'bool'),
  18: f('tty', 'bool'),
};

const KEY_TO_PATH: Message = { 1: f('key', 'string'), 2: f('path', 'string'), 3: opt('mode', 'int') };
const VOLUME_SOURCE: Message = {
  1: f('hostPath', { 1: f('path', 'string'), 2: opt('type', 'string') }),
  2: f('emptyDir', { 1: f('medium', 'string'), 2: f('sizeLimit', 'quantity') }),
  6: f('secret', { 1: f('secretName', 'string'), 2: list('items', KEY_TO_PATH), 3: opt('defaultMode', 'int'), 4: opt('optional', 'bool') }),
  10: f('persistentVolumeClaim', { 1: f('claimName', 'string'), 2: f('readOnly', 'bool') }),
  16: f('downwardAPI', {
    1: list('items', {
      1: f('path', 'string'),
      2: f('fieldRef', OBJECT_FIELD_SELECTOR),
      3: f('resourceFieldRef', RESOURCE_FIELD_SELECTOR),
      4: opt('mode', 'int'),
    }),
    2: opt('defaultMode', 'int'),
  }),
  19: f('configMap', { 1: inline(LOCAL_OBJECT_REFERENCE), 2: list('items', KEY_TO_PATH), 3: opt('defaultMode', 'int'), 4: opt('optional', 'bool') }),
};
const TOLERATION: Message = {
  1: f('key', 'string'),
  2: f('operator', 'string'),
  3: f('value', 'string'),
  4: f('effect', 'string'),
  5: opt('tolerationSeconds', 'int'),
};
const POD_SECURITY_CONTEXT: Message = {
  2: opt('runAsUser', 'int'),
  6: opt('runAsGroup', 'int'),
  3: opt('runAsNonRoot', 'bool'),
  5: opt('fsGroup', 'int'),
  10: f('seccompProfile', SECCOMP_PROFILE),
};

export const POD_SPEC: Message = {
  1: list('volumes', { 1: f('name', 'string'), 2: inline(VOLUME_SOURCE) }),
  20: list('initContainers', CONTAINER),
  2: list('containers', CONTAINER),
  3: f('restartPolicy', 'string'),
  4: opt('terminationGracePeriodSeconds', 'int'),
  5: opt('activeDeadlineSeconds', 'int'),
  6: f('dnsPolicy', 'string'),
  7: f('nodeSelector', STRING_MAP),
  8: f('serviceAccountName', 'string'),
  9: f('serviceAccount', 'string'),
  21: opt('automountServiceAccountToken', 'bool'),
  10: f('nodeName', 'string'),
  11: f('hostNetwork', 'bool'),
  12: f('hostPID', 'bool'),
  13: f('hostIPC', 'bool'),
  27: opt('shareProcessNamespace', 'bool'),
  14: f('securityContext', POD_SECURITY_CONTEXT),
  15: list('imagePullSecrets', LOCAL_OBJECT_REFERENCE),
  16: f('hostname', 'string'),
  17: f('subdomain', 'string'),
  19: f('schedulerName', 'string'),
  22: list('tolerations', TOLERATION),
  24: f('priorityClassName', 'string'),
  25: opt('priority', 'int'),
  29: opt('runtimeClassName', 'string'),
  30: opt('enableServiceLinks', 'bool'),
  31: opt('preemptionPolicy', 'string'),
  35: opt('setHostnameAsFQDN', 'bool'),
  37: opt('hostUsers', 'bool'),
};
export const POD_TEMPLATE_SPEC: Message = { 1: f('metadata', OBJECT_META), 2: f('spec', POD_SPEC) };

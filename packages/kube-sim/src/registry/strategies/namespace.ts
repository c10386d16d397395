// Namespace (pkg/registry/core/namespace): DNS-1123 label names, the `kubernetes` finalizer and
// the name label, and a delete that leaves it Terminating until the namespace controller has
// emptied it and cleared spec.finalizers.
import { AGE, NAME } from '../../api/columns';
import type { NamespaceObject } from '../kinds';
import { dns1123Label } from '../validation';
import type { Strategy } from './strategy';

export const namespaceStrategy: Strategy<NamespaceObject> = {
  name: dns1123Label,
  defaults(namespace) {
    const spec = (namespace.spec ??= {});
    spec.finalizers ??= ['kubernetes'];
    const status = (namespace.status ??= {});
    status.phase ??= 'Active';
    namespace.metadata.labels = { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': namespace.metadata.name };
  },
  statusWritableWithObject: true,
  fieldLabels: { 'status.phase': (o) => o.status?.phase ?? '' },
  terminate: (namespace) => void (namespace.status = { ...namespace.status, phase: 'Terminating' }),
  holdsDeletion: (namespace) => (namespace.spec?.finalizers ?? []).length > 0,
  columns: [NAME, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, AGE],
};

// Namespace (pkg/registry/core/namespace): DNS-1123 label names, the `kubernetes` finalizer and
// the name label, and a delete that leaves it Terminating until the namespace controller has
// emptied it and cleared spec.finalizers.
import { AGE, NAME } from '../../api/columns';
import { setDefault } from '../defaults';
import { dns1123Label } from '../validation';
import type { Strategy } from './strategy';

export const namespaceStrategy: Strategy = {
  name: dns1123Label,
  defaults(namespace) {
    namespace.spec ??= {};
    setDefault(namespace.spec, 'finalizers', ['kubernetes']);
    namespace.status ??= {};
    setDefault(namespace.status, 'phase', 'Active');
    namespace.metadata.labels = { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': namespace.metadata.name };
  },
  statusWritableWithObject: true,
  fieldLabels: { 'status.phase': (o) => o.status?.phase ?? '' },
  terminate: (namespace) => void (namespace.status = { ...namespace.status, phase: 'Terminating' }),
  holdsDeletion: (namespace) => (namespace.spec?.finalizers ?? []).length > 0,
  columns: [NAME, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, AGE],
};

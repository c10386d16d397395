// Event: the columns of `kubectl get events`.
import { age } from '../../api/columns';
import type { Strategy } from './strategy';

export const eventStrategy: Strategy = {
  columns: [
    { name: 'Last Seen', type: 'string', cell: (o) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => o.type ?? '' },
    { name: 'Reason', type: 'string', cell: (o) => o.reason ?? '' },
    { name: 'Object', type: 'string', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}` },
    { name: 'Message', type: 'string', cell: (o) => o.message ?? '' },
  ],
};

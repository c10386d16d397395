// ServiceAccount: the columns of `kubectl get serviceaccounts`.
import { AGE, NAME } from '../../api/columns';
import type { ServiceAccountObject } from '../kinds';
import type { Strategy } from './strategy';

export const serviceAccountStrategy: Strategy<ServiceAccountObject> = {
  columns: [NAME, { name: 'Secrets', type: 'integer', cell: (o) => (o.secrets ?? []).length }, AGE],
};

// Endpoints: the columns of `kubectl get endpoints` (the first three addresses, then a count).
import { AGE, NAME } from '../../api/columns';
import type { KubeObject } from '../../store/types';
import type { Strategy } from './strategy';

function endpointsText(endpoints: KubeObject): string {
  const out: string[] = [];
  for (const subset of endpoints.subsets ?? []) {
    for (const address of subset.addresses ?? []) for (const port of subset.ports ?? [{}]) out.push(port.port ? `${address.ip}:${port.port}` : address.ip);
  }
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

export const endpointsStrategy: Strategy = { columns: [NAME, { name: 'Endpoints', type: 'string', cell: endpointsText }, AGE] };

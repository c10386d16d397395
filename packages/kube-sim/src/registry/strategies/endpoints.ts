// Endpoints: the columns of `kubectl get endpoints` (the first three addresses, then a count).
import { AGE, NAME } from '../../api/columns';
import type { EndpointsObject } from '../kinds';
import type { Strategy } from './strategy';

function endpointsText(endpoints: EndpointsObject): string {
  const out: string[] = [];
  for (const subset of endpoints.subsets ?? []) {
    for (const address of subset.addresses ?? []) {
      const ip = address.ip ?? '';
      for (const port of subset.ports ?? [{}]) out.push(port.port ? `${ip}:${port.port}` : ip);
    }
  }
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

export const endpointsStrategy: Strategy<EndpointsObject> = { columns: [NAME, { name: 'Endpoints', type: 'string', cell: endpointsText }, AGE] };

import type { V1LabelSelector } from '@kubernetes/client-node';

/** A LabelSelector object as the `labelSelector` query string (`app=catalog,tier in (a,b)`). */
export function selectorString(selector: V1LabelSelector | Record<string, string> | string): string {
  if (typeof selector === 'string') return selector;
  if (!('matchLabels' in selector) && !('matchExpressions' in selector)) {
    return Object.entries(selector as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  const { matchLabels = {}, matchExpressions = [] } = selector as V1LabelSelector;
  const terms = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const { key, operator, values = [] } of matchExpressions) {
    if (operator === 'In') terms.push(`${key} in (${values.join(',')})`);
    else if (operator === 'NotIn') terms.push(`${key} notin (${values.join(',')})`);
    else if (operator === 'Exists') terms.push(key);
    else if (operator === 'DoesNotExist') terms.push(`!${key}`);
  }
  return terms.join(',');
}

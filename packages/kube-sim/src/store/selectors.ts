// Label selectors (`app=web,tier!=db,env in (a,b),!legacy`) and field selectors
// (`metadata.name=x,status.phase!=Running`), parsed and matched as the API server does.
import { badRequest } from '../api/status';
import type { KubeObject } from './types';

type Requirement =
  | { key: string; op: '=' | '!='; values: [string] }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!'; values: [] };

export type Matcher = (object: KubeObject) => boolean;

/** Splits on commas that are not inside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function parseLabelTerm(term: string): Requirement {
  let match = /^([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (match) return { key: match[1], op: match[2] as 'in' | 'notin', values: match[3].split(',').map((v) => v.trim()) };
  match = /^([^\s!=,()]+)\s*(==|=|!=)\s*([^\s!=,()]*)$/.exec(term);
  if (match) return { key: match[1], op: match[2] === '!=' ? '!=' : '=', values: [match[3]] };
  match = /^!\s*([^\s!=,()]+)$/.exec(term);
  if (match) return { key: match[1], op: '!', values: [] };
  if (/^[^\s!=,()]+$/.test(term)) return { key: term, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

function matches(requirement: Requirement, value: string | undefined): boolean {
  switch (requirement.op) {
    case '=': return value === requirement.values[0];
    case '!=': return value !== requirement.values[0];
    case 'in': return value !== undefined && requirement.values.includes(value);
    case 'notin': return value === undefined || !requirement.values.includes(value);
    case 'exists': return value !== undefined;
    case '!': return value === undefined;
  }
}

export function labelMatcher(selector: string | undefined | null): Matcher {
  if (!selector) return () => true;
  const requirements = terms(selector).map(parseLabelTerm);
  return (object) => requirements.every((r) => matches(r, object.metadata.labels?.[r.key]));
}

/** Matches labels against a structured LabelSelector (matchLabels + matchExpressions). */
export function selectorMatches(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = have[expression.key];
    const values = expression.values ?? [];
    const ok = {
      In: value !== undefined && values.includes(value),
      NotIn: value === undefined || !values.includes(value),
      Exists: value !== undefined,
      DoesNotExist: value === undefined,
    }[expression.operator];
    if (!ok) return false;
  }
  return true;
}

/** Fields a fieldSelector may name for every kind, plus the per-kind ones the API server adds. */
const FIELDS: Record<string, (object: KubeObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
  'status.phase': (o) => o.status?.phase ?? '',
  'spec.nodeName': (o) => o.spec?.nodeName ?? '',
  'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
  'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
  'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
  'status.podIP': (o) => o.status?.podIP ?? '',
  'type': (o) => o.type ?? '',
  'involvedObject.name': (o) => o.involvedObject?.name ?? '',
  'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
  'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
  'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
  'reason': (o) => o.reason ?? '',
};

export function fieldMatcher(selector: string | undefined | null): Matcher {
  if (!selector) return () => true;
  const requirements = terms(selector).map((term) => {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = match[1].trim();
    const read = FIELDS[field];
    if (!read) throw badRequest(`field label not supported: ${field}`);
    return { read, negate: match[2] === '!=', value: match[3].trim() };
  });
  return (object) => requirements.every((r) => (r.read(object) === r.value) !== r.negate);
}

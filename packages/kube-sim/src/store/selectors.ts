// Label selectors (`app=web,tier!=db,env in (a,b),!legacy`) and field selectors
// (`metadata.name=x,status.phase!=Running`), parsed and matched as the API server does.
import { badRequest } from '../api/status';
import type { KubeObject } from './types';

type Requirement =
  { key: string; op: '=' | '!='; values: [string] } | { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!'; values: [] };

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
    case '=':
      return value === requirement.values[0];
    case '!=':
      return value !== requirement.values[0];
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case 'notin':
      return value === undefined || !requirement.values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!':
      return value === undefined;
  }
}

export function labelMatcher(selector: string | undefined | null): Matcher {
  if (!selector) return () => true;
  const requirements = terms(selector).map(parseLabelTerm);
  return (object) => requirements.every((r) => matches(r, object.metadata.labels?.[r.key]));
}

/** A structured LabelSelector as sent: an expression's key or operator may be missing until validation reports it. */
export interface LabelSelectorFields {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** Matches labels against a structured LabelSelector (matchLabels + matchExpressions). */
export function selectorMatches(selector: LabelSelectorFields | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = expression.key === undefined ? undefined : have[expression.key];
    const values = expression.values ?? [];
    const ok = {
      In: value !== undefined && values.includes(value),
      NotIn: value === undefined || !values.includes(value),
      Exists: value !== undefined,
      DoesNotExist: value === undefined,
    }[expression.operator ?? ''];
    if (!ok) return false;
  }
  return true;
}

/** What a field selector may name: field label -> its value in an object. */
export type FieldLabels<T extends KubeObject = KubeObject> = Record<string, (object: T) => string | undefined>;

/** The labels every kind has (DefaultMetaV1FieldSelectorConversion). */
const META_FIELDS: FieldLabels = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

/**
 * A field selector over the kind's labels. A label the kind does not have is a 400 worded as the
 * API server's field label conversion words it: kinds that register their own labels say "field
 * label not supported", the others name the two labels every kind has.
 */
export function fieldMatcher(selector: string | undefined | null, kindLabels?: FieldLabels): Matcher {
  if (!selector) return () => true;
  const requirements = terms(selector).map((term) => {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = match[1].trim();
    const read = META_FIELDS[field] ?? kindLabels?.[field];
    if (!read && kindLabels) throw badRequest(`field label not supported: ${field}`);
    if (!read) throw badRequest(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    return { read, negate: match[2] === '!=', value: match[3].trim() };
  });
  return (object) => requirements.every((r) => (r.read(object) === r.value) !== r.negate);
}

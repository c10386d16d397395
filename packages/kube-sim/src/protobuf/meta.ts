// meta/v1 messages every kind embeds (k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto).
import { f, list, mapOf, type Message, opt } from './message';

export const STRING_MAP = mapOf('string');

export const LABEL_SELECTOR_REQUIREMENT: Message = { 1: f('key', 'string'), 2: f('operator', 'string'), 3: list('values', 'string') };
export const LABEL_SELECTOR: Message = { 1: f('matchLabels', STRING_MAP), 2: list('matchExpressions', LABEL_SELECTOR_REQUIREMENT) };

const OWNER_REFERENCE: Message = {
  1: f('kind', 'string'),
  3: f('name', 'string'),
  4: f('uid', 'string'),
  5: f('apiVersion', 'string'),
  6: opt('controller', 'bool'),
  7: opt('blockOwnerDeletion', 'bool'),
};
export const OBJECT_META: Message = {
  1: f('name', 'string'),
  2: f('generateName', 'string'),
  3: f('namespace', 'string'),
  5: f('uid', 'string'),
  6: f('resourceVersion', 'string'),
  7: f('generation', 'int'),
  8: f('creationTimestamp', 'time'),
  11: f('labels', STRING_MAP),
  12: f('annotations', STRING_MAP),
  13: list('ownerReferences', OWNER_REFERENCE),
  14: list('finalizers', 'string'),
};

/** meta/v1 DeleteOptions, the body of a DELETE from a typed client. */
export const DELETE_OPTIONS: Message = {
  1: opt('gracePeriodSeconds', 'int'),
  2: f('preconditions', { 1: opt('uid', 'string'), 2: opt('resourceVersion', 'string') }),
  3: opt('orphanDependents', 'bool'),
  4: opt('propagationPolicy', 'string'),
  5: list('dryRun', 'string'),
};

/** A kind whose message is `metadata = 1` followed by the given fields. */
export const withMetadata = (fields: Message): Message => ({ 1: f('metadata', OBJECT_META), ...fields });

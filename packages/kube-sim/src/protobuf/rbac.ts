// rbac.authorization.k8s.io/v1 and authorization.k8s.io/v1 messages: what `kubectl create
// role|rolebinding|clusterrole|clusterrolebinding`, `kubectl auth can-i` and `whoami` send.
import { f, list, type Message } from './message';
import { LABEL_SELECTOR, LABEL_SELECTOR_REQUIREMENT, withMetadata } from './meta';

const POLICY_RULE: Message = {
  1: list('verbs', 'string'),
  2: list('apiGroups', 'string'),
  3: list('resources', 'string'),
  4: list('resourceNames', 'string'),
  5: list('nonResourceURLs', 'string'),
};
const SUBJECT: Message = { 1: f('kind', 'string'), 2: f('apiGroup', 'string'), 3: f('name', 'string'), 4: f('namespace', 'string') };
const ROLE_REF: Message = { 1: f('apiGroup', 'string'), 2: f('kind', 'string'), 3: f('name', 'string') };
const BINDING = withMetadata({ 2: list('subjects', SUBJECT), 3: f('roleRef', ROLE_REF) });

const SELECTOR_ATTRIBUTES: Message = { 1: f('rawSelector', 'string'), 2: list('requirements', LABEL_SELECTOR_REQUIREMENT) };
const RESOURCE_ATTRIBUTES: Message = {
  1: f('namespace', 'string'),
  2: f('verb', 'string'),
  3: f('group', 'string'),
  4: f('version', 'string'),
  5: f('resource', 'string'),
  6: f('subresource', 'string'),
  7: f('name', 'string'),
  8: f('fieldSelector', SELECTOR_ATTRIBUTES),
  9: f('labelSelector', SELECTOR_ATTRIBUTES),
};
const NON_RESOURCE_ATTRIBUTES: Message = { 1: f('path', 'string'), 2: f('verb', 'string') };
const ACCESS_REVIEW_SPEC: Message = {
  1: f('resourceAttributes', RESOURCE_ATTRIBUTES),
  2: f('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
  3: f('user', 'string'),
  4: list('groups', 'string'),
  6: f('uid', 'string'),
};
const review = (spec: Message) => withMetadata({ 2: f('spec', spec) });

export const RBAC_KINDS: Record<string, Message> = {
  'rbac.authorization.k8s.io/v1/Role': withMetadata({ 2: list('rules', POLICY_RULE) }),
  'rbac.authorization.k8s.io/v1/ClusterRole': withMetadata({
    2: list('rules', POLICY_RULE),
    3: f('aggregationRule', { 1: list('clusterRoleSelectors', LABEL_SELECTOR) }),
  }),
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': review(ACCESS_REVIEW_SPEC),
  'authorization.k8s.io/v1/SubjectAccessReview': review(ACCESS_REVIEW_SPEC),
  'authorization.k8s.io/v1/LocalSubjectAccessReview': review(ACCESS_REVIEW_SPEC),
  'authorization.k8s.io/v1/SelfSubjectRulesReview': review({ 1: f('namespace', 'string') }),
  // `kubectl auth whoami` sends it empty: the answer is all in the status.
  'authentication.k8s.io/v1/SelfSubjectReview': withMetadata({}),
};

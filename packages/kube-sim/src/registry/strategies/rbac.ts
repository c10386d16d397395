// Role, ClusterRole, RoleBinding, ClusterRoleBinding (pkg/registry/rbac/*/strategy.go), validated
// as kube-apiserver's pkg/apis/rbac/validation words it: names that are any path segment (like
// `system:discovery`), rule shapes, roleRef and subjects, and an immutable roleRef.
import { fieldInvalid as invalid, fieldNotSupported as unsupported, fieldRequired as required } from '../../api/field-errors';
import { RBAC_GROUP } from '../../api/resources';
import type { StatusCause } from '../../api/status';
import type { RoleBindingObject, RoleObject } from '../kinds';
import { pathSegment } from '../validation';
import type { Strategy } from './strategy';

type PolicyRule = NonNullable<RoleObject['rules']>[number];
type Subject = NonNullable<RoleBindingObject['subjects']>[number];
type RoleRef = RoleBindingObject['roleRef'];

function ruleCauses(rule: PolicyRule, field: string, namespaced: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (Array.isArray(rule.verbs) && rule.verbs.length === 0) causes.push(required(`${field}.verbs`, 'verbs must contain at least one value'));
  if ((rule.nonResourceURLs ?? []).length > 0) {
    if (namespaced) causes.push(invalid(`${field}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      causes.push(invalid(`${field}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if ((rule.apiGroups ?? []).length === 0) causes.push(required(`${field}.apiGroups`, 'resource rules must supply at least one api group'));
  if ((rule.resources ?? []).length === 0) causes.push(required(`${field}.resources`, 'resource rules must supply at least one resource'));
  return causes;
}

function roleCauses(role: RoleObject): StatusCause[] {
  return (role.rules ?? []).flatMap((rule, i) => ruleCauses(rule, `rules[${i}]`, role.kind === 'Role'));
}

function subjectCauses(subject: Subject, field: string, clusterScoped: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!subject.name) causes.push(required(`${field}.name`));
  if (subject.kind === 'ServiceAccount') {
    if (subject.apiGroup) causes.push(unsupported(`${field}.apiGroup`, subject.apiGroup, ['']));
    if (clusterScoped && !subject.namespace) causes.push(required(`${field}.namespace`));
  } else if (subject.kind === 'User' || subject.kind === 'Group') {
    if (subject.apiGroup !== RBAC_GROUP) causes.push(unsupported(`${field}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
  } else causes.push(unsupported(`${field}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  return causes;
}

function bindingCauses(binding: RoleBindingObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const roleRef = binding.roleRef ?? {};
  const clusterScoped = binding.kind === 'ClusterRoleBinding';
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (roleRef.apiGroup !== RBAC_GROUP) causes.push(unsupported('roleRef.apiGroup', roleRef.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(roleRef.kind ?? '')) causes.push(unsupported('roleRef.kind', roleRef.kind ?? '', kinds));
  if (binding.roleRef && !roleRef.name) causes.push(required('roleRef.name'));
  (binding.subjects ?? []).forEach((subject, i) => causes.push(...subjectCauses(subject, `subjects[${i}]`, clusterScoped)));
  return causes;
}

/** A binding's roleRef never changes (delete and re-create the binding instead). */
function bindingUpdateCauses(next: RoleBindingObject, previous: RoleBindingObject): StatusCause[] {
  const ref = (roleRef: RoleRef) => `${roleRef?.apiGroup}/${roleRef?.kind}/${roleRef?.name}`;
  return ref(next.roleRef) === ref(previous.roleRef) ? [] : [invalid('roleRef', next.roleRef, 'cannot change roleRef')];
}

export const roleStrategy: Strategy<RoleObject> = { name: pathSegment, validate: roleCauses };
export const bindingStrategy: Strategy<RoleBindingObject> = { name: pathSegment, validate: bindingCauses, validateUpdate: bindingUpdateCauses };

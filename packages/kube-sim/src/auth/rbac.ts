// The RBAC authorizer, as kube-apiserver runs it: ClusterRoleBindings first, then the
// RoleBindings of the request's namespace; a binding applies when one of its subjects is the
// user, one of its groups, or its service account; the first rule that matches allows. Nothing
// denies: without a match the answer is "no opinion", with the rule resolution errors (a binding
// to a missing role) as the reason. `system:masters` is allowed everything before RBAC is asked.
import { RBAC_GROUP } from '../api/resources';
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import type { Attributes } from './attributes';
import { PRIVILEGED_GROUP, type UserInfo } from './users';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Decision {
  allowed: boolean;
  /** Why: `RBAC: allowed by ...`, or the resolution errors of a denial ('' when none). */
  reason: string;
}

const has = (list: string[] | undefined, value: string) => (list ?? []).some((item) => item === '*' || item === value);

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((resource) => resource === '*' || resource === combined || (subresource !== '' && resource === `*/${subresource}`));
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1))));
}

export function ruleAllows(attributes: Attributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, attributes.verb)) return false;
  if (!attributes.resourceRequest) return urlMatches(rule, attributes.path);
  const combined = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const names = rule.resourceNames ?? [];
  return (
    has(rule.apiGroups, attributes.apiGroup) &&
    resourceMatches(rule, combined, attributes.subresource) &&
    (names.length === 0 || names.includes(attributes.name))
  );
}

function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  if (subject.kind === 'User') return user.name === subject.name;
  if (subject.kind === 'Group') return user.groups.includes(subject.name);
  if (subject.kind === 'ServiceAccount') {
    // A RoleBinding's service account subject may leave its namespace to the binding's.
    const namespace = subject.namespace || bindingNamespace;
    return namespace !== '' && user.name === `system:serviceaccount:${namespace}:${subject.name}`;
  }
  return false;
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} "${subject.name}/${subject.namespace || bindingNamespace}"`;
  return `${subject.kind} "${subject.name}"`;
}

type Visitor = (source: string | undefined, rule: PolicyRule | undefined, error?: string) => boolean;

export class RbacAuthorizer {
  constructor(private readonly store: ObjectStore) {}

  authorize(attributes: Attributes): Decision {
    if (attributes.user.groups.includes(PRIVILEGED_GROUP)) return { allowed: true, reason: '' };
    const errors: string[] = [];
    let allowedBy: string | undefined;
    this.visitRules(attributes.user, attributes.namespace, (source, rule, error) => {
      if (rule && ruleAllows(attributes, rule)) {
        allowedBy = source;
        return false;
      }
      if (error) errors.push(error);
      return true;
    });
    if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '' };
  }

  /** Every rule that applies to the user in a namespace ('' = cluster-wide only), and the resolution errors. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    // What the privileged-group authorizer adds in front of RBAC's own rules.
    const rules: PolicyRule[] = user.groups.includes(PRIVILEGED_GROUP)
      ? [
          { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
          { verbs: ['*'], nonResourceURLs: ['*'] },
        ]
      : [];
    const errors: string[] = [];
    this.visitRules(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }

  private visitRules(user: UserInfo, namespace: string, visit: Visitor): void {
    const bindings = [
      ...this.store.list('clusterrolebindings').items.map((binding) => ({ binding, namespace: '', label: `ClusterRoleBinding "${binding.metadata.name}"` })),
      ...(namespace
        ? this.store
            .list('rolebindings', { namespace })
            .items.map((binding) => ({ binding, namespace, label: `RoleBinding "${binding.metadata.name}/${namespace}"` }))
        : []),
    ];
    for (const { binding, namespace: bindingNamespace, label } of bindings) {
      const subject = ((binding.subjects ?? []) as Subject[]).find((s) => appliesTo(user, s, bindingNamespace));
      if (!subject) continue;
      const roleRef = binding.roleRef as { kind: string; name: string };
      const role = this.roleOf(roleRef, bindingNamespace);
      if (typeof role === 'string') {
        if (!visit(undefined, undefined, role)) return;
        continue;
      }
      const source = `${label} of ${roleRef.kind} "${roleRef.name}" to ${describeSubject(subject, bindingNamespace)}`;
      for (const rule of (role.rules ?? []) as PolicyRule[]) if (!visit(source, rule)) return;
    }
  }

  /** The role a binding refers to, or the error kube-apiserver's listers give. */
  private roleOf(roleRef: { kind: string; name: string }, namespace: string): KubeObject | string {
    if (roleRef.kind === 'ClusterRole')
      return this.store.find('clusterroles', undefined, roleRef.name) ?? `clusterrole.${RBAC_GROUP} "${roleRef.name}" not found`;
    if (roleRef.kind === 'Role') return this.store.find('roles', namespace, roleRef.name) ?? `role.${RBAC_GROUP} "${roleRef.name}" not found`;
    return `unsupported role reference kind: "${roleRef.kind}"`;
  }
}

/** utilerrors.NewAggregate's wording: one error as is, several in brackets. */
export function aggregate(errors: string[]): string {
  const distinct = [...new Set(errors)];
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
}

/** A request's authorization attributes, as RBAC and SelfSubjectAccessReview name them. */
export interface ResourceRef {
  verb: string;
  /** API group: '' for core (pods, services), 'apps' for deployments. */
  group: string;
  /** Plural resource, with a subresource after a slash: 'deployments', 'pods/portforward'. */
  resource: string;
  namespace?: string;
  name?: string;
}

/** "patch deployments.apps in namespace dev", the way a cluster admin writes a Role rule. */
export function formatPermission(ref: ResourceRef): string {
  const resource = ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
  const scope = ref.namespace ? `in namespace "${ref.namespace}"` : 'cluster-wide';
  return `${ref.verb} ${resource} ${scope}`;
}

/** Reads the permission out of the API server's 403 message (its wording since Kubernetes 1.14). */
export function permissionFromForbiddenMessage(message: string | undefined): (ResourceRef & { user: string }) | undefined {
  const match = /User "([^"]*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(message ?? '');
  if (!match) return undefined;
  const [, user, verb, resource, group, namespace] = match;
  return { user: user, verb: verb, resource: resource, group: group, namespace };
}

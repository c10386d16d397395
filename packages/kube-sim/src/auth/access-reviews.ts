// authorization.k8s.io/v1 access reviews, answered by the same authorizer that guards requests
// and never stored: SelfSubjectAccessReview (`kubectl auth can-i`), SelfSubjectRulesReview
// (`kubectl auth can-i --list`), SubjectAccessReview and LocalSubjectAccessReview (about another user),
// and authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`).
import type { ISubjectRulesReviewStatus } from 'kubernetes-models/authorization.k8s.io/v1/SubjectRulesReviewStatus';
import { AUTHORIZATION_GROUP } from '../api/resources';
import { badRequest, invalid, type StatusCause } from '../api/status';
import type { AccessReviewObject, RulesReviewObject } from '../registry/kinds';
import type { KubeObject } from '../store/types';
import type { Attributes } from './attributes';
import { aggregate, type RbacAuthorizer } from './rbac';
import type { UserInfo } from './users';

type ReviewSpec = NonNullable<AccessReviewObject['spec']>;

/** Answers one review created by `user` (the object is already decoded against its schema). */
export type Reviewer = (authorizer: RbacAuthorizer, user: UserInfo, review: KubeObject, schemaCauses: StatusCause[]) => KubeObject;

function attributesOf(user: UserInfo, spec: ReviewSpec | undefined): Attributes {
  const resource = spec?.resourceAttributes;
  const nonResource = spec?.nonResourceAttributes ?? {};
  const base = { user, apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', path: '' };
  if (!resource) return { ...base, resourceRequest: false, verb: nonResource.verb ?? '', path: nonResource.path ?? '' };
  return {
    ...base,
    resourceRequest: true,
    verb: resource.verb ?? '',
    apiGroup: resource.group ?? '',
    apiVersion: resource.version ?? '',
    namespace: resource.namespace ?? '',
    resource: resource.resource ?? '',
    subresource: resource.subresource ?? '',
    name: resource.name ?? '',
  };
}

function specCauses(spec: ReviewSpec): StatusCause[] {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "": cannot be specified in combination with resourceAttributes',
        field: 'spec.nonResourceAttributes',
      },
    ];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
        field: 'spec.resourceAttributes',
      },
    ];
  }
  return [];
}

function check(review: KubeObject, causes: StatusCause[]): void {
  if (causes.length > 0) throw invalid(review.kind, AUTHORIZATION_GROUP, review.metadata?.name ?? '', causes);
}

/** The review as sent, with its status (reviews have no name and were never created). */
function answered(review: KubeObject, status: object): KubeObject {
  const { name, ...metadata } = review.metadata;
  return { ...review, metadata: { ...(name ? { name } : {}), ...metadata, creationTimestamp: null } as never, status };
}

function answer(authorizer: RbacAuthorizer, subject: UserInfo, review: AccessReviewObject): KubeObject {
  const decision = authorizer.authorize(attributesOf(subject, review.spec));
  return answered(review, { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) });
}

/** The user a (Local)SubjectAccessReview asks about. */
function reviewedUser(review: AccessReviewObject, causes: StatusCause[]): UserInfo {
  const spec = review.spec ?? {};
  if (!spec.user && (spec.groups ?? []).length === 0) {
    causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: "": at least one of user or group must be specified', field: 'spec.user' });
  }
  return { name: spec.user ?? '', groups: spec.groups ?? [] };
}

export const REVIEWERS: Record<string, Reviewer> = {
  selfsubjectaccessreviews(authorizer, user, review: AccessReviewObject, schemaCauses) {
    check(review, [...schemaCauses, ...specCauses(review.spec ?? {})]);
    return answer(authorizer, user, review);
  },
  subjectaccessreviews(authorizer, _user, review: AccessReviewObject, schemaCauses) {
    const causes = [...schemaCauses, ...specCauses(review.spec ?? {})];
    const subject = reviewedUser(review, causes);
    check(review, causes);
    return answer(authorizer, subject, review);
  },
  localsubjectaccessreviews(authorizer, _user, review: AccessReviewObject, schemaCauses) {
    const namespace = review.metadata.namespace ?? '';
    const spec = review.spec ?? {};
    const causes = [...schemaCauses, ...specCauses(spec)];
    const subject = reviewedUser(review, causes);
    if (spec.nonResourceAttributes)
      causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: "": disallowed on this kind of request', field: 'spec.nonResourceAttributes' });
    check(review, causes);
    if ((spec.resourceAttributes?.namespace ?? '') !== namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
    return answer(authorizer, subject, review);
  },
  selfsubjectrulesreviews(authorizer, user, review: RulesReviewObject, schemaCauses) {
    check(review, schemaCauses);
    const namespace = review.spec?.namespace ?? '';
    if (!namespace) throw badRequest('no namespace on request');
    const { rules, errors } = authorizer.rulesFor(user, namespace);
    const status: ISubjectRulesReviewStatus = {
      resourceRules: rules
        .filter((rule) => (rule.resources ?? []).length > 0)
        .map(({ verbs, apiGroups, resources, resourceNames }) => ({
          verbs,
          ...(apiGroups ? { apiGroups } : {}),
          resources,
          ...(resourceNames ? { resourceNames } : {}),
        })),
      nonResourceRules: rules.filter((rule) => (rule.nonResourceURLs ?? []).length > 0).map(({ verbs, nonResourceURLs }) => ({ verbs, nonResourceURLs })),
      incomplete: false,
    };
    if (errors.length > 0) status.evaluationError = aggregate(errors);
    return answered(review, status);
  },
  selfsubjectreviews(_authorizer, user, review, schemaCauses) {
    check(review, schemaCauses);
    return answered(review, { userInfo: { username: user.name, groups: user.groups } });
  },
};

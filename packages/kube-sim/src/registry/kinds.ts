// The served kinds as the registry reads them: the store's KubeObject plus each kind's own fields
// as kubernetes-models types them. Those types are the wire JSON (timestamps as strings,
// quantities and int-or-strings as sent), generated from the same OpenAPI definitions as
// src/openapi/definitions.json, against which decodeAgainstSchema checks every body before a
// strategy sees it. (@kubernetes/client-node's V1* models do not fit: their timestamps are Dates,
// which its serializer makes of the strings stored here.)
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import type { ISelfSubjectRulesReview } from 'kubernetes-models/authorization.k8s.io/v1/SelfSubjectRulesReview';
import type { ISubjectAccessReview } from 'kubernetes-models/authorization.k8s.io/v1/SubjectAccessReview';
import type { IScale } from 'kubernetes-models/autoscaling/v1/Scale';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IEndpoints } from 'kubernetes-models/v1/Endpoints';
import type { IEvent } from 'kubernetes-models/v1/Event';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { KubeObject } from '../store/types';

/**
 * What decoding guarantees of a body: the JSON types of its kind's schema. A required field may
 * still be missing (validation reports it), so every field is optional. Maps (labels, data,
 * quantities) stay as they are.
 */
export type Decoded<T> = T extends (infer Item)[] ? Decoded<Item>[] : T extends object ? (string extends keyof T ? T : { [K in keyof T]?: Decoded<T[K]> }) : T;

/** A kind's own fields: all but apiVersion, kind and metadata, which KubeObject types. */
type Own<T> = Decoded<Omit<T, 'apiVersion' | 'kind' | 'metadata'>>;

export interface NamespaceObject extends KubeObject, Own<INamespace> {}
export interface PodObject extends KubeObject, Own<IPod> {}
export interface ServiceObject extends KubeObject, Own<IService> {}
export interface EndpointsObject extends KubeObject, Own<IEndpoints> {}
export interface ConfigMapObject extends KubeObject, Own<IConfigMap> {}
export interface SecretObject extends KubeObject, Own<ISecret> {}
export interface ServiceAccountObject extends KubeObject, Own<IServiceAccount> {}
export interface EventObject extends KubeObject, Own<IEvent> {}
export interface DeploymentObject extends KubeObject, Own<IDeployment> {}
export interface ReplicaSetObject extends KubeObject, Own<IReplicaSet> {}
export interface ScaleObject extends KubeObject, Own<IScale> {}
export interface RoleObject extends KubeObject, Own<IRole | IClusterRole> {}
export interface RoleBindingObject extends KubeObject, Own<IRoleBinding | IClusterRoleBinding> {}

/** Any of the access reviews (a SelfSubjectAccessReview's spec has a part of a SubjectAccessReview's fields). */
export interface AccessReviewObject extends KubeObject, Own<ISubjectAccessReview> {}
export interface RulesReviewObject extends KubeObject, Own<ISelfSubjectRulesReview> {}

export type PodSpecFields = Decoded<IPodSpec>;
export type ContainerFields = NonNullable<PodSpecFields['containers']>[number];

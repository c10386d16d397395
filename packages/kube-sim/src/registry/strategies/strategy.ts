// A kind's rules in one place, as kube-apiserver keeps them per kind (pkg/registry/<group>/<kind>/
// strategy.go, with the REST storage hooks and table convertor beside it): name rule, canonical
// form, defaults, what create and update prepare, validation, cluster-wide allocations, how a
// delete proceeds, and the columns `kubectl get` prints. The object store applies them; it has
// no rule of its own for any kind.
import type { Column } from '../../api/columns';
import type { StatusCause } from '../../api/status';
import type { FieldLabels } from '../../store/selectors';
import type { KubeObject } from '../../store/types';
import type { ClusterIPAllocator, NodePortAllocator } from '../allocators';
import type { NameRule } from '../validation';

/** Cluster-wide pools objects take from (a Service's ClusterIP and node ports). */
export interface Pools {
  clusterIPs: ClusterIPAllocator;
  nodePorts: NodePortAllocator;
}

/**
 * The rules of a kind whose objects the hooks read as `T` (a typed view from ../kinds). The store
 * calls a strategy only with objects of its kind, decoded against the kind's schema.
 */
export interface Strategy<T extends KubeObject = KubeObject> {
  /** What metadata.name must be (default: a DNS-1123 subdomain). */
  name?: NameRule;
  /** Decoding into the stored form (Secret stringData into data, quantities canonical); may throw a 400. */
  canonicalize?: (object: T) => void;
  /** The API's defaults (SetDefaults_* and the defaulting admission plugins). */
  defaults?: (object: T) => void;
  /** metadata.generation starts at 1 and counts changes of spec. */
  countsGeneration?: boolean;
  /** PrepareForCreate: what a new object starts with (its status). */
  prepareForCreate?: (object: T) => void;
  /** PrepareForUpdate of the object (not its status): what an update keeps from the stored object. */
  prepareForUpdate?: (next: T, current: T) => void;
  /** The status may be written along with the object (otherwise only through /status). */
  statusWritableWithObject?: boolean;
  validate?: (object: T) => StatusCause[];
  validateUpdate?: (next: T, previous: T) => StatusCause[];
  /** Takes from the pools at create (throws a 422 naming the object when it cannot). */
  allocate?: (object: T, pools: Pools) => void;
  /** Gives back to the pools when the object is gone. */
  release?: (object: T, pools: Pools) => void;
  /** Graceful deletion (CheckGracefulDelete): seconds the object stays terminating; 0 goes at once. */
  gracePeriod?: (object: T, requested: number | undefined) => number;
  /** Deletion leaves the object terminating until it is finalized (a Namespace is emptied first). */
  terminate?: (object: T) => void;
  /** A terminating object without finalizers that still stays (a Namespace's spec.finalizers, a pod on a node). */
  holdsDeletion?: (object: T) => boolean;
  /** A DELETE answers the deleted object rather than a Success Status (ReturnDeletedObject). */
  returnsDeletedObject?: boolean;
  /** Field selector labels beyond metadata.name and metadata.namespace (AddFieldLabelConversionFunc). */
  fieldLabels?: FieldLabels<T>;
  /** The columns `kubectl get` prints (default: Name, Age). */
  columns?: Column<T>[];
}

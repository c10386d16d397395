// The API server's storage layer as one object: create/get/list/update/patch/delete/watch with
// the semantics of the generic registry (genericregistry.Store: optimistic concurrency,
// finalizers, graceful deletion, no-op updates), each kind's rules coming from its strategy
// (./strategies). The HTTP handlers and every in-process controller (ours and the pod
// runtime's) go through it, so they see the same rules.
import { randomUUID } from 'node:crypto';
import { apiVersionOf, builtinResources, type ResourceType } from '../api/resources';
import { alreadyExists, ApiError, badRequest, conflict, invalid, notFound, type ResourceName, type StatusCause, tooLargeResourceVersion } from '../api/status';
import { definition, definitionName, type Schema } from '../openapi/schema';
import { applyJsonPatch } from '../patch/json-patch';
import { applyMergePatch } from '../patch/merge-patch';
import { serverSideApply } from '../patch/server-side-apply';
import { applyStrategicMergePatch } from '../patch/strategic-merge';
import { sameJson } from '../store/same-json';
import { fieldMatcher, labelMatcher } from '../store/selectors';
import { Storage } from '../store/storage';
import type { KubeObject, ObjectMeta, StoredEvent, WatchEventType } from '../store/types';
import { ClusterIPAllocator, NodePortAllocator } from './allocators';
import { type ListOptions, listPage, type ListResult } from './list-pages';
import { decodeAgainstSchema } from './schema-check';
import { type Pools, strategyFor } from './strategies';
import { SUBRESOURCE_VIEWS } from './subresources';
import { dns1123Subdomain, metadataCauses } from './validation';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WriteOptions {
  /** `status` or `scale`: write through that subresource. */
  subresource?: string;
  dryRun?: boolean;
  fieldManager?: string;
  /** Unknown fields: Strict rejects (400), Warn (default) reports in `warnings`, Ignore drops. */
  fieldValidation?: FieldValidation;
  /** Server-side apply: take fields over from other managers. */
  force?: boolean;
  /** Receives warnings (unknown fields) for the `Warning` response header. */
  warnings?: string[];
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type { ListOptions, ListResult } from './list-pages';

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion; unset or "0" first sends every current object as ADDED. */
  resourceVersion?: string;
}

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface ObjectStoreOptions {
  /** How many changes the watch history keeps; older resourceVersions answer 410 Expired. */
  historySize?: number;
}

const nowTimestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const randomSuffix = (length: number) => Array.from({ length }, () => NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)]).join('');
/** managedFields with each entry's time taken from the same manager's entry before, where one exists. */
function keepTimestamps(entries: Record<string, unknown>[] | undefined, before: Record<string, unknown>[] | undefined) {
  if (!entries) return entries;
  const key = (e: Record<string, unknown>) => JSON.stringify([e.manager, e.operation, e.subresource ?? '']);
  const times = new Map((before ?? []).map((e) => [key(e), e.time]));
  return entries.map((e) => (times.has(key(e)) ? { ...e, time: times.get(key(e)) } : e));
}

/** A definition of the generated OpenAPI document (one missing means src/openapi/definitions.json is out of date). */
function schemaNamed(name: string): Schema {
  const schema = definition(name);
  if (!schema) throw new Error(`no OpenAPI definition ${name}: run scripts/generate-definitions.ts`);
  return schema;
}

/** The metadata fields only the server sets: an update keeps the stored object's. */
const SERVER_SET_FIELDS = ['uid', 'creationTimestamp', 'namespace', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;

function keepServerField<K extends (typeof SERVER_SET_FIELDS)[number]>(meta: ObjectMeta, current: ObjectMeta, key: K): void {
  const value = current[key];
  if (value === undefined) delete meta[key];
  else meta[key] = value;
}

export class ObjectStore {
  readonly resources: ResourceType[] = builtinResources();
  private readonly storage: Storage;
  private readonly pools: Pools = { clusterIPs: new ClusterIPAllocator(), nodePorts: new NodePortAllocator() };

  constructor(options: ObjectStoreOptions = {}) {
    this.storage = new Storage(options.historySize ?? 10_000);
  }

  /** The current cluster-wide resourceVersion. */
  get resourceVersion(): string {
    return String(this.storage.resourceVersion);
  }

  /** The resource type for a plural name (`pods`, `deployments`); throws 404 when not served. */
  resource(plural: string): ResourceType {
    const found = this.resources.find((r) => r.plural === plural);
    if (!found) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${plural})`);
    return found;
  }

  resourceForKind(apiVersion: string, kind: string): ResourceType {
    const found = this.resources.find((r) => r.kind === kind && apiVersionOf(r) === apiVersion);
    if (!found) throw new ApiError(404, 'NotFound', `no matches for kind "${kind}" in version "${apiVersion}"`);
    return found;
  }

  schemaOf(type: ResourceType): Schema {
    return schemaNamed(definitionName(type.group, type.version, type.kind));
  }

  /**
   * The object, typed as the caller reads it (`store.find<Pod>('pods', …)`): the store holds
   * objects of the plural's kind, which its validation and defaults have shaped.
   */
  find<T = KubeObject>(plural: string, namespace: string | undefined, name: string): T | undefined {
    const type = this.resource(plural);
    return this.storage.get(plural, type.namespaced ? namespace : undefined, name) as T | undefined;
  }

  /** GET; a `resourceVersion` newer than the store's is a 504, as etcd's minimum-version check. */
  get<T = KubeObject>(plural: string, namespace: string | undefined, name: string, subresource?: string, options: { resourceVersion?: string } = {}): T {
    const type = this.resource(plural);
    const requested = Number(options.resourceVersion ?? 0);
    if (requested > this.storage.resourceVersion) throw tooLargeResourceVersion(requested, this.storage.resourceVersion);
    const object = this.find(plural, namespace, name);
    if (!object) throw notFound(type, name);
    return (subresource ? this.view(type, subresource).read(object) : object) as T;
  }

  /** A list, or one page of it (`limit`, `continue`), at the resourceVersion asked for; see list-pages.ts. */
  list<T = KubeObject>(plural: string, options: ListOptions = {}): ListResult<T> {
    const type = this.resource(plural);
    const matchLabels = labelMatcher(options.labelSelector);
    const matchFields = fieldMatcher(options.fieldSelector, strategyFor(type.kind).fieldLabels);
    return listPage<T>(this.storage, type, options, (o) => matchLabels(o) && matchFields(o), Boolean(options.labelSelector || options.fieldSelector));
  }

  create(plural: string, body: KubeObject, options: WriteOptions = {}): KubeObject {
    const type = this.resource(plural);
    const { object, schemaCauses } = this.decode(type, body, options);
    const meta = object.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix(5)}`;
    if (type.namespaced) {
      meta.namespace ||= 'default';
      this.checkNamespaceOpen(meta.namespace);
    } else delete meta.namespace;
    this.validate(type, object, schemaCauses);
    if (this.storage.get(plural, meta.namespace, meta.name)) throw alreadyExists(type, meta.name);
    meta.uid = randomUUID();
    meta.creationTimestamp = nowTimestamp();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    const strategy = strategyFor(type.kind);
    if (strategy.countsGeneration) meta.generation = 1;
    else delete meta.generation;
    strategy.prepareForCreate?.(object);
    if (options.dryRun) return object;
    strategy.allocate?.(object, this.pools);
    return this.storage.put(plural, object);
  }

  /** PUT: replaces the object (or, with `subresource`, its status or scale; the answer is then that view). */
  update(plural: string, body: KubeObject, options: WriteOptions = {}): KubeObject {
    const type = this.resource(plural);
    const namespace = type.namespaced ? body.metadata?.namespace || 'default' : undefined;
    const current = this.find(plural, namespace, body.metadata?.name);
    if (!current) throw notFound(type, body.metadata?.name);
    const requested = body.metadata?.resourceVersion;
    if (requested && requested !== current.metadata.resourceVersion) throw conflict(type, current.metadata.name);
    const view = options.subresource ? this.view(type, options.subresource) : undefined;
    const written = this.replace(type, current, view ? view.write(current, body) : body, options);
    return view ? view.read(written) : written;
  }

  patch(plural: string, namespace: string | undefined, name: string, patchType: PatchType, patch: unknown, options: WriteOptions = {}): KubeObject {
    const type = this.resource(plural);
    const current = this.find(plural, namespace, name);
    if (patchType === 'apply') return this.apply(type, current, namespace, name, patch as KubeObject, options);
    if (!current) throw notFound(type, name);
    const view = options.subresource ? this.view(type, options.subresource) : undefined;
    const before = view ? view.read(current) : current;
    const schema = options.subresource === 'scale' ? schemaNamed('io.k8s.api.autoscaling.v1.Scale') : this.schemaOf(type);
    const patched =
      patchType === 'json'
        ? applyJsonPatch(before, patch)
        : patchType === 'merge'
          ? applyMergePatch(before, patch)
          : applyStrategicMergePatch(before, patch, schema);
    const requested = patched.metadata?.resourceVersion;
    if (requested && requested !== current.metadata.resourceVersion) throw conflict(type, name);
    const next = view ? view.write(current, patched) : patched;
    const written = this.replace(type, current, next, options);
    return view ? view.read(written) : written;
  }

  /**
   * DELETE. Returns the object and whether it is gone: objects with finalizers, pods on a node
   * (graceful deletion) and namespaces (emptied first) stay, marked with a deletionTimestamp.
   */
  delete(plural: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): { object: KubeObject; gone: boolean } {
    const type = this.resource(plural);
    const current = this.find(plural, namespace, name);
    if (!current) throw notFound(type, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== current.metadata.uid) {
      throw conflict(type, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (resourceVersion && resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    const meta = current.metadata;
    const finalizers = new Set(meta.finalizers ?? []);
    if (options.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan') finalizers.add('orphan');
    const strategy = strategyFor(type.kind);
    const grace = strategy.gracePeriod?.(current, options.gracePeriodSeconds) ?? 0;
    const graceful = grace > 0;
    const terminating = Boolean(strategy.terminate);
    const stays = finalizers.size > 0 || graceful || terminating;
    // A dry run answers what the delete would (gone, or marked for deletion), changing nothing.
    if (options.dryRun) return { object: current, gone: !stays };
    if (stays) {
      if (meta.deletionTimestamp && !graceful) return { object: current, gone: false };
      meta.deletionTimestamp ??= graceful ? new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : nowTimestamp();
      if (graceful) meta.deletionGracePeriodSeconds = grace;
      else if (meta.deletionGracePeriodSeconds === undefined) meta.deletionGracePeriodSeconds = 0;
      if (finalizers.size > 0) meta.finalizers = [...finalizers];
      strategy.terminate?.(current);
      return { object: this.storage.put(plural, current), gone: false };
    }
    return { object: this.remove(type, current), gone: true };
  }

  /**
   * Watches one resource. Events arrive in resourceVersion order; the listener must not change
   * the objects it is given, typed as it reads them (as `find`'s). Throws 410 Expired when
   * `resourceVersion` is older than the history.
   */
  watch<T = KubeObject>(plural: string, options: WatchOptions, listener: (event: WatchEvent<T>) => void): () => void {
    const type = this.resource(plural);
    const namespace = type.namespaced ? options.namespace : undefined;
    const matchLabels = labelMatcher(options.labelSelector);
    const matchFields = fieldMatcher(options.fieldSelector, strategyFor(type.kind).fieldLabels);
    const visible = (object: KubeObject | undefined) =>
      object !== undefined && (namespace === undefined || object.metadata.namespace === namespace) && matchLabels(object) && matchFields(object);
    const send = (type: WatchEventType, object: KubeObject) => listener({ type, object: object as T });
    let from = Number(options.resourceVersion ?? 0);
    if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${options.resourceVersion}`);
    if (from === 0) {
      const { items, resourceVersion } = this.list(plural, options);
      for (const object of items) send('ADDED', object);
      from = Number(resourceVersion);
    }
    return this.storage.subscribe(from, (event) => {
      if (event.resource !== plural) return;
      const now = event.type !== 'DELETED' && visible(event.object);
      const before = visible(event.previous);
      // An object that stops (or starts) matching the selector leaves (or enters) the watch.
      if (event.type === 'ADDED' && now) send('ADDED', event.object);
      else if (event.type === 'MODIFIED' && now) send(before ? 'MODIFIED' : 'ADDED', event.object);
      else if (event.type === 'MODIFIED' && before) send('DELETED', event.object);
      else if (event.type === 'DELETED' && before) send('DELETED', event.object);
    });
  }

  /** Every change to every resource from now on, in order (for controllers). */
  subscribe(listener: (event: StoredEvent) => void): () => void {
    return this.storage.subscribe(this.storage.resourceVersion, listener);
  }

  private view(type: ResourceType, subresource: string) {
    const known = type.subresources.some((s) => s.name === subresource) ? SUBRESOURCE_VIEWS[subresource] : undefined;
    if (!known) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${type.plural}/${subresource})`);
    return known;
  }

  private apply(
    type: ResourceType,
    current: KubeObject | undefined,
    namespace: string | undefined,
    name: string,
    config: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    if (!options.fieldManager) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    if (!config || typeof config !== 'object' || !config.metadata) throw badRequest('apply patch must be an object with metadata');
    if (config.metadata.name && config.metadata.name !== name)
      throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
    const schema = this.schemaOf(type);
    const merged = serverSideApply(current, { ...config, metadata: { ...config.metadata, name, namespace } }, options.fieldManager, schema);
    if (!current) return this.create(type.plural, merged, { ...options, fieldManager: undefined });
    return this.replace(type, current, merged, options);
  }

  /** The common path of update and patch. */
  private replace(type: ResourceType, current: KubeObject, body: KubeObject, options: WriteOptions): KubeObject {
    const { object: next, schemaCauses } = this.decode(type, body, options);
    const meta = next.metadata;
    if (meta.name !== current.metadata.name)
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${current.metadata.name})`);
    for (const key of SERVER_SET_FIELDS) keepServerField(meta, current.metadata, key);
    if (meta.managedFields === undefined && current.metadata.managedFields) meta.managedFields = current.metadata.managedFields;
    const strategy = strategyFor(type.kind);
    if (options.subresource !== 'status') {
      if (!strategy.statusWritableWithObject || next.status === undefined) next.status = current.status;
      if (current.status === undefined) delete next.status;
      strategy.prepareForUpdate?.(next, current);
    } else next.spec = current.spec;
    if (strategy.countsGeneration && !sameJson(current.spec, next.spec)) meta.generation = (current.metadata.generation ?? 1) + 1;
    this.validate(type, next, schemaCauses, current);
    if (options.dryRun) return next;
    // A write that changes nothing (but managedFields timestamps) is not stored and keeps the
    // resourceVersion, as kube-apiserver skips no-op updates.
    const unchanged = {
      ...next,
      metadata: { ...meta, resourceVersion: undefined, managedFields: keepTimestamps(meta.managedFields, current.metadata.managedFields) },
    };
    if (sameJson(unchanged, { ...current, metadata: { ...current.metadata, resourceVersion: undefined } })) return current;
    if (meta.deletionTimestamp && this.finalized(type, next)) return this.remove(type, next);
    return this.storage.put(type.plural, next);
  }

  /** A terminating object goes once no finalizer holds it, nor its kind (a Namespace's spec.finalizers, a pod on a node). */
  private finalized(type: ResourceType, object: KubeObject): boolean {
    return (object.metadata.finalizers ?? []).length === 0 && !strategyFor(type.kind).holdsDeletion?.(object);
  }

  private remove(type: ResourceType, object: KubeObject): KubeObject {
    strategyFor(type.kind).release?.(object, this.pools);
    return this.storage.remove(type.plural, object);
  }

  /** Decodes a request body: type checks, unknown fields, the kind's canonical form and defaults. */
  decode(type: ResourceType, body: KubeObject, options: WriteOptions): { object: KubeObject; schemaCauses: StatusCause[] } {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`Object '${type.kind}' is missing in 'null'`);
    if (body.kind !== undefined && body.kind !== type.kind && !(options.subresource === 'scale' && body.kind === 'Scale')) {
      throw badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: the kind in the body (${body.kind}) does not match ${type.kind}`,
      );
    }
    const { value, report } = decodeAgainstSchema(body, this.schemaOf(type));
    if (report.typeErrors.length > 0) {
      throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: ${report.typeErrors[0]}`);
    }
    const mode = options.fieldValidation ?? 'Warn';
    const unknown = report.unknownFields.map((field) => `unknown field "${field}"`);
    if (unknown.length > 0 && mode === 'Strict') throw badRequest(`strict decoding error: ${unknown.join(', ')}`);
    if (mode === 'Warn') options.warnings?.push(...unknown);
    const object = value;
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    object.metadata ??= { name: '' };
    const strategy = strategyFor(type.kind);
    strategy.canonicalize?.(object);
    // metav1.Time has second precision (clients may send milliseconds back).
    for (const entry of object.metadata.managedFields ?? []) {
      if (typeof entry.time === 'string' && !Number.isNaN(Date.parse(entry.time))) entry.time = new Date(entry.time).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    strategy.defaults?.(object);
    return { object, schemaCauses: report.causes };
  }

  private validate(type: ResourceType, object: KubeObject, schemaCauses: StatusCause[], previous?: KubeObject): void {
    const strategy = strategyFor(type.kind);
    const causes = [
      ...schemaCauses,
      ...metadataCauses(object, strategy.name ?? dns1123Subdomain),
      ...(strategy.validate?.(object) ?? []),
      ...(previous ? (strategy.validateUpdate?.(object, previous) ?? []) : []),
    ];
    if (causes.length > 0) throw invalid(type.kind, type.group, object.metadata.name || object.metadata.generateName || '', causes);
  }

  private checkNamespaceOpen(namespace: string): void {
    const found = this.storage.get('namespaces', undefined, namespace);
    if (!found) throw notFound({ group: '', plural: 'namespaces' } satisfies ResourceName, namespace);
    if (found.metadata.deletionTimestamp) {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, {
        name: namespace,
        kind: 'namespaces',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }
}

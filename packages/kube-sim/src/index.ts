export { startSim, type Sim, type SimOptions } from './sim';
export { ObjectStore } from './registry/object-store';
export type { DeleteOptions, FieldValidation, ListOptions, PatchType, WatchEvent, WatchOptions, WriteOptions } from './registry/object-store';
export type { KubeObject, ObjectMeta, OwnerReference, StoredEvent, WatchEventType } from './store/types';
export { WorkQueue, objectKey, splitKey, type Controller } from './controllers/controller';
export type { Router, SubresourceContext, SubresourceHandler } from './http/router';
export { ApiError } from './api/status';
export { labelMatcher, selectorMatches } from './store/selectors';
export { podProcesses } from './runtime/processes';

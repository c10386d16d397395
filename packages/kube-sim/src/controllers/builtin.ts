import type { Controller } from './controller';

/** The controllers a cluster's control plane runs. */
export function builtinControllers(): Controller[] {
  return [];
}

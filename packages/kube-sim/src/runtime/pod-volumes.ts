// Where the simulator keeps its pods' volumes (`<stateDir>/pod-volumes/<pod uid>/<volume>`), and
// how a container reaches them: bind mounts for a container on the Docker engine, a path map for
// a process (process-volumes.ts writes the files).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvSources } from './env';
import type { Container, Pod } from './kube-types';
import { mountProcessVolumes, volumeDirectory } from './process-volumes';

export class PodVolumes {
  constructor(private readonly root: string) {}

  /** The engine's bind specs (`host:container:ro|rw`) for the volumes `container` mounts; ConfigMaps and Secrets read-only, as in Kubernetes. */
  binds(pod: Pod, container: Container, sources: EnvSources): string[] {
    return (container.volumeMounts ?? []).map((mount) => {
      const { volume, dir } = volumeDirectory(pod, mount.name, sources, this.root);
      const readOnly = mount.readOnly || !volume.emptyDir;
      return `${mount.subPath ? join(dir, mount.subPath) : dir}:${mount.mountPath}:${readOnly ? 'ro' : 'rw'}`;
    });
  }

  /** mountPath -> directory, for a process (no mount namespace). */
  paths(pod: Pod, container: Container, sources: EnvSources): Map<string, string> {
    return mountProcessVolumes(pod, container, sources, this.root);
  }

  /** The pod is gone: its volumes go with it. */
  release(podUid: string): void {
    rmSync(join(this.root, podUid), { recursive: true, force: true });
  }
}

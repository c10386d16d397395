// A container pod's volumes as the kubelet sets them up: a directory per pod and volume, bind
// mounted where the container asks. ConfigMap and Secret volumes hold one file per key (or per
// `items` entry) with the volume's modes; emptyDir is an empty directory the pod's containers share.
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { EnvSources } from '../env';
import type { Container, KeyToPath, Pod, Volume } from '../kube-types';

/** A volume cannot be set up; the kubelet leaves the pod ContainerCreating with a FailedMount event. */
export class VolumeMountError extends Error {}

const DEFAULT_MODE = 0o644;

function fileContents(volume: Volume, pod: Pod, sources: EnvSources): Map<string, Buffer> | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  const failed = (why: string) => new VolumeMountError(`MountVolume.SetUp failed for volume "${volume.name}" : ${why}`);
  if (volume.configMap) {
    const name = volume.configMap.name ?? '';
    const map = sources.configMap(namespace, name);
    if (!map) {
      if (volume.configMap.optional) return new Map();
      throw failed(`configmap "${name}" not found`);
    }
    const binary = (map as { binaryData?: Record<string, string> }).binaryData ?? {};
    return new Map([
      ...Object.entries(map.data ?? {}).map(([key, value]) => [key, Buffer.from(value)] as const),
      ...Object.entries(binary).map(([key, value]) => [key, Buffer.from(value, 'base64')] as const),
    ]);
  }
  if (volume.secret) {
    const name = volume.secret.secretName ?? '';
    const secret = sources.secret(namespace, name);
    if (!secret) {
      if (volume.secret.optional) return new Map();
      throw failed(`secret "${name}" not found`);
    }
    return new Map([
      ...Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')] as const),
      ...Object.entries(secret.stringData ?? {}).map(([key, value]) => [key, Buffer.from(value)] as const),
    ]);
  }
  if (volume.emptyDir) return undefined;
  const kind = Object.keys(volume).find((key) => key !== 'name') ?? 'unknown';
  throw failed(`kube-sim mounts configMap, secret and emptyDir volumes into containers, not ${kind}`);
}

function writeVolume(dir: string, volume: Volume, files: Map<string, Buffer>): void {
  const source = volume.configMap ?? volume.secret;
  const kind = volume.configMap ? 'configmap' : 'secret';
  const items: KeyToPath[] = source?.items ?? [...files.keys()].map((key) => ({ key, path: key }));
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const item of items) {
    const content = files.get(item.key);
    if (!content) {
      if (source?.optional) continue;
      throw new VolumeMountError(`MountVolume.SetUp failed for volume "${volume.name}" : ${kind} references non-existent config key: ${item.key}`);
    }
    const file = join(dir, posix.normalize(item.path).replace(/^(\.\.\/)+/, ''));
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, content);
    chmodSync(file, item.mode ?? source?.defaultMode ?? DEFAULT_MODE);
  }
}

export class PodVolumes {
  constructor(private readonly root: string) {}

  /**
   * Sets up the volumes `container` mounts (once per pod: a restart sees the same files, and
   * an emptyDir keeps its contents) and returns the engine's bind specs for them.
   */
  binds(pod: Pod, container: Container, sources: EnvSources): string[] {
    return (container.volumeMounts ?? []).map((mount) => {
      const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
      if (!volume) throw new VolumeMountError(`volume "${mount.name}" is not declared in the pod's volumes`);
      const dir = join(this.root, pod.metadata.uid ?? pod.metadata.name ?? 'pod', volume.name);
      if (!existsSync(dir)) {
        const files = fileContents(volume, pod, sources);
        if (files) {
          // Staged, so a failed setup (a missing key) is tried again in full next time.
          const staging = `${dir}.partial`;
          rmSync(staging, { recursive: true, force: true });
          writeVolume(staging, volume, files);
          renameSync(staging, dir);
        } else {
          mkdirSync(dir, { recursive: true });
          chmodSync(dir, 0o777); // as the kubelet makes an emptyDir: any user of the pod may write
        }
      }
      const readOnly = mount.readOnly || !volume.emptyDir;
      return `${mount.subPath ? join(dir, mount.subPath) : dir}:${mount.mountPath}:${readOnly ? 'ro' : 'rw'}`;
    });
  }

  /** The pod is gone: its volumes go with it. */
  release(podUid: string): void {
    rmSync(join(this.root, podUid), { recursive: true, force: true });
  }
}

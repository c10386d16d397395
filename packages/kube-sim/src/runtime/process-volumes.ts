// A pod's ConfigMap, Secret and emptyDir volumes, written as files under the simulator's state
// directory, once per pod. Container pods bind-mount them (pod-volumes.ts); process mode has no
// mount namespace, so the container is told where each of its mountPaths landed (see
// node-image.ts, which points its arguments there).
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { EnvSources } from './env';
import type { Container, KeyToPath, Pod, Volume } from './kube-types';

/** The kubelet's FailedMount: the container stays ContainerCreating until it can be set up. */
export class VolumeMountError extends Error {}

/** The files of a ConfigMap or Secret volume; undefined for an emptyDir. */
function volumeFiles(volume: Volume, pod: Pod, sources: EnvSources): Map<string, Buffer> | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  const failed = (why: string) => new VolumeMountError(`MountVolume.SetUp failed for volume "${volume.name}" : ${why}`);
  if (volume.configMap) {
    const found = sources.configMap(namespace, volume.configMap.name ?? '');
    if (!found && !volume.configMap.optional) throw failed(`configmap "${volume.configMap.name}" not found`);
    return new Map([
      ...Object.entries(found?.data ?? {}).map(([key, value]) => [key, Buffer.from(value)] as const),
      ...Object.entries(found?.binaryData ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')] as const),
    ]);
  }
  if (volume.secret) {
    const found = sources.secret(namespace, volume.secret.secretName ?? '');
    if (!found && !volume.secret.optional) throw failed(`secret "${volume.secret.secretName}" not found`);
    return new Map(Object.entries(found?.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')] as const));
  }
  if (volume.emptyDir) return undefined;
  throw failed(`kube-sim mounts configMap, secret and emptyDir volumes, not ${Object.keys(volume).find((key) => key !== 'name') ?? 'this kind'}`);
}

function writeVolume(dir: string, volume: Volume, files: Map<string, Buffer>): void {
  const source = volume.configMap ?? volume.secret;
  const items: KeyToPath[] = source?.items ?? [...files.keys()].map((key) => ({ key, path: key }));
  // Staged: a failed setup (a missing key) is tried again in full next time.
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const item of items) {
    const content = files.get(item.key);
    if (!content) throw new VolumeMountError(`MountVolume.SetUp failed for volume "${volume.name}" : references non-existent config key: ${item.key}`);
    const file = join(staging, posix.normalize(item.path).replace(/^(\.\.\/)+/, ''));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    chmodSync(file, item.mode ?? source?.defaultMode ?? 0o644);
  }
  renameSync(staging, dir);
}

/** The directory of the pod's volume `name` under `root`, set up on first use (a restart sees the same files; an emptyDir keeps its contents). */
export function volumeDirectory(pod: Pod, name: string, sources: EnvSources, root: string): { volume: Volume; dir: string } {
  const volume = pod.spec.volumes?.find((v) => v.name === name);
  if (!volume) throw new VolumeMountError(`volume "${name}" is not declared in the pod's volumes`);
  const dir = join(root, pod.metadata.uid ?? pod.metadata.name ?? 'pod', volume.name);
  if (!existsSync(dir)) {
    const files = volumeFiles(volume, pod, sources);
    if (files) writeVolume(dir, volume, files);
    else {
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777); // as the kubelet makes an emptyDir: any user of the pod may write
    }
  }
  return { volume, dir };
}

/** mountPath -> directory holding that volume's files, for each volume the container mounts. */
export function mountProcessVolumes(pod: Pod, container: Container, sources: EnvSources, root: string): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) mounts.set(mount.mountPath.replace(/\/+$/, ''), volumeDirectory(pod, mount.name, sources, root).dir);
  return mounts;
}

/** A path inside the container, as this machine sees it (unchanged when no volume holds it). */
export function hostPath(path: string, mounts: Map<string, string>): string {
  for (const [mountPath, dir] of mounts) {
    if (path === mountPath || path.startsWith(`${mountPath}/`)) return dir + path.slice(mountPath.length);
  }
  return path;
}

// Process mode has no mount namespace: a container's ConfigMap and Secret volumes are written as
// files under the simulator's state directory, once per pod, and the container is told where
// each of its mountPaths landed (see node-image.ts, which points its arguments there).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { EnvSources } from './env';
import type { Container, Pod } from './kube-types';

interface KeyToPath {
  key: string;
  path: string;
}

/** The fields of a pod's volumes kube-sim reads (the Pod types carry no volumes). */
interface Volume {
  name: string;
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName?: string; items?: KeyToPath[]; optional?: boolean };
}

type MountingContainer = Container & { volumeMounts?: { name: string; mountPath: string }[] };

/** The kubelet's FailedMount: the container stays ContainerCreating until it can be set up. */
export class VolumeMountError extends Error {}

function volumeFiles(volume: Volume, pod: Pod, sources: EnvSources): Map<string, Buffer> {
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
  throw failed('kube-sim mounts configMap and secret volumes into process-mode containers, nothing else');
}

function writeVolume(dir: string, volume: Volume, files: Map<string, Buffer>): void {
  const items = (volume.configMap ?? volume.secret)?.items ?? [...files.keys()].map((key) => ({ key, path: key }));
  // Staged: a failed setup (a missing key) is tried again in full next time.
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const item of items) {
    const content = files.get(item.key);
    if (!content) throw new VolumeMountError(`MountVolume.SetUp failed for volume "${volume.name}" : references non-existent config key: ${item.key}`);
    const file = join(staging, posix.normalize(item.path).replace(/^(\.\.\/)+/, ''));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, { mode: 0o644 });
  }
  renameSync(staging, dir);
}

/** mountPath -> directory holding that volume's files, for each volume the container mounts. */
export function mountProcessVolumes(pod: Pod, container: Container, sources: EnvSources, root: string): Map<string, string> {
  const volumes = ((pod.spec as { volumes?: Volume[] }).volumes ?? []);
  const mounts = new Map<string, string>();
  for (const mount of (container as MountingContainer).volumeMounts ?? []) {
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume) throw new VolumeMountError(`volume "${mount.name}" is not declared in the pod's volumes`);
    const dir = join(root, pod.metadata.uid ?? pod.metadata.name ?? 'pod', volume.name);
    if (!existsSync(dir)) writeVolume(dir, volume, volumeFiles(volume, pod, sources));
    mounts.set(mount.mountPath.replace(/\/+$/, ''), dir);
  }
  return mounts;
}

/** A path inside the container, as this machine sees it (unchanged when no volume holds it). */
export function hostPath(path: string, mounts: Map<string, string>): string {
  for (const [mountPath, dir] of mounts) {
    if (path === mountPath || path.startsWith(`${mountPath}/`)) return dir + path.slice(mountPath.length);
  }
  return path;
}

// A pod's volumes on disk, as containers get them bind-mounted and processes get them as paths:
// ConfigMap/Secret files with their modes, a shared writable emptyDir, FailedMount for what is missing.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EnvSources } from './env';
import type { Container, Pod } from './kube-types';
import { PodVolumes } from './pod-volumes';
import { VolumeMountError } from './process-volumes';

const root = mkdtempSync(join(tmpdir(), 'kube-sim-volumes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sources: EnvSources = {
  configMap: (_ns, name) => (name === 'settings' ? { metadata: { name }, data: { 'app.json': '{"a":1}', other: 'x' } } : undefined),
  secret: (_ns, name) => (name === 'creds' ? { metadata: { name }, data: { password: Buffer.from('s3cret').toString('base64') } } : undefined),
  services: () => [],
};

const pod = (uid: string, volumes: Pod['spec']['volumes']): Pod => ({ metadata: { name: uid, namespace: 'default', uid }, spec: { containers: [], volumes } });
const mounting = (...volumeMounts: NonNullable<Container['volumeMounts']>): Container => ({ name: 'app', image: 'x', volumeMounts });

describe('pod volumes', () => {
  const volumes = new PodVolumes(root);

  it('writes ConfigMap items and Secret keys with their modes, read-only binds; emptyDir shared and writable', () => {
    const p = pod('uid-1', [
      { name: 'config', configMap: { name: 'settings', items: [{ key: 'app.json', path: 'conf/app.json', mode: 0o600 }] } },
      { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
      { name: 'scratch', emptyDir: {} },
    ]);
    const binds = volumes.binds(p, mounting({ name: 'config', mountPath: '/etc/app' }, { name: 'creds', mountPath: '/etc/creds' }, { name: 'scratch', mountPath: '/scratch' }), sources);
    const dir = (volume: string) => join(root, 'uid-1', volume);
    expect(binds).toEqual([`${dir('config')}:/etc/app:ro`, `${dir('creds')}:/etc/creds:ro`, `${dir('scratch')}:/scratch:rw`]);
    expect(readFileSync(join(dir('config'), 'conf/app.json'), 'utf8')).toBe('{"a":1}');
    expect(existsSync(join(dir('config'), 'other'))).toBe(false); // items pick the keys
    expect(statSync(join(dir('config'), 'conf/app.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir('creds'), 'password'), 'utf8')).toBe('s3cret');
    expect(statSync(join(dir('creds'), 'password')).mode & 0o777).toBe(0o400);
    expect(statSync(dir('scratch')).mode & 0o777).toBe(0o777);

    // A second container of the pod (or a restart) sees the same directories, emptyDir contents kept.
    writeFileSync(join(dir('scratch'), 'left-by-app'), 'hi');
    expect(volumes.paths(p, mounting({ name: 'scratch', mountPath: '/scratch/' }), sources)).toEqual(new Map([['/scratch', dir('scratch')]]));
    expect(readFileSync(join(dir('scratch'), 'left-by-app'), 'utf8')).toBe('hi');

    volumes.release('uid-1');
    expect(existsSync(join(root, 'uid-1'))).toBe(false);
  });

  it("fails as the kubelet's FailedMount for a missing ConfigMap, key or volume, and an unsupported kind", () => {
    const attempt = (volume: NonNullable<Pod['spec']['volumes']>[number]) => () => volumes.binds(pod('uid-2', [volume]), mounting({ name: volume.name, mountPath: '/m' }), sources);
    expect(attempt({ name: 'v', configMap: { name: 'absent' } })).toThrow(new VolumeMountError('MountVolume.SetUp failed for volume "v" : configmap "absent" not found'));
    expect(attempt({ name: 'v', configMap: { name: 'settings', items: [{ key: 'nope', path: 'p' }] } })).toThrow(/references non-existent config key: nope/);
    expect(attempt({ name: 'v', hostPath: { path: '/etc' } } as never)).toThrow(/kube-sim mounts configMap, secret and emptyDir volumes, not hostPath/);
    expect(() => volumes.binds(pod('uid-2', []), mounting({ name: 'ghost', mountPath: '/m' }), sources)).toThrow('volume "ghost" is not declared in the pod\'s volumes');
    // Optional and absent: an empty volume.
    expect(attempt({ name: 'v', configMap: { name: 'absent', optional: true } })()).toEqual([`${join(root, 'uid-2', 'v')}:/m:ro`]);
  });
});

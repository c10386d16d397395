// What kubectl's own encoder cannot send: fields from newer Kubernetes versions (skipped) and
// broken bytes (a WireError naming the field). kubectl's real bodies are covered in
// test/conformance/kubectl-protobuf.test.ts.
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, UndecodedKindError } from './decode';

// A minimal protobuf writer for hand-made bodies.
const varint = (value: bigint): number[] => {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    bytes.push(Number(rest & 0x7fn) | (rest > 0x7fn ? 0x80 : 0));
    rest >>= 7n;
  } while (rest > 0n);
  return bytes;
};
const key = (number: number, wireType: number) => varint(BigInt((number << 3) | wireType));
const num = (number: number, value: number) => [...key(number, 0), ...varint(BigInt(value))];
const sub = (number: number, ...parts: number[][]) => {
  const bytes = parts.flat();
  return [...key(number, 2), ...varint(BigInt(bytes.length)), ...bytes];
};
const str = (number: number, text: string) => sub(number, [...Buffer.from(text)]);
const body = (apiVersion: string, kind: string, ...raw: number[][]) =>
  Buffer.from([0x6b, 0x38, 0x73, 0x00, ...sub(1, str(1, apiVersion), str(2, kind)), ...sub(2, ...raw)]);

describe('decodeKubernetesProtobuf', () => {
  it('skips fields it does not know, at any depth and of any wire type', () => {
    const configMap = body(
      'v1',
      'ConfigMap',
      sub(1, str(1, 'settings'), str(99, 'from a newer version'), [...key(15, 1), 1, 2, 3, 4, 5, 6, 7, 8]),
      sub(2, str(1, 'mode'), str(2, 'fast')),
      [...key(50, 5), 1, 2, 3, 4],
      num(60, 7),
    );
    expect(decodeKubernetesProtobuf(configMap)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } });
  });

  it('keeps a pointer field set to zero and a negative int32, and omits the zero values Go leaves out of JSON', () => {
    const deployment = body(
      'apps/v1',
      'Deployment',
      sub(1, str(1, 'web'), str(2, ''), sub(8, num(1, 0))),
      sub(2, num(1, 0), num(5, 0), num(6, -1), sub(4, sub(2, sub(1, num(1, 0), num(2, 0)), sub(2, num(1, 1), str(3, '25%'))))),
    );
    expect(decodeKubernetesProtobuf(deployment)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 0, revisionHistoryLimit: -1, strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } } },
    });
  });

  it("reads a typed client's DeleteOptions in its own group version, keeping a grace period of 0", () => {
    const options = body('apps/v1', 'DeleteOptions', num(1, 0), str(4, 'Foreground'), str(5, 'All'));
    expect(decodeKubernetesProtobuf(options)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  });

  it('names a kind it does not decode', () => {
    expect(() => decodeKubernetesProtobuf(body('batch/v1', 'Job', sub(1, str(1, 'j'))))).toThrow(new UndecodedKindError('batch/v1/Job'));
  });

  it.each([
    ['no k8s prefix', Buffer.from('{"kind":"ConfigMap"}'), 'missing the k8s protobuf prefix'],
    ['no object in the envelope', Buffer.from([0x6b, 0x38, 0x73, 0x00, ...sub(1, str(1, 'v1'))]), 'no type or object in the envelope'],
    ['a length past the end', body('v1', 'Secret', [...key(2, 2), 50, 1]), 'truncated field 2'],
    ['a varint that never ends', body('v1', 'Secret', [...key(3, 0), ...new Array<number>(11).fill(0xff)]), 'truncated or overlong varint'],
    [
      'a message where a number belongs',
      body('apps/v1', 'Deployment', sub(2, sub(1, str(1, 'x')))),
      'spec.replicas: expected a number, got length-delimited bytes',
    ],
    ['a number where a message belongs', body('v1', 'Pod', sub(2, num(2, 1))), 'spec.containers: expected a message, got a varint'],
    ['a broken container deep inside', body('apps/v1', 'Deployment', sub(2, sub(3, sub(2, [...key(2, 2), 9])))), 'spec.template.spec: truncated field 2'],
  ])('rejects %s, naming what is wrong', (_, bytes, message) => {
    expect(() => decodeKubernetesProtobuf(bytes)).toThrow(message);
  });
});

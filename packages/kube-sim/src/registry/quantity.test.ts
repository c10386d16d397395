import { describe, expect, it } from 'vitest';
import { canonicalQuantity } from './quantity';

describe('quantities in canonical form, as the API server stores them', () => {
  it.each([
    ['0.1', '100m'],
    ['.5', '500m'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['1000', '1k'],
    ['2', '2'],
    ['0', '0'],
    ['0.0000000001', '1n'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['512Mi', '512Mi'],
    ['1024Mi', '1Gi'],
    ['0.5Gi', '512Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['1G', '1G'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['123Mi', '123Mi'],
  ])('%s -> %s', (input, canonical) => expect(canonicalQuantity(input, 'Pod')).toBe(canonical));

  it('refuses what does not parse with the decoder message', () => {
    expect(() => canonicalQuantity('1 cpu', 'Pod')).toThrow(/^Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression/);
    expect(() => canonicalQuantity('', 'Pod')).toThrow(/quantities must match/);
  });
});

import { describe, expect, it } from 'vitest';
import { keyFor } from './keys';

describe('keyFor', () => {
  it('maps the listed keys, Ctrl-C to quit, and ignores the rest', () => {
    expect(['n', 'h', 'c', 'r', 'q'].map((name) => keyFor(name, { name }))).toEqual(['next', 'hint', 'check', 'reset', 'quit']);
    expect(keyFor('\x03', { name: 'c', ctrl: true })).toBe('quit');
    expect(keyFor('x', { name: 'x' })).toBeNull();
    expect(keyFor(undefined, { name: 'return' })).toBeNull();
  });
});

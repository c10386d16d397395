// Seeded random input for fuzz tests: bounded by time and by count, and reproducible, because
// a failure names its seed (FFK_FUZZ_SEED=<seed> replays the same inputs).

export interface Fuzz {
  readonly seed: number;
  /** 0 ≤ n < max */
  int(max: number): number;
  chance(probability: number): boolean;
  pick<T>(choices: readonly T[]): T;
  /** up to maxLength characters, from printable ASCII, control characters and a little Unicode */
  text(maxLength: number): string;
  /** any JSON value, nested up to `depth` */
  json(depth?: number): unknown;
}

export function fuzzer(seed = seedFromEnv()): Fuzz {
  // mulberry32: small, fast and good enough to spread inputs; not for secrets.
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(choices: readonly T[]) => choices[int(choices.length)];
  const text = (maxLength: number) => {
    let out = '';
    for (let n = int(maxLength + 1); n > 0; n--) out += pick(ALPHABETS)();
    return out;
  };
  const ALPHABETS = [
    () => String.fromCharCode(0x20 + int(95)),
    () => String.fromCharCode(0x20 + int(95)),
    () => String.fromCharCode(int(32)),
    () => pick(['%', '/', '\\', '..', '?', '&', '=', '#', '"', '\u00e9', '\u2028', '\ud83d\ude00', '\ud800', '\ufffd']),
  ];
  const json = (depth = 2): unknown => {
    switch (int(depth > 0 ? 9 : 7)) {
      case 0:
        return null;
      case 1:
        return next() < 0.5;
      case 2:
        return pick([0, -1, 1, 65535, 65536, 99999, 2 ** 53, -(2 ** 31), 1.5, Number.MAX_VALUE]);
      case 3:
        return int(70000);
      case 4:
        return text(12);
      case 5:
        return pick(['', 'global', 'personal', 'hello', 'ping', 'dial', 'http', '127.0.0.1', 'x-ffk-user', '__proto__', 'constructor']);
      case 6:
        return 'x'.repeat(pick([0, 1, 255, 256, 4096, 70_000]));
      case 7:
        return Array.from({ length: int(4) }, () => json(depth - 1));
      default:
        return Object.fromEntries(
          Array.from({ length: int(4) }, () => [pick(['mode', 'header', 'value', 'port', 'host', 'id', 'type', text(6)]), json(depth - 1)]),
        );
    }
  };
  return { seed, int, chance: (p) => next() < p, pick, text, json };
}

/**
 * Runs `step` until `count` steps are done or `ms` have passed, whichever comes first; a failing
 * step is rethrown with the seed and step that reproduce it. Resolves with the steps run.
 */
export async function fuzzFor(fuzz: Fuzz, limits: { ms: number; count: number }, step: (i: number) => Promise<void> | void): Promise<number> {
  const end = performance.now() + limits.ms;
  let i = 0;
  for (; i < limits.count && performance.now() < end; i++) {
    try {
      await step(i);
    } catch (error) {
      throw new Error(`fuzz step ${i} failed (reproduce with FFK_FUZZ_SEED=${fuzz.seed}): ${(error as Error).message}`, { cause: error });
    }
  }
  return i;
}

function seedFromEnv(): number {
  const given = process.env.FFK_FUZZ_SEED;
  if (given && /^\d+$/.test(given)) return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 32);
}

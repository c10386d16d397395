// resource.Quantity as the API server stores it (apimachinery/pkg/api/resource): parsed from
// `<number><suffix>` (binary Ki..Ei, decimal n u m k M G T P E, or an e<exponent>), rounded up
// to nano units, and written back in canonical form: the largest suffix of the same kind that
// keeps the number whole (`0.1` -> `100m`, `1000` -> `1k`, `1536Mi` stays, `1024Mi` -> `1Gi`,
// `0.5Gi` -> `512Mi`), so `cpu: "0.1"` reads back `100m`, as on a real cluster.
import { badRequest } from '../api/status';

const PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX = Object.fromEntries(Object.entries(DECIMAL).map(([suffix, exponent]) => [exponent, suffix]));
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

export const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** The canonical string of a quantity; throws the decoder's 400 for one that does not parse. */
export function canonicalQuantity(input: string | number, kind: string): string {
  const text = String(input);
  const match = PATTERN.exec(text);
  if (!match || (match[2] === '' && !match[3])) throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${QUANTITY_ERROR}`);
  const [, sign, whole, fraction = '', suffix = ''] = match;
  // value = mantissa * 10^exponent (* 1024^power for binary suffixes)
  let mantissa = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  const binary = suffix in BINARY;
  if (binary) mantissa *= 1024n ** BigInt(BINARY[suffix]);
  else if (suffix in DECIMAL) exponent += DECIMAL[suffix];
  else exponent += Number(suffix.slice(1));
  if (exponent < -9) {
    // Rounded up to the nearest nano unit.
    const divisor = 10n ** BigInt(-9 - exponent);
    mantissa = (mantissa + divisor - 1n) / divisor;
    exponent = -9;
  }
  if (mantissa === 0n) return '0';
  const negative = sign === '-';
  const prefix = negative ? '-' : '';
  if (binary && (exponent >= 0 || mantissa % 10n ** BigInt(-exponent) === 0n)) {
    let bytes = exponent >= 0 ? mantissa * 10n ** BigInt(exponent) : mantissa / 10n ** BigInt(-exponent);
    if (bytes >= 1024n) {
      let power = 0;
      while (bytes % 1024n === 0n && power < 6) {
        bytes /= 1024n;
        power += 1;
      }
      return `${prefix}${bytes}${BINARY_SUFFIX[power]}`;
    }
  }
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent -= 1;
  }
  const exponentForm = /^[eE]/.test(suffix);
  const named = exponentForm ? (exponent === 0 ? '' : `e${exponent}`) : (DECIMAL_SUFFIX[exponent] ?? `e${exponent}`);
  return `${prefix}${mantissa}${named}`;
}

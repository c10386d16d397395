// The banner colour comes from the catalog (learners edit it), so it lands in a style
// attribute only when it is plainly a colour; the text colour is picked for contrast.

const DEFAULT_BACKGROUND = '#475569';
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const NAMED = /^[a-z]{3,20}$/i;
const FUNCTIONAL = /^(?:rgb|hsl)a?\([\d\s.,%/]+\)$/i;

export function safeBackground(color: string | undefined): string {
  const value = color?.trim() ?? '';
  return HEX.test(value) || NAMED.test(value) || FUNCTIONAL.test(value) ? value : DEFAULT_BACKGROUND;
}

/** Dark text on light hex backgrounds, white otherwise (named colours get white plus a shadow in CSS). */
export function textColorFor(background: string): string {
  if (!HEX.test(background)) return '#ffffff';
  const hex = background.length === 4 ? [...background.slice(1)].map((c) => c + c).join('') : background.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.6 ? '#111827' : '#ffffff';
}

// Options chosen to match the code as it was written before Prettier (single quotes, semicolons,
// trailing commas, long lines), so the one-off `npm run format` changes as little as possible.
/** @type {import('prettier').Config} */
export default {
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
  printWidth: 160,
};

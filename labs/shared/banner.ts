// apps/catalog/src/banner.ts, the one file the labs ask learners to change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edit, LabContext } from '@ffk/labs';

export const BANNER_FILE = 'apps/catalog/src/banner.ts';

function textOf(source: string, where: string): string {
  const match = /\btext:\s*(['"`])((?:\\.|(?!\1).)*)\1/.exec(source);
  if (!match) throw new Error(`${where} has no \`text: '…'\` field; \`npm run lab:reset -- N\` restores it`);
  return match[2].replace(/\\(.)/g, '$1');
}

/** The banner text as the learner's file says now. */
export function bannerText(repoRoot: string): string {
  return textOf(readFileSync(join(repoRoot, BANNER_FILE), 'utf8'), BANNER_FILE);
}

/** The banner text as committed, i.e. before the learner's change. */
export async function shippedBannerText(ctx: LabContext): Promise<string> {
  return textOf((await ctx.$`git show HEAD:${BANNER_FILE}`).stdout, `${BANNER_FILE} at HEAD`);
}

/**
 * The learner's banner, or the reason the check cannot pass yet because it is still the shipped
 * one: every banner check starts here, so each fails as shipped.
 */
export async function changedBanner(ctx: LabContext): Promise<{ text: string } | { notYet: string }> {
  const [text, shipped] = [bannerText(ctx.repoRoot), await shippedBannerText(ctx)];
  return text === shipped ? { notYet: `${BANNER_FILE} still says "${shipped}": change the text and save` } : { text };
}

/** A solution: the banner text with a prefix, so it still applies when the shipped text changes. */
export const bannerSolution = (prefix: string): { edits: Edit[] } => ({ edits: [{ file: BANNER_FILE, find: "text: '", replace: `text: '${prefix}` }] });

export const BANNER_HINTS = [
  `Open \`${BANNER_FILE}\`: it exports \`banner\` with a \`text\` and a \`color\`.`,
  'Change the words between the quotes after `text:`, and save.',
];

// Lab 4: personal intercepts. Only requests that carry the learner's x-ffk-user header reach
// their machine; a teammate's plain request still gets the cluster's catalog, at the same time.
import { defineLab, fail, formatDuration, pass } from '@ffk/labs';
import { BANNER_FILE, BANNER_HINTS, bannerSolution, changedBanner } from '../shared/banner';
import { clusterUp } from '../shared/cluster';
import { leaveIntercept, needsFfk, previewName, startIntercept, stopLeftoverIntercepts } from '../shared/intercept';
import { LOOPS } from '../shared/loops';
import { redeployApp } from '../shared/reset';
import { isLocal, viewStorefront, waitForStorefront } from '../shared/storefront';

const needsIntercept = needsFfk('intercept');
const me = previewName();

export default defineLab({
  title: 'Personal intercepts',
  summary: `In lab 3 your laptop took *all* of catalog's traffic: fine on your own cluster, rude on a shared
one. A **personal intercept** takes only the requests that say they are yours, so a whole team
can work on the same service in the same cluster, each seeing their own version.`,
  prepare: [...clusterUp, stopLeftoverIntercepts],
  steps: [
    {
      kind: 'text',
      title: 'Only your requests',
      body: `\`\`\`sh
npm run ffk -- intercept catalog --port 3000 --user ${me} -- npm run dev -w @ffk/catalog
\`\`\`

With \`--user ${me}\` the agent in the catalog pod routes a request to your machine only when it
carries the header \`x-ffk-user: ${me}\`. Every other request goes to the cluster's catalog as
before. (Your name comes from your login; set \`FFK_USER\` to choose another.)`,
    },
    {
      kind: 'action',
      title: 'Start your personal intercept',
      tasks: [
        { title: `ffk intercept catalog --user ${me} -- npm run dev -w @ffk/catalog`, skipIf: needsIntercept, run: (ctx) => startIntercept(ctx, { user: me }) },
      ],
    },
    {
      kind: 'text',
      title: 'Preview as you',
      body: `Your browser does not send \`x-ffk-user\` by itself. The storefront has a developer toggle for
that: at the bottom of http://localhost:8080, type **${me}** into "Preview a personal intercept as"
and press *preview*. It sets a cookie, and from then on \`web\` adds \`x-ffk-user: ${me}\` to its
calls to catalog. A purple notice says who you are previewing as.

Open a private window beside it: that is your teammate, without the cookie.`,
    },
    {
      kind: 'task',
      title: 'Change the banner for you alone',
      body: `Change the banner \`text\` in \`${BANNER_FILE}\` and save. Your window shows your banner, served by
**local**; your teammate's window keeps the cluster's banner and pod name. The check asks as both.`,
      watch: [BANNER_FILE],
      skipIf: needsIntercept,
      timeoutMs: 20_000,
      check: async (ctx) => {
        const change = await changedBanner(ctx);
        if ('notYet' in change) return fail(change.notYet);
        const mine = await waitForStorefront((v) => v.banner === change.text && isLocal(v.servedBy.banner), {
          previewAs: me,
          timeoutMs: 15_000,
          waitingFor: `"${change.text}" from your local catalog when previewing as ${me}`,
          signal: ctx.signal,
        });
        const ms = ctx.savedAt === undefined ? null : Date.now() - ctx.savedAt;
        const teammate = await viewStorefront({ signal: ctx.signal });
        if (isLocal(teammate.servedBy.banner) || teammate.banner === change.text) {
          return fail(`a teammate without the header also gets your banner (served by ${teammate.servedBy.banner}): the intercept is not personal`);
        }
        if (ms !== null) ctx.recordLoop(LOOPS.personal, ms);
        return pass(
          `as ${me} you see "${change.text}" from ${mine.servedBy.banner}${ms === null ? '' : ` (${formatDuration(ms)} after your save)`}; a teammate sees "${teammate.banner}" from ${teammate.servedBy.banner}`,
        );
      },
      hints: [...BANNER_HINTS, `The check previews as ${me} (the cookie the toggle sets) and asks once more without it.`],
      solution: bannerSolution('Only for me: '),
    },
    {
      kind: 'text',
      title: 'Why every service must pass the header on',
      body: `Your browser talks to \`web\`, not to catalog. The header reaches catalog's agent only because
\`web\` copies it onto its own request to catalog. Every service in this app forwards the
\`x-ffk-*\` headers and the W3C \`baggage\` header on every call it makes; that is
\`packages/service-kit\`'s job, and the contract in this repository.

If one service in a chain dropped the header, every intercept behind it would silently stop
being personal: your requests would reach the cluster's version and you would wonder why your
change does not show. The same propagation carries trace context for OpenTelemetry, which is
why teams that already propagate \`baggage\` get personal intercepts almost for free.`,
    },
    {
      kind: 'action',
      title: 'Leave your intercept',
      tasks: [{ title: 'Ctrl-C on ffk intercept', skipIf: needsIntercept, run: (ctx) => leaveIntercept(ctx, { user: me }) }],
    },
  ],
  resetCluster: redeployApp,
});

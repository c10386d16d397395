// Whether this machine can build and run the kit's images. Without a usable engine the image
// tests report themselves skipped with the reason; REQUIRE_DOCKER=1 makes that a failure instead.
import { findBuilder, type Builder } from '@ffk/images';

const probe = await findBuilder();

export const builder: Builder | undefined = probe.ok ? probe.builder : undefined;
export const skipReason: string | undefined = probe.ok ? undefined : `${probe.problem} (fix: ${probe.fix})`;
export const requireDocker = process.env.REQUIRE_DOCKER === '1';

/** One line in the test output saying why a file's container tests did not run. */
export function announceSkip(file: string): void {
  if (skipReason && !requireDocker) console.log(`${file} skipped: ${skipReason}; REQUIRE_DOCKER=1 makes this a failure`);
}

import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './backoff';

describe('restart back-off', () => {
  it('restarts at once the first time, then waits 10 s doubling up to 5 min after each start', () => {
    const backoff = new RestartBackoff();
    let now = 1_000_000;
    const waits: number[] = [];
    for (let crash = 0; crash < 8; crash++) {
      now += 1000; // each run crashes after a second
      const wait = backoff.waitBeforeRestart(now);
      waits.push(wait + 1000); // the window, counted from the previous start
      now += wait;
      backoff.restarted(now);
    }
    expect(waits.slice(1)).toEqual([10e3, 20e3, 40e3, 80e3, 160e3, 300e3, 300e3]);
    expect(waits[0]).toBe(1000); // no wait at all the first time
  });

  it('forgets the back-off after a long healthy run', () => {
    const backoff = new RestartBackoff();
    backoff.restarted(0);
    backoff.restarted(1000);
    expect(backoff.waitBeforeRestart(2000)).toBe(19_000);
    expect(backoff.waitBeforeRestart(11 * 60_000)).toBe(0);
  });
});

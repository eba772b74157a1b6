import { env } from "./env.server.ts";

/** Where "now" comes from. Domain functions take a clock so deadlines and expiry are tested without sleeping. */
export interface Clock {
  now(): Date;
}

/** Real time, shifted by OPORA_CLOCK_OFFSET_MS (0 unless an end-to-end test sets it). */
export const systemClock: Clock = {
  now: () => new Date(Date.now() + env.OPORA_CLOCK_OFFSET_MS),
};

export function fixedClock(at: Date | string): Clock & { advance(ms: number): void; set(at: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
    set(next) {
      current = new Date(next);
    },
  };
}

import type { AbortableClock } from "./clock";
import type { Grant, Reservation } from "./slidingWindowLimiter";
import {
  announce,
  nextGrantAt,
  peers,
  prune,
  restamp,
  take,
  type SlidingWindowState,
  type Waiter,
} from "./slidingWindowState";

/** Single loop that serves a sliding window's waiters in order; it sleeps until the head can be granted. */
export async function pumpWaiters(s: SlidingWindowState): Promise<void> {
  if (s.pumping) return;
  s.pumping = true;
  try {
    while (s.waiters.length > 0 && !s.reservationOpen && !s.probeOpen) {
      const now = s.clock.now();
      prune(s, now);
      const at = nextGrantAt(s, now, peers(s, now));
      if (at <= now && grantHead(s, now)) continue;
      // Every slot is held by a grant still waiting for its answer: that answer starts the pump again.
      if (at === Infinity) break;
      // A pause may be extended while we sleep, and peers may take slots: the loop then simply sleeps again.
      // A raised limit wakes us early.
      s.wake = new AbortController();
      await (s.clock as AbortableClock).sleep(Math.max(at, s.backoffUntil) - now, s.wake.signal);
      s.wake = undefined;
    }
  } finally {
    s.pumping = false;
  }
}

function grantHead(s: SlidingWindowState, now: number): boolean {
  const w = s.waiters[0] as Waiter;
  if (w.reserve) {
    s.waiters.shift();
    w.resolve(openReservation(s));
    return true;
  }
  if (!take(s, now)) return false;
  s.waiters.shift();
  w.resolve(openGrant(s, now));
  return true;
}

/** A grant counted at `now`; it is the probe if one was asked for. */
function openGrant(s: SlidingWindowState, now: number): Grant {
  const probe = s.probeWanted;
  if (probe) {
    s.probeWanted = false;
    s.probeOpen = true;
  }
  let answered = false;
  return {
    probe,
    answered: (counted = true) => {
      if (answered) return;
      answered = true;
      const freed = restamp(s, now, counted);
      if (probe) s.probeOpen = false;
      if (!probe && !freed) return;
      s.wake?.abort();
      void pumpWaiters(s);
    },
  };
}

/** Holds the window until committed (counted at commit time) or cancelled (not counted). */
function openReservation(s: SlidingWindowState): Reservation {
  s.reservationOpen = true;
  let done = false;
  const finish = (count: boolean): void => {
    if (done) return;
    done = true;
    if (count) {
      const t = s.clock.now();
      prune(s, t);
      s.stamps.push(t);
      announce(s);
    }
    s.reservationOpen = false;
    void pumpWaiters(s);
  };
  return { commit: () => finish(true), cancel: () => finish(false) };
}

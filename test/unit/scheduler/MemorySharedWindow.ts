import { countedAt } from "../../../src/scheduler/announcementFiles";
import type { PeerView, SharedWindow } from "../../../src/scheduler/sharedWindow";

/**
 * An in-memory stand-in for the announcement directory: each `join()` is one process. Announcements are visible
 * to the others at once, as a rename is on a local file system. Counts what it is asked, for tests.
 */
export class MemoryBoard {
  private readonly slots = new Map<number, { stamps: number[]; pausedUntil: number; inFlight: number[] }>();
  private next = 0;
  announcements = 0;

  constructor(private readonly windowMs: number) {}

  join(): SharedWindow {
    const id = this.next++;
    return {
      announce: (stamps, pausedUntil, _now, inFlight = []) => {
        this.announcements++;
        this.slots.set(id, { stamps: [...stamps], pausedUntil, inFlight: [...inFlight] });
      },
      others: (now): PeerView => {
        const stamps: number[] = [];
        let pausedUntil = Number.NEGATIVE_INFINITY;
        for (const [other, a] of this.slots) {
          if (other === id) continue;
          stamps.push(...countedAt(a, now, this.windowMs));
          pausedUntil = Math.max(pausedUntil, a.pausedUntil);
        }
        return { stamps: stamps.sort((x, y) => x - y), pausedUntil };
      },
      close: () => void this.slots.delete(id),
    };
  }
}

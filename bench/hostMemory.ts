/**
 * (e) Peak memory of the provider host: the kernel's high-water mark of the host process's resident set
 * (`VmHWM` in /proc/<pid>/status), read just before the host is closed. Linux only; elsewhere `undefined`.
 */
import * as fs from "node:fs";

export interface ProcessMemory {
  /** Peak resident set size (VmHWM), bytes. */
  peakRssBytes: number;
  /** Resident set size at the time of reading (VmRSS), bytes. */
  rssBytes: number;
}

function kbField(status: string, name: string): number | undefined {
  const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, "m").exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Reads VmHWM / VmRSS of a live process; `undefined` when /proc is unavailable or the process is gone. */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const peak = kbField(status, "VmHWM");
  const rss = kbField(status, "VmRSS");
  if (peak === undefined || rss === undefined) return undefined;
  return { peakRssBytes: peak, rssBytes: rss };
}

/**
 * Samples a process's memory every `intervalMs` (VmHWM already is the peak; the samples also give the RSS
 * right after start, to separate the host's baseline from what the run added).
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  first: ProcessMemory | undefined;
  last: ProcessMemory | undefined;

  constructor(
    readonly pid: number,
    intervalMs = 250,
  ) {
    this.first = readProcessMemory(pid);
    this.last = this.first;
    this.timer = setInterval(() => {
      this.last = readProcessMemory(pid) ?? this.last;
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and returns the final reading (taken now, while the process is still alive). */
  stop(): ProcessMemory | undefined {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.last = readProcessMemory(this.pid) ?? this.last;
    return this.last;
  }
}

export const MB = 1024 * 1024;

// A bench server's garbage collections, for bench/e2e.mjs: young-generation collections
// (scavenges) stop the server while they run, so their count and length explain most of a
// latency tail. Observed with `PerformanceObserver` (`gc` entries), which costs nothing
// between collections.
import { constants, PerformanceObserver } from "node:perf_hooks";

/**
 * Starts counting this process's collections. `totals()` gives the scavenges and the major
 * collections so far (count, milliseconds) and the longest scavenge since the last call.
 */
export function watchGc() {
  const minor = { count: 0, durationMs: 0, longestSinceLastAsk: 0 };
  const major = { count: 0, durationMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        minor.count += 1;
        minor.durationMs += entry.duration;
        minor.longestSinceLastAsk = Math.max(minor.longestSinceLastAsk, entry.duration);
      } else {
        major.count += 1;
        major.durationMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return () => {
    const totals = { minor: { ...minor }, major: { ...major } };
    minor.longestSinceLastAsk = 0;
    return totals;
  };
}

import { RESOLUTIONS } from '../history/counts.js';
import type { HistoryStore } from '../history/history-store.js';
import { utcMonthStart } from './calendar.js';
import type { LocalLimits } from './local-limits.js';
import { usageKeyParts } from './usage-key.js';

/**
 * After a restart, the limits start from what the history holds: this month's hours for
 * the day and month limits, the last two minutes for the rolling minute (each minute's
 * requests placed at its end, the latest they can have been, so the window holds them
 * at least as long as it would have).
 */
export async function seedLimitsFromHistory(limits: LocalLimits, history: HistoryStore, now: number): Promise<void> {
  const hours = await history.read({ resolution: 'hour', dimension: 'client', from: utcMonthStart(now), to: now + RESOLUTIONS.hour });
  for (const row of hours) {
    const { clientId } = usageKeyParts(row.value);
    limits.seedPeriods(clientId, row.bucket, row.counts.requests, row.counts.tokensIn + row.counts.tokensOut, now);
  }
  const minutes = await history.read({ resolution: 'minute', dimension: 'client', from: now - 2 * RESOLUTIONS.minute, to: now + RESOLUTIONS.minute });
  for (const row of minutes) {
    const { clientId } = usageKeyParts(row.value);
    limits.seedWindow(clientId, Math.min(row.bucket + RESOLUTIONS.minute - 1, now), row.counts.requests, row.counts.tokensIn + row.counts.tokensOut, now);
  }
}

import type { KeyRecord } from '../state/store.js';
import type { ClientLimits } from '../clients/client-record.js';
import type { ProcessBeat } from '../state/processes.js';

/**
 * What a worker asks the primary (WORKERS mode): the primary owns the one state store;
 * workers reach it through these messages.
 */
export type WorkerRequest =
  | { type: 'd2a:load-keys'; id: number }
  | { type: 'd2a:load-added'; id: number }
  | { type: 'd2a:get-value'; id: number; name: string }
  | { type: 'd2a:add-key'; id: number; secret: string }
  | { type: 'd2a:remove-added'; id: number; secret: string }
  | { type: 'd2a:set-value'; id: number; name: string; value: string }
  | { type: 'd2a:claim'; id: number; name: string; until: number; now: number }
  | { type: 'd2a:save-key'; record: KeyRecord }
  | { type: 'd2a:delete-key'; fingerprint: string }
  /** A worker's heartbeat (observability/presence.ts), answered with a BeatReply. */
  | { type: 'd2a:beat'; id: number; beat: ProcessBeat; forgetBefore: number }
  | { type: 'd2a:processes'; id: number; since: number }
  | { type: 'd2a:leave'; process: string }
  /** Client limits, counted at the primary (clients/cluster-backend.ts). */
  | { type: 'd2a:limit-admit'; id: number; client: { id: string; limits: ClientLimits }; now: number }
  | { type: 'd2a:limit-finish'; client: string; tokens: number; now: number }
  | { type: 'd2a:limit-usage'; id: number; ids: string[]; now: number }
  | { type: 'd2a:limit-forget'; client: string }
  /** Every other worker is to write its history now (the usage report); answered once they have, or after a second. */
  | { type: 'd2a:limit-sync'; id: number }
  /** This worker wrote its history, as asked by d2a:write-history `token`. */
  | { type: 'd2a:limit-written'; token: number };

/**
 * The primary's answer to a heartbeat. It carries the primary store's write lag: the primary
 * writes every worker's key records, so that lag is the one a worker's /metrics reports.
 */
export interface BeatReply {
  /** Whether the store took the beat (a store that is down does not). */
  written: boolean;
  writeLagMs: number;
}

export type PrimaryMessage =
  | { type: 'd2a:reply'; id: number; result?: unknown; error?: string; unavailable?: boolean }
  /** A key's status changed in another worker. */
  | { type: 'd2a:key-status'; record: KeyRecord }
  /** The key sources changed (admin API, SIGHUP): reload them. */
  | { type: 'd2a:reload' }
  /** A named value another worker wrote (sent just before the d2a:reload it causes). */
  | { type: 'd2a:value'; name: string; value: string }
  /** Write the history now and answer d2a:limit-written with this token. */
  | { type: 'd2a:write-history'; token: number }
  /** The answer to a d2a:limit-admit, d2a:limit-usage or d2a:limit-sync. */
  | { type: 'd2a:limit-reply'; id: number; result: unknown };

/** Both directions tag their messages `d2a:`; other IPC traffic (cluster internals) is ignored. */
function isTagged(msg: unknown): boolean {
  return typeof msg === 'object' && msg !== null && typeof (msg as { type?: unknown }).type === 'string' && (msg as { type: string }).type.startsWith('d2a:');
}

export const isWorkerRequest = (msg: unknown): msg is WorkerRequest => isTagged(msg);
export const isPrimaryMessage = (msg: unknown): msg is PrimaryMessage => isTagged(msg);

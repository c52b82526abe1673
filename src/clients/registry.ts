import { GatewayError } from '../errors.js';
import type { Clock } from '../runtime/clock.js';
import type { StateStore } from '../state/store.js';
import { hashClientKey, looksLikeClientKey, newClientId, newClientKey, type ClientRecord } from './client-record.js';
import { mergeLimits, parseExpiry, type CreateClientInput, type PatchClientInput } from './client-input.js';
import { compileAllowList, type ModelAllowed } from './model-allow-list.js';

/** The store value holding every client record (JSON): every store kind keeps named values, and writing one tells other replicas and workers to reload. */
export const CLIENTS_VALUE = 'clients';

export interface ClientEntry {
  readonly record: ClientRecord;
  readonly allowed: ModelAllowed;
}

/** What a presented client key comes to. */
export type ClientAuth = { ok: true; client: ClientEntry } | { ok: false; reason: 'disabled' | 'expired' } | undefined;

export interface RegistryLog {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

function entry(record: ClientRecord): ClientEntry {
  return { record, allowed: compileAllowList(record.models) };
}

function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No client with id ${id}`, { param: 'id' });
}

/**
 * The client keys: looked up by the key's hash in one map (O(1) whatever the number of
 * clients), kept in the state store as one named value. Changes re-read the value first
 * and run one at a time, so two admins' changes through different replicas do not undo
 * each other unless they land within the same moment.
 */
export class ClientRegistry {
  #byHash = new Map<string, ClientEntry>();
  #byId = new Map<string, ClientEntry>();
  #tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly log: RegistryLog,
  ) {}

  get size(): number {
    return this.#byId.size;
  }

  /** Another worker wrote the records: applied as they come, without a read. */
  adoptValue(raw: string): void {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (Array.isArray(parsed)) this.#adopt(parsed as ClientRecord[]);
    } catch (err) {
      this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'client keys pushed by another worker could not be read; keeping the ones held');
    }
  }

  /** Reads the records from the store; keeps the current ones when the store cannot be read. */
  async load(): Promise<void> {
    try {
      this.#adopt(await this.#read());
    } catch (err) {
      this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'client keys could not be read from the state store; keeping the ones held');
    }
  }

  authenticate(presented: string): ClientAuth {
    if (this.#byHash.size === 0 || !looksLikeClientKey(presented)) return undefined;
    const found = this.#byHash.get(hashClientKey(presented));
    if (found === undefined) return undefined;
    if (found.record.disabled) return { ok: false, reason: 'disabled' };
    if (found.record.expiresAt !== null && this.clock.now() >= found.record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, client: found };
  }

  get(id: string): ClientEntry | undefined {
    return this.#byId.get(id);
  }

  list(): ClientEntry[] {
    return [...this.#byId.values()].sort((a, b) => a.record.createdAt - b.record.createdAt || (a.record.id < b.record.id ? -1 : 1));
  }

  async create(input: CreateClientInput): Promise<{ record: ClientRecord; key: string }> {
    const key = newClientKey();
    const now = this.clock.now();
    const record: ClientRecord = {
      id: newClientId(),
      name: input.name,
      keyHash: hashClientKey(key),
      keyTail: key.slice(-4),
      models: input.models ?? null,
      limits: input.limits ?? {},
      expiresAt: parseExpiry(input.expires_at),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.#change((all) => {
      this.#uniqueName(all, record.name);
      return [...all, record];
    });
    this.log.info({ client: record.name, id: record.id }, 'client key created');
    return { record, key };
  }

  async update(id: string, patch: PatchClientInput): Promise<ClientRecord> {
    let updated: ClientRecord | undefined;
    await this.#change((all) => {
      const current = all.find((r) => r.id === id);
      if (!current) throw notFound(id);
      if (patch.name !== undefined && patch.name !== current.name) this.#uniqueName(all, patch.name);
      updated = {
        ...current,
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.models !== undefined && { models: patch.models }),
        ...(patch.limits !== undefined && { limits: mergeLimits(current.limits, patch.limits) }),
        ...(patch.expires_at !== undefined && { expiresAt: parseExpiry(patch.expires_at) }),
        ...(patch.disabled !== undefined && { disabled: patch.disabled }),
        updatedAt: this.clock.now(),
      };
      return all.map((r) => (r.id === id ? updated! : r));
    });
    return updated!;
  }

  async remove(id: string): Promise<ClientRecord> {
    let removed: ClientRecord | undefined;
    await this.#change((all) => {
      removed = all.find((r) => r.id === id);
      if (!removed) throw notFound(id);
      return all.filter((r) => r.id !== id);
    });
    this.log.info({ client: removed!.name, id }, 'client key deleted');
    return removed!;
  }

  /** A new key for the client; the old one stops working at once. */
  async rotate(id: string): Promise<{ record: ClientRecord; key: string }> {
    const key = newClientKey();
    let rotated: ClientRecord | undefined;
    await this.#change((all) => {
      const current = all.find((r) => r.id === id);
      if (!current) throw notFound(id);
      rotated = { ...current, keyHash: hashClientKey(key), keyTail: key.slice(-4), updatedAt: this.clock.now() };
      return all.map((r) => (r.id === id ? rotated! : r));
    });
    this.log.info({ client: rotated!.name, id }, 'client key rotated');
    return { record: rotated!, key };
  }

  #uniqueName(all: readonly ClientRecord[], name: string): void {
    if (all.some((r) => r.name === name)) throw new GatewayError('invalid_request', `A client named '${name}' exists already`, { status: 409, param: 'name', detail: 'client_name_taken' });
  }

  /** Read, change, write, adopt: one change at a time in this process. */
  #change(edit: (all: readonly ClientRecord[]) => ClientRecord[]): Promise<void> {
    const run = this.#tail.then(async () => {
      const next = edit(await this.#read());
      await this.store.setValue(CLIENTS_VALUE, JSON.stringify(next));
      this.#adopt(next);
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #read(): Promise<ClientRecord[]> {
    const raw = await this.store.getValue(CLIENTS_VALUE);
    if (raw === undefined || raw === '') return [];
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as ClientRecord[]) : [];
  }

  #adopt(records: readonly ClientRecord[]): void {
    const byHash = new Map<string, ClientEntry>();
    const byId = new Map<string, ClientEntry>();
    for (const r of records) {
      const e = entry(r);
      byHash.set(r.keyHash, e);
      byId.set(r.id, e);
    }
    this.#byHash = byHash;
    this.#byId = byId;
  }
}

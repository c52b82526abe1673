import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseBody } from '../dialect-kit/validate.js';
import { GatewayError } from '../errors.js';
import type { Services } from '../services.js';
import type { ClientRecord } from '../clients/client-record.js';
import { CreateClientBody, PatchClientBody } from '../clients/client-input.js';
import type { ClientUsageNow } from '../clients/local-limits.js';
import { groupUsage, parseGroups, parseTime, usageCsv, usageTotals } from '../clients/usage-report.js';
import { RESOLUTIONS } from '../history/counts.js';
import { utcMonthStart } from '../clients/calendar.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A client as the admin sees it: never the key, only its last four characters. */
export function clientView(r: ClientRecord) {
  return {
    id: r.id,
    name: r.name,
    key_hint: `dk-…${r.keyTail}`,
    models: r.models,
    limits: r.limits,
    expires_at: iso(r.expiresAt),
    disabled: r.disabled,
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
  };
}

function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

const EMPTY_USAGE: ClientUsageNow = { minute: { requests: 0, tokens: 0 }, today: { requests: 0, tokens: 0 }, month: { requests: 0, tokens: 0 }, in_flight: 0, last_used_at: null };

/** Client keys need server credentials: without them the presented key is what pays upstream. */
function requireServerKeys(services: Services): void {
  if (!services.keys.pool && !services.keys.refresh) {
    throw new GatewayError('invalid_request', 'Client keys need server credentials (FACTORY_API_KEY, factory_keys.txt or a refresh token): without them each caller\'s own key is sent to Factory', { status: 409, detail: 'server_keys_required' });
  }
}

/** /admin/api/clients and /admin/api/usage, inside the admin scope (admin key checked). */
export function registerClientAdminRoutes(admin: FastifyInstance, services: Services): void {
  const config = { dialect: 'openai-chat' as const };
  const { registry, limits } = services.clients;
  const withUsage = async (records: ClientRecord[]) => {
    const usage = await limits.usage(records.map((r) => r.id), services.clock.now());
    // The same usage shape as /status.json's clients.
    return records.map((r) => {
      const { minute, today, month, in_flight, last_used_at } = usage.get(r.id) ?? EMPTY_USAGE;
      return { ...clientView(r), usage: { minute, today, month }, in_flight, last_used_at };
    });
  };
  const found = (id: string): ClientRecord => {
    const entry = registry.get(id);
    if (!entry) throw new GatewayError('not_found', `No client with id ${id}`, { param: 'id' });
    return entry.record;
  };

  admin.post('/clients', { config }, async (request, reply) => {
    requireServerKeys(services);
    const { record, key } = await registry.create(parseBody(CreateClientBody, request.body ?? {}));
    void reply.header('cache-control', 'no-store');
    return reply.code(201).send({ ...clientView(record), key });
  });

  admin.get('/clients', { config }, async () => ({ clients: await withUsage(registry.list().map((e) => e.record)) }));

  admin.get('/clients/:id', { config }, async (request) => (await withUsage([found(idParam(request))]))[0]);

  admin.patch('/clients/:id', { config }, async (request) => {
    const record = await registry.update(idParam(request), parseBody(PatchClientBody, request.body ?? {}));
    return (await withUsage([record]))[0];
  });

  admin.delete('/clients/:id', { config }, async (request) => {
    const record = await registry.remove(idParam(request));
    limits.forget(record.id);
    return { id: record.id, name: record.name, deleted: true };
  });

  admin.post('/clients/:id/rotate', { config }, async (request, reply) => {
    const { record, key } = await registry.rotate(idParam(request));
    void reply.header('cache-control', 'no-store');
    return { ...clientView(record), key };
  });

  // Usage per client × model × hour from the history, grouped as asked; CSV with Accept: text/csv.
  admin.get('/usage', { config }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const now = services.clock.now();
    const groups = parseGroups(query.group_by);
    // Nothing older than the retention is kept: a wider range reads no further back.
    const from = Math.max(parseTime(query.from, 'from', utcMonthStart(now)), now - services.settings.usageRetentionDays * 24 * RESOLUTIONS.hour);
    const to = parseTime(query.to, 'to', now);
    if (to <= from) throw new GatewayError('invalid_request', 'to: must be after from', { param: 'to' });
    // What this process has not written yet belongs in the answer.
    await services.history.recorder.flush();
    await services.clients.limits.syncUsage?.();
    const hour = RESOLUTIONS.hour;
    const rows = await services.history.store.read({ resolution: 'hour', dimension: 'client', from: from - (from % hour), to: to % hour === 0 ? to : to - (to % hour) + hour });
    const usage = groupUsage(rows, groups, (id) => registry.get(id)?.record.name);
    void reply.header('cache-control', 'no-store');
    if (String(request.headers.accept ?? '').includes('text/csv')) {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="droid2api-usage.csv"').send(usageCsv(usage, groups));
    }
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: groups, rows: usage, totals: usageTotals(usage) };
  });
}

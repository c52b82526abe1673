import type { Services } from '../services.js';
import type { ClientLimits } from '../clients/client-record.js';

/** One client on /status.json (admin viewers only); the status page renders these. */
export interface StatusClient {
  id: string;
  name: string;
  disabled: boolean;
  expires_at: string | null;
  models: string[] | null;
  limits: ClientLimits;
  usage: { minute: { requests: number; tokens: number }; today: { requests: number; tokens: number }; month: { requests: number; tokens: number } };
  in_flight: number;
  last_used_at: number | null;
}

export async function statusClients(services: Services): Promise<StatusClient[]> {
  const records = services.clients.registry.list().map((e) => e.record);
  const usage = await services.clients.limits.usage(records.map((r) => r.id), services.clock.now());
  return records.map((r) => {
    const u = usage.get(r.id);
    const zero = { requests: 0, tokens: 0 };
    return {
      id: r.id,
      name: r.name,
      disabled: r.disabled,
      expires_at: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
      models: r.models === null ? null : [...r.models],
      limits: { ...r.limits },
      usage: { minute: u?.minute ?? zero, today: u?.today ?? zero, month: u?.month ?? zero },
      in_flight: u?.in_flight ?? 0,
      last_used_at: u?.last_used_at ?? null,
    };
  });
}

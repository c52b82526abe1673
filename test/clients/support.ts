import type { Harness } from '../support/harness.js';
import { call } from '../routes/http.js';

export const ADMIN_KEY = 'admin-secret-for-clients-test';

export interface CreatedClient {
  id: string;
  name: string;
  key: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- admin answers are read field by field in the tests
type Json = any;

export async function admin(h: { url: string }, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json; text: string; headers: Headers }> {
  return call(h, method, `/admin/api${path}`, { body, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...headers } });
}

export async function createClient(h: Pick<Harness, 'url'>, body: Record<string, unknown>): Promise<CreatedClient> {
  const res = await admin(h, 'POST', '/clients', body);
  if (res.status !== 201) throw new Error(`create client: ${res.status} ${res.text}`);
  return res.json as CreatedClient;
}

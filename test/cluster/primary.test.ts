/** WORKERS=2 with workers that cannot start: bounded respawns, then the primary exits non-zero with one line. */
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, killGateway, spawnGateway, type GatewayProcess } from '../support/gateway-process.js';

let taken: Server;
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  buildGateway();
  // A port already in use: every worker's listen fails, the primary itself starts fine.
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
}, 180_000);

afterAll(async () => {
  await killGateway(gateway);
  await new Promise<void>((resolve) => taken.close(() => resolve()));
});

describe('WORKERS primary', () => {
  it('backs off when workers cannot start and gives up with one line and a non-zero exit', async () => {
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dir = mkdtempSync(join(tmpdir(), 'd2a-respawn-'));
    gateway = spawnGateway({ WORKERS: '2', PORT: String(port), HOST: '127.0.0.1', FACTORY_API_KEY: 'k-some-key-1234567890', DATA_DIR: dir, HOME: dir, LOG_LEVEL: 'info' });
    const { code, signal } = await gateway.exited;
    expect({ code, signal }).toEqual({ code: 1, signal: null });
    const out = gateway.output();
    const respawns = out.split('\n').filter((l) => l.includes('worker exited: starting another'));
    expect(respawns.length).toBeGreaterThan(0);
    expect(respawns.length).toBeLessThanOrEqual(4);
    const delays = respawns.map((l) => (JSON.parse(l) as { delayMs: number }).delayMs);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays.at(-1)).toBeGreaterThan(delays[0]!);
    expect(out.match(/^droid2api: workers keep dying at start .*$/gm)).toHaveLength(1);
    expect(out).not.toMatch(/EPIPE|ERR_IPC/);
  }, 60_000);
});

import type { FastifyBaseLogger } from 'fastify';
import { request } from 'undici';
import type { ClientIdentity } from './client-identity.js';

/** Long enough for a slow network, short enough that a dead one is given up quickly. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * Reads the Factory CLI's latest version (a plain-text `x.y.z`, as Factory's download
 * server answers it) and adopts it when newer, so the gateway keeps presenting a current
 * client. Never throws and is never awaited by the start-up: offline, a refusal or a
 * malformed answer leaves the configured version and is logged at debug.
 */
export async function checkLatestCliVersion(url: string, identity: ClientIdentity, log: FastifyBaseLogger): Promise<void> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: CHECK_TIMEOUT_MS, bodyTimeout: CHECK_TIMEOUT_MS });
    const text = (await res.body.text()).trim();
    if (res.statusCode !== 200) {
      log.debug({ status: res.statusCode }, 'CLI version check: no answer');
      return;
    }
    const latest = /^\d+\.\d+\.\d+/.exec(text)?.[0];
    if (latest && identity.adopt(latest)) log.info({ version: latest }, 'presenting the latest Factory CLI version');
  } catch (err) {
    log.debug({ err }, 'CLI version check failed; keeping the configured version');
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fingerprint } from '../keys/credential.js';
import { isValidKey } from '../keys/key-format.js';
import { sha256, writeJsonAtomic } from '../keys/refresh/token-files.js';
import { emptyKeyRecord, type StateStore } from '../state/store.js';

/**
 * droid2api v2 kept its state in its working directory (deprecated_keys.txt, auth.json), and
 * its Docker guide mounted the volume over /app, the code included. Our image keeps its code
 * elsewhere, so such a volume no longer freezes anything, but its state must not be lost.
 */

/** v2's own code files: a v2 volume mounted over the working directory. */
export function usesV2Code(cwd: string): boolean {
  return existsSync(join(cwd, 'server.js')) && existsSync(join(cwd, 'key-manager.js'));
}

/** v2's `./auth.json`, rewritten by every refresh of a DROID_REFRESH_KEY token. */
const V2Auth = z.looseObject({ refresh_token: z.string().trim().min(1) });

/** `<key> # Deprecated at <time>`: the key is everything before the comment. */
export function parseV2DeprecatedKeys(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.split('#')[0]?.trim() ?? '')
    .filter(isValidKey);
}

export interface V2ImportContext {
  cwd: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  store: StateStore;
  now: number;
  warn: (msg: string) => void;
}

/** Marks v2's retired keys retired in our store; returns how many were not already. */
async function importRetiredKeys(file: string, ctx: V2ImportContext): Promise<number> {
  const known = new Map((await ctx.store.loadKeys()).map((r) => [r.fingerprint, r]));
  let imported = 0;
  for (const secret of new Set(parseV2DeprecatedKeys(readFileSync(file, 'utf8')))) {
    const fp = fingerprint(secret);
    const record = known.get(fp) ?? emptyKeyRecord(fp);
    if (record.status === 'retired') continue;
    ctx.store.saveKey({ ...record, status: 'retired', reason: 'retired by droid2api v2 (402)', changedAt: ctx.now });
    imported++;
  }
  await ctx.store.flush();
  return imported;
}

/**
 * v2's rotated refresh token becomes our saved one (<dataDir>/auth.json) for the same
 * DROID_REFRESH_KEY, unless we already saved our own: the env value alone was consumed long ago.
 */
async function importRefreshToken(file: string, ctx: V2ImportContext): Promise<boolean> {
  const envValue = ctx.env.DROID_REFRESH_KEY?.trim();
  if (!envValue || existsSync(join(ctx.dataDir, 'auth.json'))) return false;
  let parsed;
  try {
    parsed = V2Auth.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return false;
  }
  if (!parsed.success) return false;
  await writeJsonAtomic(join(ctx.dataDir, 'auth.json'), { refresh_token: parsed.data.refresh_token, origin_sha256: sha256(envValue) });
  return true;
}

/**
 * Looks for v2's state files in the working directory (where v2 wrote them) and brings them
 * into ours; says in one line what it found and how to mount the volume instead.
 */
export async function importV2State(ctx: V2ImportContext): Promise<void> {
  const deprecated = join(ctx.cwd, 'deprecated_keys.txt');
  const auth = join(ctx.cwd, 'auth.json');
  const hasDeprecated = existsSync(deprecated) && join(ctx.dataDir, 'deprecated_keys.txt') !== deprecated;
  const hasAuth = existsSync(auth) && join(ctx.dataDir, 'auth.json') !== auth;
  if (!hasDeprecated && !hasAuth && !usesV2Code(ctx.cwd)) return;
  const retired = hasDeprecated ? await importRetiredKeys(deprecated, ctx) : 0;
  const token = hasAuth ? await importRefreshToken(auth, ctx) : false;
  ctx.warn(
    `droid2api v2 files found in ${ctx.cwd} (v2's guide mounted the volume there): imported ${retired} retired key(s)` +
      `${token ? ' and the saved refresh token' : ''} into ${ctx.dataDir}; mount the volume at ${ctx.dataDir} instead (docker run -v droid2api-data:/app/data)`,
  );
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { dataFilePath } from '../../state/data-dir.js';
import type { TokenPair } from './workos-client.js';

/** Where a refreshed pair is written back, so a restart does not reuse a consumed refresh token. */
export interface TokenStore {
  /** A refresh token another program wrote since we last looked (the Droid CLI sharing the file), if any. */
  externalRotation(): Promise<string | undefined>;
  save(pair: TokenPair, obtainedAt: number): Promise<void>;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Temp file + rename, so a crash mid-write never leaves half a token file; 0600 because it holds secrets. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // The pid keeps two gateways sharing a data dir from writing the same temp file.
  const temp = `${path}.${process.pid}.tmp`;
  // Created afresh ('wx' does not follow a link): a link planted under the temp name would
  // otherwise have the tokens written wherever it points. rm removes a link, not its target.
  await rm(temp, { force: true });
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temp, path);
}

function readJsonSync(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const SavedTokens = z.object({
  refresh_token: z.string().min(1),
  access_token: z.string().optional(),
  obtained_at: z.string().optional(),
  origin_sha256: z.string(),
});

export interface SavedTokens {
  refreshToken: string;
  accessToken?: { value: string; obtainedAt: number };
  originSha256: string;
}

/** `<dataDir>/auth.json`: the rotated lineage of a DROID_REFRESH_KEY, keyed by the env value's sha256. */
export class DataDirTokenFile implements TokenStore {
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly originSha256: string,
  ) {
    this.path = join(dataDir, 'auth.json');
  }

  /** The saved tokens, if the file exists and is well-formed (read once, at start). */
  static read(dataDir: string): SavedTokens | undefined {
    const parsed = SavedTokens.safeParse(readJsonSync(dataFilePath(dataDir, 'auth.json')));
    if (!parsed.success) return undefined;
    const { refresh_token, access_token, obtained_at, origin_sha256 } = parsed.data;
    const obtainedAt = obtained_at === undefined ? Number.NaN : Date.parse(obtained_at);
    const accessToken = access_token && Number.isFinite(obtainedAt) ? { value: access_token, obtainedAt } : undefined;
    return { refreshToken: refresh_token, accessToken, originSha256: origin_sha256 };
  }

  async externalRotation(): Promise<undefined> {
    return undefined;
  }

  async save(pair: TokenPair, obtainedAt: number): Promise<void> {
    await writeJsonAtomic(
      this.path,
      {
        refresh_token: pair.refreshToken,
        access_token: pair.accessToken,
        obtained_at: new Date(obtainedAt).toISOString(),
        origin_sha256: this.originSha256,
      },
    );
  }
}

const FactoryAuth = z.looseObject({ refresh_token: z.string().trim().min(1) });

/**
 * `~/.factory/auth.json`, the file the Droid CLI writes ({access_token, refresh_token, …}).
 * We rewrite only the two tokens and keep every other field the CLI put there.
 */
export class FactoryAuthFile implements TokenStore {
  /** The refresh token we last read from or wrote to the file. */
  #lastSeen: string;

  constructor(
    readonly path: string,
    refreshToken: string,
  ) {
    this.#lastSeen = refreshToken;
  }

  static path(homeDir: string): string {
    return join(homeDir, '.factory', 'auth.json');
  }

  /** The file's refresh token, when it exists and holds a non-empty one. */
  static read(homeDir: string): string | undefined {
    const parsed = FactoryAuth.safeParse(readJsonSync(FactoryAuthFile.path(homeDir)));
    return parsed.success ? parsed.data.refresh_token : undefined;
  }

  async externalRotation(): Promise<string | undefined> {
    const parsed = FactoryAuth.safeParse(await readJson(this.path));
    if (!parsed.success || parsed.data.refresh_token === this.#lastSeen) return undefined;
    this.#lastSeen = parsed.data.refresh_token;
    return this.#lastSeen;
  }

  async save(pair: TokenPair): Promise<void> {
    const current = await readJson(this.path);
    const fields = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
    await writeJsonAtomic(this.path, { ...fields, access_token: pair.accessToken, refresh_token: pair.refreshToken });
    this.#lastSeen = pair.refreshToken;
  }
}

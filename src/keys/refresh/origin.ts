import { fingerprint } from '../credential.js';
import type { AccessToken } from './schedule.js';
import { DataDirTokenFile, FactoryAuthFile, sha256, type TokenStore } from './token-files.js';

/** Where the refresh token came from, what to start with, and where rotations are written back. */
export interface RefreshOrigin {
  /** For describe() and logs: the source's name, never the token. */
  readonly label: 'DROID_REFRESH_KEY' | '~/.factory/auth.json';
  /** The refresh token to use first. */
  readonly refreshToken: string;
  /** Stable across rotations: the fingerprint of the value the lineage started from. */
  readonly lineage: string;
  /** An access token saved by the previous run, still worth using while the start-up refresh runs. */
  readonly accessToken: AccessToken | undefined;
  /** True when a rotated token saved by a previous run replaced the (consumed) env value. */
  readonly resumed: boolean;
  readonly store: TokenStore;
}

export interface OriginPaths {
  dataDir: string;
  homeDir: string;
}

/**
 * DROID_REFRESH_KEY first, then ~/.factory/auth.json (the v1 priority, §5.1). Fixes v1 defect 8:
 * a restart resumes from the rotated token saved in <dataDir>/auth.json as long as the env
 * value is the one that lineage started from; a different env value means the user set a new
 * token, and it wins.
 */
export function resolveRefreshOrigin(env: NodeJS.ProcessEnv, paths: OriginPaths): RefreshOrigin | undefined {
  const envValue = env.DROID_REFRESH_KEY?.trim();
  if (envValue) return fromEnvValue(envValue, paths.dataDir);
  const fileToken = FactoryAuthFile.read(paths.homeDir);
  if (fileToken === undefined) return undefined;
  return {
    label: '~/.factory/auth.json',
    refreshToken: fileToken,
    lineage: fingerprint(`refresh:${fileToken}`),
    // The CLI's file says nothing about when its access token was issued: refresh before using one.
    accessToken: undefined,
    resumed: false,
    store: new FactoryAuthFile(FactoryAuthFile.path(paths.homeDir), fileToken),
  };
}

function fromEnvValue(envValue: string, dataDir: string): RefreshOrigin {
  const originSha256 = sha256(envValue);
  const saved = DataDirTokenFile.read(dataDir);
  const resumed = saved !== undefined && saved.originSha256 === originSha256;
  return {
    label: 'DROID_REFRESH_KEY',
    refreshToken: resumed ? saved.refreshToken : envValue,
    lineage: fingerprint(`refresh:${envValue}`),
    accessToken: resumed && saved.accessToken ? { ...saved.accessToken, stale: false } : undefined,
    resumed,
    store: new DataDirTokenFile(dataDir, originSha256),
  };
}

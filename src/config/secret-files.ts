import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';

/** The secrets that may come from a file (Docker secrets, Kubernetes secret volumes, Cloud Run mounts). */
export const SECRET_VARIABLES = ['FACTORY_API_KEY', 'DROID_REFRESH_KEY', 'ADMIN_KEY', 'GATEWAY_API_KEY', 'REDIS_URL'] as const;

/** Every `<NAME>_FILE` variable the gateway reads. */
export const SECRET_FILE_VARIABLES = SECRET_VARIABLES.map((name) => `${name}_FILE`);

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** A secret file's text without the line end editors and `echo` add. */
function readSecret(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const who = typeof process.getuid === 'function' ? ` by uid ${process.getuid()}` : '';
    throw new ConfigError(`${name}_FILE: cannot read ${path}${who} (${code}): check the path and that the file is readable by the gateway's user`);
  }
}

/**
 * The environment with every `<NAME>_FILE` replaced by `<NAME>` holding the file's content.
 * Setting both is an error: which one wins would be a guess. The secret never reaches a message.
 */
export function applySecretFiles(env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  let result = env;
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!isSet(file)) continue;
    if (isSet(env[name])) throw new ConfigError(`${name} and ${name}_FILE are both set: keep one of them`);
    if (result === env) result = { ...env };
    result[name] = readSecret(name, resolve(cwd, file.trim()));
    delete result[`${name}_FILE`];
  }
  return result;
}

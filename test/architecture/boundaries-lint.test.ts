import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The layer rule lives in eslint.config.js (`npm run lint` checks the tree with it). These
 * cases lint a deliberately wrong import under a file name inside each guarded folder (the
 * file does not exist: ESLint's lintText takes the path as given), so an edit that loosens
 * or drops the rule fails here instead of going quiet.
 */
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('layer boundaries lint rule', () => {
  it.each([
    ['src/upstream/probe.ts', "import { prepare } from '../pipeline/prepare.js';"],
    ['src/upstream/sse/probe.ts', "import { apiRoutes } from '../../routes/api.js';"],
    ['src/keys/probe.ts', "import { applyReasoning } from '../pipeline/policies/reasoning.js';"],
    ['src/keys/refresh/probe.ts', "import { assertNever } from '../../dialects/ir.js';"],
    ['src/keys/probe.ts', "export { factoryHeaders } from '../upstream/factory-headers.js';"],
    ['src/state/probe.ts', "import type { Services } from '../routes/errors.js';"],
    ['src/state/probe.ts', "import { KeyPool } from '../keys/pool.js';"],
    ['src/dialects/probe.ts', "import { KeyPool } from '../keys/pool.js';"],
    ['src/dialects/anthropic/probe.ts', "import { UpstreamClient } from '../../upstream/client.js';"],
    ['src/dialects/google/probe.ts', "import { proxy } from '../../pipeline/proxy.js';"],
    ['src/dialects/shared/probe.ts', "import { Agent } from 'undici';"],
    ['src/dialects/openai-chat/probe.ts', "import type { FastifyInstance } from 'fastify';"],
    ['src/runtime/probe.ts', "import { ConfigError } from '../config/config-error.js';"],
    ['src/runtime/probe.ts', "import { GatewayError } from '../errors.js';"],
    ['src/state/probe.ts', "export const load = () => import('../keys/pool.js');"],
    ['src/upstream/sse/probe.ts', "export const load = () => import('../../pipeline/proxy.js');"],
    ['src/runtime/probe.ts', "export const load = () => import('../config/load.js');"],
  ])('%s may not: %s', async (file, code) => {
    const messages = await restrictedImports(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/must not import/);
  });

  it.each([
    ['src/pipeline/probe.ts', "import { factoryHeaders } from '../upstream/factory-headers.js';"],
    ['src/upstream/probe.ts', "import type { SseEvent } from '../dialects/dialect.js';"],
    ['src/keys/probe.ts', "import type { KeyRecord } from '../state/store.js';"],
    ['src/keys/refresh/probe.ts', "import { assertNever } from '../../runtime/guards.js';"],
    ['src/dialects/anthropic/probe.ts', "import { GatewayError } from '../../errors.js';\nimport { isRecord } from '../shared/json.js';"],
    ['src/runtime/probe.ts', "import { every } from './interval.js';\nimport type { FastifyInstance } from 'fastify';"],
    ['src/state/probe.ts', "export const load = () => import('./redis-store.js');"],
  ])('%s may: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});

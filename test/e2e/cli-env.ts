import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Offline environments for the two CLIs: a throwaway HOME, a dummy key, the gateway as
 * base URL, and every update check, telemetry and non-essential call switched off.
 * Nothing is inherited but PATH (the agents' shell tools need it).
 */

function basics(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TERM: 'dumb', NO_COLOR: '1', LANG: 'C.UTF-8' };
}

/** https://code.claude.com/docs/en/settings#environment-variables */
export function claudeEnv(home: string, gatewayUrl: string): Record<string, string> {
  return {
    ...basics(home),
    ANTHROPIC_BASE_URL: gatewayUrl,
    ANTHROPIC_API_KEY: 'dummy',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
}

/** `claude -p` with the Bash tool pre-approved (root may not skip all permissions). */
export function claudeArgs(model: string, prompt: string): string[] {
  // --allowedTools takes a variadic list, so it comes last, after the prompt.
  return ['-p', prompt, '--model', model, '--no-session-persistence', '--allowedTools', 'Bash'];
}

export const CODEX_ENV_KEY = 'DROID2API_KEY';

/**
 * A CODEX_HOME whose config.toml points a custom provider at the gateway with the
 * Responses wire API (https://developers.openai.com/codex/config-reference). Retries are
 * off so a gateway error fails the turn at once instead of after Codex's backoff.
 */
export function writeCodexHome(home: string, gatewayUrl: string, model: string): string {
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  const toml = [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "droid2api"',
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[model_providers.droid2api]',
    'name = "droid2api"',
    `base_url = ${JSON.stringify(`${gatewayUrl}/v1`)}`,
    `env_key = "${CODEX_ENV_KEY}"`,
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
  writeFileSync(join(codexHome, 'config.toml'), toml);
  return codexHome;
}

export function codexEnv(home: string, codexHome: string): Record<string, string> {
  return { ...basics(home), CODEX_HOME: codexHome, [CODEX_ENV_KEY]: 'dummy' };
}

/** Non-interactive, and allowed to run the shell command the fake asks for. */
export function codexArgs(model: string, cwd: string, prompt: string): string[] {
  return [
    'exec',
    '--skip-git-repo-check',
    '--dangerously-bypass-approvals-and-sandbox',
    '--ephemeral',
    '--strict-config',
    '--color',
    'never',
    '-m',
    model,
    '-C',
    cwd,
    prompt,
  ];
}

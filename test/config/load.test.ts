import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings, parseConfig, shippedConfigPath } from '../../src/config/load.js';
import { readFileSync } from 'node:fs';

const shipped = JSON.parse(readFileSync(shippedConfigPath(), 'utf8')) as Record<string, unknown>;

describe('config loading', () => {
  it('accepts the shipped config.json with the current Factory line-up', () => {
    const cfg = parseConfig(shipped, 'config.json');
    const ids = cfg.models.map((m) => m.id);
    for (const id of ['claude-sonnet-4-6', 'claude-opus-4-8', 'gpt-5.6-sol', 'gpt-5.4', 'gemini-3.5-flash', 'grok-4.5', 'glm-5.2', 'kimi-k2.5']) expect(ids).toContain(id);
    expect(cfg.remove_on_402).toBe(true);
  });

  it('names the field and the reason when the config is invalid', () => {
    const bad = { ...shipped, models: [{ id: 'x', type: 'nope' }] };
    expect(() => parseConfig(bad, 'c.json')).toThrow(ConfigError);
    expect(() => parseConfig(bad, 'c.json')).toThrow(/c\.json: models\.0\.type: /);
  });

  it('falls back to the shipped defaults with a warning when the file is missing', () => {
    const warnings: string[] = [];
    const s = loadSettings({ DROID2API_CONFIG: '/nonexistent/config.json' }, '/', (m) => warnings.push(m));
    expect(s.configPath).toBeUndefined();
    expect(s.config.models.length).toBeGreaterThan(5);
    expect(warnings[0]).toMatch(/not found/);
  });

  it('applies PORT, HOST and FACTORY_BASE_URL to every endpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(shipped));
    const s = loadSettings({ PORT: '4321', HOST: '127.0.0.1', FACTORY_BASE_URL: 'http://127.0.0.1:18080' }, dir, () => undefined);
    expect(s.port).toBe(4321);
    expect(s.host).toBe('127.0.0.1');
    expect(s.config.endpoint.map((e) => e.base_url)).toContain('http://127.0.0.1:18080/api/llm/a/v1/messages');
    expect(s.config.endpoint.every((e) => e.base_url.startsWith('http://127.0.0.1:18080/api/llm/'))).toBe(true);
  });

  it('defaults the allowance settings, and FACTORY_BASE_URL rewrites the usage endpoints too', () => {
    const parsed = parseConfig(shipped, 'c');
    expect(parsed.usage_check_interval).toBe(600);
    expect(parsed.usage_check_rate).toBe(2);
    expect(parsed.usage_endpoints).toEqual({
      chat_usage: 'https://app.factory.ai/api/organization/members/chat-usage',
      billing_limits: 'https://api.factory.ai/api/billing/limits',
    });
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(shipped));
    const s = loadSettings({ FACTORY_BASE_URL: 'http://127.0.0.1:18080' }, dir, () => undefined);
    expect(s.config.usage_endpoints).toEqual({
      chat_usage: 'http://127.0.0.1:18080/api/organization/members/chat-usage',
      billing_limits: 'http://127.0.0.1:18080/api/billing/limits',
    });
    expect(() => parseConfig({ ...shipped, 'round-robin': 'expiring-first' }, 'c')).not.toThrow();
    expect(() => parseConfig({ ...shipped, usage_check_rate: 0 }, 'c')).toThrow(/usage_check_rate/);
  });

  it('rejects a redirect to a model that does not exist', () => {
    expect(() => parseConfig({ ...shipped, model_redirects: { a: 'missing' } }, 'c')).toThrow(/model_redirects\.a/);
  });
});

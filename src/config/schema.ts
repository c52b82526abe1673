import { z } from 'zod';

/** Upstream dialect names as config.json spells them (droid2api compatible). */
export const MODEL_TYPES = ['anthropic', 'openai', 'google', 'common'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export const REASONING_LEVELS = ['auto', 'off', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningLevel = (typeof REASONING_LEVELS)[number];

/** The Factory CLI release the gateway presents itself as unless config.json says otherwise. */
export const DEFAULT_USER_AGENT = 'factory-cli/0.110.0';

const modelSchema = z.object({
  name: z.string().optional(),
  id: z.string().min(1),
  type: z.enum(MODEL_TYPES),
  // droid2api lower-cases the level; a missing level behaves like "off".
  reasoning: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(REASONING_LEVELS))
    .default('off'),
  fast: z.boolean().default(false),
  provider: z.string().min(1).optional(),
});

const proxySchema = z.object({
  name: z.string().optional(),
  url: z.url(),
});

export const configSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(3000),
    endpoint: z.array(z.object({ name: z.enum(MODEL_TYPES), base_url: z.url() })).min(1),
    models: z.array(modelSchema).min(1),
    model_redirects: z.record(z.string(), z.string()).default({}),
    /** Redirect sources that are retired models (not mere aliases): their first use is logged once. */
    retired_models: z.array(z.string()).default([]),
    proxies: z.array(proxySchema).default([]),
    dev_mode: z.boolean().default(false),
    user_agent: z.string().min(1).default(DEFAULT_USER_AGENT),
    /** Where the CLI's latest version is read at start (CLI_VERSION_CHECK=true); the user agent follows it. */
    cli_version_url: z.url().default('https://downloads.factory.ai/factory-cli/LATEST'),
    system_prompt: z.string().default(''),
    'round-robin': z.enum(['weighted', 'simple', 'expiring-first']).default('weighted'),
    remove_on_402: z.boolean().default(true),
    /** Keep one conversation on one key while it is healthy (the upstream's prompt cache keeps working). */
    session_affinity: z.boolean().default(true),
    /** Upstream attempts per request when a key fails before any byte reached the client. */
    max_attempts: z.number().int().min(1).max(10).default(3),
    /**
     * Milliseconds to wait for upstream response headers (long non-stream answers need minutes);
     * also the whole request's failover deadline: no attempt starts after it.
     */
    upstream_timeout_ms: z.number().int().positive().default(600_000),
    /** A streamed answer (and Gemini's, always streamed) must send its first body byte within this, else the attempt fails over. */
    first_byte_timeout_ms: z.number().int().positive().default(120_000),
    /** Longest silence between two pieces of an upstream answer's body, once its headers are in. */
    idle_timeout_ms: z.number().int().positive().default(300_000),
    /** Seconds between two allowance checks of a key (Factory's usage endpoints); 0 = at start, then only after a 402 and on demand. */
    usage_check_interval: z.number().int().min(0).default(600),
    /** Usage-endpoint requests per second at most, over all keys (one check is two requests). */
    usage_check_rate: z.number().positive().max(100).default(2),
    /** Factory's usage endpoints (not documented); FACTORY_BASE_URL rewrites their host like the LLM endpoints'. */
    usage_endpoints: z
      .object({
        chat_usage: z.url().default('https://app.factory.ai/api/organization/members/chat-usage'),
        billing_limits: z.url().default('https://api.factory.ai/api/billing/limits'),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set(cfg.models.map((m) => m.id));
    for (const [alias, target] of Object.entries(cfg.model_redirects)) {
      if (!ids.has(target)) {
        ctx.addIssue({ code: 'custom', path: ['model_redirects', alias], message: `redirect target "${target}" is not in models` });
      }
    }
    cfg.retired_models.forEach((id, i) => {
      if (cfg.model_redirects[id] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['retired_models', i], message: `retired model "${id}" has no entry in model_redirects` });
      }
    });
    const endpoints = new Set(cfg.endpoint.map((e) => e.name));
    cfg.models.forEach((m, i) => {
      if (!endpoints.has(m.type)) {
        ctx.addIssue({ code: 'custom', path: ['models', i, 'type'], message: `no endpoint named "${m.type}"` });
      }
    });
  });

export type ConfigFile = z.infer<typeof configSchema>;
export type ModelConfig = ConfigFile['models'][number];

import { MODEL_TYPES, type ConfigFile, type ModelConfig, type ModelType } from '../config/schema.js';
import { DIALECTS } from '../dialects/registry.js';
import type { DialectId } from '../dialects/ir.js';
import { GatewayError } from '../errors.js';

/**
 * Upstream dialect of each config.json model `type`, as the dialects' profiles name it;
 * a type no dialect claims, or two claim, stops the gateway at start.
 */
export const DIALECT_OF_TYPE: Readonly<Record<ModelType, DialectId>> = dialectsOfTypes();

function dialectsOfTypes(): Record<ModelType, DialectId> {
  const entries = MODEL_TYPES.map((type) => {
    const claimed = (Object.keys(DIALECTS) as DialectId[]).filter((id) => DIALECTS[id].profile.upstream.modelType === type);
    if (claimed.length !== 1) throw new Error(`model type ${type} is claimed by ${claimed.length} dialects`);
    return [type, claimed[0]!] as const;
  });
  return Object.fromEntries(entries) as Record<ModelType, DialectId>;
}

export interface ResolvedModel {
  /** The name the client sent (shown back to it). */
  requested: string;
  config: ModelConfig;
  upstream: DialectId;
  endpointUrl: string;
  /** The requested id is a retired model redirected to its successor (config `retired_models`). */
  retired: boolean;
}

/** The model a request names: the one its path gives (Gemini), else its body's `model` when that is a string. */
export function requestedModel(body: unknown, fromPath?: string): string | undefined {
  const model = (body as { model?: unknown } | undefined)?.model;
  return fromPath ?? (typeof model === 'string' ? model : undefined);
}

/** Applies `model_redirects` (one hop) and finds the model; unknown → 404 `model_not_found`. */
export function resolveModel(config: ConfigFile, requested: string): ResolvedModel {
  const id = config.model_redirects[requested] ?? requested;
  const model = config.models.find((m) => m.id === id);
  if (!model) {
    throw new GatewayError('not_found', `The model '${requested}' does not exist or is not served by this gateway`, {
      param: 'model',
      detail: 'model_not_found',
    });
  }
  const endpoint = config.endpoint.find((e) => e.name === model.type);
  if (!endpoint) throw new GatewayError('internal', `No endpoint configured for model type ${model.type}`);
  const retired = id !== requested && config.retired_models.includes(requested);
  return { requested, config: model, upstream: DIALECT_OF_TYPE[model.type], endpointUrl: endpoint.base_url, retired };
}

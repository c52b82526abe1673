import type { ConfigFile, ModelConfig, ModelType } from '../config/schema.js';
import type { DialectId } from '../dialects/ir.js';
import { GatewayError } from '../errors.js';

/** Upstream dialect of each config.json model `type`. */
export const DIALECT_OF_TYPE: Record<ModelType, DialectId> = {
  anthropic: 'anthropic',
  openai: 'openai-responses',
  google: 'google',
  common: 'openai-chat',
};

export interface ResolvedModel {
  /** The name the client sent (shown back to it). */
  requested: string;
  config: ModelConfig;
  upstream: DialectId;
  endpointUrl: string;
  /** The requested id is a retired model redirected to its successor (config `retired_models`). */
  retired: boolean;
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

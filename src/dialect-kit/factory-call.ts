import type { ModelConfig } from '../config/schema.js';

/** What a dialect's upstream profile is told about one call to Factory, to add its own headers. */
export interface FactoryCall {
  model: ModelConfig;
  stream: boolean;
  /** The client's headers, lower-cased, for the few values passed on (anthropic-version, anthropic-beta, x-stainless-*). */
  client: (name: string) => string | undefined;
}

/** The x-stainless-* set the official CLI's SDKs send, with its defaults; the client's own values win. */
const STAINLESS_DEFAULTS: ReadonlyArray<readonly [string, string]> = [
  ['x-stainless-arch', 'x64'],
  ['x-stainless-lang', 'js'],
  ['x-stainless-os', 'MacOS'],
  ['x-stainless-runtime', 'node'],
  ['x-stainless-retry-count', '0'],
  ['x-stainless-runtime-version', 'v24.3.0'],
];

/** Adds the x-stainless-* headers of the SDK (at `packageVersion`) the official CLI calls this dialect with. */
export function addStainlessHeaders(headers: Record<string, string>, call: FactoryCall, packageVersion: string): void {
  for (const [name, fallback] of STAINLESS_DEFAULTS) headers[name] = call.client(name) ?? fallback;
  headers['x-stainless-package-version'] = call.client('x-stainless-package-version') ?? packageVersion;
}

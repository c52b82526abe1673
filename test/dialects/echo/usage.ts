/** Echo usage ↔ IR usage: prompt tokens in, answer tokens out. */
import type { IrUsage } from '../../../src/dialects/ir.js';
import { isRecord } from '../../../src/dialect-kit/json.js';
import { EchoUsageSchema, type EchoUsage } from './wire-response.js';

export function usageFromEcho(u: EchoUsage): IrUsage {
  return { inputTokens: u.input, outputTokens: u.output };
}

export function usageToEcho(u: IrUsage): EchoUsage {
  return { input: u.inputTokens ?? 0, output: u.outputTokens ?? 0 };
}

export function responseUsage(json: unknown): IrUsage {
  const parsed = EchoUsageSchema.safeParse(isRecord(json) ? json.usage : undefined);
  return parsed.success ? usageFromEcho(parsed.data) : {};
}

/** Echo's stop reasons: `length` when cut by the token limit, `stop` for anything else. */
import type { IrFinishReason } from '../../../src/dialects/ir.js';

export function finishFromEcho(stop: string): IrFinishReason {
  return stop === 'length' ? 'length' : 'stop';
}

export function finishToEcho(reason: IrFinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

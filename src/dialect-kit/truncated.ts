import { ERROR_STATUS } from '../errors.js';
import type { IrErrorInfo } from '../dialects/ir.js';

/**
 * An upstream stream that closed with neither a finish nor an error: what the client is told,
 * by every writer that reaches its end unfinished and by the pipeline's answer guard.
 */
export const TRUNCATED_STREAM: IrErrorInfo = Object.freeze({
  code: 'upstream_error',
  message: 'upstream stream ended before it finished',
  status: ERROR_STATUS.upstream_error,
});

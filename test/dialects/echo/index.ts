/**
 * A test dialect: a prompt's text in, the answer's text out. It lives in test/ and is served
 * through ServiceOverrides.extraDialects, to show that a dialect is its folder and nothing more.
 */
import type { Dialect } from '../../../src/dialects/dialect.js';
import { echoErrorBody, echoStreamError } from './errors.js';
import { echoProfile } from './profile.js';
import { parseRequest } from './request-in.js';
import { buildRequest } from './request-out.js';
import { parseResponse } from './response-in.js';
import { writeResponse } from './response-out.js';
import { createStreamParser } from './stream-in.js';
import { EchoStreamWriter } from './stream-out.js';
import { responseUsage } from './usage.js';

export const echoDialect: Dialect<'echo'> = {
  id: 'echo',
  profile: echoProfile,
  parseRequest,
  buildRequest,
  createStreamParser,
  parseResponse,
  responseUsage,
  createStreamWriter: (ctx) => new EchoStreamWriter(ctx),
  writeResponse,
  errorBody: echoErrorBody,
  streamError: echoStreamError,
};

import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The text the JSON body was parsed from: a pass-through sends the client's own text
     * for what the policies leave unchanged (pipeline/json-reuse.ts).
     */
    jsonText: string | undefined;
  }
}

/**
 * Every request body is parsed as JSON: some clients post JSON without a JSON content type.
 * The limit is the route's (`bodyLimit`), else the server's small default.
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.decorateRequest('jsonText', undefined);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, text, done) => {
    const body = String(text);
    if (body.trim() === '') return done(null, undefined);
    try {
      const parsed: unknown = JSON.parse(body);
      request.jsonText = body;
      done(null, parsed);
    } catch {
      const err = Object.assign(new Error('The request body is not valid JSON'), { statusCode: 400 });
      done(err, undefined);
    }
  });
}

/**
 * The body's text, handed over once: a streamed answer keeps its request alive to the end,
 * and an agent's request text is tens of KB that only the start of the call needs.
 */
export function takeJsonText(request: FastifyRequest): string | undefined {
  const text = request.jsonText;
  request.jsonText = undefined;
  return text;
}

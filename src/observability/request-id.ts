/** The response header that names the request; an incoming one is kept, so a trace spans the hops. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Ids a proxy or client may send: bounded length, characters that are safe in a header and a log. */
const SAFE_ID = /^[\w.:@/+=-]{1,128}$/;

/** The client's own request id when it is one we can safely echo and log. */
export function incomingRequestId(value: string | string[] | undefined): string | undefined {
  const id = Array.isArray(value) ? value[0] : value;
  return id !== undefined && SAFE_ID.test(id) ? id : undefined;
}

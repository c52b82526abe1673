/** Type guards every layer uses; here so that none of them has to import another layer for them. */

/** The default branch of an exhaustive switch: a compile error when a case is missing, a throw if a value slips through at run time. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

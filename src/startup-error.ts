/**
 * A reason the gateway cannot start that the operator can fix: one line naming the file or
 * service and the fix, never a stack trace. main.ts prints it and exits non-zero.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** For `.catch` at start-up: a StartupError ends the process with its one line; anything else is rethrown. */
export function exitOnStartupError(err: unknown): never {
  if (err instanceof StartupError) {
    process.stderr.write(`droid2api: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

/** The pool's timings and sample size: how long it waits on unverified keys and when it blames the upstream. */

/** How long a request waits for other requests' first answers from unverified keys. */
export const PROBE_WAIT_MS = 60_000;
/** After this long without a verdict, an unverified key is lent to other requests too. */
export const PROBE_GRACE_MS = 3_000;
export const PROBE_RECHECK_MS = 500;

/** Window within which the same failure on every key is blamed on the upstream. */
export const SUSPICION_WINDOW_MS = 30_000;

/** Weighted draws tried on a sample before falling back to a pass over the whole pool. */
export const SAMPLE_TRIES = 32;

/** Keys planned (or parsed) between two yields of a reload: a few milliseconds on a slow machine. */
export const RELOAD_SLICE = 2_048;

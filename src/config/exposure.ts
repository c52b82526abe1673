/**
 * Whether the way the gateway is started puts paid-for keys or the pool's view within
 * anyone's reach: a pure function of the start-up facts, so each case is one table row.
 * The caller logs the warnings, shows them on /status, and refuses to start on a refusal.
 */
export interface ExposureInput {
  /** The listen host (HOST). */
  host: string;
  /** Server credentials are configured: listed keys, a keys file or a refresh token. */
  serverCredentials: boolean;
  gatewayKey: boolean;
  /** Client keys exist (made through the admin API): every API request then needs a key. */
  clientKeys?: boolean;
  adminKey: boolean;
  /** REQUIRE_GATEWAY_KEY=true: an exposed start is refused instead of warned about. */
  requireGatewayKey: boolean;
}

export interface ExposureVerdict {
  warnings: string[];
  /** Set when the start must be refused: one line, with the fix. */
  refusal?: string;
}

/** Hosts only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}

export function assessExposure(input: ExposureInput): ExposureVerdict {
  const warnings: string[] = [];
  if (isLoopback(input.host)) return { warnings };
  if (input.serverCredentials && !input.gatewayKey && !input.clientKeys) {
    if (input.requireGatewayKey) {
      return {
        warnings,
        refusal: `refusing to start: listening on ${input.host} with server credentials and no GATEWAY_API_KEY (REQUIRE_GATEWAY_KEY=true); fix: set GATEWAY_API_KEY to a long random key (or create client keys through the admin API first on a loopback start), or HOST=127.0.0.1`,
      };
    }
    warnings.push(
      `listening on ${input.host} with server credentials, no GATEWAY_API_KEY and no client keys: anyone who can reach this port spends your Factory keys; set GATEWAY_API_KEY or create client keys (REQUIRE_GATEWAY_KEY=true refuses such a start)`,
    );
  }
  if (!input.adminKey && !input.gatewayKey) {
    warnings.push(`listening on ${input.host} with neither ADMIN_KEY nor GATEWAY_API_KEY: /status and /metrics show the key pool to anyone who can reach this port; set ADMIN_KEY`);
  }
  return { warnings };
}

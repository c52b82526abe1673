
/** What an operator needs to know in one place once the gateway listens. */
export interface StartupFacts {
  /** The address clients use, e.g. http://0.0.0.0:3000 */
  listen: string;
  credentialMode: 'keys' | 'refresh-token' | 'client-authorization';
  keys: { usable: number; retired: number; total: number };
  store: string;
  workers: number;
  statusUrl: string;
  apiProtected: boolean;
  statusProtected: boolean;
}

export interface StartupInput {
  host: string;
  port: number;
  credentialMode: StartupFacts['credentialMode'];
  keyStatuses: readonly string[];
  store: string;
  workers: number;
  gatewayKey: boolean;
  /** Client keys exist: every API request then needs one (or a gateway key). */
  clientKeys?: boolean;
  adminKey: boolean;
}

export function startupFacts(input: StartupInput): StartupFacts {
  const retired = input.keyStatuses.filter((s) => s === 'retired').length;
  const usable = input.keyStatuses.filter((s) => s === 'active' || s === 'cooling').length;
  // A wildcard host is not an address a browser can open: the status link names this machine.
  const browsable = input.host === '0.0.0.0' || input.host === '::' ? 'localhost' : input.host;
  const hostPart = browsable.includes(':') && !browsable.startsWith('[') ? `[${browsable}]` : browsable;
  return {
    listen: `http://${input.host.includes(':') ? `[${input.host}]` : input.host}:${input.port}`,
    credentialMode: input.credentialMode,
    keys: { usable, retired, total: input.keyStatuses.length },
    store: input.store,
    workers: input.workers,
    statusUrl: `http://${hostPart}:${input.port}/status`,
    // The client's own key pays in client-authorization mode: nobody spends the owner's keys.
    apiProtected: input.gatewayKey || input.clientKeys === true || input.credentialMode === 'client-authorization',
    statusProtected: input.adminKey || input.gatewayKey,
  };
}

/** The short block printed when stdout is a terminal (the log line carries the same facts). */
export function humanSummary(facts: StartupFacts, warnings: readonly string[]): string {
  const yes = (b: boolean) => (b ? 'yes' : 'NO');
  const lines = [
    `droid2api listening on ${facts.listen}`,
    `  credentials  ${facts.credentialMode}${facts.credentialMode === 'keys' ? ` (${facts.keys.usable} usable / ${facts.keys.retired} retired / ${facts.keys.total} total)` : ''}`,
    `  store        ${facts.store}, ${facts.workers} worker${facts.workers === 1 ? '' : 's'}`,
    `  status       ${facts.statusUrl}`,
    `  protected    API ${yes(facts.apiProtected)}, status ${yes(facts.statusProtected)}`,
    ...warnings.map((w) => `  warning      ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

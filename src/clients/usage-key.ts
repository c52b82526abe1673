/**
 * A history row of the `client` dimension is about one client and one model: its value
 * joins the two (client ids are base62, model ids hold no `|`).
 */
export function usageKey(clientId: string, model: string | undefined): string {
  return `${clientId}|${model ?? 'none'}`;
}

export function usageKeyParts(value: string): { clientId: string; model: string } {
  const bar = value.indexOf('|');
  return bar === -1 ? { clientId: value, model: 'none' } : { clientId: value.slice(0, bar), model: value.slice(bar + 1) };
}

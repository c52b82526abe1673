/**
 * A client's model allow-list: exact ids, or globs where `*` stands for any run of
 * characters (`claude-*`, `*-mini`). Compiled once per client record.
 */
export type ModelAllowed = (model: string) => boolean;

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

export function compileAllowList(models: readonly string[] | null): ModelAllowed {
  if (models === null) return () => true;
  const exact = new Set(models.filter((m) => !m.includes('*')));
  const globs = models.filter((m) => m.includes('*')).map(globToRegExp);
  return (model) => exact.has(model) || globs.some((g) => g.test(model));
}

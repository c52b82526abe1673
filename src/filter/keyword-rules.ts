import { z } from 'zod';

/**
 * droid2api v2's keywords-filter.json, read as it is: `{enabled, rules:[{id, name, enabled,
 * pattern:{type, value, caseSensitive}, action:{type, replacement}, description}],
 * logging}`. Unknown fields are ignored so v2's files load unchanged.
 */
const ruleSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  // v2 kept a rule without `enabled` at load but never applied it: here it applies.
  enabled: z.boolean().optional(),
  pattern: z.object({
    type: z.enum(['contains', 'prefix', 'suffix', 'regex']),
    value: z.string().min(1),
    caseSensitive: z.boolean().optional(),
  }),
  action: z.object({
    type: z.enum(['remove_content', 'replace', 'delete_keyword']),
    replacement: z.string().optional(),
  }),
  description: z.string().optional(),
});

const fileSchema = z.object({
  enabled: z.boolean().optional(),
  rules: z.array(z.unknown()).default([]),
  logging: z.unknown().optional(),
});

export type RuleAction = 'remove_content' | 'replace' | 'delete_keyword';

/** A rule ready to run: its matcher compiled once. */
export interface CompiledRule {
  id: string;
  name: string | undefined;
  action: RuleAction;
  /** Where in the file it is (ids need not be unique: v2's shipped file repeats one). */
  index: number;
  /** The text the rule leaves, or undefined when it does not match. */
  rewrite(text: string): string | undefined;
}

export interface FilterRules {
  /** Top-level `enabled === true`, as v2: anything else turns the whole filter off. */
  enabled: boolean;
  rules: CompiledRule[];
}

export class FilterFileError extends Error {
  override readonly name = 'FilterFileError';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The pattern as one regular expression: contains/regex match anywhere (every occurrence
 * is replaced or deleted), prefix/suffix only at the text's edge (deleted once).
 */
function patternRegex(pattern: z.infer<typeof ruleSchema>['pattern']): RegExp {
  const flags = pattern.caseSensitive === true ? 'g' : 'gi';
  switch (pattern.type) {
    case 'regex':
      return new RegExp(pattern.value, flags);
    case 'contains':
      return new RegExp(escapeRegex(pattern.value), flags);
    case 'prefix':
      return new RegExp(`^${escapeRegex(pattern.value)}`, flags);
    case 'suffix':
      return new RegExp(`${escapeRegex(pattern.value)}$`, flags);
  }
}

function compileRule(raw: z.infer<typeof ruleSchema>, index: number): CompiledRule {
  const re = patternRegex(raw.pattern);
  // v2: `replace` replaces every occurrence of the value, also for prefix/suffix rules.
  const everywhere = raw.action.type === 'replace' && (raw.pattern.type === 'prefix' || raw.pattern.type === 'suffix') ? patternRegex({ ...raw.pattern, type: 'contains' }) : re;
  const replacement = raw.action.type === 'replace' ? (raw.action.replacement ?? '') : '';
  return {
    id: raw.id,
    name: raw.name,
    action: raw.action.type,
    index,
    rewrite(text) {
      re.lastIndex = 0;
      if (!re.test(text)) return undefined;
      if (raw.action.type === 'remove_content') return '';
      everywhere.lastIndex = 0;
      return text.replace(everywhere, () => replacement);
    },
  };
}

/** Parses and checks the file's text; the error is one line naming the rule and the reason. */
export function parseFilterFile(text: string, source: string): FilterRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FilterFileError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const file = fileSchema.safeParse(json);
  if (!file.success) throw new FilterFileError(`${source}: ${file.error.issues[0]?.path.join('.') || '(root)'}: ${file.error.issues[0]?.message ?? 'invalid'}`);
  const rules: CompiledRule[] = [];
  file.data.rules.forEach((entry, index) => {
    const label = typeof (entry as { id?: unknown })?.id === 'string' ? `rule ${index} "${(entry as { id: string }).id}"` : `rule ${index}`;
    const rule = ruleSchema.safeParse(entry);
    if (!rule.success) {
      const issue = rule.error.issues[0];
      throw new FilterFileError(`${source}: ${label}: ${issue?.path.join('.') || '(rule)'}: ${issue?.message ?? 'invalid'}`);
    }
    if (rule.data.enabled === false) return;
    try {
      rules.push(compileRule(rule.data, index));
    } catch (err) {
      throw new FilterFileError(`${source}: ${label}: pattern.value: not a valid regular expression (${(err as Error).message})`);
    }
  });
  return { enabled: file.data.enabled === true, rules };
}

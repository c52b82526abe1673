import { existsSync, readFileSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import type { WireObject } from '../dialects/dialect.js';
import { filterBody } from './filter-body.js';
import { parseFilterFile, type FilterRules } from './keyword-rules.js';

export interface RuleCount {
  id: string;
  name: string | undefined;
  /** Position in the file: ids may repeat. */
  index: number;
  matches: number;
}

export interface FilterStatus {
  file: string;
  enabled: boolean;
  rules: RuleCount[];
}

/** No file, or a file that turns the filter off: nothing is touched. */
const OFF: FilterRules = { enabled: false, rules: [] };

/**
 * droid2api v2's keyword filter (keywords-filter.json): rules that rewrite or drop text the
 * user or the client's prompt sends, tried in order, the first match acting on each text.
 * Loaded at start (an invalid file stops the start), re-read when the file changes (an
 * invalid edit keeps the rules in force and is logged), match counts kept per rule.
 */
export class KeywordFilter {
  #rules: FilterRules = OFF;
  /** Matches by rule position; survives a reload for rules that keep their place and id. */
  #counts = new Map<string, number>();

  constructor(
    readonly file: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Reads the file; throws FilterFileError (one line naming the rule) when it is invalid. */
  load(): void {
    this.#rules = existsSync(this.file) ? parseFilterFile(readFileSync(this.file, 'utf8'), this.file) : OFF;
  }

  /** The hot-reload path: an invalid edit is logged and the rules in force stay. */
  reload(): void {
    try {
      this.load();
      this.log.info({ file: this.file, rules: this.#rules.rules.length, enabled: this.#rules.enabled }, 'keyword filter reloaded');
    } catch (err) {
      this.log.error({ err: { message: (err as Error).message } }, 'keyword filter file invalid: keeping the rules in force');
    }
  }

  get active(): boolean {
    return this.#rules.enabled && this.#rules.rules.length > 0;
  }

  /** The client's body with the rules applied (the same object when nothing matched). */
  apply(body: WireObject, dialect: string): WireObject {
    if (!this.active) return body;
    const { rules } = this.#rules;
    return filterBody(body, dialect, (text) => {
      for (const rule of rules) {
        const out = rule.rewrite(text);
        if (out === undefined) continue;
        const key = `${rule.index}:${rule.id}`;
        this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
        this.log.debug({ rule: rule.id, action: rule.action }, 'keyword filter rule matched');
        return rule.action === 'remove_content' ? null : out;
      }
      return undefined;
    });
  }

  status(): FilterStatus {
    return {
      file: this.file,
      enabled: this.#rules.enabled,
      rules: this.#rules.rules.map((r) => ({ id: r.id, name: r.name, index: r.index, matches: this.#counts.get(`${r.index}:${r.id}`) ?? 0 })),
    };
  }
}

import { invalidRequest } from '../errors.js';
import type { IrRequest } from '../dialects/ir.js';
import { isRecord } from './json.js';

/**
 * Bounds on the work a client's tool schemas may cost. A schema is the client's text, but
 * converting it can multiply it: inlining `$ref`s for Gemini doubles a schema per level when
 * its definitions reference each other twice, so 2 KB can become millions of nodes. Real
 * tool sets (an agent's tools, large MCP servers) stay far below both limits.
 */
export const MAX_SCHEMA_NODES = 50_000;
/** Far deeper than any real schema, far shallower than what overflows a recursive walk (or JSON.stringify). */
export const MAX_SCHEMA_DEPTH = 64;

/** Thrown from inside a walk; `within` turns it into the client's error naming the schema. */
class OverBudget extends Error {}

/**
 * One request's budget over every schema it converts (tools and response format share it,
 * so a thousand tools just under a per-tool limit cannot add up to the explosion).
 */
export class SchemaBudget {
  #nodes = 0;

  constructor(
    readonly maxNodes = MAX_SCHEMA_NODES,
    readonly maxDepth = MAX_SCHEMA_DEPTH,
  ) {}

  /** Counts `n` schema nodes produced (a reused conversion counts every node it stands for). */
  spend(n = 1): void {
    this.#nodes += n;
    if (this.#nodes > this.maxNodes) throw new OverBudget(`expands to more than ${this.maxNodes} schema nodes`);
  }

  /** A walk is about to enter a node at this depth (the root is 0). */
  enter(depth: number): void {
    if (depth > this.maxDepth) throw new OverBudget(`nests deeper than ${this.maxDepth} levels`);
  }

  /** Runs one schema's walk; over budget → `invalid_request` naming what the schema belongs to. */
  within<T>(label: string, param: string, walk: () => T): T {
    try {
      return walk();
    } catch (err) {
      if (err instanceof OverBudget) throw invalidRequest(`${label}: the schema ${err.message}`, param);
      throw err;
    }
  }
}

/** Where a tool's schema is, for the error: its name, which the client knows it by. */
export function toolLabel(name: string): string {
  return `tool "${name}"`;
}

/**
 * Walks a schema as it is (no reference resolved), without recursion: its nodes count
 * against the budget and its depth is bounded. The dialects that forward a schema as it
 * came still serialise it, and JSON.stringify overflows the stack on deep nesting.
 */
export function measureSchema(schema: unknown, budget: SchemaBudget): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: schema, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { value, depth } = top;
    const children = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : undefined;
    if (children === undefined) continue;
    budget.enter(depth);
    budget.spend();
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
}

/** Every schema a converted request carries (tools, response format), measured against one budget. */
export function measureRequestSchemas(ir: Pick<IrRequest, 'tools' | 'responseFormat'>): void {
  const budget = new SchemaBudget();
  for (const tool of ir.tools) budget.within(toolLabel(tool.name), 'tools', () => measureSchema(tool.parameters, budget));
  const format = ir.responseFormat;
  if (format?.type === 'json_schema') budget.within('response_format', 'response_format', () => measureSchema(format.schema, budget));
}

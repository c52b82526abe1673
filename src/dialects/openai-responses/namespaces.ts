/**
 * Responses tool namespaces (https://platform.openai.com/docs/guides/function-calling#defining-namespaces):
 * Codex groups MCP and dynamic tools under a namespace, and its calls carry `namespace`
 * and the tool's own name. No other dialect has namespaces, so the IR names such a tool
 * `<namespace>__<tool>` (the `mcp__server__tool` convention), and the writer splits the
 * name back by looking it up among the request's tools, never by parsing it.
 */
import type { IrTool } from '../ir.js';

/** Tool names other dialects accept (Anthropic: ^[a-zA-Z0-9_-]{1,128}$). */
const NAME_LIMIT = 128;

export function flatToolName(namespace: string, tool: string): string {
  return `${namespace}__${tool}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, NAME_LIMIT);
}

/** A call's name as the client knows it: the tool's own name, and its namespace if it has one. */
export function wireCallName(tools: IrTool[], name: string): { name: string; namespace?: string } {
  const ns = tools.find((t) => t.name === name)?.namespace;
  return ns ? { name: ns.tool, namespace: ns.name } : { name };
}

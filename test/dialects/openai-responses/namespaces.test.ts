import { describe, expect, it } from 'vitest';
import type { IrEvent, IrTool } from '../../../src/dialects/ir.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { all, context, decode, from } from './helpers.js';
import { writeStream } from '../../support/dialect-streams.js';

/** Codex groups an MCP server's tools under a namespace. */
const NAMESPACE = {
  type: 'namespace',
  name: 'mcp__crm',
  description: 'The CRM server.',
  tools: [
    { type: 'function', name: 'get_customer', description: 'One customer by id.', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
    { type: 'custom', name: 'run_query', description: 'Free-form query.' },
  ],
};

const parse = (body: Record<string, unknown>) => dialect.parseRequest({ model: 'claude-sonnet-4-6', input: 'hi', ...body });

describe('Responses tool namespaces, for upstreams that have none', () => {
  it('flattens a namespace into tools named <namespace>__<tool>, keeping its description and kinds', () => {
    const ir = parse({ tools: [NAMESPACE, { type: 'function', name: 'shell', parameters: { type: 'object' } }] });
    expect(ir.tools.map((t) => t.name)).toEqual(['mcp__crm__get_customer', 'mcp__crm__run_query', 'shell']);
    expect(ir.tools[0]).toMatchObject({
      description: 'The CRM server.\n\nOne customer by id.',
      parameters: { type: 'object', properties: { id: { type: 'string' } } },
      namespace: { name: 'mcp__crm', tool: 'get_customer' },
    });
    expect(ir.tools[1]).toMatchObject({ custom: {}, namespace: { name: 'mcp__crm', tool: 'run_query' } });
    expect(ir.tools[2]!.namespace).toBeUndefined();
  });

  it('reads replayed namespaced calls, their outputs and a namespaced tool choice under the flat name', () => {
    const ir = parse({
      tools: [NAMESPACE],
      tool_choice: { type: 'function', namespace: 'mcp__crm', name: 'get_customer' },
      input: [
        { role: 'user', content: 'Who is 7?' },
        { type: 'function_call', call_id: 'call_1', namespace: 'mcp__crm', name: 'get_customer', arguments: '{"id":"7"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'Ada' },
      ],
    });
    expect(ir.toolChoice).toEqual({ type: 'tool', name: 'mcp__crm__get_customer' });
    const parts = ir.messages.flatMap((m) => m.parts);
    expect(parts).toContainEqual(expect.objectContaining({ kind: 'tool_call', id: 'call_1', name: 'mcp__crm__get_customer' }));
    expect(parts).toContainEqual(expect.objectContaining({ kind: 'tool_result', callId: 'call_1' }));
  });

  it('keeps names other dialects accept', () => {
    const ir = parse({ tools: [{ ...NAMESPACE, name: 'crm.v2' }] });
    expect(ir.tools[0]!.name).toBe('crm_v2__get_customer');
  });

  const tools: IrTool[] = parse({ tools: [NAMESPACE] }).tools;
  const call: IrEvent[] = [
    { kind: 'start' },
    { kind: 'tool_call_start', id: 'call_9', name: 'mcp__crm__get_customer' },
    { kind: 'tool_call_delta', id: 'call_9', argumentsDelta: '{"id":"7"}' },
    { kind: 'tool_call_end', id: 'call_9' },
    { kind: 'finish', reason: 'tool_calls' },
  ];

  it('streams a call of a flattened tool back as the namespace and the tool name', async () => {
    const events = decode(await all(writeStream(dialect, from(call), context(tools))));
    const items = events.filter((e) => e.event === 'response.output_item.added' || e.event === 'response.output_item.done').map((e) => e.data.item);
    for (const item of items) expect(item).toMatchObject({ type: 'function_call', namespace: 'mcp__crm', name: 'get_customer', call_id: 'call_9' });
    const done = events.find((e) => e.event === 'response.completed')!.data.response as { output: unknown[] };
    expect(done.output).toContainEqual(expect.objectContaining({ namespace: 'mcp__crm', name: 'get_customer', arguments: '{"id":"7"}' }));
  });

  it('writes the same in a whole response, and leaves tools without a namespace alone', () => {
    const body = dialect.writeResponse(
      {
        id: 'x',
        content: [
          { kind: 'tool_call', id: 'call_9', name: 'mcp__crm__get_customer', arguments: '{"id":"7"}' },
          { kind: 'tool_call', id: 'call_10', name: 'shell', arguments: '{}' },
        ],
        finishReason: 'tool_calls',
        usage: {},
      },
      context(tools),
    ) as { output: Array<Record<string, unknown>> };
    expect(body.output[0]).toMatchObject({ type: 'function_call', namespace: 'mcp__crm', name: 'get_customer' });
    expect(body.output[1]).toMatchObject({ type: 'function_call', name: 'shell' });
    expect(body.output[1]).not.toHaveProperty('namespace');
  });
});

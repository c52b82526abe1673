import { describe, expect, it } from 'vitest';
import { googleDialect as google } from '../../../src/dialects/google/index.js';
import type { IrRequest } from '../../../src/dialects/ir.js';

function ir(over: Partial<IrRequest>): IrRequest {
  return { model: 'client', system: [], messages: [{ role: 'user', parts: [{ kind: 'text', text: 'hi' }] }], tools: [], stream: true, extensions: {}, ...over };
}

describe('google buildRequest', () => {
  it('writes model, contents and system instruction, and never a stream field', () => {
    const body = google.buildRequest(ir({ system: [{ text: 'a' }, { text: 'b' }] }), 'gemini-3-pro');
    expect(body).toEqual({
      model: 'gemini-3-pro',
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      systemInstruction: { parts: [{ text: 'a' }, { text: 'b' }] },
    });
  });

  it('merges consecutive same-role turns and drops thinking and empty text', () => {
    const body = google.buildRequest(
      ir({
        messages: [
          { role: 'user', parts: [{ kind: 'text', text: 'one' }] },
          { role: 'user', parts: [{ kind: 'text', text: 'two' }] },
          { role: 'assistant', parts: [{ kind: 'thinking', text: 'hmm', signature: 's' }] },
          { role: 'assistant', parts: [{ kind: 'thinking', text: 'more' }, { kind: 'text', text: '' }, { kind: 'text', text: 'ok' }] },
        ],
      }),
      'g',
    );
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
      { role: 'model', parts: [{ text: 'ok' }] },
    ]);
  });

  it('sends function calls with their signature, or the documented skip value, and results by call name', () => {
    const body = google.buildRequest(
      ir({
        messages: [
          { role: 'user', parts: [{ kind: 'text', text: 'go' }] },
          {
            role: 'assistant',
            parts: [
              { kind: 'tool_call', id: 'toolu_1', name: 'read', arguments: '{"p":"a"}', signature: 'realsig' },
              { kind: 'tool_call', id: 'toolu_2', name: 'ls', arguments: '' },
            ],
          },
          {
            role: 'user',
            parts: [
              { kind: 'tool_result', callId: 'toolu_1', content: [{ kind: 'text', text: 'A' }, { kind: 'text', text: 'B' }] },
              {
                kind: 'tool_result',
                callId: 'toolu_2',
                isError: true,
                content: [{ kind: 'text', text: 'denied' }, { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'PNG' } }],
              },
              { kind: 'tool_result', callId: 'unknown', name: 'orphan', content: [] },
            ],
          },
        ],
      }),
      'g',
    );
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'go' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'read', args: { p: 'a' } }, thoughtSignature: 'realsig' },
          { functionCall: { name: 'ls', args: {} }, thoughtSignature: 'skip_thought_signature_validator' },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'read', response: { result: 'A\nB' } } },
          { functionResponse: { name: 'ls', response: { error: 'denied' } } },
          { inlineData: { mimeType: 'image/png', data: 'PNG' } },
          { functionResponse: { name: 'orphan', response: { result: '' } } },
        ],
      },
    ]);
  });

  it('sends base64 media inline and URLs as file data with a guessed type', () => {
    const body = google.buildRequest(
      ir({
        messages: [
          {
            role: 'user',
            parts: [
              { kind: 'image', source: { type: 'base64', mediaType: 'image/webp', data: 'W' } },
              { kind: 'image', source: { type: 'url', url: 'https://x/y.png?z=1' } },
              { kind: 'image', source: { type: 'url', url: 'data:image/gif;base64,R0lG' } },
              { kind: 'file', source: { type: 'url', url: 'https://x/doc.pdf' }, filename: 'doc.pdf' },
            ],
          },
        ],
      }),
      'g',
    );
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/webp', data: 'W' } },
          { fileData: { mimeType: 'image/png', fileUri: 'https://x/y.png?z=1' } },
          { inlineData: { mimeType: 'image/gif', data: 'R0lG' } },
          { fileData: { mimeType: 'application/pdf', fileUri: 'https://x/doc.pdf' } },
        ],
      },
    ]);
  });

  it('declares tools with cleaned schemas, freeform tools with one input string, and omits empty parameters', () => {
    const body = google.buildRequest(
      ir({
        tools: [
          { name: 'f', description: 'd', parameters: { type: 'object', additionalProperties: false, properties: { a: { type: ['string', 'null'] } } } },
          { name: 'noargs', parameters: { type: 'object', properties: {} } },
          { name: 'apply_patch', parameters: {}, custom: { format: { type: 'grammar' } } },
        ],
        toolChoice: { type: 'tool', name: 'f' },
      }),
      'g',
    );
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'f', description: 'd', parameters: { type: 'object', properties: { a: { type: 'string', nullable: true } } } },
          { name: 'noargs' },
          { name: 'apply_patch', parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] } },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } });
  });

  it.each([
    [{ type: 'auto' }, { mode: 'AUTO' }],
    [{ type: 'required' }, { mode: 'ANY' }],
    [{ type: 'none' }, { mode: 'NONE' }],
  ] as const)('maps tool choice %j to %j', (choice, config) => {
    const body = google.buildRequest(ir({ tools: [{ name: 'f', parameters: {} }], toolChoice: choice }), 'g');
    expect(body.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('sends no tool config without tools', () => {
    expect(google.buildRequest(ir({ toolChoice: { type: 'required' } }), 'g').toolConfig).toBeUndefined();
  });

  it('writes the generation config', () => {
    const body = google.buildRequest(
      ir({
        maxTokens: 64,
        temperature: 0.3,
        topP: 0.8,
        topK: 20,
        stop: ['a', 'b', 'c', 'd', 'e', 'f'],
        presencePenalty: 0.5,
        frequencyPenalty: 0.4,
        seed: 1,
        responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false } },
      }),
      'g',
    );
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 64,
      temperature: 0.3,
      topP: 0.8,
      topK: 20,
      stopSequences: ['a', 'b', 'c', 'd', 'e'],
      presencePenalty: 0.5,
      frequencyPenalty: 0.4,
      seed: 1,
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { n: { type: 'integer' } } },
    });
    expect(google.buildRequest(ir({ responseFormat: { type: 'json_object' } }), 'g').generationConfig).toEqual({
      responseMimeType: 'application/json',
    });
    expect(google.buildRequest(ir({ responseFormat: { type: 'text' } }), 'g').generationConfig).toBeUndefined();
  });

  it.each([
    [{ enabled: true, effort: 'minimal' }, { includeThoughts: true, thinkingLevel: 'LOW' }],
    [{ enabled: true, effort: 'low' }, { includeThoughts: true, thinkingLevel: 'LOW' }],
    [{ enabled: true, effort: 'medium' }, { includeThoughts: true, thinkingLevel: 'MEDIUM' }],
    [{ enabled: true, effort: 'high' }, { includeThoughts: true, thinkingLevel: 'HIGH' }],
    [{ enabled: true, effort: 'xhigh', budgetTokens: 9000 }, { includeThoughts: true, thinkingLevel: 'HIGH' }],
    [{ enabled: true, budgetTokens: 4096 }, { includeThoughts: true, thinkingBudget: 4096 }],
    [{ enabled: true }, { includeThoughts: true }],
    [{ enabled: false, budgetTokens: 4096 }, undefined],
    [{ enabled: true, effort: 'none' }, undefined],
  ] as const)('maps reasoning %j to thinkingConfig %j', (reasoning, thinking) => {
    const body = google.buildRequest(ir({ reasoning }), 'g');
    expect((body.generationConfig as Record<string, unknown> | undefined)?.thinkingConfig).toEqual(thinking);
  });

  it('survives a parse → build round trip of a Gemini body', () => {
    const body = {
      model: 'gemini-3-pro',
      contents: [
        { role: 'user', parts: [{ text: 'list' }] },
        { role: 'model', parts: [{ functionCall: { name: 'ls', args: { d: '.' } }, thoughtSignature: 'S' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'ls', response: { result: 'a b' } } }] },
      ],
      systemInstruction: { parts: [{ text: 'sys' }] },
      generationConfig: { maxOutputTokens: 10, thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' } },
    };
    expect(google.buildRequest(google.parseRequest(body), 'gemini-3-pro')).toEqual(body);
  });
});

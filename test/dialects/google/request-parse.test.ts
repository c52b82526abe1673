import { describe, expect, it } from 'vitest';
import { googleDialect as google } from '../../../src/dialects/google/index.js';
import { GatewayError } from '../../../src/errors.js';

function parseError(body: unknown): GatewayError {
  try {
    google.parseRequest(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected parseRequest to fail');
}

const hello = [{ role: 'user', parts: [{ text: 'hi' }] }];

describe('google parseRequest', () => {
  it('reads model, contents, system instruction and sampling', () => {
    const ir = google.parseRequest({
      model: 'models/gemini-2.5-pro',
      contents: hello,
      systemInstruction: { parts: [{ text: 'be brief' }, { text: 'be kind' }] },
      generationConfig: {
        maxOutputTokens: 100,
        temperature: 0.5,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        seed: 7,
      },
    });
    expect(ir).toEqual({
      model: 'gemini-2.5-pro',
      system: [{ text: 'be brief' }, { text: 'be kind' }],
      messages: [{ role: 'user', parts: [{ kind: 'text', text: 'hi' }] }],
      tools: [],
      stream: false,
      extensions: {},
      maxTokens: 100,
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 7,
    });
  });

  it('accepts snake_case field names as proto JSON allows', () => {
    const ir = google.parseRequest({
      model: 'gemini-3-flash',
      contents: [{ role: 'user', parts: [{ inline_data: { mime_type: 'image/png', data: 'AAA' } }] }],
      system_instruction: { parts: [{ text: 'sys' }] },
      generation_config: { max_output_tokens: 5, thinking_config: { thinking_level: 'high', include_thoughts: true } },
      tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['f'] } },
      tools: [{ function_declarations: [{ name: 'f', parameters_json_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }] }],
    });
    expect(ir.system).toEqual([{ text: 'sys' }]);
    expect(ir.messages[0]?.parts).toEqual([{ kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'AAA' } }]);
    expect(ir.maxTokens).toBe(5);
    expect(ir.reasoning).toEqual({ enabled: true, effort: 'high' });
    expect(ir.toolChoice).toEqual({ type: 'tool', name: 'f' });
    // Property names inside a schema are data, never renamed.
    expect(ir.tools[0]?.parameters).toEqual({ type: 'object', properties: { file_path: { type: 'string' } } });
  });

  it('takes a plain string system instruction and the non-standard stream flag', () => {
    const ir = google.parseRequest({ model: 'g', contents: hello, systemInstruction: 'sys', stream: true });
    expect(ir.system).toEqual([{ text: 'sys' }]);
    expect(ir.stream).toBe(true);
  });

  it('turns thought parts into signed thinking and model turns into assistant messages', () => {
    const ir = google.parseRequest({
      model: 'g',
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        { role: 'model', parts: [{ text: 'plan', thought: true, thoughtSignature: 'sig1' }, { text: 'answer' }] },
      ],
    });
    expect(ir.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { kind: 'thinking', text: 'plan', signature: 'sig1' },
        { kind: 'text', text: 'answer' },
      ],
    });
  });

  it('maps inline files, file URIs and images by media type', () => {
    const ir = google.parseRequest({
      model: 'g',
      contents: [
        {
          role: 'user',
          parts: [
            { inlineData: { mimeType: 'application/pdf', data: 'JVBE' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://x/a.jpg' } },
            { fileData: { fileUri: 'https://x/doc.pdf' } },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.parts).toEqual([
      { kind: 'file', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBE' } },
      { kind: 'image', source: { type: 'url', url: 'https://x/a.jpg' } },
      { kind: 'file', source: { type: 'url', url: 'https://x/doc.pdf' } },
    ]);
  });

  it('gives calls without ids deterministic ids and pairs responses with the earliest open call of that name', () => {
    const body = {
      model: 'g',
      contents: [
        { role: 'user', parts: [{ text: 'go' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'read', args: { p: 'a' } }, thoughtSignature: 'sigA' },
            { functionCall: { name: 'read', args: { p: 'b' } } },
            { functionCall: { name: 'ls', args: {}, id: 'given' } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'ls', id: 'given', response: { output: 'x y' } } },
            { functionResponse: { name: 'read', response: { result: 'A' } } },
            { functionResponse: { name: 'read', response: { lines: 2, text: 'B' } } },
          ],
        },
      ],
    };
    const ir = google.parseRequest(body);
    expect(ir.messages[1]?.parts).toEqual([
      { kind: 'tool_call', id: 'call_1_0', name: 'read', arguments: '{"p":"a"}', signature: 'sigA' },
      { kind: 'tool_call', id: 'call_1_1', name: 'read', arguments: '{"p":"b"}' },
      { kind: 'tool_call', id: 'given', name: 'ls', arguments: '{}' },
    ]);
    expect(ir.messages[2]?.parts).toEqual([
      { kind: 'tool_result', callId: 'given', name: 'ls', content: [{ kind: 'text', text: 'x y' }] },
      { kind: 'tool_result', callId: 'call_1_0', name: 'read', content: [{ kind: 'text', text: 'A' }] },
      { kind: 'tool_result', callId: 'call_1_1', name: 'read', content: [{ kind: 'text', text: '{"lines":2,"text":"B"}' }] },
    ]);
    expect(google.parseRequest(body)).toEqual(ir);
  });

  it('reads an {error} response as an error result and keeps images sent with a function response', () => {
    const ir = google.parseRequest({
      model: 'g',
      contents: [
        { role: 'model', parts: [{ functionCall: { name: 'shot' } }] },
        {
          role: 'function',
          parts: [{ functionResponse: { name: 'shot', response: { error: 'boom' }, parts: [{ inlineData: { mimeType: 'image/png', data: 'PNG' } }] } }],
        },
      ],
    });
    expect(ir.messages[1]).toEqual({
      role: 'user',
      parts: [
        {
          kind: 'tool_result',
          callId: 'call_0_0',
          name: 'shot',
          isError: true,
          content: [
            { kind: 'text', text: 'boom' },
            { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'PNG' } },
          ],
        },
      ],
    });
  });

  it('keeps function declarations only, converting Gemini schemas to JSON Schema', () => {
    const ir = google.parseRequest({
      model: 'g',
      contents: hello,
      tools: [
        { googleSearch: {} },
        { codeExecution: {} },
        {
          functionDeclarations: [
            { name: 'f', description: 'does f', parameters: { type: 'OBJECT', properties: { n: { type: 'INTEGER', nullable: true } } } },
            { name: 'g' },
          ],
        },
      ],
    });
    expect(ir.tools).toEqual([
      { name: 'f', description: 'does f', parameters: { type: 'object', properties: { n: { type: ['integer', 'null'] } } } },
      { name: 'g', parameters: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    [{ mode: 'AUTO' }, { type: 'auto' }],
    [{ mode: 'ANY' }, { type: 'required' }],
    [{ mode: 'ANY', allowedFunctionNames: ['a', 'b'] }, { type: 'required' }],
    [{ mode: 'ANY', allowedFunctionNames: ['a'] }, { type: 'tool', name: 'a' }],
    [{ mode: 'NONE' }, { type: 'none' }],
    [{ mode: 'MODE_UNSPECIFIED' }, undefined],
  ])('maps functionCallingConfig %j to tool choice %j', (config, choice) => {
    const ir = google.parseRequest({ model: 'g', contents: hello, toolConfig: { functionCallingConfig: config } });
    expect(ir.toolChoice).toEqual(choice);
  });

  it.each([
    [{ thinkingBudget: 0 }, { enabled: false }],
    [{ thinkingBudget: 2048, includeThoughts: true }, { enabled: true, budgetTokens: 2048 }],
    [{ thinkingBudget: -1 }, { enabled: true }],
    [{ thinkingLevel: 'LOW' }, { enabled: true, effort: 'low' }],
    [{ thinkingLevel: 'MINIMAL' }, { enabled: true, effort: 'minimal' }],
    [{ includeThoughts: true }, { enabled: true }],
    [{ includeThoughts: false }, undefined],
  ])('maps thinkingConfig %j to reasoning %j', (config, reasoning) => {
    const ir = google.parseRequest({ model: 'g', contents: hello, generationConfig: { thinkingConfig: config } });
    expect(ir.reasoning).toEqual(reasoning);
  });

  it('maps JSON output to a response format', () => {
    const parse = (gen: object) => google.parseRequest({ model: 'g', contents: hello, generationConfig: gen }).responseFormat;
    expect(parse({ responseMimeType: 'application/json' })).toEqual({ type: 'json_object' });
    expect(parse({ responseMimeType: 'application/json', responseSchema: { type: 'OBJECT' } })).toEqual({
      type: 'json_schema',
      name: 'response',
      schema: { type: 'object' },
    });
    expect(parse({ responseMimeType: 'application/json', responseJsonSchema: { type: 'array' } })).toEqual({
      type: 'json_schema',
      name: 'response',
      schema: { type: 'array' },
    });
    expect(parse({ responseMimeType: 'text/plain' })).toBeUndefined();
  });

  it('ignores unknown fields and null values', () => {
    const ir = google.parseRequest({ model: 'g', contents: hello, safetySettings: [], cachedContent: null, labels: { a: 'b' } });
    expect(ir.messages).toHaveLength(1);
  });

  it.each([
    [{ contents: hello }, 'model'],
    [{ model: 'g' }, 'contents'],
    [{ model: 'g', contents: 'hello' }, 'contents'],
    [{ model: 'g', contents: [{ role: 'user', parts: [{ text: 5 }] }] }, 'contents.0.parts.0.text'],
    [{ model: 'g', contents: hello, generationConfig: { temperature: 'hot' } }, 'generationConfig.temperature'],
    [{ model: 'g', contents: hello, tools: [{ functionDeclarations: [{ description: 'x' }] }] }, 'tools.0.functionDeclarations.0.name'],
  ])('rejects %j as invalid_request naming %s', (body, param) => {
    const err = parseError(body);
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe(param);
  });

  it('rejects a body that is not an object', () => {
    expect(parseError('hello').code).toBe('invalid_request');
    expect(parseError(null).code).toBe('invalid_request');
  });
});

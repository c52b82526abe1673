import { describe, expect, it } from 'vitest';
import { cleanSchema, jsonSchemaFromGoogle } from '../../src/dialect-kit/openapi-schema.js';

describe('google cleanSchema', () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    [
      'keeps the supported keywords',
      {
        type: 'object',
        title: 'T',
        description: 'd',
        properties: { list: { type: 'array', items: { type: 'number', minimum: 0, maximum: 9 }, minItems: 1, maxItems: 3 } },
        required: ['list'],
      },
      {
        type: 'object',
        title: 'T',
        description: 'd',
        properties: { list: { type: 'array', items: { type: 'number', minimum: 0, maximum: 9 }, minItems: 1, maxItems: 3 } },
        required: ['list'],
      },
    ],
    [
      'drops keywords Gemini rejects',
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'x',
        type: 'object',
        additionalProperties: false,
        properties: { s: { type: 'string', default: 'a', examples: ['b'], pattern: '^a', exclusiveMinimum: 1 } },
      },
      { type: 'object', properties: { s: { type: 'string' } } },
    ],
    [
      'keeps only string formats Gemini knows',
      {
        type: 'object',
        properties: {
          when: { type: 'string', format: 'date-time' },
          uri: { type: 'string', format: 'uri' },
          n: { type: 'integer', format: 'int32' },
        },
      },
      { type: 'object', properties: { when: { type: 'string', format: 'date-time' }, uri: { type: 'string' }, n: { type: 'integer' } } },
    ],
    [
      'keeps required names that exist in properties only',
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] },
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    ],
    ['leaves an object with no properties bare', { type: 'object', properties: {}, required: [] }, { type: 'object' }],
    ['turns a type list with null into nullable', { type: ['string', 'null'] }, { type: 'string', nullable: true }],
    [
      'turns a type list of several types into anyOf',
      { type: ['string', 'integer'], description: 'either' },
      { description: 'either', anyOf: [{ type: 'string', description: 'either' }, { type: 'integer', description: 'either' }] },
    ],
    [
      'inlines a single variant beside null and marks it nullable',
      { anyOf: [{ type: 'integer' }, { type: 'null' }], description: 'count' },
      { type: 'integer', description: 'count', nullable: true },
    ],
    ['turns oneOf into anyOf', { oneOf: [{ type: 'string' }, { type: 'number' }] }, { anyOf: [{ type: 'string' }, { type: 'number' }] }],
    ['stringifies enum values', { type: 'integer', enum: [1, 2, null] }, { type: 'string', enum: ['1', '2'], nullable: true }],
    ['turns const into a one-value enum', { const: 'fixed' }, { type: 'string', enum: ['fixed'] }],
    [
      'inlines local $ref from $defs and definitions',
      {
        type: 'object',
        properties: { a: { $ref: '#/$defs/A' }, b: { $ref: '#/definitions/B', description: 'the b' } },
        $defs: { A: { type: 'string' } },
        definitions: { B: { type: 'object', properties: { x: { type: 'boolean' } } } },
      },
      {
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'object', description: 'the b', properties: { x: { type: 'boolean' } } } },
      },
    ],
    [
      'cuts a recursive $ref to an opaque object',
      { type: 'object', properties: { child: { $ref: '#' } } },
      { type: 'object', properties: { child: { type: 'object', properties: { child: { type: 'object' } } } } },
    ],
    ['drops a $ref that cannot be resolved', { $ref: 'https://example.com/schema.json', description: 'remote' }, { description: 'remote' }],
    [
      'merges allOf parts',
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number' } } }] },
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] },
    ],
    ['takes the first schema of a tuple items list', { type: 'array', items: [{ type: 'string' }] }, { type: 'array', items: { type: 'string' } }],
    ['turns a boolean schema into an empty one', true, {}],
  ])('%s', (_name, input, expected) => {
    expect(cleanSchema(input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = { type: ['string', 'null'], $defs: { A: { type: 'string' } } };
    const copy = structuredClone(input);
    cleanSchema(input);
    expect(input).toEqual(copy);
  });
});

describe('google jsonSchemaFromGoogle', () => {
  it('lower-cases types, turns nullable into a null type and drops Gemini-only keys', () => {
    expect(
      jsonSchemaFromGoogle({
        type: 'OBJECT',
        propertyOrdering: ['a'],
        properties: {
          a: { type: 'STRING', format: 'enum', enum: ['x'], nullable: true },
          b: { type: 'ARRAY', items: { type: 'NUMBER' } },
          c: { anyOf: [{ type: 'INTEGER' }, { type: 'BOOLEAN' }] },
        },
        required: ['a'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        a: { type: ['string', 'null'], enum: ['x', null] },
        b: { type: 'array', items: { type: 'number' } },
        c: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] },
      },
      required: ['a'],
    });
  });
});

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The dependency arrows of docs/ARCHITECTURE.md ("Layers"): for each folder of src/, the
 * folders of src/ and the packages it must not import. A folder not listed here is free.
 */
const LAYERS = {
  dialects: {
    folders: ['pipeline', 'routes', 'keys', 'upstream', 'state', 'cluster', 'web'],
    packages: ['fastify', 'undici'],
    why: 'a dialect is pure conversion over the IR: no transport, credentials, storage or routes',
  },
  'dialect-kit': {
    folders: ['pipeline', 'routes', 'keys', 'upstream', 'state', 'cluster', 'web'],
    packages: ['fastify', 'undici'],
    why: 'the dialects\' shared pieces are pure conversion too',
  },
  upstream: {
    folders: ['pipeline', 'routes', 'state', 'cluster', 'web'],
    why: 'upstream/ is the HTTP client the pipeline calls; it never calls back up',
  },
  keys: {
    folders: ['pipeline', 'routes', 'upstream', 'dialects', 'dialect-kit', 'web'],
    why: 'keys/ hands out credentials and keeps their health; it knows no request or dialect',
  },
  state: {
    folders: ['pipeline', 'routes', 'upstream', 'keys', 'dialects', 'dialect-kit', 'web'],
    why: 'state/ stores records; it knows nothing of what uses it',
  },
};

/** One `no-restricted-imports` block per listed folder (flat config keeps only the last block's options for a rule). */
function layerRules() {
  const blocks = Object.entries(LAYERS).map(([folder, layer]) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      // no-restricted-imports sees static imports and re-exports; a dynamic import() is caught here.
      'no-restricted-syntax': [
        'error',
        {
          selector: `ImportExpression[source.value=/^(\\.\\.\\/)+(${layer.folders.join('|')})(\\/|$)/]`,
          message: `src/${folder}/ must not import from src/{${layer.folders.join(',')}}/: ${layer.why}.`,
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: (layer.packages ?? []).map((name) => ({ name, message: `src/${folder}/ must not import ${name}: ${layer.why}.` })),
          patterns: [
            {
              regex: `^(\\.\\./)+(${layer.folders.join('|')})(/|$)`,
              message: `src/${folder}/ must not import from src/{${layer.folders.join(',')}}/: ${layer.why}.`,
            },
          ],
        },
      ],
    },
  }));
  // runtime/ (clock, ids, timers, guards) sits under everything: it imports no other part of src/.
  blocks.push({
    files: ['src/runtime/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression[source.value=/^\\.\\.\\//]', message: 'src/runtime/ must not import from the rest of src/: every layer uses it, so it uses none.' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'src/runtime/ must not import from the rest of src/: every layer uses it, so it uses none.' }] },
      ],
    },
  });
  return blocks;
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '.work/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['bench/**', 'scripts/**', 'test/fake-factory/main.ts', 'test/fake-factory/capture-fixtures.ts'],
    rules: { 'no-console': 'off' },
  },
  ...layerRules(),
);

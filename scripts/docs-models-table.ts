/**
 * The model table both READMEs carry, rendered from config.json: `npm run docs:models`
 * writes it between the markers, `--check` and test/docs/models.test.ts fail when it drifts.
 * The thinking column comes from the code that decides it (dialects/anthropic/maps.ts), so
 * the README cannot promise a form the gateway does not send.
 */
import type { ConfigFile, ModelConfig, ModelType } from '../src/config/schema.js';
import { thinkingStyle } from '../src/dialects/anthropic/maps.js';

export type DocLanguage = 'en' | 'zh';

export const MODELS_START = '<!-- models:start (generated from config.json by `npm run docs:models`; do not edit) -->';
export const MODELS_END = '<!-- models:end -->';

const WORDS = {
  en: {
    header: '| id | name | upstream | provider | `reasoning` | thinking the gateway sends |',
    fast: ' (fast)',
    gap: ' ',
    off: 'none: removed',
    auto: "`auto` (the client's own)",
    forced: (level: string) => `forced to \`${level}\``,
    adaptiveOnly: 'adaptive only (`output_config.effort`)',
    adaptive: 'adaptive (`output_config.effort`)',
    budget: 'budget (`budget_tokens`)',
    retired: 'Retired ids keep working as redirects to their successors, with one warning in the log at their first use:',
    aliases: 'Aliases (redirects, no warning):',
    sep: ', ',
    end: '.',
  },
  zh: {
    header: '| id | 名称 | 上游 | provider | `reasoning` | 网关发送的思考形式 |',
    fast: '（快速）',
    gap: '',
    off: '无：移除',
    auto: '`auto`（客户端自己的设置）',
    forced: (level: string) => `强制为 \`${level}\``,
    adaptiveOnly: '仅自适应（`output_config.effort`）',
    adaptive: '自适应（`output_config.effort`）',
    budget: '预算（`budget_tokens`）',
    retired: '已下线的模型 id 仍可使用，会重定向到后继模型，并在首次使用时在日志中警告一次：',
    aliases: '别名（重定向，不警告）：',
    sep: '、',
    end: '。',
  },
} as const;

/** The wire field that carries a thinking level to each upstream type (Claude's depends on the model). */
function thinkingForm(model: ModelConfig, lang: DocLanguage): string {
  const w = WORDS[lang];
  if (model.reasoning === 'off') return w.off;
  const forms: Record<ModelType, () => string> = {
    anthropic: () => ({ 'adaptive-only': w.adaptiveOnly, adaptive: w.adaptive, budget: w.budget })[thinkingStyle(model.id)],
    openai: () => '`reasoning.effort`',
    google: () => '`thinkingLevel`',
    common: () => '`reasoning_effort`',
  };
  return forms[model.type]();
}

function reasoningCell(model: ModelConfig, lang: DocLanguage): string {
  const w = WORDS[lang];
  if (model.reasoning === 'auto') return w.auto;
  if (model.reasoning === 'off') return '`off`';
  return w.forced(model.reasoning);
}

/** The upstream path of a type, from its endpoint: `/a/v1/messages` for Factory's Anthropic one. */
function upstreamCell(config: ConfigFile, type: ModelType): string {
  const endpoint = config.endpoint.find((e) => e.name === type);
  const path = endpoint ? new URL(endpoint.base_url).pathname.replace(/^\/api\/llm/, '') : '';
  return path ? `${type} (\`${path}\`)` : type;
}

const redirectList = (pairs: Array<[string, string]>, lang: DocLanguage) =>
  pairs.map(([from, to]) => `\`${from}\` → \`${to}\``).join(WORDS[lang].sep) + WORDS[lang].end;

/** The table and the redirect lines, without the markers. */
export function renderModelTable(config: ConfigFile, lang: DocLanguage): string {
  const w = WORDS[lang];
  const rows = config.models.map((m) => {
    const id = m.fast ? `\`${m.id}\`${w.fast}` : `\`${m.id}\``;
    return `| ${id} | ${m.name ?? ''} | ${upstreamCell(config, m.type)} | ${m.provider ? `\`${m.provider}\`` : ''} | ${reasoningCell(m, lang)} | ${thinkingForm(m, lang)} |`;
  });
  const retired = new Set(config.retired_models);
  const redirects = Object.entries(config.model_redirects);
  const lines = [w.header, '|---|---|---|---|---|---|', ...rows];
  const retiredPairs = redirects.filter(([from]) => retired.has(from));
  const aliasPairs = redirects.filter(([from]) => !retired.has(from));
  if (retiredPairs.length > 0) lines.push('', `${w.retired}${w.gap}${redirectList(retiredPairs, lang)}`);
  if (aliasPairs.length > 0) lines.push('', `${w.aliases}${w.gap}${redirectList(aliasPairs, lang)}`);
  return lines.join('\n');
}

/** The document with the text between its model markers replaced; throws when a marker is missing. */
export function replaceModelTable(document: string, table: string, name: string): string {
  const start = document.indexOf(MODELS_START);
  const end = document.indexOf(MODELS_END);
  if (start < 0 || end < start) throw new Error(`${name}: the model table markers are missing (${MODELS_START} … ${MODELS_END})`);
  return `${document.slice(0, start + MODELS_START.length)}\n${table}\n${document.slice(end)}`;
}

/** Both READMEs, each with the table in its language. */
export const MODEL_TABLE_DOCUMENTS: ReadonlyArray<{ file: string; lang: DocLanguage }> = [
  { file: 'README.md', lang: 'en' },
  { file: 'README.zh-CN.md', lang: 'zh' },
];

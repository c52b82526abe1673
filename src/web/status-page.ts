import { createHash } from 'node:crypto';
import { STATUS_SCRIPT } from './status-script.js';
import { STATUS_STYLE } from './status-style.js';
import type { StatusDocument } from '../routes/status-data.js';
import { escapeHtml, keyRows, summaryCards, warningList } from './status-snapshot.js';

export interface StatusPage {
  html: string;
  /** Allows exactly the inline style and script of this page (by hash) and fetches to itself. */
  contentSecurityPolicy: string;
}

const COLUMNS: ReadonlyArray<[string, string]> = [
  ['Key', ''], ['Fingerprint', ''], ['Status', ''], ['Reason', ''], ['Success', 'num'], ['Failure', 'num'],
  ['Rate', 'num'], ['429', 'num'], ['5xx', 'num'], ['Tokens in', 'num'], ['Tokens out', 'num'],
  ['Last used', ''], ['Cooling until', ''], ['Allowance', 'allowance'],
];

const INTERVALS: ReadonlyArray<[string, string]> = [['2', '2 s'], ['5', '5 s'], ['10', '10 s'], ['30', '30 s'], ['0', 'off']];

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

function headerRow(admin: boolean): string {
  const cells = COLUMNS.map(([label, cls]) => (cls ? `<th class="${cls}">${label}</th>` : `<th>${label}</th>`));
  if (admin) cells.push('<th>Actions</th>');
  return `<tr>${cells.join('')}</tr>`;
}

/**
 * The self-contained dashboard (no external assets). With `doc`, the summary, the key table
 * and the start-up warnings are rendered on the server (readable without JavaScript); the
 * script then keeps them live from status.json. `admin` adds the Reinstate / Reset controls.
 */
export function statusPage(admin: boolean, doc?: StatusDocument): StatusPage {
  const options = INTERVALS.map(([value, label]) => `<option value="${value}"${value === '5' ? ' selected' : ''}>${label}</option>`).join('');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>droid2api status</title>
<link rel="icon" href="data:,">
<style>${STATUS_STYLE}</style>
</head>
<body data-admin="${admin ? '1' : '0'}">
<header>
  <div>
    <h1>droid2api <span id="version" class="muted">${doc ? `v${escapeHtml(doc.version)}` : ''}</span></h1>
    <p id="source" class="muted">${doc ? escapeHtml(doc.source) : 'Loading…'}</p>
  </div>
  <div class="controls">
    <span id="updated" class="muted"></span>
    <label>Refresh <select id="interval">${options}</select></label>
    <button id="refresh-now" type="button">Refresh now</button>
  </div>
</header>
<main>
  <noscript><p class="message">A snapshot taken when the page loaded: the live view (auto-refresh, admin actions) needs JavaScript.</p></noscript>
  <p id="message" class="message" role="status" hidden></p>
  ${doc ? warningList(doc.warnings) : ''}
  <section id="summary" class="cards" aria-label="Summary">${doc ? summaryCards(doc) : ''}</section>
  <section id="refresh" class="panel" hidden><h2>Refresh token</h2><dl id="refresh-stats"></dl></section>
  <section id="admin" class="panel" hidden>
    <h2>Admin</h2>
    <div class="admin-row">
      <label>Admin key <input id="admin-key" type="password" autocomplete="off" spellcheck="false"></label>
      <button id="admin-forget" type="button">Forget</button>
      <button id="reset-all" type="button">Reset all counters</button>
      <span class="muted">Kept in this tab only (sessionStorage).</span>
    </div>
  </section>
  <section class="panel">
    <h2>Keys</h2>
    <div class="table-wrap"><table id="keys"><thead>${headerRow(admin)}</thead><tbody>${doc ? keyRows(doc, admin) : ''}</tbody></table></div>
  </section>
</main>
<script>${STATUS_SCRIPT}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `style-src ${sha256(STATUS_STYLE)}`,
    `script-src ${sha256(STATUS_SCRIPT)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

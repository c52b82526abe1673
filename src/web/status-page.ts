import { fillTemplate, type WebAssets } from './assets.js';
import type { StatusDocument } from '../routes/status-data.js';
import { escapeHtml, keyHead, keyRows, summaryCards, warningList } from './status-snapshot.js';

export interface StatusPage {
  html: string;
  contentSecurityPolicy: string;
}

/**
 * Scripts and styles only from this origin (the files under /status/assets/), no inline
 * script or style element; fetches to this origin only. uPlot sizes its canvas through the
 * CSSOM, which style-src does not restrict.
 */
export const STATUS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Assets sit under /status/assets/; the page is /status, so its links are relative to it. */
const BASE = 'status/assets/';

/**
 * The dashboard. With `doc`, the summary, the key table and the start-up warnings are
 * rendered on the server (readable without JavaScript); the script then keeps them live
 * from status.json. `admin` adds the Reinstate / Reset controls.
 */
export function statusPage(assets: WebAssets, admin: boolean, doc?: StatusDocument): StatusPage {
  const link = (name: string) => escapeHtml(BASE + assets.link(name));
  const html = fillTemplate(assets.template('status.html'), {
    uplotCss: link('uPlot.min.css'),
    css: link('status.css'),
    uplotJs: link('uPlot.iife.min.js'),
    mainJs: link('main.js'),
    admin: admin ? '1' : '0',
    version: doc ? `v${escapeHtml(doc.version)}` : '',
    source: doc ? escapeHtml(doc.source) : 'Loading…',
    warnings: doc ? warningList(doc.warnings) : '',
    summary: doc ? summaryCards(doc) : '',
    keyHead: keyHead(admin),
    keyRows: doc ? keyRows(doc, admin) : '',
  });
  return { html, contentSecurityPolicy: STATUS_CSP };
}

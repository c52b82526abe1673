import { fillTemplate, type WebAssets } from './assets.js';
import { escapeHtml } from './status-snapshot.js';

/** The CSP of the sign-in pages: their stylesheet from this origin, forms to this origin only, no script. */
export const SIGN_IN_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Links on these pages are relative (they work behind a path prefix): `assetBase` is the way from the page to /status/assets/. */
export interface SignInOptions {
  what: 'admin key' | 'gateway API key';
  message?: string;
  action: string;
  assetBase: string;
}

/**
 * /status for a visitor not signed in: a form, no figures, no key fragments, no settings.
 * A plain form POST, so it works without JavaScript; the key goes in the body, never the URL.
 */
export function signInPage(assets: WebAssets, options: SignInOptions): string {
  const form = fillTemplate(assets.template('sign-in-form.html'), {
    what: escapeHtml(options.what),
    message: options.message ? `<p class="msg" role="alert">${escapeHtml(options.message)}</p>\n` : '',
    action: escapeHtml(options.action),
    label: escapeHtml(`${options.what[0]!.toUpperCase()}${options.what.slice(1)}`),
  });
  return signPage(assets, 'sign in', options.assetBase, form);
}

/** The sign-out confirmation: a form, since leaving changes state. */
export function signOutPage(assets: WebAssets, options: { action: string; assetBase: string }): string {
  return signPage(assets, 'sign out', options.assetBase, fillTemplate(assets.template('sign-out-form.html'), { action: escapeHtml(options.action) }));
}

/** The frame both pages share, around `content` (already escaped HTML). */
function signPage(assets: WebAssets, title: string, assetBase: string, content: string): string {
  return fillTemplate(assets.template('sign-page.html'), { title: escapeHtml(title), css: escapeHtml(assetBase + assets.link('sign-in.css')), content });
}

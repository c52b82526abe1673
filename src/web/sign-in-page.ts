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
  return fillTemplate(assets.template('sign-in.html'), {
    css: escapeHtml(options.assetBase + assets.link('sign-in.css')),
    what: escapeHtml(options.what),
    message: options.message ? `<p class="msg" role="alert">${escapeHtml(options.message)}</p>\n` : '',
    action: escapeHtml(options.action),
    label: escapeHtml(`${options.what[0]!.toUpperCase()}${options.what.slice(1)}`),
  });
}

/** The sign-out confirmation: a form, since leaving changes state. */
export function signOutPage(assets: WebAssets, options: { action: string; assetBase: string }): string {
  return fillTemplate(assets.template('sign-out.html'), {
    css: escapeHtml(options.assetBase + assets.link('sign-in.css')),
    action: escapeHtml(options.action),
  });
}

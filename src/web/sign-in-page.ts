import { createHash } from 'node:crypto';

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f7f9;color:#1d2330}
main{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:28px 32px;width:min(360px,90vw)}
h1{font-size:18px;margin:0 0 12px}label{display:block;margin:12px 0 4px}input{width:100%;box-sizing:border-box;padding:8px;font:inherit}
button{margin-top:16px;padding:8px 16px;font:inherit}.msg{color:#a02020}`;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The CSP of the gateway's own small pages: their one inline style, forms to this origin only. */
export const SIGN_IN_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function shell(body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>droid2api: sign in</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>droid2api status</h1>
${body}
</main>
</body>
</html>
`;
}

/**
 * /status for a visitor not signed in: a form, no figures, no key fragments, no settings.
 * A plain form POST, so it works without JavaScript; the key goes in the body, never the URL.
 * `action` is relative so the page works behind a path prefix.
 */
export function signInPage(options: { what: 'admin key' | 'gateway API key'; message?: string; action: string }): string {
  const message = options.message ? `<p class="msg" role="alert">${escape(options.message)}</p>\n` : '';
  const label = `${options.what[0]!.toUpperCase()}${options.what.slice(1)}`;
  return shell(`<p>Sign in with the ${options.what} to see the status.</p>
${message}<form method="post" action="${escape(options.action)}">
<label for="key">${label}</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>`);
}

/** The sign-out confirmation: a form, since leaving changes state. */
export function signOutPage(action: string): string {
  return shell(`<form method="post" action="${escape(action)}"><button type="submit">Sign out</button></form>`);
}

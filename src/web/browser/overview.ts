import { byId, el, facts } from './dom.js';
import { count, rate, span, tokens, type ServerClock } from './format.js';
import type { Configuration, StatusDocument } from './types.js';

function card(label: string, value: string, cls = ''): HTMLDivElement {
  const c = el('div', `card${cls ? ` ${cls}` : ''}`);
  c.append(el('div', 'label', label), el('div', 'value', value));
  return c;
}

/** The summary cards, the header's version and source line. */
export function renderSummary(doc: StatusDocument, clock: ServerClock): void {
  const t = doc.totals;
  const total = t.success + t.failure;
  const cards = [
    card('Keys', count(t.keys)), card('Active', count(t.active), 'active'),
    card('Cooling', count(t.cooling), 'cooling'), card('Disabled', count(t.disabled), 'disabled'),
    card('Retired', count(t.retired), 'retired'), card('Success', count(t.success)),
    card('Failure', count(t.failure)), card('Success rate', rate(total ? t.success / total : null)),
    card('Tokens in', tokens(t.tokensIn)), card('Tokens out', tokens(t.tokensOut)),
  ];
  const a = doc.allowance;
  if (a) {
    const next = a.nextResets[0];
    cards.push(card('Tokens left', a.keysKnown ? tokens(a.tokensLeft) : 'unknown'));
    cards.push(card('Next reset', next ? `in ${span(next.at - clock.now())} (${next.keys.length})` : '–'));
  }
  byId('summary').replaceChildren(...cards);
  byId('version').textContent = `v${doc.version}`;
  // The pool's own description already names its rotation; the 402 policy is not in it.
  byId('source').textContent = `${doc.source} · ${doc.removeOn402 ? 'keys answering 402 are retired' : 'keys answering 402 rest for an hour'}`;
}

const yesNo = (b: boolean): string => (b ? 'on' : 'off');

/** "2 live", naming the versions when a rolling upgrade runs more than one. */
function processesSeen(processes: Configuration['processes']): string {
  if (processes === null) return 'unknown (state store unreachable)';
  const versions = [...new Set(processes.map((p) => p.version))];
  return `${count(processes.length)} live${versions.length > 1 ? ` (versions ${versions.join(', ')})` : ''}`;
}

/** The configuration card: how the gateway is set up, at a glance. */
export function renderConfiguration(doc: StatusDocument): void {
  const c = doc.configuration;
  const section = byId('configuration');
  section.hidden = !c;
  if (!c) return;
  const states = Object.entries(c.keysByState).map(([state, n]) => `${count(n)} ${state}`).join(' · ');
  facts(byId('configuration-list'), [
    ['Credential mode', c.credentialMode],
    ['Rotation', c.rotation],
    ['Remove on 402', yesNo(c.removeOn402)],
    ['Max attempts', String(c.maxAttempts)],
    ['Session affinity', yesNo(c.sessionAffinity)],
    ['State store', c.store],
    ['Workers', c.workers],
    ['Replicas / workers seen', processesSeen(c.processes)],
    ['Keys', states || 'none'],
    ['Version', doc.version],
    ['Uptime', span(doc.uptimeSeconds * 1000)],
  ]);
}

export function renderRefresh(doc: StatusDocument, clock: ServerClock): void {
  const section = byId('refresh');
  const r = doc.refresh;
  section.hidden = !r;
  if (!r) return;
  facts(byId('refresh-stats'), [
    ['Refreshes', count(r.refreshes)],
    ['Failures', count(r.failures)],
    ['Last refresh', clock.ago(r.lastRefreshAt)],
    ['Last error', r.lastError || '–'],
  ]);
}

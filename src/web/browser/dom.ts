/** Small DOM helpers. Every value from the server reaches the page through textContent, never as HTML. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text?: string | number): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}

export function cell(tr: HTMLTableRowElement, text: string | number, cls = ''): HTMLTableCellElement {
  const td = el('td', cls, text);
  tr.appendChild(td);
  return td;
}

/** A header row: [label, class] pairs. */
export function headRow(columns: ReadonlyArray<readonly [string, string]>): HTMLTableRowElement {
  const tr = el('tr');
  for (const [label, cls] of columns) tr.appendChild(el('th', cls, label));
  return tr;
}

/** A row saying the table has nothing to show, across all its columns. */
export function emptyRow(text: string, columns: number): HTMLTableRowElement {
  const tr = el('tr', 'empty');
  const td = el('td', '', text);
  td.colSpan = columns;
  tr.appendChild(td);
  return tr;
}

export function button(label: string, onClick: () => void, enabled = true): HTMLButtonElement {
  const b = el('button', '', label);
  b.type = 'button';
  b.disabled = !enabled;
  b.addEventListener('click', onClick);
  return b;
}

/** A definition list from [term, value] pairs, each pair in its own box so the boxes can wrap. */
export function facts(dl: HTMLElement, rows: ReadonlyArray<readonly [string, string]>): void {
  dl.replaceChildren(
    ...rows.map(([term, value]) => {
      const pair = el('div');
      pair.append(el('dt', '', term), el('dd', '', value));
      return pair;
    }),
  );
}

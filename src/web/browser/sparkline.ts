const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 96;
const HEIGHT = 22;

function points(values: readonly number[], max: number): string {
  const step = values.length > 1 ? WIDTH / (values.length - 1) : 0;
  return values.map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - 1 - (v / max) * (HEIGHT - 2)).toFixed(1)}`).join(' ');
}

/** A small inline chart of a key's requests (and errors, in red) over the chosen range: SVG, no library. */
export function sparkline(requests: readonly number[], errors: readonly number[], title: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('width', String(WIDTH));
  svg.setAttribute('height', String(HEIGHT));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  const max = Math.max(1, ...requests);
  for (const [values, cls] of [[requests, 'spark-requests'], [errors, 'spark-errors']] as const) {
    if (cls === 'spark-errors' && !values.some((v) => v > 0)) continue;
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('class', cls);
    line.setAttribute('points', points(values, max));
    svg.appendChild(line);
  }
  const t = document.createElementNS(SVG, 'title');
  t.textContent = title;
  svg.appendChild(t);
  return svg;
}

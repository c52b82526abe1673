import type UPlot from 'uplot';
import { byId } from './dom.js';
import { count, ms, tokens } from './format.js';
import type { HistorySeries, SeriesValues } from './types.js';

/** uPlot comes from its own script (uPlot.iife.min.js, served by the gateway), loaded before this module. */
declare global {
  interface Window {
    uPlot?: typeof UPlot;
  }
}

const HEIGHT = 180;

function color(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function axes(format: (v: number) => string): UPlot.Axis[] {
  const stroke = color('--muted');
  const grid = { stroke: color('--line'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, size: 64, values: (_u, splits) => splits.map(format) },
  ];
}

interface ChartSpec {
  id: string;
  /** Series after x: label, colour variable, values from the history, legend value, bars or line. */
  series: Array<{ label: string; color: string; values: (s: SeriesValues) => Array<number | null>; legend?: (s: SeriesValues, i: number) => string; bars?: boolean }>;
  format: (v: number) => string;
  range?: [number, number];
}

const pct = (v: number): string => `${Math.round(v * 100)}%`;

const SPECS: readonly ChartSpec[] = [
  {
    // Stacked by drawing all requests (errors colour) first and the successful ones over them:
    // the red cap of each bar is the errors.
    id: 'chart-requests',
    format: (v) => tokens(v),
    series: [
      { label: 'Errors', color: '--red', values: (s) => s.requests, legend: (s, i) => count(s.errors[i] ?? 0), bars: true },
      { label: 'Successful', color: '--accent', values: (s) => s.requests.map((r, i) => r - (s.errors[i] ?? 0)), bars: true },
    ],
  },
  { id: 'chart-success', format: pct, range: [0, 1], series: [{ label: 'Success rate', color: '--green', values: (s) => s.successRate }] },
  { id: 'chart-tokens', format: (v) => tokens(v), series: [{ label: 'Tokens', color: '--accent', values: (s) => s.tokens, bars: true }] },
  { id: 'chart-ttfb', format: (v) => ms(v), series: [{ label: 'p95 TTFB', color: '--amber', values: (s) => s.ttfbP95Ms }] },
];

function empty(length: number): SeriesValues {
  const zeros = new Array<number>(length).fill(0);
  return { requests: zeros, errors: zeros, tokens: zeros, successRate: zeros.map(() => null), ttfbP95Ms: zeros.map(() => null) };
}

/** The four traffic charts over the chosen range; one uPlot each, resized with their box. */
export class Charts {
  readonly #plots = new Map<string, UPlot>();
  #observer: ResizeObserver | undefined;
  #last: HistorySeries | undefined;

  constructor() {
    // Canvas colours are read from the stylesheet when drawn: redraw when light/dark flips.
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      if (this.#last) this.render(this.#last);
    });
  }

  render(history: HistorySeries): void {
    this.#last = history;
    const lib = window.uPlot;
    if (!lib) throw new Error('uPlot did not load');
    // The 'all' dimension has one value, the empty name.
    const s = history.series[''] ?? empty(history.t.length);
    for (const spec of SPECS) {
      const box = byId(spec.id);
      const data: UPlot.AlignedData = [history.t, ...spec.series.map((x) => x.values(s))];
      // A point is a bucket with something in it: what the browser test looks for.
      box.dataset.points = String(spec.series[0]!.values(s).filter((v) => v !== null && v > 0).length);
      this.#plots.get(spec.id)?.destroy();
      this.#plots.set(spec.id, new lib(this.#options(lib, spec, s, box, history.t), data, box));
    }
    this.#watchSize();
  }

  #options(lib: typeof UPlot, spec: ChartSpec, s: SeriesValues, box: HTMLElement, t: readonly number[]): UPlot.Options {
    const half = t.length > 1 ? (t[1]! - t[0]!) / 2 : 30;
    const bars = lib.paths.bars?.({ size: [0.8, 40] });
    return {
      width: Math.max(240, box.clientWidth),
      height: HEIGHT,
      cursor: { drag: { x: false, y: false } },
      // Half a bucket of room each side, so the first and last bars show whole.
      scales: { x: { time: true, range: (_u, min, max) => [min - half, max + half] }, y: spec.range ? { range: spec.range } : { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: axes(spec.format),
      series: [
        {},
        ...spec.series.map((x): UPlot.Series => ({
          label: x.label,
          stroke: color(x.color),
          fill: x.bars ? color(x.color) : undefined,
          width: x.bars ? 0 : 2,
          spanGaps: !x.bars,
          // Lines mark their points (a lone bucket is a dot); bars need none.
          ...(x.bars ? { points: { show: false } } : {}),
          ...(x.bars && bars ? { paths: bars } : {}),
          value: (_u, v, _si, i) => (x.legend && i !== null ? x.legend(s, i) : v === null || v === undefined ? '–' : spec.format(v)),
        })),
      ],
    };
  }

  #watchSize(): void {
    if (this.#observer) return;
    this.#observer = new ResizeObserver(() => {
      for (const [id, plot] of this.#plots) plot.setSize({ width: Math.max(240, byId(id).clientWidth), height: HEIGHT });
    });
    for (const spec of SPECS) this.#observer.observe(byId(spec.id));
  }
}

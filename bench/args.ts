/** Command-line flags of `npm run bench -- …`; the defaults keep a full run around 4 minutes. */
import { parseArgs } from 'node:util';
import type { ScenarioId } from './scenarios.js';

export interface BenchArgs {
  /** Seconds per measured run. */
  duration: number;
  /** Seconds of discarded load before each scenario. */
  warmup: number;
  /** Alternating direct/gateway rounds per measurement; the median is reported. */
  rounds: number;
  connections: number;
  bodyKb: number;
  historyKb: number;
  only: ScenarioId[] | undefined;
  streams: number;
  /** Fake pause between SSE events in the open-streams run. */
  streamDelayMs: number;
  pool: boolean;
  /** Measure the bare Node proxy on the pass-through scenarios too. */
  floor: boolean;
  /** Seconds of soak; 0 = no soak. */
  soak: number;
  /** Profile the gateway on this scenario instead of the normal run. */
  profile: ScenarioId | undefined;
  /** Keys of the profiled gateway: 1, or the pool (with its 402 and 429 keys). */
  profileKeys: number;
  logLevel: string;
  out: string | undefined;
}

const USAGE = `npm run bench -- [flags]
  --duration S        seconds per measured run (1.25)
  --rounds N          alternating direct/gateway runs per figure, median reported (3)
  --warmup S          discarded seconds before each scenario and side (3: the gateway's
                      JIT is still warming after 1 s, which showed as a falling c=1 latency)
  --connections N     concurrency of the throughput runs (50)
  --body-kb N         size of the system prompt in KB (2)
  --history-kb N      earlier conversation turns in KB, as agents resend them (0)
  --only a,b          scenario ids (messages-json, messages-stream, chat-anthropic-json,
                      chat-anthropic-stream, responses-stream, chat-responses-stream)
  --streams N         concurrent open streams, 0 to skip (1000)
  --stream-delay MS   fake pause between SSE events in that run (250)
  --no-pool           skip the 100-key pool run
  --no-floor          skip the floor runs (bare node:http proxy, bare Fastify proxy)
  --soak S            soak at the given concurrency for S seconds (off)
  --profile ID        only profile the gateway (node --cpu-prof) on scenario ID, at
                      --connections, for max(--duration, 10) s
  --profile-keys N    keys of the profiled gateway (1; up to 100 = the pool run's keys)
  --log-level L       gateway LOG_LEVEL (info)
  --out FILE          results file (bench/results.json)`;

const IDS: ScenarioId[] = [
  'messages-json',
  'messages-stream',
  'chat-anthropic-json',
  'chat-anthropic-stream',
  'responses-stream',
  'chat-responses-stream',
];

function scenarioId(v: string): ScenarioId {
  const id = IDS.find((x) => x === v);
  if (id === undefined) throw new Error(`unknown scenario ${v}\n${USAGE}`);
  return id;
}

function num(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: not a non-negative number: ${v}\n${USAGE}`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'body-kb': { type: 'string' },
      'history-kb': { type: 'string' },
      only: { type: 'string' },
      streams: { type: 'string' },
      'stream-delay': { type: 'string' },
      'no-pool': { type: 'boolean' },
      'no-floor': { type: 'boolean' },
      soak: { type: 'string' },
      profile: { type: 'string' },
      'profile-keys': { type: 'string' },
      'log-level': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    duration: num(values.duration, 'duration', 1.25),
    warmup: num(values.warmup, 'warmup', 3),
    rounds: Math.max(1, Math.round(num(values.rounds, 'rounds', 3))),
    connections: Math.max(1, Math.round(num(values.connections, 'connections', 50))),
    bodyKb: num(values['body-kb'], 'body-kb', 2),
    historyKb: num(values['history-kb'], 'history-kb', 0),
    only: values.only?.split(',').map((s) => scenarioId(s.trim())),
    streams: Math.round(num(values.streams, 'streams', 1000)),
    streamDelayMs: num(values['stream-delay'], 'stream-delay', 250),
    pool: values['no-pool'] !== true,
    floor: values['no-floor'] !== true,
    soak: num(values.soak, 'soak', 0),
    profile: values.profile === undefined ? undefined : scenarioId(values.profile),
    profileKeys: Math.min(100, Math.max(1, Math.round(num(values['profile-keys'], 'profile-keys', 1)))),
    logLevel: values['log-level'] ?? 'info',
    out: values.out,
  };
}

/** How the body reaches its producer (undici's dispatch controller): flow control and abort. */
export interface BodyFlow {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

/** Bytes held unread before the producer is paused (undici's own default for a body). */
const HIGH_WATER_MARK = 64 * 1024;

type Waiter = { resolve: (read: IteratorResult<Buffer>) => void; reject: (err: unknown) => void };
type Whole = { chunks: Buffer[]; resolve: (bytes: Buffer) => void; reject: (err: unknown) => void };

const DONE: IteratorResult<Buffer> = { done: true, value: undefined };

/**
 * An upstream answer's body, read whole (`bytes`, `text`, `json`) or read by read (async
 * iteration), fed by the upstream call as its bytes arrive. It does the one job undici's
 * Node-stream body did here, without a stream per answer: on the JSON pass-through a
 * Readable, its async iterator and its consumer were a measurable share of the gateway's
 * CPU per request (docs/PERFORMANCE.md).
 *
 * Leaving an iteration early leaves the rest unread: the caller then says what becomes
 * of it, `discard()` (read to its end and dropped, so the connection goes back to the pool)
 * or `cancel()` (the call is aborted).
 */
export class UpstreamBody implements AsyncIterable<Buffer> {
  readonly #flow: BodyFlow | undefined;
  readonly #queue: Buffer[] = [];
  #queuedBytes = 0;
  #paused = false;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #waiter: Waiter | undefined;
  #whole: Whole | undefined;
  #discarding = false;
  #consumed = false;
  #wakeScheduled = false;
  /** For a body made of reads at hand: pushes the next one (or ends the body). */
  #feed: (() => void) | undefined;

  constructor(flow?: BodyFlow) {
    this.#flow = flow;
  }

  /**
   * A body whose reads are these, one read per `next()` as if each had arrived alone
   * (tests, benchmarks, answers built in memory).
   */
  static of(reads: Iterable<Uint8Array | string>): UpstreamBody {
    const body = new UpstreamBody();
    const source = reads[Symbol.iterator]();
    body.#feed = () => {
      const read = source.next();
      if (read.done) body.end();
      else body.push(typeof read.value === 'string' ? Buffer.from(read.value) : Buffer.from(read.value.buffer, read.value.byteOffset, read.value.byteLength));
    };
    return body;
  }

  /** The whole body has arrived (or the call failed): nothing more will be pushed. */
  get ended(): boolean {
    return this.#ended || this.#failure !== undefined;
  }

  // The producer's side.

  push(chunk: Buffer): void {
    if (this.ended || this.#discarding) return;
    if (this.#whole) {
      this.#whole.chunks.push(chunk);
      return;
    }
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#waiter) {
      // Handed over once the current socket read is parsed: the chunks it carries (one per
      // SSE event, often) then go on as one read, and one client write (as a Node stream's read() did).
      if (!this.#wakeScheduled) {
        this.#wakeScheduled = true;
        queueMicrotask(this.#wake);
      }
    } else if (this.#queuedBytes >= HIGH_WATER_MARK && !this.#paused && this.#flow) {
      // A consumer that reads slower than the upstream sends holds the upstream socket back.
      this.#paused = true;
      this.#flow.pause();
    }
  }

  end(): void {
    if (this.ended) return;
    this.#ended = true;
    if (this.#whole) this.#whole.resolve(joined(this.#whole.chunks));
    // A waiter with reads queued for it gets them first (the wake is on its way), then the end.
    if (this.#queue.length === 0) this.#settleWaiter(DONE);
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.#failure = { error };
    this.#whole?.reject(error);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  // The consumer's side.

  /** The whole body (what is left of it, if reads were taken before). */
  bytes(): Promise<Buffer> {
    this.#claim();
    while (this.#feed && !this.ended) this.#feed();
    if (this.#failure) return Promise.reject(this.#failure.error);
    const chunks = this.#queue.splice(0);
    this.#queuedBytes = 0;
    if (this.#ended) return Promise.resolve(joined(chunks));
    return new Promise((resolve, reject) => {
      this.#whole = { chunks, resolve, reject };
      this.#unpause();
    });
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /** Reads the rest and drops it: the connection stays usable for the next call. */
  discard(): void {
    if (this.ended || this.#discarding) return;
    this.#discarding = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#settleWaiter(DONE);
    this.#unpause();
  }

  /** Aborts the call: the rest is not read (a client that went away mid-answer). */
  cancel(reason: Error): void {
    if (this.ended) return;
    this.#flow?.abort(reason);
    this.fail(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    this.#claim();
    return {
      next: () => this.#next(),
      return: () => Promise.resolve(DONE),
    };
  }

  /** The next read: everything that arrived since the last one, as one buffer. */
  #next(): Promise<IteratorResult<Buffer>> {
    if (this.#queue.length === 0 && !this.ended) this.#feed?.();
    if (this.#queue.length > 0) return Promise.resolve({ done: false, value: this.#take() });
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (this.#ended || this.#discarding) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** A body is read once, whole or read by read: two readers would each miss the other's bytes. */
  #claim(): void {
    if (this.#consumed) throw new TypeError('The upstream body has already been read');
    this.#consumed = true;
  }

  readonly #wake = (): void => {
    this.#wakeScheduled = false;
    const waiter = this.#waiter;
    if (waiter === undefined || this.#queue.length === 0) return; // settled meanwhile (failed, discarded)
    this.#waiter = undefined;
    waiter.resolve({ done: false, value: this.#take() });
  };

  #take(): Buffer {
    const chunk = joined(this.#queue);
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#unpause();
    return chunk;
  }

  #settleWaiter(read: IteratorResult<Buffer>): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve(read);
  }

  #unpause(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#flow?.resume();
  }
}

function joined(chunks: Buffer[]): Buffer {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

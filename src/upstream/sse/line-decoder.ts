const LF = 0x0a;
const CR = 0x0d;

/**
 * Bytes to lines. Chunks are appended to a growable buffer and scanned for CR and LF
 * bytes; a line is decoded to text only once it is complete, so a UTF-8 character split
 * across chunks is never decoded in halves. Handles LF, CR and CRLF, including a CR at
 * the end of one chunk whose LF opens the next. Each byte is copied once, so long streams stay linear.
 */
export class LineDecoder {
  /** Holds only the bytes of the current, unfinished line. */
  #buf = new Uint8Array(1024);
  #end = 0;
  /** The previous chunk ended in CR: a leading LF in the next one belongs to it. */
  #pendingCr = false;
  readonly #text = new TextDecoder('utf-8');

  /** Returns the lines completed by this chunk, without their terminators. */
  decode(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let from = 0;
    if (this.#pendingCr && chunk.length > 0) {
      this.#pendingCr = false;
      if (chunk[0] === LF) from = 1;
    }
    for (let i = from; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== LF && byte !== CR) continue;
      this.#append(chunk.subarray(from, i));
      lines.push(this.#take());
      if (byte === CR) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === LF) i++;
        } else {
          this.#pendingCr = true;
        }
      }
      from = i + 1;
    }
    this.#append(chunk.subarray(from));
    return lines;
  }

  /** Returns the unterminated last line, if any, at the end of the stream. */
  flush(): string[] {
    this.#pendingCr = false;
    if (this.#end === 0) return [];
    return [this.#take()];
  }

  #append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.#end + bytes.length > this.#buf.length) {
      const next = new Uint8Array((this.#end + bytes.length) * 2);
      next.set(this.#buf.subarray(0, this.#end));
      this.#buf = next;
    }
    this.#buf.set(bytes, this.#end);
    this.#end += bytes.length;
  }

  #take(): string {
    const line = this.#text.decode(this.#buf.subarray(0, this.#end));
    this.#end = 0;
    return line;
  }
}

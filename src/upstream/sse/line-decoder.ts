const LF = 0x0a;

/**
 * Bytes to lines. Each chunk is decoded once by a streaming TextDecoder, which keeps the
 * bytes of a UTF-8 character split across chunks until the rest arrives, so a character
 * is never decoded in halves; lines are then cut with native string search rather than a
 * loop over bytes. Handles LF, CR and CRLF, including a CR at the end of one chunk whose
 * LF opens the next. Linear in the length of the stream however the lines are cut up.
 */
export class LineDecoder {
  readonly #text = new TextDecoder('utf-8');
  /** The text of the current, unfinished line. */
  #rest = '';
  /** The previous chunk ended in CR: a leading LF in the next one belongs to it. */
  #pendingCr = false;

  /** Returns the lines completed by this chunk, without their terminators. */
  decode(chunk: Uint8Array): string[] {
    return this.#lines(this.#text.decode(chunk, { stream: true }));
  }

  /** Returns the unterminated last line, if any, at the end of the stream. */
  flush(): string[] {
    const lines = this.#lines(this.#text.decode());
    this.#pendingCr = false;
    if (this.#rest !== '') lines.push(this.#rest);
    this.#rest = '';
    return lines;
  }

  #lines(text: string): string[] {
    const lines: string[] = [];
    let from = 0;
    if (this.#pendingCr && text.length > 0) {
      this.#pendingCr = false;
      if (text.charCodeAt(0) === LF) from = 1;
    }
    // The next LF and CR at or after `from`, searched again only once passed: a text with
    // no CR at all is searched for one once, not once per line.
    let lf = text.indexOf('\n', from);
    let cr = text.indexOf('\r', from);
    while (lf !== -1 || cr !== -1) {
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      lines.push(this.#rest + text.slice(from, end));
      this.#rest = '';
      from = end + 1;
      if (end === cr) {
        if (from === text.length) this.#pendingCr = true;
        else if (text.charCodeAt(from) === LF) from += 1;
      }
      if (lf !== -1 && lf < from) lf = text.indexOf('\n', from);
      if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
    }
    if (from < text.length) this.#rest += text.slice(from);
    return lines;
  }
}

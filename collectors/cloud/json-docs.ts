// Top-level JSON values in a text stream, with the line each starts on: one pretty-printed
// document, JSON lines, or objects concatenated without separators (Firehose deliveries of
// CloudWatch Logs subscriptions). A small scanner rather than a streaming JSON library: we only
// need the boundaries (JSON.parse does the parsing), and the line numbers for error messages.

export interface JsonDoc {
  text: string;
  /** line the value starts on, from 1 */
  line: number;
}

const LF = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

export class JsonDocSplitter {
  private buf = '';
  /** scan position in buf */
  private pos = 0;
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private docStart = -1;
  private docLine = 0;
  /** text outside any value on the current line (reported as junk at its end) */
  private junkStart = -1;
  private junkLine = 0;

  constructor(
    private readonly onDoc: (doc: JsonDoc) => void,
    private readonly onJunk: (text: string, line: number, truncated: boolean) => void,
  ) {}

  push(chunk: string): void {
    this.buf += chunk;
    const b = this.buf;
    for (let i = this.pos; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (c === LF) this.line++;
      if (this.docStart < 0) {
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.flushJunk(i);
          this.docStart = i;
          this.docLine = this.line;
          this.depth = 1;
        } else if (c === LF) {
          this.flushJunk(i);
        } else if (c !== 32 && c !== 9 && c !== 13 && this.junkStart < 0) {
          this.junkStart = i;
          this.junkLine = this.line;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.depth === 0) {
          this.onDoc({ text: b.slice(this.docStart, i + 1), line: this.docLine });
          this.docStart = -1;
        }
      }
    }
    // Keep only what is still needed: the open value, or the junk of the current line.
    const keepFrom = this.docStart >= 0 ? this.docStart : this.junkStart >= 0 ? this.junkStart : b.length;
    this.buf = b.slice(keepFrom);
    if (this.docStart >= 0) this.docStart -= keepFrom;
    if (this.junkStart >= 0) this.junkStart -= keepFrom;
    this.pos = this.buf.length;
  }

  /** End of input: an unterminated value or trailing junk is reported as junk. */
  end(): void {
    if (this.docStart >= 0) {
      this.onJunk(this.buf.slice(this.docStart, this.docStart + 200), this.docLine, true);
      this.docStart = -1;
    }
    this.flushJunk(this.buf.length);
    this.buf = '';
    this.pos = 0;
  }

  private flushJunk(i: number) {
    if (this.junkStart < 0) return;
    const text = this.buf.slice(this.junkStart, i).trim();
    if (text) this.onJunk(text, this.junkLine, false);
    this.junkStart = -1;
  }
}

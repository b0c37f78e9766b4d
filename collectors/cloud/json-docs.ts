// Top-level JSON values in a text stream, with the line each starts on: one pretty-printed
// document, JSON lines, or objects concatenated without separators (Firehose deliveries of
// CloudWatch Logs subscriptions). A small scanner rather than a streaming JSON library: we only
// need the boundaries (JSON.parse does the parsing), and the line numbers for error messages.
//
// A broken value must not take the rest of the file with it. Two things end a value that never
// closed, report it as truncated and start afresh: a line break inside a string (JSON strings
// hold no raw line breaks, so the string was cut), and an object opening at the start of a line
// where an object's member was due (one record per line, the previous one cut short: inside an
// object a value follows its key on the same line; inside an array values may start lines).

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

/** A value longer than this (characters) is reported and skipped to the end of its line, not held. */
export const MAX_JSON_VALUE_CHARS = 128 * 1024 * 1024;
/** What a report quotes of a broken value or of junk. */
const QUOTED = 200;
/** The open value began in an earlier chunk (its text so far is in `held`). */
const HELD = -2;

export class JsonDocSplitter {
  private line = 1;
  /** the open containers, innermost last: OPEN_BRACE or OPEN_BRACKET */
  private stack: number[] = [];
  private inString = false;
  private escaped = false;
  /** start of the open value in the current chunk, HELD when it began earlier, -1 when none */
  private docStart = -1;
  private docLine = 0;
  /** the open value's text from earlier chunks: joined once, when it closes (linear, whatever its size) */
  private held: string[] = [];
  private heldChars = 0;
  /** text outside any value on the current line (reported as junk at its end), at most QUOTED of it */
  private junk = '';
  private junkLine = 0;
  /** skipping the rest of a line after a value too long to hold */
  private skipping = false;
  private chunk = '';
  /** the last character of the previous chunk (a line start is seen across chunks) */
  private prev = LF;

  constructor(
    private readonly onDoc: (doc: JsonDoc) => void,
    private readonly onJunk: (text: string, line: number, truncated: boolean) => void,
    private readonly maxValueChars = MAX_JSON_VALUE_CHARS,
  ) {}

  push(chunk: string): void {
    this.chunk = chunk;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      const lineStart = (i > 0 ? chunk.charCodeAt(i - 1) : this.prev) === LF;
      if (c === LF) this.line++;
      if (this.skipping) {
        if (c === LF) this.skipping = false;
        continue;
      }
      if (this.docStart === -1) {
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.flushJunk();
          this.open(i, c);
        } else if (c === LF) {
          this.flushJunk();
        } else if (this.junk || (c !== 32 && c !== 9 && c !== 13)) {
          if (!this.junk) this.junkLine = this.line;
          if (this.junk.length < QUOTED) this.junk += chunk[i];
        }
        continue;
      }
      if (this.inString) {
        if (c === LF) {
          this.truncated(i);
          continue;
        }
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === OPEN_BRACE && lineStart && this.stack[this.stack.length - 1] === OPEN_BRACE) {
        this.truncated(i);
        this.open(i, c);
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.stack.push(c);
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.stack.pop();
        if (this.stack.length === 0) {
          this.onDoc({ text: this.textTo(i + 1), line: this.docLine });
          this.close();
        }
      }
    }
    if (chunk.length) this.prev = chunk.charCodeAt(chunk.length - 1);
    if (this.docStart !== -1) {
      const part = this.docStart === HELD ? chunk : chunk.slice(this.docStart);
      this.held.push(part);
      this.heldChars += part.length;
      this.docStart = HELD;
      if (this.heldChars > this.maxValueChars) {
        this.onJunk(`a JSON value longer than ${this.maxValueChars} characters: ${this.held[0]!.slice(0, QUOTED)}`, this.docLine, true);
        this.close();
        // the rest of its line is the rest of the value
        this.skipping = this.prev !== LF;
      }
    }
    this.chunk = '';
  }

  /** End of input: an unterminated value or trailing junk is reported as junk. */
  end(): void {
    if (this.docStart !== -1) {
      this.onJunk(this.held.join('').slice(0, QUOTED), this.docLine, true);
      this.close();
    }
    this.flushJunk();
  }

  private open(i: number, c: number) {
    this.docStart = i;
    this.docLine = this.line;
    this.stack = [c];
    this.inString = false;
    this.escaped = false;
  }

  private close() {
    this.docStart = -1;
    this.held = [];
    this.heldChars = 0;
    this.stack = [];
    this.inString = false;
    this.escaped = false;
  }

  /** The open value's text up to position `end` of the current chunk. */
  private textTo(end: number): string {
    if (this.docStart !== HELD) return this.chunk.slice(this.docStart, end);
    return this.held.join('') + this.chunk.slice(0, end);
  }

  /** The open value ends unclosed at i: reported as truncated, the scanner back outside any value. */
  private truncated(i: number) {
    const start = this.docStart === HELD ? (this.held[0] ?? '') : this.chunk.slice(this.docStart, i);
    this.onJunk(start.slice(0, QUOTED).split('\n')[0]!.trimEnd(), this.docLine, true);
    this.close();
  }

  private flushJunk() {
    const text = this.junk.trim();
    if (text) this.onJunk(text, this.junkLine, false);
    this.junk = '';
  }
}

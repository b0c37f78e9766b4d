// One file through the parser of its cloud: text lines (AWS) or JSON values (AWS CloudWatch
// JSON, GCP, Azure), chosen by the file's first character, with line numbers for every error.
import { AwsParser } from './aws';
import { AzureConnections, AzureParser } from './azure';
import { forEachLine, MAX_LINE_CHARS, readText } from './files';
import { GcpParser } from './gcp';
import { JsonDocSplitter } from './json-docs';
import type { CloudKind, FileContext, ParseOutput } from './types';

export interface ParseFileOptions {
  /** AWS: the format of files without a header line */
  fields?: readonly string[];
  /** Azure: connections across the files of one import */
  azure?: AzureConnections;
  /** compressed bytes read, for progress */
  onBytes?: (n: number) => void;
  /** awaited after every chunk: back-pressure from the sink */
  between?: () => Promise<void> | void;
  /** stop after the current chunk (Ctrl-C, an aborted watch) */
  shouldStop?: () => boolean;
  /**
   * resume: skip this many units (text lines, or JSON values for JSON files) that a previous,
   * interrupted import of the same file already stored
   */
  skip?: number;
}

export interface ParseFileResult {
  /** lines read */
  lines: number;
  /** units handled (text lines or JSON values): where a resumed import starts */
  position: number;
  /** records read but held back by the parser for a later file (Azure connection starts) */
  held: number;
  /** set when the file is not a flow log of this kind (nothing was read from it) */
  skipped: string | null;
  /** stopped before the end (shouldStop) */
  interrupted: boolean;
}

class Stop extends Error {}

export async function parseFile(kind: CloudKind, ctx: FileContext, out: ParseOutput, opts: ParseFileOptions = {}): Promise<ParseFileResult> {
  const chunks = readText(ctx.path, opts.onBytes);
  const iterator = chunks[Symbol.asyncIterator]();
  // Peek at the first chunk to choose text lines or JSON values.
  let first = await iterator.next();
  while (!first.done && first.value.trim() === '') first = await iterator.next();
  if (first.done) return { lines: 0, position: 0, held: 0, skipped: null, interrupted: false };
  const head = first.value;
  async function* replay() {
    yield head;
    for (;;) {
      const n = await iterator.next();
      if (n.done) return;
      yield n.value;
    }
  }
  const lead = head.trimStart()[0];
  const isJson = lead === '{' || lead === '[';
  const skip = opts.skip ?? 0;
  let interrupted = false;
  const between = async () => {
    if (opts.between) await opts.between();
    if (opts.shouldStop?.()) {
      interrupted = true;
      throw new Stop();
    }
  };

  if (kind === 'aws' && !isJson) {
    const p = new AwsParser(ctx, out, { fields: opts.fields, sniff: skip === 0 });
    let last = skip;
    try {
      await forEachLine(
        replay(),
        (line, n) => {
          last = n;
          if (!p.notFlowLog) p.line(line, n);
        },
        async () => {
          if (p.notFlowLog) throw new Stop();
          await between();
        },
        { startLine: skip, onTooLong: (n, chars) => out.reject(n, `a line of ${chars} characters, longer than any flow-log line (${MAX_LINE_CHARS}): not read`) },
      );
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    if (!interrupted) p.finish();
    return { lines: last, position: last, held: 0, skipped: p.notFlowLog, interrupted };
  }
  if (!isJson) {
    return { lines: 0, position: 0, held: 0, skipped: `not JSON (starts with "${head.trimStart().slice(0, 20)}"): ${kind === 'gcp' ? 'GCP flow logs are Cloud Logging JSON entries' : 'Azure flow logs are JSON blobs'}`, interrupted: false };
  }

  const parser = kind === 'aws' ? new AwsParser(ctx, out, { fields: opts.fields }) : kind === 'gcp' ? new GcpParser(ctx, out) : new AzureParser(ctx, out, opts.azure ?? new AzureConnections());
  let line = 1;
  let docs = 0;
  const splitter = new JsonDocSplitter(
    (doc) => {
      if (++docs <= skip || parser.notFlowLog) return;
      let value: unknown;
      try {
        value = JSON.parse(doc.text);
      } catch (e) {
        out.reject(doc.line, `not valid JSON: ${(e as Error).message}`);
        return;
      }
      parser.json(value, doc.line);
    },
    (text, n, truncated) => {
      if (docs < skip || parser.notFlowLog) return;
      out.reject(n, truncated ? `a JSON value that never ends (file truncated?): ${text.slice(0, 60)}` : `not JSON: "${text.slice(0, 60)}"`);
    },
  );
  try {
    for await (const chunk of replay()) {
      splitter.push(chunk);
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) line++;
      if (parser.notFlowLog) break;
      await between();
    }
    if (!interrupted && !parser.notFlowLog) splitter.end();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  const held = parser instanceof AzureParser ? parser.held : 0;
  if (parser.notFlowLog) return { lines: line, position: docs, held, skipped: parser.notFlowLog, interrupted: false };
  // Values are handled whole as they complete, so a resumed import skips the `docs` done here.
  return { lines: line, position: docs, held, skipped: null, interrupted };
}

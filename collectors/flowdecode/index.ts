// flowdecode: NetFlow v5, NetFlow v9, IPFIX and sFlow v5 decoders. Self-contained (no imports
// outside this directory) and pure apart from the explicit state object: bytes and state in,
// records and errors out. See README.md.
import { decodeNetflow5 } from './netflow5';
import { decodeSflow } from './sflow';
import type { DecoderState } from './state';
import { decodeIpfix, decodeNetflow9 } from './templated';
import type { DatagramSource, DecodeResult, FlowVersion } from './types';

export { DecoderState, type DecoderOptions, type ExpireReport } from './state';
export { DecodedFlow } from './types';
export type { DatagramSource, DecodeError, DecodeErrorCode, DecodeResult, FlowVersion, SequenceReport } from './types';
export { elementInfo, registrySize, PEN, type ElementInfo, type ElementType } from './elements';

function emptyResult(): DecodeResult {
  return { version: null, records: [], errors: [], templates: 0, withdrawals: 0, options: 0, counterSamples: 0, pending: 0, droppedNoTemplate: 0, sequence: [] };
}

/** Which protocol a datagram speaks, from its first bytes (null when none of the four). */
export function detectVersion(b: Uint8Array): FlowVersion | null {
  if (b.length < 4) return null;
  const v16 = (b[0]! << 8) | b[1]!;
  if (v16 === 5) return 'netflow5';
  if (v16 === 9) return 'netflow9';
  if (v16 === 10) return 'ipfix';
  if (v16 === 0 && b[2] === 0 && b[3] === 5) return 'sflow5';
  return null;
}

type Decoder = (b: Uint8Array, src: DatagramSource, state: DecoderState, r: DecodeResult) => void;
const DECODERS: Record<FlowVersion, Decoder> = { netflow5: decodeNetflow5, netflow9: decodeNetflow9, ipfix: decodeIpfix, sflow5: decodeSflow };

function run(decoder: Decoder, b: Uint8Array, src: DatagramSource, state: DecoderState): DecodeResult {
  const r = emptyResult();
  try {
    decoder(b, src, state, r);
  } catch (e) {
    // Every read is bounds-checked; this only catches decoder bugs, so that one datagram is lost, never the collector.
    r.errors.push({ code: 'internal', message: `${r.version ?? 'decoder'}: internal error: ${(e as Error).message}` });
  }
  return r;
}

/** Decode one datagram of any of the four protocols; the version is read from its first bytes. */
export function decode(datagram: Uint8Array, source: DatagramSource, state: DecoderState): DecodeResult {
  const version = detectVersion(datagram);
  if (!version) {
    const r = emptyResult();
    const head = Array.from(datagram.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    r.errors.push({ code: 'version', message: `not NetFlow v5/v9, IPFIX or sFlow v5 (first bytes: ${head || 'none'}, ${datagram.length} bytes)`, offset: 0 });
    return r;
  }
  return run(DECODERS[version], datagram, source, state);
}

export const decodeNetflowV5 = (b: Uint8Array, src: DatagramSource, state: DecoderState) => run(decodeNetflow5, b, src, state);
export const decodeNetflowV9 = (b: Uint8Array, src: DatagramSource, state: DecoderState) => run(decodeNetflow9, b, src, state);
export const decodeIPFIX = (b: Uint8Array, src: DatagramSource, state: DecoderState) => run(decodeIpfix, b, src, state);
export const decodeSflowV5 = (b: Uint8Array, src: DatagramSource, state: DecoderState) => run(decodeSflow, b, src, state);

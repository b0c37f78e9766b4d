// NetFlow v9 (RFC 3954) and IPFIX (RFC 7011): message headers, template and options template
// sets, template withdrawal, data sets (or buffering them until their template arrives), and
// sequence tracking per observation domain.
import { u16, u32 } from './bytes';
import { sequenceCheck } from './sequence';
import { expirePending, type DecoderState, type DomainState, type Session } from './state';
import { applyOptionsRecord, compileTemplate, decodeDataSet, type FieldSpec, type RecordContext } from './template';
import type { DatagramSource, DecodeResult, FlowVersion } from './types';

interface Header {
  version: FlowVersion;
  /** bytes of this message */
  length: number;
  headerLength: number;
  exportMs: number;
  sysUptime: number;
  sequence: number;
  domainId: number;
  /** NetFlow v9 header count (records of all kinds) */
  count: number;
}

const SET_V9_TEMPLATE = 0;
const SET_V9_OPTIONS = 1;
const SET_IPFIX_TEMPLATE = 2;
const SET_IPFIX_OPTIONS = 3;

export function decodeIpfix(b: Uint8Array, src: DatagramSource, state: DecoderState, r: DecodeResult): void {
  r.version = 'ipfix';
  let off = 0;
  // A datagram normally holds one message; a capture of a stream may hold several back to back.
  while (off + 16 <= b.length) {
    if (u16(b, off) !== 10) {
      r.errors.push({ code: 'version', message: `IPFIX: version ${u16(b, off)} at offset ${off}, expected 10`, offset: off });
      return;
    }
    const length = u16(b, off + 2);
    if (length < 16) {
      r.errors.push({ code: 'malformed', message: `IPFIX: message length ${length} is shorter than its header`, offset: off + 2 });
      return;
    }
    if (off + length > b.length) {
      r.errors.push({ code: 'truncated', message: `IPFIX: message length ${length} exceeds the ${b.length - off} bytes received`, offset: off + 2 });
      return;
    }
    const h: Header = {
      version: 'ipfix',
      length,
      headerLength: 16,
      exportMs: u32(b, off + 4) * 1000,
      sysUptime: -1,
      sequence: u32(b, off + 8),
      domainId: u32(b, off + 12),
      count: 0,
    };
    decodeMessage(b.subarray(off, off + length), h, src, state, r);
    off += length;
  }
  if (off < b.length && off === 0) r.errors.push({ code: 'truncated', message: `IPFIX: ${b.length} bytes, shorter than a message header`, offset: 0 });
}

export function decodeNetflow9(b: Uint8Array, src: DatagramSource, state: DecoderState, r: DecodeResult): void {
  r.version = 'netflow9';
  if (b.length < 20) {
    r.errors.push({ code: 'truncated', message: `NetFlow v9: ${b.length} bytes, shorter than the 20-byte header`, offset: 0 });
    return;
  }
  const h: Header = {
    version: 'netflow9',
    length: b.length,
    headerLength: 20,
    exportMs: u32(b, 8) * 1000,
    sysUptime: u32(b, 4),
    sequence: u32(b, 12),
    domainId: u32(b, 16),
    count: u16(b, 2),
  };
  decodeMessage(b, h, src, state, r);
}

function decodeMessage(b: Uint8Array, h: Header, src: DatagramSource, state: DecoderState, r: DecodeResult) {
  const v9 = h.version === 'netflow9';
  const name = v9 ? 'NetFlow v9' : 'IPFIX';
  const session = state.session(src.address, src.port, src.receivedAt);
  const d = session.domain(h.domainId);
  const dropped = expirePending(d, src.receivedAt, state.opts.pendingMaxAgeMs);
  if (dropped) noteDropped(r, dropped, name, h.domainId, state.opts.pendingMaxAgeMs);
  const ctx: RecordContext = {
    version: h.version,
    exporter: src.address,
    domainId: h.domainId,
    domain: d,
    exportMs: h.exportMs,
    sysUptime: h.sysUptime,
    extras: state.opts.extras,
  };
  let dataRecords = 0;
  let uncounted = false;
  let off = h.headerLength;
  while (off + 4 <= h.length) {
    const setId = u16(b, off);
    const setLength = u16(b, off + 2);
    if (setLength < 4) {
      r.errors.push({ code: 'malformed', message: `${name}: set ${setId} at offset ${off} has length ${setLength}`, offset: off + 2 });
      uncounted = true;
      break;
    }
    const end = off + setLength;
    if (end > h.length) {
      r.errors.push({ code: 'truncated', message: `${name}: set ${setId} at offset ${off} claims ${setLength} bytes, ${h.length - off} remain`, offset: off + 2 });
      uncounted = true;
      break;
    }
    const body = off + 4;
    if ((v9 && setId === SET_V9_TEMPLATE) || (!v9 && setId === SET_IPFIX_TEMPLATE)) {
      templateSet(b, body, end, false, v9, h, session, d, state, r);
    } else if ((v9 && setId === SET_V9_OPTIONS) || (!v9 && setId === SET_IPFIX_OPTIONS)) {
      templateSet(b, body, end, true, v9, h, session, d, state, r);
    } else if (setId >= 256) {
      const tpl = d.use(setId);
      if (!tpl) {
        uncounted = true;
        holdForTemplate(b, body, end, setId, h, d, state, r, name, src.receivedAt);
      } else if (tpl.options) {
        dataRecords += optionsSet(b, body, end, tpl, d, v9, r, name);
      } else {
        dataRecords += decodeDataSet(b, body, end, tpl, ctx, r.records, r.errors);
      }
    } else {
      r.errors.push({ code: 'malformed', message: `${name}: reserved set id ${setId} at offset ${off}`, offset: off });
    }
    off = end;
  }
  if (!v9 && off < h.length) r.errors.push({ code: 'truncated', message: `${name}: ${h.length - off} stray bytes after the last set`, offset: off });

  // Sequence: IPFIX counts data records before this message, NetFlow v9 counts export packets.
  const advance = v9 ? 1 : dataRecords;
  const rep = sequenceCheck(d, h.sequence, advance, v9 ? h.count : dataRecords, uncounted);
  if (rep) r.sequence.push({ unit: v9 ? 'packets' : 'records', lost: rep.lost, reset: rep.reset });
}

function noteDropped(r: DecodeResult, n: number, name: string, domainId: number, maxAgeMs: number) {
  r.droppedNoTemplate += n;
  r.errors.push({ code: 'no-template', message: `${name}: ${n} data set(s) of domain ${domainId} dropped: no template arrived within ${maxAgeMs / 1000} s` });
}

function holdForTemplate(b: Uint8Array, body: number, end: number, setId: number, h: Header, d: DomainState, state: DecoderState, r: DecodeResult, name: string, now: number) {
  const size = end - body;
  if (size > state.opts.pendingMaxBytes) {
    noteDropped(r, 1, name, h.domainId, 0);
    return;
  }
  while (d.pendingBytes + size > state.opts.pendingMaxBytes && d.pending.length) {
    const old = d.pending.shift()!;
    d.pendingBytes -= old.bytes.length;
    r.droppedNoTemplate++;
    r.errors.push({ code: 'limit', message: `${name}: data waiting for templates in domain ${h.domainId} exceeds ${state.opts.pendingMaxBytes} bytes; the oldest set (template ${old.templateId}) was dropped` });
  }
  // A copy: the datagram's buffer is reused by the caller.
  d.pending.push({ templateId: setId, bytes: b.slice(body, end), receivedAt: now, exportMs: h.exportMs, sysUptime: h.sysUptime });
  d.pendingBytes += size;
  r.pending++;
}

function optionsSet(b: Uint8Array, off: number, end: number, tpl: import('./state').Template, d: DomainState, v9: boolean, r: DecodeResult, name: string): number {
  let n = 0;
  while (end - off >= tpl.minLength) {
    const res = applyOptionsRecord(b, off, end, tpl, d, v9);
    if (!res) {
      r.errors.push({ code: 'truncated', message: `${name}: options record ${n + 1} of template ${tpl.id} runs past the end of its set`, offset: off });
      break;
    }
    off = res.next;
    if (res.applied) r.options++;
    n++;
  }
  return n;
}

function templateSet(b: Uint8Array, off: number, end: number, options: boolean, v9: boolean, h: Header, session: Session, d: DomainState, state: DecoderState, r: DecodeResult) {
  const name = v9 ? 'NetFlow v9' : 'IPFIX';
  const what = options ? 'options template' : 'template';
  while (end - off >= 4) {
    const start = off;
    const tid = u16(b, off);
    // Zeros at the end of a set are padding, not a template.
    if (tid === 0) break;
    let fieldCount: number;
    let scopeCount = 0;
    if (v9 && options) {
      if (off + 6 > end) break;
      const scopeLen = u16(b, off + 2);
      const optLen = u16(b, off + 4);
      if (scopeLen % 4 || optLen % 4) {
        r.errors.push({ code: 'malformed', message: `${name}: options template ${tid} has scope length ${scopeLen} and option length ${optLen}, not multiples of 4`, offset: off });
        return;
      }
      scopeCount = scopeLen / 4;
      fieldCount = scopeCount + optLen / 4;
      off += 6;
    } else {
      fieldCount = u16(b, off + 2);
      off += 4;
      if (!v9 && options) {
        if (fieldCount === 0) {
          withdraw(tid, true, d, r, name);
          continue;
        }
        if (off + 2 > end) {
          r.errors.push({ code: 'truncated', message: `${name}: options template ${tid} ends before its scope field count`, offset: off });
          return;
        }
        scopeCount = u16(b, off);
        off += 2;
        if (scopeCount === 0 || scopeCount > fieldCount) {
          r.errors.push({ code: 'malformed', message: `${name}: options template ${tid} has scope field count ${scopeCount} of ${fieldCount} fields`, offset: off - 2 });
          return;
        }
      } else if (!v9 && fieldCount === 0) {
        withdraw(tid, false, d, r, name);
        continue;
      }
    }
    if (fieldCount === 0) {
      // NetFlow v9 has no withdrawal; an empty template is padding at the end of the set.
      if (v9) break;
    }
    const specs: FieldSpec[] = [];
    let bad = false;
    for (let i = 0; i < fieldCount; i++) {
      if (off + 4 > end) {
        bad = true;
        break;
      }
      let id = u16(b, off);
      const length = u16(b, off + 2);
      off += 4;
      let pen = 0;
      if (!v9 && id & 0x8000) {
        if (off + 4 > end) {
          bad = true;
          break;
        }
        id &= 0x7fff;
        pen = u32(b, off);
        off += 4;
      }
      specs.push({ id, pen, length });
    }
    if (bad) {
      r.errors.push({ code: 'truncated', message: `${name}: ${what} ${tid} declares ${fieldCount} fields but its set ends after ${specs.length}`, offset: start });
      return;
    }
    if (tid < 256) {
      r.errors.push({ code: 'template', message: `${name}: ${what} id ${tid} is below 256 and cannot be used`, offset: start });
      continue;
    }
    const tpl = compileTemplate(tid, specs, scopeCount, options, v9, (name) => state.keepExtra(name));
    if (typeof tpl === 'string') {
      r.errors.push({ code: 'template', message: `${name}: ${what} ${tid} of domain ${h.domainId} cannot be used: ${tpl}`, offset: start });
      continue;
    }
    // beyond the ceilings the least recently used templates are evicted (counted per exporter):
    // a new template is more likely to be used than one nobody has used for a while
    d.setTemplate(tid, tpl);
    r.templates++;
    releasePending(tid, h, session, d, state, r, v9);
  }
}

function withdraw(tid: number, options: boolean, d: DomainState, r: DecodeResult, name: string) {
  // Withdrawing the set id itself (2 or 3) withdraws every template of that kind (RFC 7011 §8.1).
  if (tid === (options ? SET_IPFIX_OPTIONS : SET_IPFIX_TEMPLATE)) {
    for (const [id, t] of [...d.templates]) if (t.options === options) d.deleteTemplate(id);
    r.withdrawals++;
    return;
  }
  if (d.deleteTemplate(tid)) r.withdrawals++;
  else r.errors.push({ code: 'template', message: `${name}: withdrawal of unknown template ${tid}` });
}

/** Data that waited for this template: decode it now. */
function releasePending(tid: number, h: Header, session: Session, d: DomainState, state: DecoderState, r: DecodeResult, v9: boolean) {
  if (d.pending.length === 0) return;
  const tpl = d.templates.get(tid)!;
  const rest = [];
  for (const p of d.pending) {
    if (p.templateId !== tid) {
      rest.push(p);
      continue;
    }
    d.pendingBytes -= p.bytes.length;
    if (tpl.options) {
      optionsSet(p.bytes, 0, p.bytes.length, tpl, d, v9, r, v9 ? 'NetFlow v9' : 'IPFIX');
    } else {
      const ctx: RecordContext = {
        version: h.version,
        exporter: session.exporter,
        domainId: h.domainId,
        domain: d,
        exportMs: p.exportMs,
        sysUptime: p.sysUptime,
        extras: state.opts.extras,
      };
      decodeDataSet(p.bytes, 0, p.bytes.length, tpl, ctx, r.records, r.errors);
    }
  }
  d.pending = rest;
}

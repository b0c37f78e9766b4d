// The decoders on datagrams built byte by byte from the specifications (collectors/testing/exports.ts),
// so each test states exactly what went in and what must come out.
import { describe, expect, it } from 'vitest';
import { ByteWriter, ipfixMessage, ipfixTemplateRecord, netflow5Packet, netflow9OptionsTemplateRecord, netflow9Packet, netflow9TemplateRecord, sflowDatagram, type FieldDef } from './testing/exports';
import { ethernetFrame, ipv4Packet, ipv6Packet, TCP_ACK, TCP_SYN } from './testing/traffic';
import { decode, DecoderState, detectVersion, elementInfo, PEN, registrySize } from './flowdecode';
import { ipv6 } from './flowdecode/bytes';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const src = (address = '192.0.2.1', port = 40000, receivedAt = T0) => ({ address, port, receivedAt });

describe('NetFlow v5', () => {
  it('decodes records with uptime-relative times, AS numbers, sampling, and tracks the flow sequence', () => {
    const state = new DecoderState();
    const rec = { src: '10.0.0.1', dst: '10.0.0.2', packets: 3, bytes: 180, srcPort: 40000, dstPort: 443, protocol: 6, tcpFlags: 0x1b, input: 2, output: 3, srcAs: 64500, dstAs: 64501 };
    // sysUptime 100 s; the flow ran from uptime 90 s to 95 s; export at T0 + 250 ms
    const a = decode(netflow5Packet({ sysUptime: 100_000, unixSecs: T0 / 1000, unixNsecs: 250_000_000, sequence: 1000, engineType: 1, engineId: 2, sampling: 0x4000 | 100, records: [{ ...rec, first: 90_000, last: 95_000 }] }), src(), state);
    expect(a.errors).toEqual([]);
    expect(a.records).toHaveLength(1);
    expect(a.records[0]).toMatchObject({
      version: 'netflow5', observationDomain: 0x0102, srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', srcPort: 40000, dstPort: 443, protocol: 6,
      packets: 3, bytes: 180, tcpFlags: 0x1b, inIf: 2, outIf: 3, samplingRate: 100, start: T0 + 250 - 10_000, end: T0 + 250 - 5_000,
      extras: { bgpSourceAsNumber: '64500', bgpDestinationAsNumber: '64501' },
    });
    // next datagram should start at 1001; 1005 means four flows were lost
    const b = decode(netflow5Packet({ sysUptime: 101_000, unixSecs: T0 / 1000 + 1, sequence: 1005, engineType: 1, engineId: 2, records: [{ ...rec, first: 100_500, last: 100_900 }] }), src(), state);
    expect(b.sequence).toEqual([{ unit: 'flows', lost: 4, reset: false }]);
  });

  it('keeps flow times right across the 49-day uptime wrap', () => {
    const r = decode(netflow5Packet({ sysUptime: 1000, unixSecs: T0 / 1000, sequence: 0, records: [{ src: '10.0.0.1', dst: '10.0.0.2', packets: 1, bytes: 40, srcPort: 1, dstPort: 2, protocol: 17, first: 2 ** 32 - 4000, last: 500 }] }), src(), new DecoderState());
    expect(r.records[0]).toMatchObject({ start: T0 - 5000, end: T0 - 500 });
  });

  it('reports a header count the datagram does not hold, keeping the records it has', () => {
    const p = netflow5Packet({ sysUptime: 0, unixSecs: T0 / 1000, sequence: 0, records: [{ src: '10.0.0.1', dst: '10.0.0.2', packets: 1, bytes: 40, srcPort: 1, dstPort: 2, protocol: 17, first: 0, last: 0 }] });
    p[3] = 5; // claims 5 records
    const r = decode(p, src(), new DecoderState());
    expect(r.records).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'truncated', message: 'NetFlow v5: header announces 5 records, the datagram holds 1' });
  });
});

const V9_FIELDS: FieldDef[] = [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [6, 1], [1, 4], [2, 4], [22, 4], [21, 4], [10, 2], [14, 2], [48, 1]];
function v9Data(w: ByteWriter, i: number, sampler = 1) {
  w.ip4(`10.0.0.${i}`).ip4('10.9.9.9').u16(40000 + i).u16(443).u8(6).u8(0x12).u32(1000 + i).u32(10).u32(50_000).u32(59_000).u16(5).u16(6).u8(sampler);
}
const v9Template = () => {
  const w = new ByteWriter();
  netflow9TemplateRecord(w, 256, V9_FIELDS);
  return { id: 0, body: w.done() };
};

describe('NetFlow v9', () => {
  it('decodes data with its template, times against the header uptime, and sampling from options data per sampler', () => {
    const state = new DecoderState();
    const opt = new ByteWriter();
    netflow9OptionsTemplateRecord(opt, 300, [[1, 4]], [[48, 1], [34, 4]]);
    const optData = new ByteWriter().u32(0).u8(1).u32(512).u32(0).u8(2).u32(64);
    const data = new ByteWriter();
    v9Data(data, 1, 1);
    v9Data(data, 2, 2);
    v9Data(data, 3, 7); // a sampler the options never described: no rate
    const pkt = netflow9Packet({ sysUptime: 60_000, unixSecs: T0 / 1000, sequence: 7, sourceId: 42, sets: [v9Template(), { id: 1, body: opt.done() }, { id: 300, body: optData.done() }, { id: 256, body: data.done() }] });
    const r = decode(pkt, src(), state);
    expect(r.errors).toEqual([]);
    expect(r.templates).toBe(2);
    expect(r.options).toBe(2);
    expect(r.records.map((f) => [f.srcAddr, f.bytes, f.samplingRate, f.observationDomain])).toEqual([
      ['10.0.0.1', 1001, 512, 42],
      ['10.0.0.2', 1002, 64, 42],
      ['10.0.0.3', 1003, 1, 42],
    ]);
    expect(r.records[0]).toMatchObject({ start: T0 - 10_000, end: T0 - 1_000, srcPort: 40001, dstPort: 443, tcpFlags: 0x12, inIf: 5, outIf: 6 });
  });

  it('holds data that arrives before its template and decodes it when the template comes', () => {
    const state = new DecoderState();
    const data = new ByteWriter();
    v9Data(data, 9);
    const early = decode(netflow9Packet({ sysUptime: 60_000, unixSecs: T0 / 1000, sequence: 1, sourceId: 1, sets: [{ id: 256, body: data.done() }] }), src(), state);
    expect(early).toMatchObject({ records: [], pending: 1, errors: [] });
    const later = decode(netflow9Packet({ sysUptime: 61_000, unixSecs: T0 / 1000 + 1, sequence: 2, sourceId: 1, sets: [v9Template()] }), src('192.0.2.1', 40000, T0 + 1000), state);
    expect(later.records.map((f) => f.srcAddr)).toEqual(['10.0.0.9']);
    // times come from the datagram the data arrived in, not the template's
    expect(later.records[0]!.end).toBe(T0 - 1_000);
    expect(state.pendingSets()).toBe(0);
  });

  it('drops and counts data whose template does not come in time', () => {
    const state = new DecoderState({ pendingMaxAgeMs: 5_000 });
    const data = new ByteWriter();
    v9Data(data, 9);
    decode(netflow9Packet({ sysUptime: 60_000, unixSecs: T0 / 1000, sequence: 1, sourceId: 1, sets: [{ id: 256, body: data.done() }] }), src(), state);
    const rep = state.expire(T0 + 6_000);
    expect(rep.droppedNoTemplate.get('192.0.2.1')).toBe(1);
    expect(state.pendingSets()).toBe(0);
  });

  it('scopes templates by source id and by transport session', () => {
    const state = new DecoderState();
    decode(netflow9Packet({ sysUptime: 1, unixSecs: T0 / 1000, sequence: 1, sourceId: 1, sets: [v9Template()] }), src(), state);
    const data = new ByteWriter();
    v9Data(data, 1);
    const body = data.done();
    const otherDomain = decode(netflow9Packet({ sysUptime: 1, unixSecs: T0 / 1000, sequence: 1, sourceId: 2, sets: [{ id: 256, body }] }), src(), state);
    expect(otherDomain).toMatchObject({ records: [], pending: 1 });
    const otherPort = decode(netflow9Packet({ sysUptime: 1, unixSecs: T0 / 1000, sequence: 2, sourceId: 1, sets: [{ id: 256, body }] }), src('192.0.2.1', 40001), state);
    expect(otherPort).toMatchObject({ records: [], pending: 1 });
    const same = decode(netflow9Packet({ sysUptime: 1, unixSecs: T0 / 1000, sequence: 2, sourceId: 1, sets: [{ id: 256, body }] }), src(), state);
    expect(same.records).toHaveLength(1);
  });

  it('reports sequence gaps in export packets per source id', () => {
    const state = new DecoderState();
    const send = (seq: number) => decode(netflow9Packet({ sysUptime: 1, unixSecs: T0 / 1000, sequence: seq, sourceId: 3, sets: [v9Template()] }), src(), state);
    send(10);
    expect(send(11).sequence).toEqual([]);
    expect(send(14).sequence).toEqual([{ unit: 'packets', lost: 2, reset: false }]);
    expect(send(3).sequence).toEqual([{ unit: 'packets', lost: 0, reset: true }]);
  });

  it('names a set whose length runs past the datagram, keeping the sets before it', () => {
    const data = new ByteWriter();
    v9Data(data, 1);
    const pkt = netflow9Packet({ sysUptime: 1, unixSecs: T0 / 1000, sequence: 1, sourceId: 1, sets: [v9Template(), { id: 256, body: data.done() }] });
    const cut = pkt.slice(0, pkt.length - 10);
    const r = decode(cut, src(), new DecoderState());
    expect(r.templates).toBe(1);
    expect(r.records).toEqual([]);
    expect(r.errors[0]!.code).toBe('truncated');
    expect(r.errors[0]!.message).toMatch(/^NetFlow v9: set 256 at offset \d+ claims \d+ bytes, \d+ remain$/);
  });
});

/** IPFIX message with one template set and one data set. */
function ipfixWith(templateId: number, fields: FieldDef[], records: Uint8Array, opts: { domain?: number; sequence?: number; exportTime?: number } = {}) {
  const t = new ByteWriter();
  ipfixTemplateRecord(t, templateId, fields);
  return ipfixMessage({ exportTime: opts.exportTime ?? T0 / 1000, sequence: opts.sequence ?? 0, domain: opts.domain ?? 1, sets: [{ id: 2, body: t.done() }, { id: templateId, body: records }] });
}

describe('IPFIX', () => {
  it('decodes variable-length and enterprise elements: VMware VM identity and virtualObsID, pmacct label, unknown elements by PEN', () => {
    const fields: FieldDef[] = [[8, 4], [12, 4], [4, 1], [2, 8], [1, 8], [152, 8], [153, 8], [951, 65535, PEN.vmware], [954, 1, PEN.vmware], [898, 65535, PEN.vmware], [3, 65535, PEN.pmacct], [7777, 2, 99999]];
    const long = 'x'.repeat(300); // needs the 3-byte length form
    const w = new ByteWriter();
    w.ip4('10.1.0.5').ip4('10.1.0.6').u8(6).u64(12).u64(3400).u64(T0 - 2000).u64(T0 - 1000).varlen(new TextEncoder().encode('vm-uuid-1')).u8(1).varlen(new TextEncoder().encode('ls-web')).varlen(new TextEncoder().encode(long)).u16(0xbeef);
    const r = decode(ipfixWith(400, fields, w.done()), src(), new DecoderState());
    expect(r.errors).toEqual([]);
    expect(r.records[0]).toMatchObject({
      version: 'ipfix', srcAddr: '10.1.0.5', dstAddr: '10.1.0.6', packets: 12, bytes: 3400, start: T0 - 2000, end: T0 - 1000,
      srcVm: 'vm-uuid-1', dstVm: '', interfaceId: 'ls-web',
      extras: { 'vmware.vmUuid': 'vm-uuid-1', 'vmware.flowDirection': '1', 'vmware.virtualObsID': 'ls-web', 'pmacct.label': long, 'pen99999.7777': 'beef' },
    });
  });

  it('reads RFC 5103 biflows and the initiator from biflowDirection', () => {
    const fields: FieldDef[] = [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [1, 4], [2, 4], [1, 4, PEN.reverse], [2, 4, PEN.reverse], [6, 1], [6, 1, PEN.reverse], [239, 1]];
    const w = new ByteWriter();
    w.ip4('10.0.0.9').ip4('10.0.0.1').u16(5432).u16(41000).u8(6).u32(900).u32(5).u32(300).u32(4).u8(0x12).u8(0x02).u8(2);
    const [f] = decode(ipfixWith(401, fields, w.done()), src(), new DecoderState()).records;
    expect(f).toMatchObject({ biflow: true, bytes: 900, packets: 5, revBytes: 300, revPackets: 4, tcpFlags: 0x12, revTcpFlags: 0x02, initiator: 'dst' });
    expect(elementInfo(1, PEN.reverse)).toEqual({ name: 'reverseOctetDeltaCount', type: 'u' });
  });

  it('reads every time encoding', () => {
    const state = new DecoderState();
    const exp = T0 / 1000;
    const ntp = (ms: number) => {
      const s = Math.floor(ms / 1000) + 2208988800;
      const frac = Math.round(((ms % 1000) / 1000) * 2 ** 32);
      return [s, frac];
    };
    const cases: Array<[string, FieldDef[], (w: ByteWriter) => void, number, number]> = [
      ['seconds', [[150, 4], [151, 4]], (w) => w.u32(exp - 20).u32(exp - 10), T0 - 20_000, T0 - 10_000],
      ['milliseconds', [[152, 8], [153, 8]], (w) => w.u64(T0 - 1234).u64(T0 - 234), T0 - 1234, T0 - 234],
      ['microseconds (NTP)', [[154, 8], [155, 8]], (w) => { const [a, b] = ntp(T0 - 1500); const [c, d] = ntp(T0 - 500); w.u32(a!).u32(b!).u32(c!).u32(d!); }, T0 - 1500, T0 - 500],
      ['nanoseconds (NTP)', [[156, 8], [157, 8]], (w) => { const [a, b] = ntp(T0 - 700); const [c, d] = ntp(T0 - 100); w.u32(a!).u32(b!).u32(c!).u32(d!); }, T0 - 700, T0 - 100],
      ['delta microseconds', [[158, 4], [159, 4]], (w) => w.u32(3_000_000).u32(1_000_000), T0 - 3000, T0 - 1000],
      ['sysUpTime with init time in the record', [[160, 8], [22, 4], [21, 4]], (w) => w.u64(T0 - 100_000).u32(40_000).u32(45_000), T0 - 60_000, T0 - 55_000],
      ['end and duration', [[153, 8], [161, 4]], (w) => w.u64(T0 - 100).u32(900), T0 - 1000, T0 - 100],
      ['none: export time', [[4, 1]], (w) => w.u8(17), T0, T0],
    ];
    let id = 500;
    for (const [name, times, write, start, end] of cases) {
      const w = new ByteWriter().ip4('10.0.0.1').ip4('10.0.0.2');
      write(w);
      const r = decode(ipfixWith(id++, [[8, 4], [12, 4], ...times], w.done()), src(), state);
      expect(r.errors, name).toEqual([]);
      expect({ name, start: r.records[0]!.start, end: r.records[0]!.end }).toEqual({ name, start, end });
    }
  });

  it('takes the system init time and sampling from options data (softflowd, routers with selectors)', () => {
    const state = new DecoderState();
    const ot = new ByteWriter();
    ipfixTemplateRecord(ot, 256, [[143, 4], [160, 8], [305, 4], [306, 4]], 1);
    ipfixTemplateRecord(ot, 257, [[302, 4], [309, 4], [310, 4]], 1);
    const od = new ByteWriter().u32(1).u64(T0 - 3_600_000).u32(1).u32(99);
    const od2 = new ByteWriter().u32(5).u32(1).u32(1000);
    const t = new ByteWriter();
    ipfixTemplateRecord(t, 258, [[8, 4], [12, 4], [22, 4], [21, 4]]);
    ipfixTemplateRecord(t, 259, [[8, 4], [12, 4], [302, 4]]);
    const d1 = new ByteWriter().ip4('10.0.0.1').ip4('10.0.0.2').u32(3_000_000).u32(3_500_000);
    const d2 = new ByteWriter().ip4('10.0.0.3').ip4('10.0.0.4').u32(5);
    const msg = ipfixMessage({ exportTime: T0 / 1000, sequence: 0, domain: 9, sets: [{ id: 3, body: ot.done() }, { id: 256, body: od.done() }, { id: 257, body: od2.done() }, { id: 2, body: t.done() }, { id: 258, body: d1.done() }, { id: 259, body: d2.done() }] });
    const r = decode(msg, src(), state);
    expect(r.errors).toEqual([]);
    expect(r.options).toBe(2);
    expect(r.records.map((f) => [f.srcAddr, f.start, f.end, f.samplingRate])).toEqual([
      ['10.0.0.1', T0 - 600_000, T0 - 100_000, 100],
      ['10.0.0.3', T0, T0, 1000],
    ]);
  });

  it('withdraws templates one by one and all at once, and replaces a refreshed template', () => {
    const state = new DecoderState();
    const data = new ByteWriter().ip4('10.0.0.1').ip4('10.0.0.2').done();
    const first = decode(ipfixWith(600, [[8, 4], [12, 4]], data), src(), state);
    expect(first.records).toHaveLength(1);
    const withdraw = new ByteWriter().u16(600).u16(0).done();
    const w = decode(ipfixMessage({ exportTime: T0 / 1000, sequence: 1, domain: 1, sets: [{ id: 2, body: withdraw }, { id: 600, body: data }] }), src(), state);
    expect(w).toMatchObject({ withdrawals: 1, records: [], pending: 1 });
    // a refresh with other fields: the same id now means (dst, src)
    const refreshed = decode(ipfixWith(600, [[12, 4], [8, 4]], data, { sequence: 1 }), src(), state);
    expect(refreshed.records.map((f) => [f.srcAddr, f.dstAddr])).toEqual([
      ['10.0.0.2', '10.0.0.1'], // the held set, decoded with the template that arrived for it
      ['10.0.0.2', '10.0.0.1'],
    ]);
    const all = decode(ipfixMessage({ exportTime: T0 / 1000, sequence: 3, domain: 1, sets: [{ id: 2, body: new ByteWriter().u16(2).u16(0).done() }] }), src(), state);
    expect(all.withdrawals).toBe(1);
    expect(state.templateCount()).toBe(0);
  });

  it('estimates lost records from sequence numbers (and tolerates softflowd counting the current message)', () => {
    const state = new DecoderState();
    const rec = new ByteWriter().ip4('10.0.0.1').ip4('10.0.0.2').ip4('10.0.0.3').ip4('10.0.0.4').done(); // two records
    expect(decode(ipfixWith(700, [[8, 4], [12, 4]], rec, { sequence: 100 }), src(), state).sequence).toEqual([]);
    expect(decode(ipfixWith(700, [[8, 4], [12, 4]], rec, { sequence: 102 }), src(), state).sequence).toEqual([]);
    expect(decode(ipfixWith(700, [[8, 4], [12, 4]], rec, { sequence: 110 }), src(), state).sequence).toEqual([{ unit: 'records', lost: 6, reset: false }]);
    const quirk = new DecoderState();
    // softflowd: sequence = records sent including this message's
    decode(ipfixWith(700, [[8, 4], [12, 4]], rec, { sequence: 2 }), src(), quirk);
    const one = new ByteWriter().ip4('10.0.0.1').ip4('10.0.0.2').done();
    expect(decode(ipfixWith(700, [[8, 4], [12, 4]], one, { sequence: 3 }), src(), quirk).sequence).toEqual([]);
  });

  it('decodes sampled frames (dataLinkFrameSection) as one packet each, with ICMP type/code in the destination port', () => {
    const frame = ethernetFrame(ipv4Packet('192.0.2.7', '198.51.100.9', { protocol: 1, srcPort: 0, dstPort: 0, icmp: [8, 0], payload: 20 }), { vlan: 42 });
    const w = new ByteWriter().u32(7).u16(frame.length).varlen(frame);
    const [f] = decode(ipfixWith(800, [[10, 4], [312, 2], [315, 65535]], w.done()), src(), new DecoderState()).records;
    expect(f).toMatchObject({ srcAddr: '192.0.2.7', dstAddr: '198.51.100.9', protocol: 1, dstPort: 8 * 256, packets: 1, bytes: 48, vlan: 42, inIf: 7 });
  });

  it('prefers the address family a record fills when a template has both', () => {
    const w = new ByteWriter().ip4('0.0.0.0').ip4('0.0.0.0').ip6('2001:db8::1').ip6('2001:db8::2').done();
    const [f] = decode(ipfixWith(801, [[8, 4], [12, 4], [27, 16], [28, 16]], w), src(), new DecoderState()).records;
    expect([f!.srcAddr, f!.dstAddr]).toEqual(['2001:db8::1', '2001:db8::2']);
  });

  it('reports what is wrong with a bad template and keeps decoding the message', () => {
    const t = new ByteWriter().u16(100).u16(1).u16(8).u16(4).done(); // template id below 256
    const r = decode(ipfixMessage({ exportTime: T0 / 1000, sequence: 0, domain: 1, sets: [{ id: 2, body: t }] }), src(), new DecoderState());
    expect(r.errors).toEqual([{ code: 'template', message: 'IPFIX: template id 100 is below 256 and cannot be used', offset: 20 }]);
  });
});

describe('sFlow v5', () => {
  it('turns flow samples into one-packet records from the raw header: VLAN, QinQ, IPv6, TCP flags', () => {
    const syn = ethernetFrame(ipv4Packet('10.2.0.1', '10.2.0.2', { protocol: 6, srcPort: 41000, dstPort: 22, tcpFlags: TCP_SYN, payload: 0 }), { vlan: 300 });
    const v6 = ethernetFrame(ipv6Packet('2001:db8::a', '2001:db8::b', { protocol: 17, srcPort: 5000, dstPort: 53, payload: 30 }));
    const qinq = new ByteWriter().bytes(syn.subarray(0, 12)).u16(0x88a8).u16(100).bytes(syn.subarray(12)).done();
    const state = new DecoderState();
    const d = sflowDatagram({
      agent: '192.0.2.50', subAgent: 3, sequence: 1, samples: [
        { sequence: 1, samplingRate: 2048, input: 4, output: 5, header: { protocol: 1, frameLength: syn.length + 4, bytes: syn } },
        { sequence: 2, samplingRate: 2048, expanded: true, input: 6, output: 7, header: { protocol: 1, frameLength: v6.length + 4, bytes: v6 } },
        { sequence: 3, samplingRate: 2048, header: { protocol: 1, frameLength: qinq.length + 4, bytes: qinq } },
        { counters: true, sequence: 1 },
      ],
    });
    const r = decode(d, src('192.0.2.50', 6343, T0), state);
    expect(r.errors).toEqual([]);
    expect(r.counterSamples).toBe(1);
    expect(r.records.map((f) => [f.srcAddr, f.dstAddr, f.srcPort, f.dstPort, f.protocol, f.bytes, f.packets, f.samplingRate, f.vlan, f.inIf, f.outIf, f.tcpFlags])).toEqual([
      ['10.2.0.1', '10.2.0.2', 41000, 22, 6, 40, 1, 2048, 300, 4, 5, 0x02],
      ['2001:db8::a', '2001:db8::b', 5000, 53, 17, 78, 1, 2048, 0, 6, 7, 0],
      ['10.2.0.1', '10.2.0.2', 41000, 22, 6, 40, 1, 2048, 100, 0, 0, 0x02],
    ]);
    expect(r.records[2]!.extras?.dot1qCustomerVlanId).toBe('300');
    expect(r.records[0]!.start).toBe(T0);
    expect(r.records[0]!.observationDomain).toBe(3);
  });

  it('counts lost datagrams and lost samples from their sequence numbers', () => {
    const state = new DecoderState();
    const frame = ethernetFrame(ipv4Packet('10.2.0.1', '10.2.0.2', { protocol: 17, srcPort: 1, dstPort: 2, payload: 0 }));
    const dg = (seq: number, sampleSeq: number) => sflowDatagram({ agent: '192.0.2.50', sequence: seq, samples: [{ sequence: sampleSeq, samplingRate: 1, header: { protocol: 1, frameLength: 46, bytes: frame } }] });
    decode(dg(1, 10), src(), state);
    expect(decode(dg(2, 11), src(), state).sequence).toEqual([]);
    expect(decode(dg(5, 20), src(), state).sequence).toEqual([
      { unit: 'datagrams', lost: 2, reset: false },
      { unit: 'samples', lost: 8, reset: false },
    ]);
  });

  it('names a sample that runs past the datagram', () => {
    const d = sflowDatagram({ agent: '192.0.2.50', sequence: 1, samples: [{ counters: true, sequence: 1 }] });
    const r = decode(d.slice(0, d.length - 4), src(), new DecoderState());
    expect(r.errors).toEqual([{ code: 'truncated', message: 'sFlow: sample 1 claims 12 bytes, 8 remain', offset: 32 }]);
  });
});

describe('decode', () => {
  it('recognises the four protocols and refuses anything else with its first bytes', () => {
    expect(detectVersion(new Uint8Array([0, 5, 0, 1]))).toBe('netflow5');
    expect(detectVersion(new Uint8Array([0, 9, 0, 1]))).toBe('netflow9');
    expect(detectVersion(new Uint8Array([0, 10, 0, 1]))).toBe('ipfix');
    expect(detectVersion(new Uint8Array([0, 0, 0, 5]))).toBe('sflow5');
    const r = decode(new Uint8Array([0x47, 0x45, 0x54, 0x20, 0x2f]), src(), new DecoderState());
    expect(r.errors).toEqual([{ code: 'version', message: 'not NetFlow v5/v9, IPFIX or sFlow v5 (first bytes: 47 45 54 20, 5 bytes)', offset: 0 }]);
    expect(decode(new Uint8Array(0), src(), new DecoderState()).errors[0]!.code).toBe('version');
  });

  it('formats IPv6 addresses canonically (RFC 5952)', () => {
    const b = (s: string) => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
    expect(ipv6(b('20010db8000000000000000000000001'), 0)).toBe('2001:db8::1');
    expect(ipv6(b('20010db8000000010000000000000000'), 0)).toBe('2001:db8:0:1::');
    expect(ipv6(b('00000000000000000000ffffc0000201'), 0)).toBe('::ffff:192.0.2.1');
    expect(ipv6(b('20010db8000100000001000000000001'), 0)).toBe('2001:db8:1:0:1::1');
    expect(ipv6(b('00000000000000000000000000000000'), 0)).toBe('::');
  });

  it('knows the IANA registry and the enterprise elements seen in practice', () => {
    const size = registrySize();
    expect(size.iana).toBeGreaterThan(450);
    expect(elementInfo(898, PEN.vmware)).toEqual({ name: 'vmware.virtualObsID', type: 's' });
    expect(elementInfo(12236, PEN.cisco)).toEqual({ name: 'cisco.clientIPv4Address', type: 'ip4' });
    expect(elementInfo(137, PEN.juniper).name).toBe('juniper.commonPropertiesId');
    expect(elementInfo(40001, 0, true).name).toBe('xlateSourceIPv4Address');
  });
});

describe('decoder state within its ceilings', () => {
  const fields: FieldDef[] = [[8, 4], [12, 4], [4, 1], [2, 8], [1, 8]];
  const templates = (domain: number, ids: number[], sequence = 0) => {
    const t = new ByteWriter();
    for (const id of ids) ipfixTemplateRecord(t, id, fields);
    return ipfixMessage({ exportTime: T0 / 1000, sequence, domain, sets: [{ id: 2, body: t.done() }] });
  };
  const data = (domain: number, id: number) => {
    const w = new ByteWriter();
    w.bytes([10, 0, 0, 1]).bytes([10, 0, 0, 2]).u8(6).u32(0).u32(1).u32(0).u32(100);
    return ipfixMessage({ exportTime: T0 / 1000, sequence: 0, domain, sets: [{ id, body: w.done() }] });
  };

  it('evicts the least recently used templates beyond the ceilings, counts it per exporter, and keeps what is in use', () => {
    const state = new DecoderState({ maxTemplatesPerDomain: 10, maxDomainsPerSession: 8, maxTemplates: 40 });
    // the template in use: domain 1, template 256, used after every announcement
    decode(templates(1, [256]), src('192.0.2.1'), state);
    let decoded = 0;
    // a flood: 200 domains of 20 templates each from another exporter
    for (let dom = 0; dom < 200; dom++) {
      decode(templates(1000 + dom, Array.from({ length: 20 }, (_, i) => 300 + i)), src('192.0.2.99'), state);
      decoded += decode(data(1, 256), src('192.0.2.1'), state).records.length;
    }
    expect(decoded).toBe(200);
    expect(state.templatesHeld).toBe(state.templateCount());
    expect(state.templateCount()).toBeLessThanOrEqual(40);
    expect(state.sessions.get('192.0.2.99|40000')!.domains.size).toBeLessThanOrEqual(8);
    for (const d of state.sessions.get('192.0.2.99|40000')!.domains.values()) expect(d.templates.size).toBeLessThanOrEqual(10);
    // every template the flood announced and no longer holds was counted as evicted against it
    expect(state.evicted.get('192.0.2.99')).toBe(200 * 20 - (state.templateCount() - 1));
    expect(state.evicted.get('192.0.2.1') ?? 0).toBe(0);
  });

  it('takes a million template announcements across domains in bounded memory', () => {
    const state = new DecoderState();
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    for (let dom = 0; n < 1_000_000; dom++) {
      const ids = Array.from({ length: 100 }, (_, i) => 256 + ((dom * 7 + i) % 60000));
      decode(templates(dom, ids), src(`198.51.100.${dom % 250}`, 40000 + (dom % 4)), state);
      n += ids.length;
    }
    expect(state.templateCount()).toBeLessThanOrEqual(state.opts.maxTemplates);
    expect(state.templatesHeld).toBe(state.templateCount());
    expect([...state.evicted.values()].reduce((a, b) => a + b, 0)).toBe(n - state.templateCount());
    // a template costs about a kilobyte: the ceiling keeps the state far below the 500 MB a collector may use
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(300 * 1024 * 1024);
  }, 120_000);
});

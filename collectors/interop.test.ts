// Real device captures (Cisco, Juniper, ipfixprobe, switches exporting sFlow) from
// ../shared/testdata/interop, read in place: every capture decodes without an error, and the
// fields tshark shows agree with ours for the records of each capture.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, DecoderState, type DecodedFlow } from './flowdecode';
import { readCapture } from './pcap';
import { have, run, tempDir } from './testing/exporters';

const INTEROP = resolve(import.meta.dirname, '../../shared/testdata/interop');
const present = existsSync(INTEROP);
if (!present) console.warn(`interop captures not found at ${INTEROP}: these tests are not run (they read the shared test data in place)`);
const withTshark = present && have('tshark') && have('mergecap');
if (present && !withTshark) console.warn('tshark/mergecap not installed: the interop comparison with tshark is not run (apt-get install tshark)');

/** Capture groups decoded with one state: the template capture first, as SOURCES.md says. */
function groups(dir: string): string[][] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort();
  const out: string[][] = [];
  const used = new Set<string>();
  const templateFirst = (f: string) => (/template/.test(f) ? 0 : /options-data/.test(f) ? 1 : 2);
  // The plain pair of the NetFlow folder: templates and options, then the data.
  const base = ['template.pcap', 'options-template.pcap', 'options-data.pcap', 'data.pcap'].filter((f) => files.includes(f));
  if (base.includes('data.pcap')) {
    out.push(base.map((g) => join(dir, g)));
    base.forEach((g) => used.add(g));
  }
  const suffix = /-(options-)?(templates?|data)\.pcap$/;
  for (const f of files) {
    if (used.has(f)) continue;
    const stem = f.replace(suffix, '');
    const group = !suffix.test(f) || dir.endsWith('sflow') ? [f] : files.filter((g) => suffix.test(g) && g.replace(suffix, '') === stem);
    group.sort((a, b) => templateFirst(a) - templateFirst(b) || a.localeCompare(b));
    group.forEach((g) => used.add(g));
    out.push(group.map((g) => join(dir, g)));
  }
  return out;
}

async function decodeGroup(files: string[]) {
  const state = new DecoderState();
  const perFile: Array<{ file: string; records: DecodedFlow[] }> = [];
  const errors: string[] = [];
  let pending = 0;
  for (const file of files) {
    const records: DecodedFlow[] = [];
    for await (const d of readCapture(file)) {
      const r = decode(d.payload, { address: d.srcAddr, port: d.srcPort, receivedAt: d.time }, state);
      records.push(...r.records);
      errors.push(...r.errors.map((e) => `${file}: ${e.message}`));
    }
    perFile.push({ file, records });
  }
  pending = state.pendingSets();
  return { perFile, errors, pending, records: perFile.flatMap((p) => p.records) };
}

const split = (s: string | undefined) => (s ? s.split(',').filter(Boolean) : []);

describe.runIf(present)('interop captures (../shared/testdata/interop)', () => {
  const netflow = present ? groups(join(INTEROP, 'netflow')) : [];
  const sflow = present ? groups(join(INTEROP, 'sflow')) : [];

  it('finds the captures', () => {
    expect(netflow.length).toBeGreaterThan(10);
    expect(sflow.length).toBeGreaterThan(5);
  });

  it('decodes every NetFlow/IPFIX and sFlow capture without an error, no data left without its template', async () => {
    let total = 0;
    for (const group of [...netflow, ...sflow]) {
      const { errors, pending, records } = await decodeGroup(group);
      expect(errors, group.join(' + ')).toEqual([]);
      expect(pending, `${group.join(' + ')}: data without template`).toBe(0);
      total += records.length;
      for (const r of records) {
        expect(r.srcAddr, group[0]).not.toBe('');
        expect(Number.isFinite(r.start) && r.start > Date.UTC(2000, 0, 1), `${group[0]} start ${r.start}`).toBe(true);
      }
    }
    expect(total).toBeGreaterThan(100);
  });

  /** All groups in order as one capture (tshark once), and our records per datagram of it. */
  async function merged(groupsOf: string[][], name: string) {
    const file = join(tempDir('interop'), `${name}.pcap`);
    await run('mergecap', ['-a', '-w', file, ...groupsOf.flat()]);
    const state = new DecoderState();
    const frames: DecodedFlow[][] = [];
    const ports = new Set<number>();
    for await (const d of readCapture(file)) {
      frames.push(decode(d.payload, { address: d.srcAddr, port: d.srcPort, receivedAt: d.time }, state).records);
      ports.add(d.dstPort);
    }
    return { file, frames, ports: [...ports] };
  }

  const tshark = async (file: string, decodeAs: string[], fields: string[]) => {
    const t = await run('tshark', ['-r', file, ...decodeAs.flatMap((d) => ['-d', d]), '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', ...fields.flatMap((f) => ['-e', f])]);
    return t.stdout.split('\n').slice(0, -1).map((l) => l.split('|'));
  };

  it.runIf(withTshark)('agrees with tshark on the NetFlow/IPFIX records: addresses, ports, protocol', async () => {
    const { file, frames, ports } = await merged(netflow, 'netflow');
    const lines = await tshark(file, ports.map((p) => `udp.port==${p},cflow`), ['cflow.srcaddr', 'cflow.dstaddr', 'cflow.srcaddrv6', 'cflow.dstaddrv6', 'cflow.srcport', 'cflow.protocol', 'ip.src', 'ipv6.src']);
    expect(lines).toHaveLength(frames.length);
    let compared = 0;
    frames.forEach((records, i) => {
      if (!records.length) return;
      const c = lines[i]!;
      const where = `frame ${i + 1}`;
      const tsrc = [...split(c[0]), ...split(c[2])];
      const tdst = [...split(c[1]), ...split(c[3])];
      if (tsrc.length === records.length) {
        // Records with address elements: the same addresses in the same order.
        expect(records.map((r) => r.srcAddr), where).toEqual(tsrc);
        expect(records.map((r) => r.dstAddr), where).toEqual(tdst);
        const tproto = split(c[5]).map(Number);
        if (tproto.length === records.length) expect(records.map((r) => r.protocol), where).toEqual(tproto);
        const tsport = split(c[4]).map(Number);
        if (tsport.length === records.length) expect(records.map((r) => r.srcPort), where).toEqual(tsport);
      } else {
        // Records of sampled frames (dataLinkFrameSection): tshark dissects the frames. Every
        // source it finds is one of ours (outer, or inner for IP-in-IP); we find one more in the
        // Ethernet-over-MPLS capture, where tshark's heuristic misses a pseudowire control word.
        const sampled = [...split(c[6]).slice(1), ...split(c[7])];
        const ours = records.flatMap((r) => [r.srcAddr, r.extras?.innerSrcAddr ?? '']);
        for (const a of sampled) expect(ours, `${where}: tshark's ${a}`).toContain(a);
      }
      compared += records.length;
    });
    expect(compared).toBeGreaterThan(80);
  });

  it.runIf(withTshark)('agrees with tshark on the sFlow samples: sampling rate and sampled addresses', async () => {
    const { file, frames } = await merged(sflow, 'sflow');
    const lines = await tshark(file, ['udp.port==6343,sflow'], ['sflow.flow_sample.sampling_rate', 'ip.src', 'ipv6.src']);
    expect(lines).toHaveLength(frames.length);
    let compared = 0;
    frames.forEach((records, i) => {
      const c = lines[i]!;
      const rates = split(c[0]).map(Number);
      // Expanded samples have no sflow.flow_sample.sampling_rate field in tshark 4.0.
      if (rates.length === records.length) expect(records.map((r) => r.samplingRate), `frame ${i + 1}`).toEqual(rates);
      const addrs = [...split(c[1]), ...split(c[2])];
      for (const r of records) expect(addrs, `frame ${i + 1} ${r.srcAddr}`).toContain(r.srcAddr);
      compared += records.length;
    });
    expect(compared).toBeGreaterThan(10);
  });
});

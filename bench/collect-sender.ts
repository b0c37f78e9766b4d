// The exporter side of the collect benchmark, in its own process: sends flow datagrams over UDP
// on loopback at a fixed rate of flows per second for a duration, each datagram to every target
// port (Bulkhead's collector and nfcapd side by side), with correct sequence numbers and export
// times. Prints one JSON line with what it sent.
//
//   node --import tsx bench/collect-sender.ts --ports 2055,9995 --rate 100000 --seconds 60
import { createSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { flowDatagrams, type BenchProtocol } from './decode-datagrams';

const { values } = parseArgs({
  options: {
    ports: { type: 'string' },
    rate: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '60' },
    protocol: { type: 'string', default: 'netflow9' },
  },
});
if (!values.ports) {
  console.error('collect-sender is the exporter side of `npm run bench -- collect`: it needs --ports P[,P...] (and --rate, --seconds, --protocol).');
  process.exit(2);
}
const ports = values.ports.split(',').map(Number);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const gen = flowDatagrams(values.protocol as BenchProtocol, { datagrams: 4000, flows: 400_000 });
const perSecond = rate / gen.recordsPerDatagram;
const socket = createSocket({ type: 'udp4', sendBufferSize: 8 << 20 });

async function send(b: Uint8Array) {
  for (const port of ports) {
    await new Promise<void>((resolve) => socket.send(b, port, '127.0.0.1', () => resolve()));
  }
}

await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
// The exporter's own counter: datagrams (NetFlow v9, sFlow) or records (v5, IPFIX) sent so far.
let sequence = 0;
const sendTemplates = async () => {
  for (const t of gen.templates) {
    gen.stamp(t, sequence, Date.now());
    await send(t);
    if (gen.sequenceUnit === 'datagrams') sequence++;
  }
};
await sendTemplates();
const t0 = performance.now();
let sent = 0;
let sendErrors = 0;
let lastTemplates = t0;
socket.on('error', () => sendErrors++);
// Pace in 5 ms steps: send what the schedule says is due by now.
while (performance.now() - t0 < seconds * 1000) {
  const due = Math.floor(((performance.now() - t0) / 1000) * perSecond);
  const pending: Promise<void>[] = [];
  while (sent < due) {
    const d = gen.datagrams[sent % gen.datagrams.length]!;
    gen.stamp(d, sequence, Date.now());
    sequence += gen.sequenceUnit === 'datagrams' ? 1 : gen.recordsPerDatagram;
    // Copy: send() is asynchronous and the pool is restamped.
    pending.push(send(Uint8Array.from(d)));
    sent++;
  }
  await Promise.all(pending);
  // Templates again every 10 s, as exporters refresh them.
  if (performance.now() - lastTemplates > 10_000) {
    await sendTemplates();
    lastTemplates = performance.now();
  }
  await new Promise((r) => setTimeout(r, 5));
}
const elapsed = (performance.now() - t0) / 1000;
socket.close();
console.log(JSON.stringify({ protocol: gen.protocol, datagrams: sent, records: sent * gen.recordsPerDatagram, seconds: elapsed, ports, sendErrors }));

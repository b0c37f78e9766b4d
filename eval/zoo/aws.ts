// The estate's flows as AWS VPC flow logs delivered to S3 (docs/cloud-flow-logs.md says what
// Bulkhead reads): text objects under AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/, each
// starting with a header line that names its fields.
//
// What AWS does and the writer imitates:
//   - a flow is logged per capture window where it passes an interface: the request and, when
//     anything answered, the reply as separate lines; at the client's ENI and, when the server is
//     in the VPC too, again at the server's (Bulkhead folds the duplicates);
//   - a probe the target dropped is a REJECT line and nothing comes back;
//   - an address outside the estate's workloads has no ENI, so only the other end logs the flow;
//   - `tcp-flags` (v5) reports only FIN, SYN, RST and SYN-ACK (18): ACK and PSH alone never show;
//   - lines come in time order by capture window, in no particular order inside one.
// Each flow is logged in the window of its start with its own start and end, rather than cut at
// window boundaries: one record per flow after folding, which is what the counts are checked by.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { flowHours } from './flows';
import { Holders, type Holding } from './holders';
import { digitsId, hexId } from './ids';
import type { ZooBinding, ZooConversation, ZooEstate, ZooFlow } from './model';
import { hashUnit } from './schedule';

const HOUR = 3_600_000;

const V2_FIELDS = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const V5_FIELDS = `${V2_FIELDS} vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction`;

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

const SYN = 0x02;
const ACK = 0x10;
/** What AWS reports of a direction's flags: FIN, SYN, RST, and SYN-ACK from the answerer (whose SYN always carries ACK). */
const awsFlags = (flags: number, answerer: boolean) => (flags & 0x07) | (answerer && flags & SYN ? ACK : 0);

export interface AwsWriteOptions {
  /** v2: the default 14 fields; v5: a custom format with tcp-flags and flow-direction */
  format: 'v2' | 'v5';
  /** aggregation interval in seconds (AWS offers 60 and 600, the default) */
  window?: 60 | 600;
  /** hours per S3 object (default 24: one a day, aligned to UTC days) */
  hoursPerFile?: number;
}

export interface AwsWriteCounts {
  files: number;
  lines: number;
  /** flows logged (at one interface or two) */
  flows: number;
  /** flows between two addresses no workload held: no ENI saw them, so no line */
  unobserved: number;
}

/** The ENI of one workload binding, and what v5 says about it. */
interface Eni {
  id: string;
  instance: string;
  subnet: string;
}

/** The estate's AWS names, derived from its seed and its workloads' bindings. */
class Naming {
  readonly account: string;
  readonly region: string;
  readonly flowLog: string;
  /** One VPC (an environment's range is a secondary CIDR of it), so that one flow log covers the estate. */
  readonly vpc: string;
  private readonly enis = new Map<ZooBinding, Eni>();

  constructor(private readonly seed: number) {
    this.account = digitsId(`account:${seed}`, 12);
    this.region = REGIONS[Math.floor(hashUnit(seed, 0x5eed) * REGIONS.length)]!;
    this.flowLog = `fl-${hexId(`flow-log:${seed}`, 17)}`;
    this.vpc = `vpc-${hexId(`vpc:${seed}`, 17)}`;
  }

  /** Stable per binding: a workload rebuilt on another address, or an address taken by another workload, is another ENI. */
  eni(h: Holding): Eni {
    let e = this.enis.get(h.binding);
    if (!e) {
      const { ip, from } = h.binding;
      e = {
        id: `eni-${hexId(`eni:${h.workload.name}:${ip}:${from}`, 17)}`,
        instance: `i-${hexId(`instance:${this.seed}:${h.workload.name}`, 17)}`,
        // a subnet per /24, as the address plans have them
        subnet: `subnet-${hexId(`subnet:${this.seed}:${ip.slice(0, ip.lastIndexOf('.'))}`, 17)}`,
      };
      this.enis.set(h.binding, e);
    }
    return e;
  }

  objectPath(dir: string, fileStart: number): string {
    const d = new Date(fileStart).toISOString();
    const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
    const name = `${this.account}_vpcflowlogs_${this.region}_${this.flowLog}_${stamp}_${hexId(`${this.flowLog}:${fileStart}`, 8)}.log`;
    return join(dir, 'AWSLogs', this.account, 'vpcflowlogs', this.region, d.slice(0, 4), d.slice(5, 7), d.slice(8, 10), name);
  }
}

/**
 * An S3 object being written: lines go into a buffer that is written out when full. Appending
 * to one string per hour instead left most of the time to the garbage collector.
 */
class ObjectFile {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(1 << 22);
  private used = 0;

  constructor(path: string, header: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.line(header);
  }

  /** One line of ASCII text. */
  line(text: string): void {
    if (this.used + text.length + 1 > this.buf.length) this.flush();
    this.used += this.buf.write(text, this.used, 'latin1');
    this.buf[this.used++] = 0x0a;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush() {
    writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }
}

interface Line {
  /** capture window, then a hash: time order between windows, none inside one */
  key: number;
  text: string;
}

/** The flow-log lines of flows, as one format writes them. */
class LineMaker {
  private readonly head: string;
  private readonly v5: boolean;

  constructor(
    private readonly n: Naming,
    format: 'v2' | 'v5',
    private readonly windowMs: number,
  ) {
    this.v5 = format === 'v5';
    this.head = `${this.v5 ? 5 : 2} ${n.account}`;
  }

  /** The lines of flow `f` at interface `eni` (the client's or the server's), `skew` seconds late. */
  add(f: ZooFlow, eni: Eni, atClient: boolean, action: string, skew: number, lines: Line[]): void {
    const start = Math.floor(f.start / 1000) + skew;
    const times = `${start} ${Math.floor(f.end / 1000) + skew} ${action} OK`;
    const salt = atClient ? 0 : 0x2545f491;
    lines.push({
      key: this.key(start, f, salt),
      text: `${this.head} ${eni.id} ${f.srcAddr} ${f.dstAddr} ${f.srcPort} ${f.dstPort} ${f.protocol} ${f.packets} ${f.bytes} ${times}${this.tail(eni, f.srcAddr, f.dstAddr, awsFlags(f.tcpFlags, false), atClient)}`,
    });
    if (f.revPackets === 0) return;
    lines.push({
      key: this.key(start, f, salt + 1),
      text: `${this.head} ${eni.id} ${f.dstAddr} ${f.srcAddr} ${f.dstPort} ${f.srcPort} ${f.protocol} ${f.revPackets} ${f.revBytes} ${times}${this.tail(eni, f.dstAddr, f.srcAddr, awsFlags(f.revTcpFlags, true), !atClient)}`,
    });
  }

  /** The capture window, then a hash that shuffles the window's lines. */
  private key(start: number, f: ZooFlow, salt: number): number {
    return Math.floor((start * 1000) / this.windowMs) * 2 ** 21 + Math.floor(hashUnit(f.start ^ salt, f.conversation) * 2 ** 21);
  }

  /** v5's fields after the default ones. */
  private tail(eni: Eni, src: string, dst: string, flags: number, egress: boolean): string {
    return this.v5 ? ` ${this.n.vpc} ${eni.subnet} ${eni.instance} ${flags} IPv4 ${src} ${dst} ${egress ? 'egress' : 'ingress'}` : '';
  }
}

/** Writes the estate's flows as S3 objects under `dir`, streaming an hour at a time. */
export function writeAwsFlowLogs(estate: ZooEstate, dir: string, opts: AwsWriteOptions): AwsWriteCounts {
  const naming = new Naming(estate.shape.seed);
  const holders = new Holders(estate.workloads);
  const outcome = new Map<number, ZooConversation['outcome']>(estate.conversations.map((c) => [c.id, c.outcome]));
  const maker = new LineMaker(naming, opts.format, (opts.window ?? 600) * 1000);
  const fileMs = (opts.hoursPerFile ?? 24) * HOUR;
  const header = opts.format === 'v2' ? V2_FIELDS : V5_FIELDS;
  const counts: AwsWriteCounts = { files: 0, lines: 0, flows: 0, unobserved: 0 };
  let file: ObjectFile | null = null;
  let fileStart = 0;
  try {
    for (const hour of flowHours(estate, estate.start, estate.end)) {
      const lines: Line[] = [];
      for (const f of hour) {
        const client = holders.at(f.srcAddr, f.start);
        const server = holders.at(f.dstAddr, f.start);
        if (!client && !server) {
          counts.unobserved++;
          continue;
        }
        counts.flows++;
        const action = outcome.get(f.conversation) === 'dropped' ? 'REJECT' : 'ACCEPT';
        if (client) maker.add(f, naming.eni(client), true, action, 0, lines);
        // ENIs capture on their own clocks: the server's sees the flow a second later now and then
        if (server) maker.add(f, naming.eni(server), false, action, hashUnit(f.conversation, f.start) < 0.3 ? 1 : 0, lines);
      }
      if (!lines.length) continue;
      lines.sort((a, b) => a.key - b.key);
      const hourStart = Math.floor(hour[0]!.start / HOUR) * HOUR;
      if (!file || hourStart >= fileStart + fileMs) {
        file?.close();
        fileStart = Math.floor(hourStart / fileMs) * fileMs;
        file = new ObjectFile(naming.objectPath(dir, fileStart), header);
        counts.files++;
      }
      for (const l of lines) file.line(l.text);
      counts.lines += lines.length;
    }
  } finally {
    file?.close();
  }
  return counts;
}

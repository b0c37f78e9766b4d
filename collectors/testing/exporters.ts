// Driving real exporters and oracles in tests: softflowd and pmacctd read a pcap and export to a
// UDP socket on loopback; Open vSwitch runs with its dummy datapath (no kernel module); nfcapd
// and nfdump decode the same datagrams as an oracle. Every process is bounded in time and
// killed by its own pid when the test is done.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Received {
  payload: Uint8Array;
  address: string;
  port: number;
  time: number;
}

/** Whether a program is installed (tests that need it say so when it is not). */
export function have(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bulkhead-${prefix}-`));
}

/** A UDP socket on 127.0.0.1 (ephemeral port) that keeps what it receives. */
export class Receiver {
  readonly datagrams: Received[] = [];
  private socket: Socket | null = null;
  port = 0;

  async start(): Promise<number> {
    const s = createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
    s.on('message', (msg, from) => this.datagrams.push({ payload: new Uint8Array(msg), address: from.address, port: from.port, time: Date.now() }));
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
    this.socket = s;
    this.port = s.address().port;
    return this.port;
  }

  /** Resolves once nothing has arrived for `idleMs` (or after `maxMs`). */
  async quiet(idleMs = 300, maxMs = 10_000): Promise<void> {
    const t0 = Date.now();
    let n = -1;
    while (Date.now() - t0 < maxMs) {
      if (n === this.datagrams.length && n > 0) return;
      n = this.datagrams.length;
      await new Promise((r) => setTimeout(r, idleMs));
    }
  }

  async close() {
    await new Promise<void>((r) => (this.socket ? this.socket.close(() => r()) : r()));
    this.socket = null;
  }
}

/** Run a program to its end (killed after timeoutMs); returns exit code and output. */
export function run(cmd: string, args: string[], timeoutMs = 20_000, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** softflowd reading a pcap, exporting to 127.0.0.1:port (version 5, 9 or 10; biflow with IPFIX). */
export async function softflowd(pcap: string, port: number, version: 5 | 9 | 10, biflow = false) {
  // -d: foreground; no -c with -r: softflowd reading a capture with a control socket never exits
  const args = ['-d', '-r', pcap, '-n', `127.0.0.1:${port}`, '-v', String(version)];
  if (biflow) args.push('-b');
  const r = await run('softflowd', args, 20_000);
  if (r.code !== 0) throw new Error(`softflowd exited with ${r.code}: ${r.stderr.slice(-500)}`);
}

/** pmacctd reading a pcap with the nfprobe (NetFlow v9 / IPFIX) or sfprobe (sFlow) plugin. */
export async function pmacctd(pcap: string, port: number, plugin: 'nfprobe9' | 'nfprobe10' | 'sfprobe', dir: string, labels: Array<[label: string, net: string]> = []) {
  const conf = join(dir, `${plugin}.conf`);
  const lines = ['daemonize: false', `pcap_savefile: ${pcap}`, 'pcap_savefile_wait: false', `logfile: ${join(dir, `${plugin}.log`)}`];
  if (plugin === 'sfprobe') {
    lines.push('plugins: sfprobe', `sfprobe_receiver: 127.0.0.1:${port}`, 'sfprobe_agentip: 192.0.2.10', 'sampling_rate: 1');
  } else {
    lines.push('plugins: nfprobe', `nfprobe_receiver: 127.0.0.1:${port}`, `nfprobe_version: ${plugin === 'nfprobe9' ? 9 : 10}`);
    lines.push('nfprobe_timeouts: general=1:maxlife=1:expint=1');
    if (labels.length) {
      const map = join(dir, 'pretag.map');
      writeFileSync(map, labels.map(([l, net]) => `set_label=${l} src_net=${net}\n`).join(''));
      lines.push(`pre_tag_map: ${map}`, 'aggregate: src_host, dst_host, src_port, dst_port, proto, tos, tcpflags, label');
    } else {
      lines.push('aggregate: src_host, dst_host, src_port, dst_port, proto, tos, tcpflags');
    }
  }
  writeFileSync(conf, `${lines.join('\n')}\n`);
  // pmacctd ends with exit code 1 after a savefile even when all went well: the caller checks
  // what arrived; the log is returned for its error message.
  const r = await run('pmacctd', ['-f', conf], 30_000);
  let log = '';
  try {
    log = readFileSync(join(dir, `${plugin}.log`), 'utf8');
  } catch {
    // no log written
  }
  return { code: r.code, log: `${r.stderr}${log}`.slice(-2000) };
}

export interface NfdumpFlow {
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  packets: number;
  bytes: number;
  first: number;
  last: number;
  tcpFlags: number;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const FLAG_LETTERS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

/**
 * The oracle: the same datagrams sent to nfcapd, read back with nfdump. sfcapd for sFlow.
 * Returns nfdump's flows (times in epoch ms).
 */
export async function nfdumpOracle(datagrams: Received[], sflow = false): Promise<NfdumpFlow[]> {
  const dir = tempDir('nfcapd');
  const port = await freeUdpPort();
  const daemon: ChildProcess = spawn(sflow ? 'sfcapd' : 'nfcapd', ['-b', '127.0.0.1', '-p', String(port), '-w', dir, '-t', '3600'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  daemon.stdout!.on('data', (d) => (log += d));
  daemon.stderr!.on('data', (d) => (log += d));
  try {
    // Wait until it listens: its socket appears in /proc/net/udp.
    const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
    const t0 = Date.now();
    while (Date.now() - t0 < 5000) {
      if (readFileSync('/proc/net/udp', 'utf8').includes(hex)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const s = createSocket('udp4');
    for (const d of datagrams) {
      await new Promise<void>((resolve, reject) => s.send(d.payload, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 300));
    s.close();
  } finally {
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  }
  const files = readdirSync(dir).filter((f) => f.startsWith('nfcapd.'));
  const flows: NfdumpFlow[] = [];
  for (const f of files) {
    const r = await run('nfdump', ['-r', join(dir, f), '-q', '-N', '-o', 'fmt:%ts|%te|%pr|%sa|%sp|%da|%dp|%pkt|%byt|%flg'], 20_000, { TZ: 'UTC' });
    if (r.code !== 0) throw new Error(`nfdump failed: ${r.stderr}`);
    for (const line of r.stdout.split('\n')) {
      const p = line.split('|').map((x) => x.trim());
      if (p.length < 10) continue;
      const proto = /^\d+$/.test(p[2]!) ? Number(p[2]) : ({ TCP: 6, UDP: 17, ICMP: 1, ICMP6: 58 } as Record<string, number>)[p[2]!.toUpperCase()] ?? -1;
      const flags = [...p[9]!].reduce((a, c) => a | (FLAG_LETTERS[c] ?? 0), 0);
      const icmp = proto === 1 || proto === 58;
      // nfdump shows ICMP type.code in the destination port column
      const dstPort = icmp && p[6]!.includes('.') ? Number(p[6]!.split('.')[0]) * 256 + Number(p[6]!.split('.')[1]) : Number(p[6]);
      flows.push({
        first: Date.parse(`${p[0]!.replace(' ', 'T')}Z`),
        last: Date.parse(`${p[1]!.replace(' ', 'T')}Z`),
        protocol: proto,
        srcAddr: p[3]!,
        srcPort: Number(p[4]),
        dstAddr: p[5]!,
        dstPort,
        packets: Number(p[7]),
        bytes: Number(p[8]),
        tcpFlags: flags,
      });
    }
  }
  if (!files.length) throw new Error(`${sflow ? 'sfcapd' : 'nfcapd'} wrote no file: ${log.slice(-500)}`);
  rmSync(dir, { recursive: true, force: true });
  return flows;
}

/**
 * Open vSwitch without kernel modules: ovsdb-server and ovs-vswitchd with the dummy datapath in a
 * private directory, a bridge br0 with dummy ports p1 and p2 (ofport 1 and 2), packets injected
 * with netdev-dummy/receive. Hypervisor-style telemetry: IPFIX with VMware elements, and sFlow.
 */
export class OpenVSwitch {
  readonly dir = tempDir('ovs');
  private started = false;

  private vsctl(...args: string[]) {
    const r = spawnSync('ovs-vsctl', [`--db=unix:${this.dir}/db.sock`, '--timeout=10', ...args], { encoding: 'utf8', timeout: 15_000 });
    if (r.status !== 0) throw new Error(`ovs-vsctl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  start() {
    const d = this.dir;
    const sh = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15_000, cwd: d });
      if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    };
    sh('ovsdb-tool', ['create', `${d}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']);
    sh('ovsdb-server', [`--remote=punix:${d}/db.sock`, `--unixctl=${d}/ovsdb.ctl`, `--pidfile=${d}/ovsdb.pid`, '--detach', '--no-chdir', `--log-file=${d}/ovsdb.log`, `${d}/conf.db`]);
    this.started = true;
    this.vsctl('--no-wait', 'init');
    sh('ovs-vswitchd', [`unix:${d}/db.sock`, '--enable-dummy=override', '--disable-system', `--unixctl=${d}/vswitchd.ctl`, `--pidfile=${d}/vswitchd.pid`, '--detach', '--no-chdir', `--log-file=${d}/vswitchd.log`]);
    this.vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=dummy', '--', 'add-port', 'br0', 'p1', '--', 'set', 'interface', 'p1', 'type=dummy', 'ofport_request=1', '--', 'add-port', 'br0', 'p2', '--', 'set', 'interface', 'p2', 'type=dummy', 'ofport_request=2');
  }

  /** Per-bridge IPFIX to 127.0.0.1:port, every packet sampled, records flushed after a second. */
  ipfix(port: number, obsDomain: number, obsPoint: number, virtualObsId: string) {
    this.vsctl('--', 'set', 'Bridge', 'br0', 'ipfix=@i', '--', '--id=@i', 'create', 'IPFIX', `targets="127.0.0.1:${port}"`, `obs_domain_id=${obsDomain}`, `obs_point_id=${obsPoint}`, 'sampling=1', 'cache_active_timeout=1', `other_config:virtual_obs_id=${virtualObsId}`);
  }

  sflow(port: number) {
    this.vsctl('--', 'set', 'Bridge', 'br0', 'sflow=@s', '--', '--id=@s', 'create', 'sFlow', 'agent=127.0.0.1', `targets="127.0.0.1:${port}"`, 'sampling=1', 'polling=30', 'header=128');
  }

  /** A frame arriving on a port of the bridge. */
  inject(port: string, frame: Uint8Array) {
    const r = spawnSync('ovs-appctl', ['-t', `${this.dir}/vswitchd.ctl`, 'netdev-dummy/receive', port, Buffer.from(frame).toString('hex')], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`netdev-dummy/receive: ${r.stderr}`);
  }

  stop() {
    if (!this.started) return;
    for (const name of ['vswitchd.pid', 'ovsdb.pid']) {
      try {
        const pid = Number(readFileSync(join(this.dir, name), 'utf8').trim());
        if (pid > 0) process.kill(pid, 'SIGTERM');
      } catch {
        // not running
      }
    }
    this.started = false;
  }
}

// A classic pcap written as packets come (collectors/testing/traffic.ts's writePcap wants every
// packet in memory, which a capture of millions of flows cannot afford): the global header, then
// per packet a 16-byte header (seconds, microseconds, captured and original length) and the frame.
import { closeSync, openSync, writeSync } from 'node:fs';

const LINKTYPE_ETHERNET = 1;
const CHUNK = 1 << 20;

export class PcapWriter {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(CHUNK);
  private used = 0;
  packets = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(262144, 16);
    h.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    writeSync(this.fd, h);
  }

  /** One Ethernet frame captured at `time` (epoch ms). */
  packet(time: number, frame: Uint8Array): void {
    if (this.used + 16 + frame.length > CHUNK) this.flush();
    const us = Math.round(time * 1000);
    const b = this.buf;
    b.writeUInt32LE(Math.floor(us / 1e6), this.used);
    b.writeUInt32LE(us % 1e6, this.used + 4);
    b.writeUInt32LE(frame.length, this.used + 8);
    b.writeUInt32LE(frame.length, this.used + 12);
    b.set(frame, this.used + 16);
    this.used += 16 + frame.length;
    this.packets++;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush() {
    if (this.used) writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }
}

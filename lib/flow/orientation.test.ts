import { describe, expect, it } from 'vitest';
import { orient, PeerTracker, serviceScore } from './orientation';

const base = { srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', protocol: 6 };

describe('orient', () => {
  it('takes a biflow source as the client', () => {
    expect(orient({ ...base, srcPort: 443, dstPort: 51000, biflow: true })).toEqual({ serverSide: 'dst', orientation: 'biflow' });
  });

  it('reads a SYN without ACK as the opening side, whatever the ports', () => {
    expect(orient({ ...base, srcPort: 22, dstPort: 8080, tcpFlags: 0x02 })).toEqual({ serverSide: 'dst', orientation: 'tcp-flags' });
    // SYN+ACK in cumulative flags says nothing about who opened
    expect(orient({ ...base, srcPort: 5432, dstPort: 40000, tcpFlags: 0x1a })).toEqual({ serverSide: 'src', orientation: 'port' });
  });

  it('prefers known service ports, then well-known, then registered, over ephemeral ones', () => {
    expect(orient({ ...base, srcPort: 51514, dstPort: 5432 })).toEqual({ serverSide: 'dst', orientation: 'port' });
    expect(orient({ ...base, srcPort: 6379, dstPort: 40001 })).toEqual({ serverSide: 'src', orientation: 'port' });
    expect(orient({ ...base, srcPort: 1023, dstPort: 443 })).toEqual({ serverSide: 'dst', orientation: 'port' });
    expect(orient({ ...base, protocol: 17, srcPort: 53, dstPort: 33000 })).toEqual({ serverSide: 'src', orientation: 'port' });
    expect(serviceScore(49152)).toBe(0);
    expect(serviceScore(20000)).toBe(1);
  });

  it('guesses the lower port when the ports do not tell', () => {
    expect(orient({ ...base, srcPort: 12000, dstPort: 15000 })).toEqual({ serverSide: 'src', orientation: 'guess' });
  });

  it('takes the estate\'s side for the client when both ends use one service port with the internet (NTP, DNS forwarding)', () => {
    const ntp = { srcAddr: '203.0.113.123', dstAddr: '10.0.0.5', srcPort: 123, dstPort: 123, protocol: 17 };
    expect(orient(ntp)).toEqual({ serverSide: 'src', orientation: 'port' });
    expect(orient({ ...ntp, srcAddr: '10.0.0.5', dstAddr: '203.0.113.123' })).toEqual({ serverSide: 'dst', orientation: 'port' });
    // the time server talks to several of the estate's servers, each of which sees only it: peers do not overrule
    const t = new PeerTracker();
    for (let i = 0; i < 5; i++) t.observe({ ...ntp, srcAddr: `198.51.100.${i}` });
    expect(t.orient({ ...ntp, srcAddr: '10.0.0.5', dstAddr: '198.51.100.1' })).toEqual({ serverSide: 'dst', orientation: 'port' });
    // inside the estate, nothing is assumed
    expect(orient({ ...ntp, srcAddr: '10.0.0.9' }).orientation).toBe('guess');
  });

  it('counts a known service port inside the ephemeral range as no better than a registered one', () => {
    // a client that picked 50000 (DB2's port) calling a backup agent on 6106
    expect(orient({ ...base, srcPort: 50000, dstPort: 6106 })).toEqual({ serverSide: 'dst', orientation: 'guess' });
  });

  it('orients ICMP by message type', () => {
    expect(orient({ ...base, protocol: 1, srcPort: 0, dstPort: 8 << 8 })).toEqual({ serverSide: 'dst', orientation: 'port' });
    expect(orient({ ...base, protocol: 1, srcPort: 0, dstPort: 0 })).toEqual({ serverSide: 'src', orientation: 'port' });
    expect(orient({ ...base, protocol: 58, srcPort: 0, dstPort: 129 << 8 })).toEqual({ serverSide: 'src', orientation: 'port' });
  });
});

describe('PeerTracker', () => {
  it('finds the service side of an unknown port by its many peers', () => {
    const t = new PeerTracker();
    for (let i = 0; i < 10; i++) t.observe({ srcAddr: `10.1.0.${i}`, dstAddr: '10.9.9.9', srcPort: 20000 + i, dstPort: 27500, protocol: 6 });
    // A record seen from the server side: ports alone would guess the lower (the client's) port.
    const r = { srcAddr: '10.9.9.9', dstAddr: '10.1.0.3', srcPort: 27500, dstPort: 20003, protocol: 6 };
    expect(orient(r)).toEqual({ serverSide: 'dst', orientation: 'guess' });
    expect(t.orient(r)).toEqual({ serverSide: 'src', orientation: 'peers' });
  });

  it('stays within its memory bound', () => {
    const t = new PeerTracker(100, 4);
    for (let i = 0; i < 1000; i++) t.observe({ srcAddr: `10.2.${i >> 8}.${i & 255}`, dstAddr: '10.9.9.9', srcPort: 40000, dstPort: 7000 + (i % 3), protocol: 17 });
    expect(t.peersOf('10.9.9.9', 7000, 17)).toBeLessThanOrEqual(4);
    expect(t.peersOf('10.2.0.0', 40000, 17)).toBe(0); // forgotten
  });
});

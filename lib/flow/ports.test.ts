import { describe, expect, it } from 'vitest';
import { addressPort, flowPortLabel, icmpMessage, parsePortFilter, portLabel } from './ports';

describe('ICMP in flow records', () => {
  it('reads the type and code exporters put in the server port field', () => {
    expect(icmpMessage(1, 8 * 256)).toBe('echo-request');
    expect(icmpMessage(1, 3 * 256 + 3)).toBe('destination-unreachable code 3');
    expect(icmpMessage(1, 42 * 256)).toBe('type 42');
    expect(icmpMessage(58, 128 * 256)).toBe('echo-request');
    expect(icmpMessage(58, 135 * 256)).toBe('neighbor-solicitation');
    // sources that do not report the message write 0
    expect(icmpMessage(1, 0)).toBeNull();
    expect(icmpMessage(6, 2048)).toBeNull();
  });

  it('labels a record by its message, not as a port', () => {
    expect(flowPortLabel(1, 2048)).toBe('icmp echo-request');
    expect(flowPortLabel(58, 129 * 256)).toBe('ipv6-icmp echo-reply');
    expect(flowPortLabel(1, 0)).toBe('icmp');
    expect(flowPortLabel(6, 443)).toBe('tcp/443');
    expect(flowPortLabel(17, 2048)).toBe('udp/2048');
  });

  it('writes no port after an ICMP address, and brackets IPv6 addresses before a port', () => {
    expect(addressPort('10.0.0.1', 1, 2048)).toBe('10.0.0.1');
    expect(addressPort('10.0.0.1', 6, 443)).toBe('10.0.0.1:443');
    expect(addressPort('2001:db8::1', 6, 443)).toBe('[2001:db8::1]:443');
  });

  it('keeps a dependency label that reads back as a filter', () => {
    expect(portLabel(1, 2048)).toBe('icmp');
    expect(parsePortFilter(portLabel(1, 2048))).toEqual({ protocol: 1, from: 0, to: 65535 });
    expect(parsePortFilter(portLabel(6, 443))).toEqual({ protocol: 6, from: 443, to: 443 });
  });
});

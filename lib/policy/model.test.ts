// The rule model, port arithmetic and selector logic: what people type, what narrowing allows,
// what a CIDR with exceptions holds.
import { describe, expect, it } from 'vitest';
import { describeRule, formatPorts, parsePortsText, parseSelector, parseSelectorText, PolicyError, selectorKey } from './model';
import { generalisePorts, normalizePorts, portsAllow, portsMissing, portsWithin } from './ports';
import { cidrMatcher, labelsMatch, matcherHas, selectorWithin, selectsWorkload, type PolicyWorkload } from './selectors';
import { isNarrower } from './workflow';

const w = (name: string, labels: Record<string, string>, addresses: string[] = []): PolicyWorkload => ({ id: name, name, labels, suggested: [], addresses });

describe('selectors as people write them', () => {
  it('parses labels, CIDRs with exceptions, every workload and any', () => {
    expect(parseSelectorText('app=orders, role=db')).toEqual({ labels: { app: 'orders', role: 'db' } });
    expect(parseSelectorText('*')).toEqual({ labels: {} });
    expect(parseSelectorText('any')).toEqual({ any: true });
    expect(parseSelectorText('10.0.0.0/8')).toEqual({ cidr: '10.0.0.0/8' });
    expect(parseSelectorText('0.0.0.0/0 except 10.0.0.0/8 192.168.0.0/16')).toEqual({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] });
    expect(parseSelectorText('2001:db8::/32')).toEqual({ cidr: '2001:db8::/32' });
  });

  it('refuses what is not a selector, naming the problem', () => {
    expect(() => parseSelectorText('orders')).toThrow(/key=value/);
    expect(() => parseSelectorText('10.0.0.0/33')).toThrow(PolicyError);
    expect(() => parseSelector({ cidr: '10.0.0.1' }, 'rule x from')).toThrow(/rule x from: .*a\.b\.c\.d\/32/);
    expect(() => parseSelector({ labels: { 'bad key!': 'x' } }, 'from')).toThrow(/label key/);
    expect(() => parseSelector({ any: true, labels: {} }, 'from')).toThrow(PolicyError);
  });

  it('gives equal selectors equal keys whatever the order of labels', () => {
    expect(selectorKey({ labels: { role: 'db', app: 'x' } })).toBe(selectorKey({ labels: { app: 'x', role: 'db' } }));
    expect(selectorKey({ labels: {} })).not.toBe(selectorKey({ any: true }));
  });

  it('matches workloads by all given labels; the implicit workload key is the name', () => {
    const db = w('orders-db-01', { app: 'orders', role: 'db', env: 'prod' });
    expect(labelsMatch({ app: 'orders', role: 'db' }, db)).toBe(true);
    expect(labelsMatch({ app: 'orders', role: 'api' }, db)).toBe(false);
    expect(labelsMatch({}, db)).toBe(true);
    expect(labelsMatch({ workload: 'orders-db-01' }, db)).toBe(true);
    expect(selectsWorkload({ cidr: '10.1.0.0/16' }, w('a', {}, ['10.1.2.3']))).toBe(true);
    expect(selectsWorkload({ cidr: '10.1.0.0/16', except: ['10.1.2.0/24'] }, w('a', {}, ['10.1.2.3']))).toBe(false);
  });

  it('keeps IPv4 out of IPv6 ranges and honours exceptions', () => {
    const all6 = cidrMatcher({ cidr: '::/0' });
    expect(matcherHas(all6, '2001:db8::1')).toBe(true);
    expect(matcherHas(all6, '10.0.0.1')).toBe(false);
    expect(matcherHas(all6, '::ffff:10.0.0.1')).toBe(false);
    const internet = cidrMatcher({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.0.2.66/32'] });
    expect(matcherHas(internet, '8.8.8.8')).toBe(true);
    expect(matcherHas(internet, '10.1.1.1')).toBe(false);
    expect(matcherHas(internet, '192.0.2.66')).toBe(false);
    expect(matcherHas(internet, '192.0.2.67')).toBe(true);
  });

  it('knows when one selector is inside another', () => {
    expect(selectorWithin({ labels: { app: 'a', role: 'db' } }, { labels: { app: 'a' } })).toBe(true);
    expect(selectorWithin({ labels: { app: 'a' } }, { labels: { app: 'a', role: 'db' } })).toBe(false);
    expect(selectorWithin({ labels: { app: 'a' } }, { any: true })).toBe(true);
    expect(selectorWithin({ any: true }, { labels: {} })).toBe(false);
    expect(selectorWithin({ cidr: '10.1.0.0/16' }, { cidr: '10.0.0.0/8' })).toBe(true);
    expect(selectorWithin({ cidr: '10.0.0.0/8' }, { cidr: '10.1.0.0/16' })).toBe(false);
    // outer excepts 10.1.2.0/24: inner must except it too
    expect(selectorWithin({ cidr: '10.1.0.0/16' }, { cidr: '10.0.0.0/8', except: ['10.1.2.0/24'] })).toBe(false);
    expect(selectorWithin({ cidr: '10.1.0.0/16', except: ['10.1.0.0/20'] }, { cidr: '10.0.0.0/8', except: ['10.1.2.0/24'] })).toBe(true);
    expect(selectorWithin({ cidr: '2001:db8::/32' }, { cidr: '0.0.0.0/0' })).toBe(false);
    expect(selectorWithin({ labels: { app: 'a' } }, { cidr: '0.0.0.0/0' })).toBe(false);
  });
});

describe('ports', () => {
  it('parses and formats the short forms', () => {
    const p = parsePortsText('tcp/5432, tcp/8000-8100 udp/53 icmp');
    expect(p).toEqual([{ protocol: 'tcp', port: 5432 }, { protocol: 'tcp', port: 8000, endPort: 8100 }, { protocol: 'udp', port: 53 }, { protocol: 'icmp' }]);
    expect(formatPorts(p)).toBe('tcp/5432 tcp/8000-8100 udp/53 icmp');
    expect(() => parsePortsText('tcp/99999')).toThrow(PolicyError);
    expect(() => parsePortsText('icmp/8')).toThrow(/not a port/);
    expect(() => parsePortsText('tcp/90-80')).toThrow(/below/);
  });

  it('merges overlapping and adjacent ports; a whole protocol or any swallows the rest', () => {
    expect(normalizePorts([{ protocol: 'tcp', port: 81 }, { protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 82, endPort: 90 }, { protocol: 'udp', port: 53 }])).toEqual([
      { protocol: 'tcp', port: 80, endPort: 90 },
      { protocol: 'udp', port: 53 },
    ]);
    expect(normalizePorts([{ protocol: 'tcp', port: 22 }, { protocol: 'tcp' }])).toEqual([{ protocol: 'tcp' }]);
    expect(normalizePorts([{ protocol: 'tcp', port: 22 }, { protocol: 'any' }])).toEqual([{ protocol: 'any' }]);
  });

  it('generalises by the knob: exact, ranges, protocol', () => {
    const seen = [{ protocol: 'tcp' as const, port: 8080 }, { protocol: 'tcp' as const, port: 8085 }, { protocol: 'tcp' as const, port: 9000 }, { protocol: 'udp' as const, port: 53 }];
    expect(generalisePorts(seen, 'exact')).toHaveLength(4);
    expect(generalisePorts(seen, 'ranges')).toEqual([{ protocol: 'tcp', port: 8080, endPort: 8085 }, { protocol: 'tcp', port: 9000 }, { protocol: 'udp', port: 53 }]);
    expect(generalisePorts(seen, 'protocol')).toEqual([{ protocol: 'tcp' }, { protocol: 'udp' }]);
  });

  it('answers allow / within / missing', () => {
    const p = parsePortsText('tcp/5432 tcp/8000-8100 icmp');
    expect(portsAllow(p, 6, 5432)).toBe(true);
    expect(portsAllow(p, 6, 8050)).toBe(true);
    expect(portsAllow(p, 17, 5432)).toBe(false);
    expect(portsAllow(p, 58, 0)).toBe(true);
    expect(portsWithin(parsePortsText('tcp/8010-8020'), p)).toBe(true);
    expect(portsWithin(parsePortsText('tcp/7999-8020'), p)).toBe(false);
    expect(portsWithin(parsePortsText('tcp'), parsePortsText('tcp/1-65535'))).toBe(true);
    expect(portsMissing(parsePortsText('tcp/5432 tcp/5433'), parsePortsText('tcp/5432'))).toEqual([{ protocol: 'tcp', port: 5433 }]);
  });
});

describe('narrowing', () => {
  const base = { from: { labels: { app: 'web' } }, to: { labels: { app: 'db' } }, ports: parsePortsText('tcp/5432 tcp/5433'), expires: null };
  it('accepts fewer ports, tighter selectors and an earlier expiry; refuses anything wider', () => {
    expect(isNarrower(base, { ...base, ports: parsePortsText('tcp/5432') })).toBe(true);
    expect(isNarrower(base, { ...base, from: { labels: { app: 'web', env: 'prod' } } })).toBe(true);
    expect(isNarrower(base, { ...base, expires: new Date('2030-01-01') })).toBe(true);
    expect(isNarrower(base, { ...base, ports: parsePortsText('tcp/5432-5434') })).toBe(false);
    expect(isNarrower(base, { ...base, from: { labels: {} } })).toBe(false);
    expect(isNarrower({ ...base, expires: new Date('2030-01-01') }, base)).toBe(false);
  });
  it('describes a rule in one line', () => {
    expect(describeRule(base)).toBe('app=web -> app=db tcp/5432 tcp/5433');
  });
});

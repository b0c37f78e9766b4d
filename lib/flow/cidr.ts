// Sets of addresses and CIDRs (allow-lists, named networks), on node's BlockList.
import { BlockList, isIP } from 'node:net';
import { displayAddr } from './address';

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address; throws naming the entry when invalid. */
export function parseCidr(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', len] = entry.trim().split('/');
  const v = isIP(address);
  if (v === 0) throw new Error(`"${entry}" is not an address or CIDR`);
  const max = v === 4 ? 32 : 128;
  const prefix = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (len !== undefined && !/^\d+$/.test(len))) {
    throw new Error(`"${entry}" has an invalid prefix length (0-${max})`);
  }
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

export class CidrSet {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const c = parseCidr(e);
      this.list.addSubnet(c.address, c.prefix, c.family);
    }
    this.size = entries.length;
  }

  has(address: string): boolean {
    const plain = displayAddr(address);
    const v = isIP(plain);
    if (v === 0) return false;
    return this.list.check(plain, v === 4 ? 'ipv4' : 'ipv6');
  }
}

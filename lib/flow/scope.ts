// Which addresses are on the internet: everything but the special-purpose ranges (RFC 6890 and
// friends) for IPv4, global unicast (2000::/3) for IPv6. Policy uses the ranges to write "the
// internet" as a rule; ingest uses the test to orient conversations between the estate and the
// outside.
import { CidrSet } from './cidr';

/** Special-purpose IPv4 ranges that are never "the internet". */
export const NOT_INTERNET_V4 = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/4'];
/** IPv6 global unicast: the IPv6 internet (unique-local, link-local, multicast and loopback lie outside it). */
export const IPV6_INTERNET = '2000::/3';

const special = new CidrSet([...NOT_INTERNET_V4, '0.0.0.0/8', '255.255.255.255/32']);
const global6 = new CidrSet([IPV6_INTERNET]);

export function isInternetAddress(addr: string): boolean {
  if (addr.includes(':') && !addr.startsWith('::ffff:')) return global6.has(addr);
  return !special.has(addr);
}

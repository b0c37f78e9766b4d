// Which exporters may send: an empty allow-list lets everyone in, as collectors usually do.
import { CidrSet } from '../lib/flow/cidr';

export class AddressFilter {
  private readonly set: CidrSet | null;

  constructor(allow: readonly string[]) {
    this.set = allow.length ? new CidrSet(allow) : null;
  }

  allows(address: string): boolean {
    return this.set === null || this.set.has(address);
  }
}

// AWS EC2 inventory from the CLI:
//  - `aws ec2 describe-instances`: one workload per instance, named "<Name tag> (<instance id>)"
//    (the id alone without a Name tag; Name tags repeat across an auto-scaling group), with its
//    private addresses (from each ENI's attach time), public and IPv6 addresses, tags as labels.
//  - `aws ec2 describe-network-interfaces`: ENIs attached to instances add to those instances;
//    the others are AWS-managed endpoints (load balancers, NAT gateways, VPC endpoints, Lambda,
//    RDS...), one workload per load balancer, NAT gateway or endpoint, else per ENI.
// Terminated instances hold no address; their open bindings close when the import says so.
import type { InventoryObservation, ObservedAddress } from '../../lib/inventory/types';
import { arr, emptyResult, obj, parseTime, str, type AdapterResult } from './types';

type Obj = Record<string, unknown>;

function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of arr(v)) {
    const k = str(obj(t)?.Key);
    const val = str(obj(t)?.Value);
    if (k && val !== undefined) out[k] = val;
  }
  return out;
}

function eniAddresses(eni: Obj, since?: Date): ObservedAddress[] {
  const out: ObservedAddress[] = [];
  const at = parseTime(obj(eni.Attachment)?.AttachTime) ?? since;
  for (const p of arr(eni.PrivateIpAddresses)) {
    const ip = str(obj(p)?.PrivateIpAddress);
    if (ip) out.push({ ip, ...(at ? { from: at } : {}) });
    // public addresses change on stop/start: held as of the import
    const pub = str(obj(obj(p)?.Association)?.PublicIp);
    if (pub) out.push({ ip: pub });
  }
  if (!arr(eni.PrivateIpAddresses).length && str(eni.PrivateIpAddress)) out.push({ ip: str(eni.PrivateIpAddress)!, ...(at ? { from: at } : {}) });
  for (const a of arr(eni.Ipv6Addresses)) {
    const ip = str(obj(a)?.Ipv6Address);
    if (ip) out.push({ ip, ...(at ? { from: at } : {}) });
  }
  return out;
}

function dedupe(addrs: ObservedAddress[]): ObservedAddress[] {
  const m = new Map<string, ObservedAddress>();
  for (const a of addrs) if (!m.has(a.ip)) m.set(a.ip, a);
  return [...m.values()];
}

export function isAwsInventory(doc: unknown): boolean {
  const o = obj(doc);
  return Boolean(o && (Array.isArray(o.Reservations) || Array.isArray(o.NetworkInterfaces)));
}

export function fromAws(doc: unknown): AdapterResult {
  const out = emptyResult();
  const o = obj(doc);
  if (!o || !isAwsInventory(doc)) {
    out.errors.push({ where: '(root)', reason: 'not aws ec2 describe-instances ({"Reservations": [...]}) nor describe-network-interfaces ({"NetworkInterfaces": [...]}) output' });
    return out;
  }
  arr(o.Reservations).forEach((r, ri) => {
    arr(obj(r)?.Instances).forEach((raw, ii) => {
      const inst = obj(raw);
      const id = str(inst?.InstanceId);
      if (!inst || !id) {
        out.errors.push({ where: `Reservations[${ri}].Instances[${ii}]`, reason: 'an instance without InstanceId' });
        return;
      }
      const tags = tagsOf(inst.Tags);
      const state = str(obj(inst.State)?.Name);
      const launched = parseTime(inst.LaunchTime) ?? undefined;
      let addresses: ObservedAddress[] = [];
      if (state === 'terminated' || state === 'shutting-down') {
        out.skipped.push({ what: `instance ${id}`, reason: `${state}: it holds no address` });
      } else {
        for (const eni of arr(inst.NetworkInterfaces)) addresses.push(...eniAddresses(obj(eni)!, launched));
        if (str(inst.PrivateIpAddress)) addresses.push({ ip: str(inst.PrivateIpAddress)!, ...(launched ? { from: launched } : {}) });
        if (str(inst.PublicIpAddress)) addresses.push({ ip: str(inst.PublicIpAddress)! });
        addresses = dedupe(addresses);
      }
      const { Name: nameTag, ...labels } = tags;
      out.observations.push({
        name: nameTag ? `${nameTag} (${id})` : id,
        externalId: `aws:${id}`,
        kind: 'instance',
        addresses,
        labels,
        attributes: {
          instanceId: id,
          ...(str(inst.InstanceType) ? { instanceType: str(inst.InstanceType) } : {}),
          ...(str(inst.VpcId) ? { vpcId: str(inst.VpcId) } : {}),
          ...(str(inst.SubnetId) ? { subnetId: str(inst.SubnetId) } : {}),
          ...(str(obj(inst.Placement)?.AvailabilityZone) ? { availabilityZone: str(obj(inst.Placement)!.AvailabilityZone) } : {}),
          ...(str(inst.ImageId) ? { imageId: str(inst.ImageId) } : {}),
          ...(state ? { state } : {}),
          ...(str(inst.PrivateDnsName) ? { privateDnsName: str(inst.PrivateDnsName) } : {}),
          enis: arr(inst.NetworkInterfaces).map((e) => str(obj(e)?.NetworkInterfaceId)).filter(Boolean),
        },
      });
    });
  });

  // describe-network-interfaces: group by what owns the ENI
  const groups = new Map<string, InventoryObservation>();
  arr(o.NetworkInterfaces).forEach((raw, i) => {
    const eni = obj(raw);
    const id = str(eni?.NetworkInterfaceId);
    if (!eni || !id) {
      out.errors.push({ where: `NetworkInterfaces[${i}]`, reason: 'an interface without NetworkInterfaceId' });
      return;
    }
    const addresses = eniAddresses(eni);
    const instanceId = str(obj(eni.Attachment)?.InstanceId);
    const type = str(eni.InterfaceType) ?? 'interface';
    const description = str(eni.Description) ?? '';
    let key: string;
    let obs: InventoryObservation;
    if (instanceId) {
      key = `aws:${instanceId}`;
      obs = { name: instanceId, provisionalName: true, externalId: key, kind: 'instance', addresses: [], attributes: { instanceId, enis: [] as string[] } };
    } else {
      // AWS-managed endpoints: name them by what they serve
      const elb = /^ELB (\S+)/.exec(description);
      const nat = /(nat-[0-9a-f]+)/.exec(description);
      const vpce = /(vpce-[0-9a-f]+)/.exec(description);
      const lambda = /^AWS Lambda VPC ENI-(.+?)(-[0-9a-f]{8}-[0-9a-f]{4}-.*)?$/.exec(description);
      const service = elb ? `elb ${elb[1]}` : nat ? nat[1]! : vpce ? vpce[1]! : lambda ? `lambda ${lambda[1]}` : undefined;
      key = service ? `aws:${service}` : `aws:${id}`;
      obs = {
        name: service ?? (description ? `${description} (${id})` : id),
        externalId: key,
        kind: 'service',
        addresses: [],
        labels: tagsOf(eni.TagSet),
        attributes: { interfaceType: type, ...(description ? { description } : {}), ...(str(eni.RequesterId) ? { requester: str(eni.RequesterId) } : {}), enis: [] as string[] },
      };
    }
    const existing = groups.get(key);
    const g = existing ?? obs;
    if (!existing) groups.set(key, g);
    g.addresses = dedupe([...g.addresses, ...addresses]);
    (g.attributes!.enis as string[]).push(id);
    if (str(eni.VpcId)) g.attributes!.vpcId = str(eni.VpcId);
  });
  out.observations.push(...groups.values());
  return out;
}

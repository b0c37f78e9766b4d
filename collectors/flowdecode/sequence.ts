// Sequence tracking: how many flows, records, packets or datagrams went missing between two
// datagrams of one domain, as the exporter's own counter says.
import type { DomainState } from './state';

/** A jump this large forward, or any step backwards, is a restart or reordering, not loss. */
const MAX_GAP = 1 << 24;

/**
 * Compare a datagram's sequence number with the one expected and advance. `advance` is what
 * this datagram adds to the counter; `alternative` is the advance some exporters use instead
 * (softflowd's IPFIX counts the records of the current message too; some NetFlow v9 exporters
 * count records instead of packets), accepted as no loss. `uncounted` means the datagram held
 * data we could not count (no template yet), so the next expectation is unknown.
 */
export function sequenceCheck(d: DomainState, seq: number, advance: number, alternative: number, uncounted: boolean): { lost: number; reset: boolean } | null {
  let report: { lost: number; reset: boolean } | null = null;
  if (d.nextSeq >= 0 && seq !== d.nextSeq) {
    const viaAlternative = d.lastSeq >= 0 && ((seq - d.lastSeq) >>> 0 === alternative >>> 0 || (seq - d.lastSeq) >>> 0 === 0);
    if (!viaAlternative) {
      const gap = (seq - d.nextSeq) >>> 0;
      report = gap < MAX_GAP ? { lost: gap, reset: false } : { lost: 0, reset: true };
    }
  }
  d.lastSeq = seq;
  d.nextSeq = uncounted ? -1 : (seq + advance) >>> 0;
  return report;
}

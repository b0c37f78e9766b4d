// Per-exporter statistics, kept the same way for UDP listeners and capture files: what each
// exporter sent, what decoded, what was lost and why.
import type { ExporterStatus } from '../lib/flow/collector-status';
import type { DecoderState, DecodeResult } from './flowdecode';

const MAX_DOMAINS = 32;

interface Entry extends ExporterStatus {
  domainSet: Set<number>;
}

export class ExporterTable {
  private readonly entries = new Map<string, Entry>();
  /** called the first time an exporter is seen */
  onNew?: (exporter: string, version: string) => void;

  private entry(address: string, version: string, now: number): Entry {
    const key = `${address}|${version}`;
    let e = this.entries.get(key);
    if (!e) {
      const t = new Date(now).toISOString();
      e = {
        exporter: address, version, domains: [], domainSet: new Set(), datagrams: 0, bytes: 0, records: 0, templates: 0,
        activeTemplates: 0, options: 0, counterSamples: 0, decodeErrors: 0, lastError: null, noTemplateDrops: 0,
        waitingForTemplate: 0, sequenceGaps: 0, lost: 0, lostUnit: '', sequenceResets: 0, droppedRecords: 0, quarantined: 0, templatesEvicted: 0, firstSeen: t, lastSeen: t,
      };
      this.entries.set(key, e);
      this.onNew?.(address, version);
    }
    return e;
  }

  /** Account one decoded datagram. Returns the entry's key for later record drops. */
  observe(address: string, datagramBytes: number, r: DecodeResult, now: number): Entry {
    const e = this.entry(address, r.version ?? 'unknown', now);
    e.datagrams++;
    e.bytes += datagramBytes;
    e.records += r.records.length;
    e.templates += r.templates;
    e.options += r.options;
    e.counterSamples += r.counterSamples;
    e.noTemplateDrops += r.droppedNoTemplate;
    if (r.errors.length) {
      // no-template drops are counted on their own; everything else is a decode error
      const real = r.errors.filter((x) => x.code !== 'no-template');
      e.decodeErrors += real.length;
      const last = real[real.length - 1] ?? r.errors[r.errors.length - 1]!;
      e.lastError = last.message;
    }
    for (const s of r.sequence) {
      if (s.reset) e.sequenceResets++;
      else if (s.lost > 0) {
        e.sequenceGaps++;
        e.lost += s.lost;
        e.lostUnit = s.unit;
      }
    }
    if (r.records.length && e.domainSet.size < MAX_DOMAINS) {
      const dom = r.records[0]!.observationDomain;
      if (!e.domainSet.has(dom)) {
        e.domainSet.add(dom);
        e.domains = [...e.domainSet].sort((a, b) => a - b);
      }
    }
    e.lastSeen = new Date(now).toISOString();
    return e;
  }

  /** Records the store could not take (the collector's own loss). */
  dropped(e: ExporterStatus, n: number) {
    e.droppedRecords += n;
  }

  /** Records whose times were outside the admission window (kept aside, not stored). */
  quarantined(e: ExporterStatus, n: number) {
    e.quarantined += n;
  }

  /** Data sets that waited too long for a template, found by DecoderState.expire(). */
  expired(dropped: Map<string, number>, now: number) {
    for (const [address, n] of dropped) {
      // Templates belong to NetFlow v9 or IPFIX; charge the entry that has templates.
      const e = [...this.entries.values()].find((x) => x.exporter === address && (x.version === 'ipfix' || x.version === 'netflow9')) ?? this.entry(address, 'unknown', now);
      e.noTemplateDrops += n;
    }
  }

  snapshot(state?: DecoderState): ExporterStatus[] {
    const active = new Map<string, { templates: number; pending: number }>();
    if (state) {
      for (const s of state.sessions.values()) {
        const a = active.get(s.exporter) ?? { templates: 0, pending: 0 };
        for (const d of s.domains.values()) {
          a.templates += d.templates.size;
          a.pending += d.pending.length;
        }
        active.set(s.exporter, a);
      }
    }
    return [...this.entries.values()]
      .map(({ domainSet: _, ...e }) => {
        const templated = e.version === 'ipfix' || e.version === 'netflow9';
        const a = templated ? active.get(e.exporter) : undefined;
        return { ...e, activeTemplates: a?.templates ?? 0, waitingForTemplate: a?.pending ?? 0, templatesEvicted: templated ? (state?.evicted.get(e.exporter) ?? 0) : 0 };
      })
      .sort((a, b) => a.exporter.localeCompare(b.exporter) || a.version.localeCompare(b.version));
  }

  totals() {
    let datagrams = 0;
    let records = 0;
    let errors = 0;
    let dropped = 0;
    let lost = 0;
    let noTemplate = 0;
    for (const e of this.entries.values()) {
      datagrams += e.datagrams;
      records += e.records;
      errors += e.decodeErrors;
      dropped += e.droppedRecords;
      lost += e.lost;
      noTemplate += e.noTemplateDrops;
    }
    return { exporters: this.entries.size, datagrams, records, errors, dropped, lost, noTemplate };
  }
}

// The decoder's explicit state: template caches, options (sampling rates, system init time),
// data waiting for its template, and sequence numbers. Keyed by transport session (exporter
// address and UDP source port, as RFC 7011 §8 scopes templates), then by observation domain /
// source id / sFlow sub-agent, then by template id.
import type { ElementType } from './elements';

export interface DecoderOptions {
  /** transport sessions kept at once; the least recently created is forgotten beyond (default 10,000) */
  maxSessions?: number;
  /** templates per observation domain; the least recently used is evicted beyond (default 4,096) */
  maxTemplatesPerDomain?: number;
  /** observation domains (source ids, sFlow sub-agents) per session; the least recently used is evicted beyond (default 1,024) */
  maxDomainsPerSession?: number;
  /**
   * templates held in all, whatever the number of exporters and domains; the least recently used
   * domain loses its least recently used template beyond (default 5,000: enough for hundreds of
   * exporters, whose domains hold a handful each; a held template costs about 1.5 KB, and a flood
   * of new ones costs far more in garbage than in what is held: docs/reliability.md)
   */
  maxTemplates?: number;
  /** data bytes held per domain while waiting for templates (default 1 MiB) */
  pendingMaxBytes?: number;
  /** how long data waits for its template before it is dropped and counted (default 10 s) */
  pendingMaxAgeMs?: number;
  /** a session that sent nothing for this long is forgotten with its templates (default 1 h) */
  sessionIdleMs?: number;
  /**
   * decode elements the normalized record has no field for into `extras`: true (default), false,
   * or a test by element name (decided once per template, so unwanted elements cost nothing)
   */
  extras?: boolean | ((name: string) => boolean);
}

/** One field of a compiled template. */
export interface TemplateField {
  id: number;
  pen: number;
  /** bytes, or 65535 for variable length */
  length: number;
  /** what the decoder does with it (see template.ts) */
  kind: number;
  /** registry name; repeated elements get #2, #3 */
  name: string;
  type: ElementType;
}

export interface Template {
  id: number;
  options: boolean;
  /** leading scope fields of an options template */
  scopeCount: number;
  fields: TemplateField[];
  /** smallest record: variable-length fields count their 1-byte length prefix */
  minLength: number;
  /** has variable-length fields (records differ in size) */
  variable: boolean;
  /** the definition as text, to tell a refresh from a change */
  signature: string;
}

export interface PendingSet {
  templateId: number;
  bytes: Uint8Array;
  receivedAt: number;
  /** header context the records need for their times */
  exportMs: number;
  sysUptime: number;
}

export class DomainState {
  /** least recently used first: use() moves a template to the end */
  readonly templates = new Map<number, Template>();
  pending: PendingSet[] = [];
  pendingBytes = 0;
  /** next expected sequence number, or -1 before the first datagram / after data we could not count */
  nextSeq = -1;
  lastSeq = -1;
  /** sampling rates from options data: '' (domain), 'i<ifIndex>', 's<samplerId>' */
  readonly sampling = new Map<string, number>();
  /** IPFIX systemInitTimeMilliseconds from options data (base of flow*SysUpTime) */
  systemInitMs = -1;
  /** sFlow: next expected sample sequence per source id */
  readonly sampleSeq = new Map<number, number>();

  constructor(
    readonly session: Session,
    readonly id: number,
  ) {}

  /** The template for a data set, marked as used (it is evicted last). */
  use(tid: number): Template | undefined {
    const t = this.templates.get(tid);
    if (t) {
      this.templates.delete(tid);
      this.templates.set(tid, t);
      this.session.owner.touch(this);
    }
    return t;
  }

  /** Add or replace a template, evicting the least recently used ones beyond the ceilings. */
  setTemplate(tid: number, t: Template): void {
    const owner = this.session.owner;
    if (!this.templates.has(tid)) {
      if (this.templates.size >= owner.opts.maxTemplatesPerDomain) this.evictOldest();
      owner.templatesHeld++;
      while (owner.templatesHeld > owner.opts.maxTemplates && owner.evictOne(this));
    } else this.templates.delete(tid);
    this.templates.set(tid, t);
    owner.touch(this);
  }

  deleteTemplate(tid: number): boolean {
    if (!this.templates.delete(tid)) return false;
    this.session.owner.templatesHeld--;
    return true;
  }

  /** Drop the least recently used template, counted against the exporter. */
  evictOldest(): void {
    const first = this.templates.keys().next();
    if (first.done) return;
    this.deleteTemplate(first.value);
    this.session.owner.countEviction(this.session.exporter, 1);
  }
}

export class Session {
  /** least recently used first */
  readonly domains = new Map<number, DomainState>();
  lastSeen = 0;
  constructor(
    readonly exporter: string,
    readonly owner: DecoderState,
  ) {}

  domain(id: number): DomainState {
    let d = this.domains.get(id);
    if (d) {
      this.domains.delete(id);
      this.domains.set(id, d);
      return d;
    }
    if (this.domains.size >= this.owner.opts.maxDomainsPerSession) {
      const oldest = this.domains.values().next().value;
      if (oldest) this.owner.forgetDomain(oldest, true);
    }
    d = new DomainState(this, id);
    this.domains.set(id, d);
    return d;
  }
}

export interface ExpireReport {
  /** data sets dropped because their template never came, by exporter address */
  droppedNoTemplate: Map<string, number>;
  sessionsForgotten: number;
}

export class DecoderState {
  readonly sessions = new Map<string, Session>();
  readonly opts: Required<Omit<DecoderOptions, 'extras'>> & { extras: boolean };
  /** templates held now, all sessions */
  templatesHeld = 0;
  /** domains holding templates, least recently used first (the global eviction order) */
  private readonly lru = new Map<DomainState, true>();
  /** templates evicted to keep within the ceilings, by exporter address */
  readonly evicted = new Map<string, number>();
  private readonly extrasTest: ((name: string) => boolean) | null;
  private readonly extrasCache = new Map<string, boolean>();

  constructor(options: DecoderOptions = {}) {
    this.opts = {
      maxSessions: options.maxSessions ?? 10_000,
      maxTemplatesPerDomain: options.maxTemplatesPerDomain ?? 4096,
      maxDomainsPerSession: options.maxDomainsPerSession ?? 1024,
      maxTemplates: options.maxTemplates ?? 5_000,
      pendingMaxBytes: options.pendingMaxBytes ?? 1 << 20,
      pendingMaxAgeMs: options.pendingMaxAgeMs ?? 10_000,
      sessionIdleMs: options.sessionIdleMs ?? 3_600_000,
      extras: options.extras !== false,
    };
    this.extrasTest = typeof options.extras === 'function' ? options.extras : null;
  }

  /** Whether an extra of this name is wanted. */
  keepExtra(name: string): boolean {
    if (!this.opts.extras) return false;
    if (!this.extrasTest) return true;
    let v = this.extrasCache.get(name);
    if (v === undefined) {
      v = this.extrasTest(name);
      if (this.extrasCache.size < 10_000) this.extrasCache.set(name, v);
    }
    return v;
  }

  /** Drop the extras of a record that are not wanted (for decoders that build them as they go). */
  filterExtras(extras: Record<string, string> | null): Record<string, string> | null {
    if (!extras || !this.extrasTest) return extras;
    let out: Record<string, string> | null = null;
    for (const k in extras) if (this.keepExtra(k)) (out ??= {})[k] = extras[k]!;
    return out;
  }

  session(address: string, port: number, now: number): Session {
    const key = `${address}|${port}`;
    let s = this.sessions.get(key);
    if (!s) {
      if (this.sessions.size >= this.opts.maxSessions) {
        const oldest = this.sessions.keys().next().value;
        if (oldest !== undefined) this.forgetSession(oldest, true);
      }
      s = new Session(address, this);
      this.sessions.set(key, s);
    }
    s.lastSeen = now;
    return s;
  }

  /** A domain holding templates was used: it is evicted last. */
  touch(d: DomainState): void {
    this.lru.delete(d);
    this.lru.set(d, true);
  }

  /**
   * Over the total ceiling: the least recently used domain (another than `keep` when there is
   * one) loses its oldest template. False when there was nothing to evict.
   */
  evictOne(keep: DomainState): boolean {
    for (const d of this.lru.keys()) {
      if (d.templates.size === 0) {
        this.lru.delete(d);
        continue;
      }
      if (d === keep) continue;
      d.evictOldest();
      if (d.templates.size === 0) this.lru.delete(d);
      return true;
    }
    // nothing else holds templates: `keep` gives up its own oldest
    if (keep.templates.size === 0) return false;
    keep.evictOldest();
    return true;
  }

  countEviction(exporter: string, n: number): void {
    if (n > 0) this.evicted.set(exporter, (this.evicted.get(exporter) ?? 0) + n);
  }

  /** Forget a domain with its templates (evicted: counted against its exporter). */
  forgetDomain(d: DomainState, evicted: boolean): void {
    const n = d.templates.size;
    this.templatesHeld -= n;
    if (evicted) this.countEviction(d.session.exporter, n);
    d.templates.clear();
    this.lru.delete(d);
    d.session.domains.delete(d.id);
  }

  private forgetSession(key: string, evicted: boolean): void {
    const s = this.sessions.get(key);
    if (!s) return;
    for (const d of [...s.domains.values()]) this.forgetDomain(d, evicted);
    this.sessions.delete(key);
  }

  /**
   * Drop data that waited too long for its template and forget idle sessions. Call it now and
   * then (a listener: every second; a capture reader: at the end) with the current time.
   */
  expire(now: number): ExpireReport {
    const report: ExpireReport = { droppedNoTemplate: new Map(), sessionsForgotten: 0 };
    for (const [key, s] of this.sessions) {
      if (now - s.lastSeen > this.opts.sessionIdleMs) {
        for (const d of s.domains.values()) if (d.pending.length) add(report.droppedNoTemplate, s.exporter, d.pending.length);
        this.forgetSession(key, false);
        report.sessionsForgotten++;
        continue;
      }
      for (const d of s.domains.values()) {
        const n = expirePending(d, now, this.opts.pendingMaxAgeMs);
        if (n) add(report.droppedNoTemplate, s.exporter, n);
      }
    }
    return report;
  }

  /** Data sets still waiting for their template (all sessions). */
  pendingSets(): number {
    let n = 0;
    for (const s of this.sessions.values()) for (const d of s.domains.values()) n += d.pending.length;
    return n;
  }

  /** Templates known (all sessions). */
  templateCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) for (const d of s.domains.values()) n += d.templates.size;
    return n;
  }
}

function add(m: Map<string, number>, k: string, n: number) {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** Drop pending sets older than maxAge; returns how many were dropped. */
export function expirePending(d: DomainState, now: number, maxAgeMs: number): number {
  if (d.pending.length === 0 || now - d.pending[0]!.receivedAt <= maxAgeMs) return 0;
  const keep = d.pending.filter((p) => now - p.receivedAt <= maxAgeMs);
  const dropped = d.pending.length - keep.length;
  d.pending = keep;
  d.pendingBytes = keep.reduce((s, p) => s + p.bytes.length, 0);
  return dropped;
}

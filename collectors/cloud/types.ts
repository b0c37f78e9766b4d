// What the cloud flow-log parsers hand to the importer. Parsers are pure: text in, observations,
// status records and line errors out through a ParseOutput; files, folding and the sink are
// separate pieces (./files.ts, ./fold.ts, ./importer.ts).
import type { FlowRecord, Orientation } from '../../lib/flow/record';

export type CloudKind = 'aws' | 'gcp' | 'azure';
export const CLOUD_KINDS: readonly CloudKind[] = ['aws', 'gcp', 'azure'];

/**
 * One flow as one observer saw it: an AWS record at one ENI, a GCP record from one reporter,
 * an Azure tuple at one NIC. `record` has src -> dst counters (and reverse counters when the
 * source logs both directions in one record, as Azure does).
 */
export interface Observation {
  record: FlowRecord;
  /** who saw it: ENI, TGW attachment, GCP reporter, Azure MAC. Two observers of one flow = a duplicate. */
  observer: string;
  /** the source said which side is the server (Azure tuples: the source opened the connection) */
  evidence?: { serverSide: 'src' | 'dst'; orientation: Orientation };
  /** the record carries both directions (revBytes/revPackets are real, not absent) */
  biflow?: boolean;
}

/** Records that say something about coverage, not traffic (AWS NODATA/SKIPDATA). */
export interface StatusRecord {
  status: 'NODATA' | 'SKIPDATA';
  interfaceId: string;
  start: number;
  end: number;
}

export interface ParseOutput {
  observation(o: Observation): void;
  status(s: StatusRecord): void;
  /** a line (or JSON element) that could not be read; `where` adds a JSON path when useful */
  reject(line: number, reason: string, where?: string): void;
}

/** What a parser knows about the file it reads. */
export interface FileContext {
  /** path as given (for messages) */
  path: string;
  /** a time from the S3 object key (..._20180620T1620Z_...) for formats without start/end */
  keyTime?: number;
  /** the --at time for formats without start/end */
  at?: number;
}

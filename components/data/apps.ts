// Applications and workloads as the JSON API sends them to their pages: defined with their readers in lib/read/apps.ts.
export type { AppRow, ApplicationDetail, ApplicationsList, MemberRow, NeighbourRow, WorkloadDetail, WorkloadRow, WorkloadsList } from '../../lib/read/apps';

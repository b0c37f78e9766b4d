// `bulkhead applications [list] | show ID`: the applications page from the terminal (./workloads.ts).
export { runApplications as run } from './workloads';

// One workload, application and dependency count per window, whichever reader shows it: the
// overview (homeCounts), the map (toMapData, `bulkhead map`), the applications page
// (listApplications) and `bulkhead analyze --json`, on a generated estate and the default window,
// which is itself one window for every discovery view (docs/ui.md#windows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../cli/io';
import { runCli } from '../../cli/main';
import { windowOf } from '../../app/_data/window';
import { resolveWindowParams } from '../../components/window';
import { testConfig } from '../../test/support';
import { estateCounts } from '../analysis/counts';
import type { AnalysisResult } from '../analysis/types';
import { DISCOVERY_DAYS, FLOW_RECORDS_DAYS } from '../analysis/window';
import { loadDemo } from '../demo/load';
import { openRuntime, type Runtime } from '../runtime';
import { analysisResult } from './analysis';
import { listApplications } from './apps';
import { homeCounts } from './home';
import { toMapData } from './map';

let rt: Runtime;
let result: AnalysisResult;

async function cli(...argv: string[]) {
  const io = bufferIO();
  const code = await runCli(argv, { io, cwd: rt.config.home, forwardedRuntime: async () => rt, env: { BULKHEAD_HOME: rt.config.home, BULKHEAD_LOG_LEVEL: 'silent' } });
  expect(code, io.stderr).toBe(0);
  return io.stdout;
}

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  // ends now, so that the default window (the last DISCOVERY_DAYS days) holds it
  await loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 60, days: 4, seed: 11 });
  result = await analysisResult(rt, { days: DISCOVERY_DAYS });
}, 240_000);
afterAll(() => rt?.close());

describe('the estate counts', () => {
  it('are the same on the overview, the map, the applications page and in bulkhead analyze and map', async () => {
    const expected = estateCounts(result);
    // the estate has workloads beside applications, groups beside applications, and idle workloads are still workloads
    expect(expected.workloads).toBeGreaterThan(40);
    expect(expected.applications).toBeGreaterThan(5);
    expect(expected.groups).toBeGreaterThan(0);
    expect(expected.dependencies).toBeGreaterThan(expected.workloads);

    const home = await homeCounts(rt, { waitMs: 120_000 });
    expect(home?.counts).toEqual(expected);
    expect(estateCounts(toMapData(result))).toEqual(expected);
    expect((await listApplications(rt.db.prisma, result)).counts).toEqual(expected);

    const analyzed = JSON.parse(await cli('analyze', '--json', '--no-save'));
    expect(analyzed.counts).toEqual(expected);
    expect(analyzed.window).toEqual(home!.window);
    expect(estateCounts(JSON.parse(await cli('map', '--json')))).toEqual(expected);
    expect((await cli('map'))).toContain(`${expected.workloads} workloads in ${expected.applications} applications`);
    const text = await cli('analyze', '--no-save');
    expect(text).toContain(`Workloads      ${expected.workloads} in the window, ${expected.activeWorkloads} with dependencies`);
    expect(text).toMatch(new RegExp(`Applications +${expected.applications} \\(`));
  }, 240_000);
});

describe('the default window', () => {
  it('is the same for the discovery views: the API, the pages, analyze, map and simulate; the flow records open on their own', async () => {
    const expected = { from: result.window.from.toISOString(), to: result.window.to.toISOString() };
    expect(result.window.to.getTime() - result.window.from.getTime()).toBe(DISCOVERY_DAYS * 86_400_000);
    const page = resolveWindowParams({}, undefined, Date.now());
    expect({ from: page.from, to: page.to }).toEqual(expected);
    expect(windowOf({})).toEqual({ days: DISCOVERY_DAYS });
    expect(JSON.parse(await cli('map', '--json')).window).toEqual(expected);
    expect(JSON.parse(await cli('simulate', '--policy', 'proposed', '--json')).window).toEqual(expected);
    const flows = JSON.parse(await cli('flows', '--json', '--limit', '1')).window;
    expect(new Date(flows.to).getTime() - new Date(flows.from).getTime()).toBe(FLOW_RECORDS_DAYS * 86_400_000);
    expect(await cli('flows', '--limit', '1')).toMatch(/^[\d,]+ flows from .* to .* UTC/);
  }, 120_000);
});

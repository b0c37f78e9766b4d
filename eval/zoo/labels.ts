// Inventory tags (docs/estate-zoo.md, "Labels"). Teams tag their machines or do not, so tags come
// mostly by whole application; in `wrong` estates some tagged machines carry another
// application's name, copied from a neighbour or left from before the machine was repurposed.
import type { LabelsAxis } from './model';
import type { Practices } from './practices';
import type { Random } from './random';
import { machinesOf, type Machine, type Team } from './skeleton';

const TAGGED_SHARE = 0.3;
const WRONG_SHARE = 0.05;

const ROLE_TAGS: Record<string, string[]> = {
  web: ['web', 'frontend'],
  app: ['app', 'api', 'backend'],
  worker: ['worker', 'batch'],
  db: ['db', 'database'],
  cache: ['cache'],
  queue: ['queue', 'mq'],
  search: ['search'],
  file: ['file', 'storage'],
};

export function applyLabels(rng: Random, axis: LabelsAxis, teams: Team[], practices: Practices): void {
  if (axis === 'none') return;
  const all = teams.flatMap(machinesOf);
  const target = Math.round(TAGGED_SHARE * all.length);
  const tagged: Machine[] = [];
  const tag = (team: Team, m: Machine, roleWords: Map<string, string>) => {
    let role = roleWords.get(m.tier.role);
    if (!role) {
      role = rng.pick(ROLE_TAGS[m.tier.role] ?? [m.tier.role]);
      roleWords.set(m.tier.role, role);
    }
    m.workload.labels = { app: team.name, env: practices.vocabulary.envTag[m.tier.deployment.env], role };
    tagged.push(m);
  };
  // whole teams while they fit, leaving a little room for machines tagged one by one
  for (const team of rng.shuffle(teams)) {
    const machines = machinesOf(team);
    if (tagged.length + machines.length > target * 0.9) continue;
    const roleWords = new Map<string, string>();
    for (const m of machines) tag(team, m, roleWords);
  }
  const untagged = rng.shuffle(all.filter((m) => !m.workload.labels.app));
  for (const m of untagged.slice(0, Math.max(0, target - tagged.length))) tag(m.tier.deployment.team, m, new Map());
  if (axis !== 'wrong') return;
  const names = teams.map((t) => t.name);
  for (const m of rng.sample(tagged, Math.max(1, Math.round(WRONG_SHARE * tagged.length)))) {
    m.workload.labels.app = rng.pick(names.filter((n) => n !== m.tier.deployment.team.name));
  }
}

import { expect, it } from 'vitest';
import { table } from './table';

it('pads columns and shortens only over-long cells, in the middle', () => {
  const long = `0.0.0.0/0 except ${Array.from({ length: 10 }, (_, i) => `10.${i}.0.0/16`).join(' ')}`;
  const out = table(
    [
      ['ID', 'FROM', 'PORTS'],
      ['a1', long, 'tcp/443'],
      ['b2', 'app=web', 'tcp/80'],
    ],
    { maxCell: 30 },
  ).split('\n');
  expect(out[1]).toBe(`a1  ${long.slice(0, 15)}…${long.slice(-14)}  tcp/443`);
  expect(out[2]).toBe(`b2  ${'app=web'.padEnd(30)}  tcp/80`);
  expect(out[0]!.startsWith('ID  FROM')).toBe(true);
});

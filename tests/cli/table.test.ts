import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/cli/table.ts';

describe('formatTable: the CLI’s text tables', () => {
  it('writes each number in one of three forms, right-aligned; text left-aligned', () => {
    const t = formatTable(
      ['name', 'value'],
      [
        ['count', 1224948],
        ['rmse', 374.70214],
        ['lr', 1e-4],
        ['diverged', 3.5235e11],
        ['far out', 7.811735315750181e21],
      ],
    );
    expect(t.split('\n')).toEqual([
      'name           value',
      'count        1224948',
      'rmse         374.702',
      'lr         1.0000e-4',
      'diverged  3.5235e+11',
      'far out   7.8117e+21',
    ]);
  });
});

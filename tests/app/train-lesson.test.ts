import { describe, expect, it } from 'vitest';
import { lessonCell, lessonRows } from '../../src/app/train/lesson-rows.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/config.ts';

/** A finished run's result, as the worker hands it to the page (the fields the comparison reads). */
const result = (epochs: number, plain: number, tta: number | null = null, stopped = false) => ({
  config: { ...DEFAULT_CONFIG, epochs },
  accuracy: tta ?? plain,
  plainAccuracy: plain,
  ttaAccuracy: tta,
  stopped,
});

describe('the lesson’s figure beside a run’s result in the Train tab', () => {
  it('a 5-epoch run: the lesson’s figure and recipe, then the run against it in points', () => {
    expect(lessonRows(result(5, 0.9281))).toEqual([
      ['the lesson at 5 epochs', '93.40% (resnet-wide, AdamW, 1cycle at 1e-2)'],
      ['this run without TTA', "0.59 points below the lesson's 93.40% at 5 epochs"],
    ]);
  });

  it('with TTA, both figures against the lesson; the run table compares the final one', () => {
    const r = result(20, 0.9431, 0.9462);
    expect(lessonRows(r).slice(1)).toEqual([
      ['this run without TTA', "0.19 points below the lesson's 94.50% at 20 epochs"],
      ['this run with TTA', "beats the lesson's 94.50% at 20 epochs by 0.12 points"],
    ]);
    expect(lessonCell(r)).toEqual({
      text: "beats the lesson's 94.50% at 20 epochs by 0.12 points",
      title: 'the lesson: 94.50% (resnet-wide, crop + flip, 1cycle at 1e-2, flip TTA)',
    });
  });

  it('says nothing for a budget the lesson has no figure for, a stopped run, or no result', () => {
    expect(lessonRows(result(1, 0.8))).toEqual([]);
    expect(lessonRows(result(5, 0.8, null, true))).toEqual([]);
    for (const r of [result(1, 0.8), result(50, 0.95, null, true), null])
      expect(lessonCell(r)).toEqual({
        text: '–',
        title: 'the lesson has figures for 5, 20, 50 epochs, of finished runs',
      });
  });
});

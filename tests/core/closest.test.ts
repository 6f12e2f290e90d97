import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/core/index.ts';

describe('did you mean: the nearest name to a typo', () => {
  it('counts the edits between two words', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('lion', 'lion')).toBe(0);
    expect(editDistance('lino', 'lion')).toBe(2);
    expect(editDistance('epoch', 'epochs')).toBe(1);
  });

  it('names the one candidate within two edits and a third of the word, else nothing', () => {
    const flags = ['epochs', 'lr', 'bs', 'seed', 'subset'];
    expect(closest('epoch', flags)).toBe('epochs');
    expect(closest('lrr', flags)).toBe('lr');
    expect(closest('LR', flags)).toBe('lr');
    // an exact name is no typo; a short word may be one edit off at most
    expect(closest('lr', flags)).toBeNull();
    expect(closest('ls', ['lr', 'bs'])).toBeNull(); // as near to both: no guess
    expect(closest('frobnicate', flags)).toBeNull();
    expect(closest('moment', ['basic', 'momentum', 'rmsprop'])).toBe('momentum');
    expect(didYouMean('lino', ['lion', 'sgd'])).toBe(' (did you mean lion?)');
    expect(didYouMean('epoch', flags, '--')).toBe(' (did you mean --epochs?)');
    expect(didYouMean('zzz', flags)).toBe('');
  });
});

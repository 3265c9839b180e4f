import { describe, expect, it } from 'vitest';
import { persistenceChanges, verdictChange } from './verdict-diff';

const within = { band: 'within', judgement: 'as-expected' };
const alert = { band: 'above-95', judgement: 'as-expected' };
const alarm = { band: 'above-99.8', judgement: 'worse' };
const alarmBelow = { band: 'below-99.8', judgement: 'better' };
const unjudged = { band: null, judgement: null };

describe('verdictChange', () => {
  it('a provider moving from within to beyond 99.8 % entered the bands, and its verdict flipped', () => {
    expect(verdictChange(within, alarm)).toEqual({ change: 'entered', verdictFlipped: true });
  });
  it('within to beyond 95 % only entered the bands without flipping the 99.8 % verdict', () => {
    expect(verdictChange(within, alert)).toEqual({ change: 'entered', verdictFlipped: false });
  });
  it('beyond 95 % to beyond 99.8 % on the same side is a band change that flips the verdict', () => {
    expect(verdictChange(alert, alarm)).toEqual({ change: 'band_changed', verdictFlipped: true });
  });
  it('crossing the centre from one 99.8 % band to the other is a band change', () => {
    expect(verdictChange(alarm, alarmBelow)).toEqual({ change: 'band_changed', verdictFlipped: true });
  });
  it('leaving the bands, or no longer being judged (withheld), is left; a withheld verdict is not a flip', () => {
    expect(verdictChange(alarm, within)).toEqual({ change: 'left', verdictFlipped: true });
    expect(verdictChange(alarm, unjudged)).toEqual({ change: 'left', verdictFlipped: false });
    expect(verdictChange(alarm, undefined)).toEqual({ change: 'left', verdictFlipped: false });
  });
  it('a new provider beyond a limit entered; staying put, within or unjudged, is no change', () => {
    expect(verdictChange(undefined, alarm)).toEqual({ change: 'entered', verdictFlipped: false });
    expect(verdictChange(within, within)).toBeNull();
    expect(verdictChange(alarm, { ...alarm })).toBeNull();
    expect(verdictChange(undefined, within)).toBeNull();
    expect(verdictChange(unjudged, undefined)).toBeNull();
  });
});

describe('persistenceChanges', () => {
  it('lists the codes that joined and left the persistent outliers, sorted', () => {
    expect(persistenceChanges(new Set(['B', 'A']), new Set(['C', 'B', 'D']))).toEqual({ started: ['C', 'D'], ended: ['A'] });
  });
});

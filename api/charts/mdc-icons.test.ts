import { describe, expect, it } from 'vitest';
import { assuranceIcon, mdcIconColours, mdcIconGraphics, mdcIcons, variationIcon } from './mdc-icons';

// Making Data Count (NHS England 2019, "Making Data Count: getting started", the icon key): the variation icon
// carries H or L for the side of a special cause, blue when improving, orange when concerning, purple when
// neither, grey for common cause; the assurance icon P, F or ? for passing, failing, or hit and miss.
describe('Making Data Count icons', () => {
  it('letters and colours each variation category as the icon key does', () => {
    expect(variationIcon('special_cause_improvement_high')).toMatchObject({ letter: 'H', colour: mdcIconColours.improvement, filled: false });
    expect(variationIcon('special_cause_concern_low')).toMatchObject({ letter: 'L', colour: mdcIconColours.concern });
    expect(variationIcon('special_cause_neutral_high')).toMatchObject({ letter: 'H', colour: mdcIconColours.neutral });
    expect(variationIcon('common_cause')).toMatchObject({ letter: '~', colour: mdcIconColours.common, label: 'Common cause variation' });
  });

  it('letters and fills each assurance category, and leaves it out without a target', () => {
    expect(assuranceIcon('consistent_pass')).toMatchObject({ letter: 'P', colour: mdcIconColours.improvement, filled: true });
    expect(assuranceIcon('consistent_fail')).toMatchObject({ letter: 'F', colour: mdcIconColours.concern });
    expect(assuranceIcon('inconsistent')).toMatchObject({ letter: '?', colour: mdcIconColours.common });
    expect(mdcIcons({ variation: 'common_cause', assurance: null }).map((icon) => icon.kind)).toEqual(['variation']);
  });

  it('places the icons side by side from the right edge, the assurance icon outermost', () => {
    const graphics = mdcIconGraphics(mdcIcons({ variation: 'common_cause', assurance: 'inconsistent' }), { right: 16, top: 12, size: 36 });
    expect(graphics.map((graphic) => [graphic.id, (graphic as { right: number }).right])).toEqual([
      ['mdc-variation', 61],
      ['mdc-assurance', 16],
    ]);
  });
});

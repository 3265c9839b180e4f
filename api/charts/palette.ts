/**
 * One visual vocabulary for every chart: NHS identity colours (NHS England, "NHS identity
 * guidelines: colours") used with Making Data Count's meanings (NHS England, 2019): blue for
 * better or improvement, orange for worse or concern, purple for a difference with no good
 * direction, grey for as expected or common cause. Blue, orange and grey stay apart for the common
 * colour-vision deficiencies; each judgement also has its own marker shape, so colour is never the
 * only cue (WCAG 2.2, 1.4.1 Use of Color).
 */
import type { Judgement, SpecialCause } from '../stats';

export const nhsColours = {
  blue: '#005EB8',
  darkBlue: '#003087',
  orange: '#ED8B00',
  purple: '#330072',
  red: '#DA291C',
  black: '#231F20',
  darkGrey: '#425563',
  midGrey: '#768692',
  lightGrey: '#AEB7BD',
  /** NHS.UK frontend grey-4, between light and pale grey. */
  grey4: '#D8DDE0',
  paleGrey: '#E8EDEE',
  white: '#FFFFFF',
} as const;

/** ECharts' own symbols plus arrows drawn as paths (pointing up and down, in a 10 × 12 box). */
const upArrow = 'path://M5,0L10,6H7V12H3V6H0Z';
const downArrow = 'path://M5,12L0,6H3V0H7V6H10Z';

export interface MarkerStyle {
  /** Marker fill; markers are outlined (`markerOutline`), so the fill need not reach 3:1 against white itself. */
  colour: string;
  /** Fill of a cell that carries text: `colour`, or a lighter tint where `colour` is too dark for text. */
  cellColour: string;
  /** Text on `cellColour`: at least 4.5:1 (WCAG 2.2, 1.4.3 Contrast). */
  textColour: string;
  symbol: string;
  /** A character with the symbol's shape, for cells and text where a marker cannot be drawn (all in Arial and Arimo). */
  glyph: string;
  label: string;
}

export const judgementStyles: Record<Judgement, MarkerStyle> = {
  better: { colour: nhsColours.blue, cellColour: nhsColours.blue, textColour: nhsColours.white, symbol: 'diamond', glyph: '♦', label: 'Better than expected' },
  worse: { colour: nhsColours.orange, cellColour: nhsColours.orange, textColour: nhsColours.black, symbol: 'triangle', glyph: '▲', label: 'Worse than expected' },
  higher: { colour: nhsColours.purple, cellColour: nhsColours.purple, textColour: nhsColours.white, symbol: upArrow, glyph: '↑', label: 'Higher than expected' },
  lower: { colour: nhsColours.purple, cellColour: nhsColours.purple, textColour: nhsColours.white, symbol: downArrow, glyph: '↓', label: 'Lower than expected' },
  'as-expected': { colour: nhsColours.midGrey, cellColour: nhsColours.lightGrey, textColour: nhsColours.black, symbol: 'circle', glyph: '●', label: 'As expected' },
};

/** Legend and series order: the signals first, so they draw over the crowd of as-expected points. */
export const judgementOrder: readonly Judgement[] = ['as-expected', 'higher', 'lower', 'better', 'worse'];

/** Making Data Count point colours; `common` is the null special cause. */
export const specialCauseStyles: Record<SpecialCause | 'common', MarkerStyle> = {
  improvement: { ...judgementStyles.better, label: 'Special cause: improvement' },
  concern: { ...judgementStyles.worse, label: 'Special cause: concern' },
  neutral: { colour: nhsColours.purple, cellColour: nhsColours.purple, textColour: nhsColours.white, symbol: 'rect', glyph: '■', label: 'Special cause: neither improvement nor concern' },
  common: { ...judgementStyles['as-expected'], label: 'Common cause variation' },
};

export const specialCauseOrder: readonly (SpecialCause | 'common')[] = ['common', 'neutral', 'improvement', 'concern'];

/** Cells and markers with no judgement to show. */
export const missingStyles = {
  suppressed: { cellColour: nhsColours.paleGrey, textColour: nhsColours.darkGrey, glyph: '*', label: 'Suppressed (small numbers)' },
  noData: { cellColour: nhsColours.white, textColour: nhsColours.darkGrey, glyph: '–', label: 'No data' },
  noJudgement: { cellColour: nhsColours.paleGrey, textColour: nhsColours.black, glyph: '', label: 'Not assessed' },
} as const;

/**
 * Every marker is outlined in near-black: NHS orange has only 2.5:1 against white, under the 3:1
 * that WCAG 2.2 (1.4.11 Non-text Contrast) asks of a shape people must see, and the outline gives
 * every marker's edge that contrast whatever its fill.
 */
export const markerOutline = { colour: nhsColours.black, width: 0.8 } as const;

/**
 * Providers outside the chosen network: a pale tint of their judgement's colour, solid rather than
 * transparent, inside a mid-grey outline that keeps 3:1 against white (WCAG 2.2, 1.4.11), so they
 * recede behind the network without disappearing; their intervals are drawn in the outline's grey.
 */
export const fadedMarker = { outline: nhsColours.midGrey, outlineWidth: 1, tintShare: 0.45 } as const;

/** `colour` mixed with white, `share` of it kept: a solid tint that stays what it is over lines beneath. */
export function tint(colour: string, share: number): string {
  const channels = [1, 3, 5].map((start) => parseInt(colour.slice(start, start + 2), 16));
  return `#${channels.map((channel) => Math.round(255 - share * (255 - channel)).toString(16).padStart(2, '0')).join('').toUpperCase()}`;
}

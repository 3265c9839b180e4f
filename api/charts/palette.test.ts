import { describe, expect, it } from 'vitest';
import { fadedMarker, judgementStyles, markerOutline, missingStyles, nhsColours, specialCauseStyles, tint } from './palette';

/** WCAG 2.2 relative luminance and contrast ratio (Understanding SC 1.4.3, "relative luminance"). */
function luminance(hex: string): number {
  const [red, green, blue] = [1, 3, 5].map((start) => {
    const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

function contrast(first: string, second: string): number {
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (lighter + 0.05) / (darker + 0.05);
}

const markerStyles = [...Object.values(judgementStyles), ...Object.values(specialCauseStyles)];

describe('palette', () => {
  it('reproduces the WCAG contrast of black on white (21:1)', () => {
    expect(contrast('#000000', '#FFFFFF')).toBeCloseTo(21, 10);
  });

  it('outlines markers so every one has a 3:1 edge on the white page, which NHS orange alone lacks (WCAG 1.4.11)', () => {
    expect(contrast(judgementStyles.worse.colour, nhsColours.white)).toBeLessThan(3);
    expect(contrast(markerOutline.colour, nhsColours.white)).toBeGreaterThanOrEqual(3);
    // The outline must also stand out from the fills it surrounds, or it would vanish into them.
    for (const style of markerStyles.filter((style) => contrast(style.colour, nhsColours.white) < 3)) {
      expect(contrast(markerOutline.colour, style.colour), style.label).toBeGreaterThanOrEqual(3);
    }
  });

  it('outlines providers outside the network in a grey with at least 3:1 on white, where 40 % opacity gave 1.5:1 (WCAG 1.4.11)', () => {
    // The old faded marker: mid grey at 40 % opacity over white is #C8CFD3 (255 − 0.4 × (255 − channel)).
    expect(contrast('#C8CFD3', nhsColours.white)).toBeLessThan(1.6);
    expect(contrast(fadedMarker.outline, nhsColours.white)).toBeGreaterThanOrEqual(3);
  });

  it('tints a colour towards white by the share kept', () => {
    expect(tint('#000000', 0.5)).toBe('#808080');
    expect(tint('#ED8B00', 1)).toBe('#ED8B00');
    expect(tint('#ED8B00', 0)).toBe('#FFFFFF');
    // 255 − 0.45 × (255 − 0, 94, 184) = 140.25, 182.55, 223.05, rounded: 8C, B7, DF.
    expect(tint('#005EB8', 0.45)).toBe('#8CB7DF');
  });

  it('gives text in every coloured cell at least 4.5:1 (WCAG 1.4.3)', () => {
    for (const style of [...markerStyles, ...Object.values(missingStyles)]) {
      expect(contrast(style.textColour, style.cellColour), style.label).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives every judgement its own shape and glyph, so colour is never the only cue (WCAG 1.4.1)', () => {
    const styles = Object.values(judgementStyles);
    expect(new Set(styles.map((style) => style.symbol)).size).toBe(styles.length);
    expect(new Set(styles.map((style) => style.glyph)).size).toBe(styles.length);
    const causes = Object.values(specialCauseStyles);
    expect(new Set(causes.map((style) => style.symbol)).size).toBe(causes.length);
  });

  it('keeps Making Data Count’s meanings: improvement blue, concern orange, common cause grey', () => {
    expect(specialCauseStyles.improvement.colour).toBe(judgementStyles.better.colour);
    expect(specialCauseStyles.concern.colour).toBe(judgementStyles.worse.colour);
    expect(specialCauseStyles.common.colour).toBe(judgementStyles['as-expected'].colour);
  });
});

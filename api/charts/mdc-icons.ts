/**
 * Making Data Count's variation and assurance icons (NHS England, "Making Data Count: getting started", 2019):
 * a ring in the category's colour holding H or L (the side the special cause is on, ~ for common cause), and a
 * filled disc holding P (consistently passing the target), F (consistently failing) or ? (hit and miss). One
 * definition for the dashboard, the chart exports and the board pack, so the icons cannot differ between them.
 * The category's words always go beside or near an icon, so colour is never the only cue.
 */
import type { GraphicComponentOption } from 'echarts';
import type { AssuranceCategory, VariationCategory } from '../stats';
import { fontFamily } from './chart-frame';
import { nhsColours } from './palette';
import { assuranceLabelOf, variationLabels } from './spc-options';

/** Making Data Count's icon colours: blue improvement, orange concern, purple neither, grey common cause. */
export const mdcIconColours = { improvement: '#005eb8', concern: '#b35600', neutral: '#330072', common: '#4c6272' } as const;

export interface MdcIcon {
  kind: 'variation' | 'assurance';
  colour: string;
  letter: string;
  /** A filled disc with a white letter (assurance), or a white disc ringed and lettered in the colour (variation). */
  filled: boolean;
  /** The category in words, e.g. "Special cause concerning variation (high)". */
  label: string;
}

/** The drawing, on a 32 × 32 box: where the ring, its stroke and the letter go. */
export const mdcIconGeometry = { box: 32, centre: 16, radius: 14, stroke: 3, letterBaseline: 21.5, letterSize: 15 } as const;

export function variationIcon(variation: VariationCategory): MdcIcon {
  const label = variationLabels[variation];
  if (variation === 'common_cause') return { kind: 'variation', colour: mdcIconColours.common, letter: '~', filled: false, label };
  const [kind, side] = variation.split('_').slice(2) as ['improvement' | 'concern' | 'neutral', 'high' | 'low'];
  return { kind: 'variation', colour: mdcIconColours[kind], letter: side === 'high' ? 'H' : 'L', filled: false, label };
}

const assuranceStyles: Record<AssuranceCategory, { colour: string; letter: string }> = {
  consistent_pass: { colour: mdcIconColours.improvement, letter: 'P' },
  consistent_fail: { colour: mdcIconColours.concern, letter: 'F' },
  inconsistent: { colour: mdcIconColours.common, letter: '?' },
};

export function assuranceIcon(assurance: AssuranceCategory, against: 'target' | 'peers' = 'target'): MdcIcon {
  return { kind: 'assurance', ...assuranceStyles[assurance], filled: true, label: assuranceLabelOf(assurance, against) };
}

/** The icons of an SPC chart's latest point: variation, then assurance when the chart has a target (or peers) to judge against. */
export function mdcIcons(data: { variation: VariationCategory; assurance: AssuranceCategory | null; assuranceAgainst?: 'target' | 'peers' }): MdcIcon[] {
  return [variationIcon(data.variation), ...(data.assurance === null ? [] : [assuranceIcon(data.assurance, data.assuranceAgainst)])];
}

const fill = (icon: MdcIcon) => (icon.filled ? icon.colour : nhsColours.white);
const letterFill = (icon: MdcIcon) => (icon.filled ? nhsColours.white : icon.colour);

/** Gap between icons drawn side by side, as a fraction of an icon's size. */
const iconGap = 0.25;

/**
 * The icons as ECharts graphic elements in the top right corner of a chart (where the title leaves room), each
 * `size` pixels across, so every renderer of the options, SVG and PNG exports included, draws them.
 */
export function mdcIconGraphics(icons: readonly MdcIcon[], placement: { right: number; top: number; size: number }): GraphicComponentOption[] {
  const { box, centre, radius, stroke, letterSize } = mdcIconGeometry;
  const scale = placement.size / box;
  return icons.map((icon, index) => ({
    type: 'group',
    id: `mdc-${icon.kind}`,
    right: placement.right + (icons.length - 1 - index) * placement.size * (1 + iconGap),
    top: placement.top,
    silent: true,
    children: [
      { type: 'circle', shape: { cx: centre * scale, cy: centre * scale, r: radius * scale }, style: { fill: fill(icon), stroke: icon.colour, lineWidth: stroke * scale } },
      {
        type: 'text',
        x: centre * scale,
        y: centre * scale,
        style: { text: icon.letter, fill: letterFill(icon), fontSize: letterSize * scale, fontWeight: 'bold', fontFamily, align: 'center', verticalAlign: 'middle' },
      },
    ],
  }));
}

/** SPC chart options with the latest point's icons added to their graphic elements, for the exports and the pack. */
export function withMdcIcons<Options extends { graphic?: unknown }>(
  options: Options,
  data: { variation: VariationCategory; assurance: AssuranceCategory | null },
  placement = { right: 16, top: 12, size: 36 },
): Options {
  const graphic = options.graphic === undefined ? [] : Array.isArray(options.graphic) ? options.graphic : [options.graphic];
  return { ...options, graphic: [...graphic, ...mdcIconGraphics(mdcIcons(data), placement)] };
}

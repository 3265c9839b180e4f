import { describe, expect, it } from 'vitest';
import { boxesOverlap, candidatePositions, labelClearance, placeLabels, segmentCrossesBox, segmentsCross, type Box, type LabelRequest, type Segment } from './label-placement';

const bounds: Box = { x: 0, y: 0, width: 400, height: 300 };
const label = (x: number, y: number, width = 60, height = 12): LabelRequest => ({ x, y, radius: 5, width, height });

/** Independent check: a box crosses a segment if any point sampled along the segment lies inside it. */
function sampledCrossing([x0, y0, x1, y1]: Segment, box: Box): boolean {
  for (let step = 0; step <= 400; step++) {
    const x = x0 + ((x1 - x0) * step) / 400;
    const y = y0 + ((y1 - y0) * step) / 400;
    if (x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height) return true;
  }
  return false;
}

describe('label placement', () => {
  it('puts a lone label to the right of its point, vertically centred, clear of the marker', () => {
    const [placed] = placeLabels([label(100, 100)], { bounds, segments: [], boxes: [] });
    expect(placed?.align).toBe('left');
    expect(placed?.verticalAlign).toBe('middle');
    expect(placed?.box.x).toBe(100 + 5 + 3);
    expect(placed!.box.y + placed!.box.height / 2).toBe(100);
    expect(placed?.leader).toBeUndefined();
  });

  it('goes left where the right would leave the plot, and above where a line runs through both sides', () => {
    expect(placeLabels([label(380, 100)], { bounds, segments: [], boxes: [] })[0]?.align).toBe('right');
    // A horizontal line through the point rules out right and left; above comes next.
    const [placed] = placeLabels([label(100, 100)], { bounds, segments: [[0, 100, 400, 100]], boxes: [] });
    expect(placed?.verticalAlign).toBe('bottom');
    expect(placed!.box.y + placed!.box.height).toBeLessThanOrEqual(100 - labelClearance);
  });

  it('never lets two labels overlap, nor a label cross a line, a marker or the bounds, on a crowded random plot', () => {
    // A deterministic pseudo-random plot: 40 labelled points, 120 markers, a wavy curve and a horizontal line.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const requests = Array.from({ length: 40 }, () => label(20 + random() * 360, 20 + random() * 260, 30 + random() * 70, 12));
    const markers: Box[] = Array.from({ length: 120 }, () => ({ x: random() * 395, y: random() * 295, width: 5, height: 5 }));
    const curve: Segment[] = Array.from({ length: 80 }, (_, i) => [i * 5, 150 + 60 * Math.sin(i / 8), (i + 1) * 5, 150 + 60 * Math.sin((i + 1) / 8)]);
    const segments: Segment[] = [...curve, [0, 60, 400, 60]];
    const placed = placeLabels(requests, { bounds, segments, boxes: markers });
    const drawn = placed.filter((each) => each !== null);
    expect(drawn.length).toBeGreaterThan(10);
    for (const [i, a] of drawn.entries()) {
      expect(a.box.x >= 0 && a.box.y >= 0 && a.box.x + a.box.width <= 400 && a.box.y + a.box.height <= 300).toBe(true);
      for (const b of drawn.slice(i + 1)) expect(boxesOverlap(a.box, b.box)).toBe(false);
      for (const segment of segments) expect(sampledCrossing(segment, a.box), JSON.stringify(a.box)).toBe(false);
      for (const marker of markers) expect(boxesOverlap(a.box, marker)).toBe(false);
    }
  });

  it('gives a label its place before any label after it: the first keeps the spot both want', () => {
    const first = label(100, 100, 80);
    const second = label(100, 100, 80);
    const [a, b] = placeLabels([first, second], { bounds, segments: [], boxes: [] });
    expect(a?.align).toBe('left');
    expect(b?.align).toBe('right');
  });

  it('takes a signal’s name further out with a leader line, leaves other names out, and leaves a name out when nothing is free', () => {
    // Markers sit on all eight adjacent positions and on the leaders to right, left, above and below: the upper right diagonal, further out, is free.
    const walls: Box[] = [
      [118, 97],
      [90, 97],
      [102, 84],
      [102, 112],
      [130, 84],
      [75, 84],
      [130, 112],
      [75, 112],
    ].map(([x, y]) => ({ x, y, width: 6, height: 6 }));
    const own: Box = { x: 100, y: 95, width: 10, height: 10 };
    expect(placeLabels([label(105, 100, 40)], { bounds, segments: [], boxes: [own, ...walls] })).toEqual([null]);
    const [away] = placeLabels([{ ...label(105, 100, 40), required: true }], { bounds, segments: [], boxes: [own, ...walls] });
    expect([away?.align, away?.verticalAlign]).toEqual(['left', 'bottom']);
    expect(away?.leader).toBeDefined();
    for (const wall of walls) expect(segmentCrossesBox(away!.leader!, wall)).toBe(false);
    // A required name may cover a marker when nothing else is free; others may not.
    expect(placeLabels([label(105, 100, 40)], { bounds, segments: [], boxes: [], markers: [{ x: 0, y: 0, width: 400, height: 300 }] })).toEqual([null]);
    expect(placeLabels([{ ...label(105, 100, 40), required: true }], { bounds, segments: [], boxes: [], markers: [{ x: 0, y: 0, width: 400, height: 300 }] })[0]?.align).toBe('left');
    const full: Box[] = [{ x: 0, y: 0, width: 400, height: 95 }, { x: 0, y: 105, width: 400, height: 195 }, ...walls];
    expect(placeLabels([label(105, 100, 40)], { bounds, segments: [], boxes: full })).toEqual([null]);
  });

  it('names a point squeezed between two curves beyond them, its leader crossing a curve but never a label', () => {
    const curves: Segment[] = [
      [0, 94, 400, 94],
      [0, 106, 400, 106],
    ];
    const [squeezed] = placeLabels([{ ...label(200, 100, 80), required: true }], { bounds, segments: curves, boxes: [] });
    expect(squeezed?.leader).toBeDefined();
    for (const curve of curves) expect(sampledCrossing(curve, squeezed!.box)).toBe(false);
  });

  it('tries right, left, above and below before the diagonals, and the near positions before the far ones', () => {
    const positions = candidatePositions({ ...label(100, 100), required: true });
    expect(candidatePositions(label(100, 100)).every((position) => position.leader === undefined)).toBe(true);
    expect(positions.slice(0, 4).map((position) => `${position.align}/${position.verticalAlign}`)).toEqual(['left/middle', 'right/middle', 'center/bottom', 'center/top']);
    expect(positions.slice(0, 12).every((position) => position.leader === undefined)).toBe(true);
    expect(positions.slice(12).every((position) => position.leader !== undefined)).toBe(true);
  });

  it('tells segments crossing boxes and each other', () => {
    const box = { x: 10, y: 10, width: 10, height: 10 };
    expect(segmentCrossesBox([0, 15, 30, 15], box)).toBe(true);
    expect(segmentCrossesBox([0, 0, 30, 5], box)).toBe(false);
    expect(segmentCrossesBox([12, 12, 14, 14], box)).toBe(true);
    expect(segmentsCross([0, 0, 10, 10], [0, 10, 10, 0])).toBe(true);
    expect(segmentsCross([0, 0, 10, 0], [0, 1, 10, 1])).toBe(false);
  });
});

/**
 * Greedy point-label placement in pixels (after Imhof 1975 and Christensen, Marks & Shieber 1995, "An empirical
 * study of algorithms for point-feature label placement", ACM TOG 14:203): labels are taken in the caller's
 * order of importance, and each gets the first of a fixed list of candidate positions around its point (right,
 * left, above, below, the diagonals, then the same directions further out with a leader line) that stays inside
 * the plot and is clear of every line, every marker and every label (and leader) placed before it; a leader may
 * cross a line, but no marker, label or other leader. A label with no free
 * position is left out, so a label can only ever lose its place to a more important one. Pure: the caller
 * converts its chart to pixels.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A line segment [x0, y0, x1, y1]. */
export type Segment = [number, number, number, number];

export interface LabelRequest {
  /** The point's centre. */
  x: number;
  y: number;
  /** Half the marker's size: labels keep clear of it. */
  radius: number;
  /** The label's text box. */
  width: number;
  height: number;
  /**
   * A name that must be drawn if it can (a signal's): it may also go further out with a leader line, and with no
   * position clear of everything it may cover other providers' markers, never a line, a label or a leader. Other
   * names stay beside their point or are left out, so leaders do not crowd the plot.
   */
  required?: boolean;
}

export interface PlacedLabel {
  /** The text box. */
  box: Box;
  /** The text anchor as ECharts takes it (`labelLayout` x, y with align and verticalAlign). */
  x: number;
  y: number;
  align: 'left' | 'center' | 'right';
  verticalAlign: 'top' | 'middle' | 'bottom';
  /** From the marker's edge to the box, when the label sits away from its point. */
  leader?: Segment;
}

export interface PlacementSpace {
  /** Labels stay wholly inside this rectangle (the plot). */
  bounds: Box;
  /** Lines no label may cross: curves as consecutive segments. */
  segments: readonly Segment[];
  /** Boxes no label may cover: fixed text, such as a target line's name. */
  boxes: readonly Box[];
  /** Markers: no label covers one, unless a required label has nowhere else to go. */
  markers?: readonly Box[];
}

/** Clear space kept between a label and anything else (the label's white halo plus a line's half-width). */
export const labelClearance = 2;
/** The gap between a marker's edge and the near side of its label. */
const nearGap = 3;
/**
 * Further distances tried, with a leader line, once the adjacent positions are taken: a point squeezed between two
 * limit curves has no room beside it, so its name goes past the curves with a leader across them.
 */
const leaderDistances = [16, 30, 46, 64, 86, 110];

/** `shift` slides a name above or below its point to start (1) or end (-1) there rather than centre on it. */
type Direction = { dx: -1 | 0 | 1; dy: -1 | 0 | 1; shift?: -1 | 1 };
/** Right, left, above, below, the diagonals, then above and below slid sideways: a name reads most naturally beside its point. */
const directions: Direction[] = [
  { dx: 1, dy: 0 },
  { dx: -1, dy: 0 },
  { dx: 0, dy: -1 },
  { dx: 0, dy: 1 },
  { dx: 1, dy: -1 },
  { dx: -1, dy: -1 },
  { dx: 1, dy: 1 },
  { dx: -1, dy: 1 },
  { dx: 0, dy: -1, shift: 1 },
  { dx: 0, dy: -1, shift: -1 },
  { dx: 0, dy: 1, shift: 1 },
  { dx: 0, dy: 1, shift: -1 },
];

/** The candidate positions of a label, nearest first. */
export function candidatePositions(request: LabelRequest): PlacedLabel[] {
  const near = directions.map((direction) => candidate(request, direction, request.radius + nearGap, false));
  if (!request.required) return near;
  const far = leaderDistances.flatMap((distance) => directions.map((direction) => candidate(request, direction, request.radius + distance, true)));
  return [...near, ...far];
}

function candidate(request: LabelRequest, { dx, dy, shift }: Direction, distance: number, leader: boolean): PlacedLabel {
  // Diagonal positions sit at the corner of a square around the point, so they clear the marker.
  const anchorX = request.x + dx * distance + (shift ?? 0) * -request.radius;
  const anchorY = request.y + dy * distance;
  const align = dx > 0 || shift === 1 ? 'left' : dx < 0 || shift === -1 ? 'right' : 'center';
  const verticalAlign = dy > 0 ? 'top' : dy < 0 ? 'bottom' : 'middle';
  const boxX = align === 'left' ? anchorX : align === 'right' ? anchorX - request.width : anchorX - request.width / 2;
  const boxY = verticalAlign === 'top' ? anchorY : verticalAlign === 'bottom' ? anchorY - request.height : anchorY - request.height / 2;
  const box = { x: boxX, y: boxY, width: request.width, height: request.height };
  const placed: PlacedLabel = { box, x: anchorX, y: anchorY, align, verticalAlign };
  if (leader) placed.leader = leaderSegment(request, box);
  return placed;
}

/** From just outside the marker's square, towards the box's nearest point, to that point. */
function leaderSegment(request: LabelRequest, box: Box): Segment {
  const nearestX = Math.min(Math.max(request.x, box.x), box.x + box.width);
  const nearestY = Math.min(Math.max(request.y, box.y), box.y + box.height);
  const length = Math.hypot(nearestX - request.x, nearestY - request.y) || 1;
  const start = request.radius * Math.SQRT2 + 1;
  const startX = request.x + ((nearestX - request.x) / length) * start;
  const startY = request.y + ((nearestY - request.y) / length) * start;
  return [startX, startY, nearestX, nearestY];
}

/**
 * Places the labels in the order given (most important first); `null` for a label with no free position.
 * Placed labels and their leaders become obstacles for the ones after them.
 */
export function placeLabels(requests: readonly LabelRequest[], space: PlacementSpace): (PlacedLabel | null)[] {
  const index = new ObstacleIndex(space.bounds);
  const markers = new ObstacleIndex(space.bounds);
  for (const segment of space.segments) index.addSegment(segment);
  for (const box of space.boxes) index.addBox(box);
  for (const box of space.markers ?? []) markers.addBox(box);
  return requests.map((request) => {
    const candidates = candidatePositions(request).filter((position) => fitsInside(position.box, space.bounds) && !index.blocks(position.box, position.leader));
    const free = candidates.find((position) => !markers.blocks(position.box, position.leader)) ?? (request.required ? candidates[0] : undefined);
    if (!free) return null;
    index.addBox(free.box);
    if (free.leader) index.addLeader(free.leader);
    return free;
  });
}

function fitsInside(box: Box, bounds: Box): boolean {
  return box.x >= bounds.x && box.y >= bounds.y && box.x + box.width <= bounds.x + bounds.width && box.y + box.height <= bounds.y + bounds.height;
}

/** Whether two boxes share any area. */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether a segment passes through a box (Liang–Barsky clipping). */
export function segmentCrossesBox([x0, y0, x1, y1]: Segment, box: Box): boolean {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let low = 0;
  let high = 1;
  const edges: [number, number][] = [
    [-dx, x0 - box.x],
    [dx, box.x + box.width - x0],
    [-dy, y0 - box.y],
    [dy, box.y + box.height - y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) low = Math.max(low, t);
      else high = Math.min(high, t);
      if (low > high) return false;
    }
  }
  return true;
}

/** Whether two segments meet (orientation test; touching counts). */
export function segmentsCross([ax, ay, bx, by]: Segment, [cx, cy, dx, dy]: Segment): boolean {
  const orientation = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) => Math.sign((qx - px) * (ry - py) - (qy - py) * (rx - px));
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  // Collinear: overlapping extents.
  return o1 === 0 && o2 === 0 && Math.max(ax, bx) >= Math.min(cx, dx) && Math.max(cx, dx) >= Math.min(ax, bx) && Math.max(ay, by) >= Math.min(cy, dy) && Math.max(cy, dy) >= Math.min(ay, by);
}

function grown(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** Obstacles bucketed in square cells, so a candidate is tested only against those near it. */
class ObstacleIndex {
  private readonly cells = new Map<number, { segments: Segment[]; boxes: Box[] }>();
  private readonly leaders: Segment[] = [];
  private static readonly cellSize = 32;

  constructor(private readonly bounds: Box) {}

  addSegment(segment: Segment): void {
    const [x0, y0, x1, y1] = segment;
    for (const cell of this.cellsOf({ x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) })) cell.segments.push(segment);
  }

  /** A placed leader: later labels keep clear of it, and later leaders do not cross it. */
  addLeader(leader: Segment): void {
    this.addSegment(leader);
    this.leaders.push(leader);
  }

  addBox(box: Box): void {
    for (const cell of this.cellsOf(box)) cell.boxes.push(box);
  }

  /** Whether the box (with clearance) or its leader meets any obstacle. */
  blocks(box: Box, leader?: Segment): boolean {
    const padded = grown(box, labelClearance);
    for (const cell of this.cellsOf(padded, false)) {
      if (cell.boxes.some((other) => boxesOverlap(padded, other))) return true;
      if (cell.segments.some((segment) => segmentCrossesBox(segment, padded))) return true;
    }
    if (leader) {
      const [x0, y0, x1, y1] = leader;
      const reach = { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
      for (const cell of this.cellsOf(reach, false)) if (cell.boxes.some((other) => segmentCrossesBox(leader, other))) return true;
      if (this.leaders.some((other) => segmentsCross(leader, other))) return true;
    }
    return false;
  }

  private *cellsOf(box: Box, create = true): Generator<{ segments: Segment[]; boxes: Box[] }> {
    const size = ObstacleIndex.cellSize;
    // Obstacles outside the plot are bucketed at its edge: labels never go there, but clipping stays exact.
    const clampColumn = (x: number) => Math.floor((Math.min(Math.max(x, this.bounds.x - size), this.bounds.x + this.bounds.width + size) - this.bounds.x) / size);
    const clampRow = (y: number) => Math.floor((Math.min(Math.max(y, this.bounds.y - size), this.bounds.y + this.bounds.height + size) - this.bounds.y) / size);
    for (let column = clampColumn(box.x); column <= clampColumn(box.x + box.width); column++) {
      for (let row = clampRow(box.y); row <= clampRow(box.y + box.height); row++) {
        const key = (column + 4) * 100_003 + (row + 4);
        let cell = this.cells.get(key);
        if (!cell && create) {
          cell = { segments: [], boxes: [] };
          this.cells.set(key, cell);
        }
        if (cell) yield cell;
      }
    }
  }
}

/**
 * Reads the names ECharts drew beside a chart's points, from its own elements, and checks them against each other,
 * the lines drawn (through `convertToPixel`), the plot and the key: the funnel's label tests (issue 16), in the
 * browser and on the server-side renderer. Independent of api/charts/label-placement.ts: lines are walked in
 * half-pixel steps rather than clipped.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelLayoutReport {
  labels: (Box & { name: string })[];
  /** Names of worse-than-expected providers beyond 99.8 % drawn emphasised (not faded), and whether each is named. */
  worseSignals: { name: string; labelled: boolean }[];
  labelOverlaps: string[];
  lineCrossings: string[];
  keyOverlaps: string[];
  outsidePlot: string[];
  /** Names over a marker other than their own: none but a signal's (beyond 99.8 %), which may cover one when nothing else is free. */
  markerOverlaps: string[];
  signalMarkerOverlaps: string[];
  lineCount: number;
}

/**
 * A laid-out chart's point labels against each other, every drawn line, the plot's edges and the key. Self-contained,
 * so the browser tests can run its source in the page; the unit tests call it on a server-side chart.
 */
export function measureChartLabels(chart: any): LabelLayoutReport {
  const model = chart.getModel();
  const grid: Box = model.getComponent('grid').coordinateSystem.getRect();
  const option = chart.getOption();
  const legend = option.legend?.[0];
  const hidden = (name: string) => legend?.selected?.[name] === false;
  const globalRect = (el: any): Box => {
    const rect = el.getBoundingRect().clone();
    rect.applyTransform(el.getComputedTransform());
    return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  };

  const labels: (LabelLayoutReport['labels'][number] & { own: number; signal: boolean })[] = [];
  const markers: Box[] = [];
  const worseSignals: LabelLayoutReport['worseSignals'] = [];
  model.eachSeries((series: any) => {
    if (series.subType !== 'scatter') return;
    const data = series.getData();
    data.each((index: number) => {
      const symbol = data.getItemGraphicEl(index);
      const path = symbol?.childAt ? symbol.childAt(0) : symbol;
      const text = path?.getTextContent?.();
      const shown = Boolean(text && !text.ignore && !text.invisible && text.style?.text);
      const [x, y] = data.getItemLayout(index);
      const size = Number(series.get('symbolSize'));
      markers.push({ x: x - size / 2, y: y - size / 2, width: size, height: size });
      if (shown) labels.push({ name: data.getName(index), own: markers.length - 1, signal: !/^providers-as-expected-/.test(series.id), ...globalRect(text) });
      // A judgement of worse rests on the 99.8 % limit.
      if (/^providers-worse-(normal|highlighted)$/.test(series.id)) worseSignals.push({ name: data.getName(index), labelled: shown });
    });
  });

  // Every line drawn in the plot: limit and false discovery rate curves (broken at '-'), the benchmark and target lines.
  const lines: { name: string; points: number[][] }[] = [];
  const toPixel = (point: number[]) => chart.convertToPixel({ gridIndex: 0 }, point) as number[];
  for (const series of option.series as any[]) {
    if (series.type !== 'line' || hidden(series.name)) continue;
    let run: number[][] = [];
    for (const point of [...(series.data ?? []), '-']) {
      if (point === '-') {
        if (run.length > 1) lines.push({ name: series.name, points: run });
        run = [];
      } else run.push(toPixel(point));
    }
    for (const mark of series.markLine?.data ?? []) {
      const y = chart.convertToPixel({ yAxisIndex: 0 }, mark.yAxis);
      lines.push({ name: series.name, points: [[grid.x, y], [grid.x + grid.width, y]] });
    }
  }

  const inside = (box: Box, x: number, y: number) => x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height;
  const inPlot = (x: number, y: number) => x >= grid.x && x <= grid.x + grid.width && y >= grid.y && y <= grid.y + grid.height;
  /** Walks the line in half-pixel steps: a crossing is a drawn (in-plot) point of the line inside the label's box. */
  const crosses = (box: Box, points: number[][]) => {
    for (let i = 1; i < points.length; i++) {
      const [x0, y0] = points[i - 1];
      const [x1, y1] = points[i];
      const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
      for (let step = 0; step <= steps; step++) {
        const x = x0 + ((x1 - x0) * step) / steps;
        const y = y0 + ((y1 - y0) * step) / steps;
        if (inPlot(x, y) && inside(box, x, y)) return true;
      }
    }
    return false;
  };
  const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  const labelOverlaps: string[] = [];
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => overlap(a, b) && labelOverlaps.push(`${a.name} / ${b.name}`)));
  const lineCrossings = labels.flatMap((label) => lines.filter((line) => crosses(label, line.points)).map((line) => `${label.name} × ${line.name}`));
  const outsidePlot = labels.filter((label) => label.x < grid.x || label.y < grid.y || label.x + label.width > grid.x + grid.width || label.y + label.height > grid.y + grid.height).map((label) => label.name);

  // The key, where it is drawn inside the canvas (exports; the dashboard prints it in HTML under the chart).
  let keyOverlaps: string[] = [];
  if (legend?.show !== false) {
    const view = chart._componentsViews.find((candidate: any) => candidate?.__model?.mainType === 'legend');
    if (view && !view.group.ignore) {
      const key = view.group.getBoundingRect().clone();
      key.applyTransform(view.group.getComputedTransform?.() ?? view.group.transform);
      keyOverlaps = labels.filter((label) => overlap(label, key)).map((label) => label.name);
    }
  }
  const overMarkers = labels.filter((label) => markers.some((marker, index) => index !== label.own && overlap(label, marker)));
  const markerOverlaps = overMarkers.filter((label) => !label.signal).map((label) => label.name);
  const signalMarkerOverlaps = overMarkers.filter((label) => label.signal).map((label) => label.name);
  return {
    labels: labels.map(({ own: _, signal: __, ...label }) => label),
    worseSignals,
    labelOverlaps,
    lineCrossings,
    keyOverlaps,
    outsidePlot,
    markerOverlaps,
    signalMarkerOverlaps,
    lineCount: lines.length,
  };
}

/**
 * Chart options for the dashboard and the exports, and the headless SVG renderer that draws them.
 * The option builders are pure: plain data in (./types), ECharts options out.
 *
 * The PNG renderer is not re-exported: it loads a native addon (resvg) and font files through
 * node:module, which a browser bundle cannot take. The API imports `api/charts/render-png` itself.
 */
export type * from './types';
export { funnelChartOptions, limitCurveName, bandText, type FunnelPointItem, type FunnelLayout } from './funnel-options';
export { spcChartOptions, variationLabels, assuranceLabels, spcSeriesNames, type SpcPointItem } from './spc-options';
export { funnelPositionOptions, funnelPositionSeriesNames, type FunnelPositionChartData, type FunnelPositionChartPoint } from './funnel-position-options';
export { caterpillarChartOptions, rowHeights, type CaterpillarPointItem, type RowNames } from './caterpillar-options';
export { forDashboard, keyEntries, type KeyEntry } from './chart-frame';
export { tartanChartOptions, tartanCellKinds, type TartanCellItem, type TartanCellKind } from './tartan-options';
export { spineChartOptions, spinePosition, spineSeriesNames, type SpineMarkerItem } from './spine-options';
export { judgementStyles, specialCauseStyles, missingStyles, nhsColours, type MarkerStyle } from './palette';
export { formatTooltip, formatValue, formatNumber } from './format';
export { renderChartSvg, chartSizes, type ChartSize } from './render-svg';
export * from './api-chart-data';
export { annotationLine, drawnAnnotations, type ChartAnnotation } from './annotation-marks';

import { funnelChartOptions } from '../../api/charts/funnel-options';
import type { FunnelChartData } from '../../api/charts/types';
import { chart } from '../../web/src/lib/charts/echarts';

/**
 * The browser side of `npm run bench dashboard-render`: what the dashboard's Funnel component does with the
 * API's numbers (build the options, then the chart action draws them), timed until ECharts has finished.
 */
async function renderFunnel(data: FunnelChartData): Promise<{ options: number; total: number }> {
  const node = document.createElement('div');
  node.style.cssText = 'width: 1280px; height: 640px';
  document.body.append(node);
  const start = performance.now();
  const rendered = new Promise<void>((resolve) => {
    const observer = new MutationObserver(() => {
      if (node.dataset.chartState !== 'rendered') return;
      observer.disconnect();
      resolve();
    });
    observer.observe(node, { attributes: true, attributeFilter: ['data-chart-state'] });
  });
  const options = funnelChartOptions(data);
  const built = performance.now();
  const drawn = chart(node, { options });
  await rendered;
  const total = performance.now() - start;
  drawn?.destroy?.();
  node.remove();
  return { options: built - start, total };
}

(window as unknown as { renderFunnel: typeof renderFunnel }).renderFunnel = renderFunnel;

/** Reports rows as a load goes; silent unless the output is a terminal and not under CI. */
export interface Progress {
  start(phase: string, total?: number): void;
  advance(rows: number): void;
  finish(): void;
}

export const silentProgress: Progress = { start() {}, advance() {}, finish() {} };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Progress {
  if (!stream.isTTY || env.CI) return silentProgress;
  let phase = '';
  let total: number | undefined;
  let done = 0;
  let started = 0;
  let lastDraw = 0;
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const width = 24;
    const filled = total ? Math.min(width, Math.round((done / total) * width)) : 0;
    const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    const eta = total && rate > 0 ? ` ETA ${Math.max(0, (total - done) / rate).toFixed(0)}s` : '';
    const count = total ? `${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}` : done.toLocaleString('en-GB');
    stream.write(`\r${phase} ${bar}${count} rows, ${Math.round(rate).toLocaleString('en-GB')} rows/s${eta}\x1b[K`);
  };
  return {
    start(name, expected) {
      phase = name;
      total = expected;
      done = 0;
      started = performance.now();
      lastDraw = 0;
      draw(true);
    },
    advance(rows) {
      done += rows;
      draw();
    },
    finish() {
      draw(true);
      stream.write('\n');
    },
  };
}

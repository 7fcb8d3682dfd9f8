// A small line plot on a canvas for the live training curves (loss per step, accuracy per
// evaluation): one or more series, axes scaled to the data, the last value printed.
/** A named series of points. */
export interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

/** Draws `series` on `canvas`, x from 0 to `xMax`, y from 0 to the data's top (or `yMax`). */
export function drawPlot(canvas: HTMLCanvasElement, title: string, series: Series[], xMax: number, yMax?: number): void {
  const context = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const pad = { left: 40, right: 10, top: 20, bottom: 20 };
  context.clearRect(0, 0, width, height);
  context.font = '12px system-ui, sans-serif';
  context.fillStyle = '#222';
  context.fillText(title, pad.left, 14);
  const all = series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const top = yMax ?? Math.max(1e-6, ...all) * 1.05;
  const x = (v: number) => pad.left + ((width - pad.left - pad.right) * v) / Math.max(1, xMax);
  const y = (v: number) => height - pad.bottom - ((height - pad.top - pad.bottom) * v) / top;
  context.strokeStyle = '#999';
  context.beginPath();
  context.moveTo(pad.left, pad.top);
  context.lineTo(pad.left, height - pad.bottom);
  context.lineTo(width - pad.right, height - pad.bottom);
  context.stroke();
  context.fillText(top.toPrecision(2), 2, pad.top + 4);
  context.fillText('0', 2, height - pad.bottom);
  context.fillText(String(xMax), width - pad.right - 30, height - 4);
  series.forEach((s, i) => {
    context.strokeStyle = s.color;
    context.beginPath();
    s.points.forEach(([px, py], j) => (j === 0 ? context.moveTo(x(px), y(py)) : context.lineTo(x(px), y(py))));
    context.stroke();
    const last = s.points.at(-1);
    context.fillStyle = s.color;
    context.fillText(`${s.name}${last ? ` ${last[1].toFixed(3)}` : ''}`, width - 150, 14 + 14 * i);
  });
}

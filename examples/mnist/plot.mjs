// A dependency-free SVG line plot: test accuracy against evaluations, one line per run.
const COLORS = { SimpleES: "#1f77b4", OpenAIES: "#d62728" };

export function accuracySvg(runs, { reference = [], width = 720, height = 440, title = "" } = {}) {
  const L = 60, R = 170, T = 36, B = 48, w = width - L - R, h = height - T - B;
  const xmax = Math.max(...runs.flatMap((r) => r.curve.map((p) => p.evaluations)), 1);
  const ymin = 0, ymax = 1;
  const X = (v) => L + (v / xmax) * w, Y = (v) => T + h - ((v - ymin) / (ymax - ymin)) * h;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${L}" y="20" font-size="14">${esc(title)}</text>`];
  for (let i = 0; i <= 10; i++) {
    const y = Y(i / 10);
    out.push(`<line x1="${L}" x2="${L + w}" y1="${y}" y2="${y}" stroke="#eee"/>`, `<text x="${L - 6}" y="${y + 4}" text-anchor="end">${(i * 10).toFixed(0)}%</text>`);
  }
  const step = niceStep(xmax / 5);
  for (let v = 0; v <= xmax + 1e-9; v += step) {
    const x = X(v);
    out.push(`<line x1="${x}" x2="${x}" y1="${T}" y2="${T + h}" stroke="#eee"/>`, `<text x="${x}" y="${T + h + 16}" text-anchor="middle">${v.toLocaleString("en")}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
    `<text x="${L + w / 2}" y="${height - 10}" text-anchor="middle">evaluations</text>`,
    `<text x="16" y="${T + h / 2}" transform="rotate(-90 16 ${T + h / 2})" text-anchor="middle">test accuracy</text>`);
  const legend = new Map();
  for (const r of runs) {
    const c = COLORS[r.algorithm] ?? "#555";
    const pts = r.curve.map((p) => `${X(p.evaluations).toFixed(1)},${Y(p.accuracy).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="${c}" stroke-width="1.5" stroke-opacity="0.8"/>`);
    legend.set(r.algorithm, c);
  }
  for (const ref of reference) {
    for (const p of ref.points) out.push(`<circle cx="${X(p.evaluations)}" cy="${Y(p.accuracy)}" r="3.5" fill="none" stroke="${ref.color}" stroke-width="1.5"/>`);
    legend.set(ref.label, ref.color + "|ref");
  }
  let ly = T + 10;
  for (const [name, c] of legend) {
    const [col, ref] = c.split("|");
    out.push(ref ? `<circle cx="${L + w + 20}" cy="${ly - 4}" r="3.5" fill="none" stroke="${col}" stroke-width="1.5"/>` : `<line x1="${L + w + 10}" x2="${L + w + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${col}" stroke-width="2"/>`,
      `<text x="${L + w + 36}" y="${ly}">${esc(name)}</text>`);
    ly += 18;
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function niceStep(v) {
  const p = 10 ** Math.floor(Math.log10(v)), m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

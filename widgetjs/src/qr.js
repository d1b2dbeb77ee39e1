// drawQR draws a QR code's modules (row by row, "1" dark) as one SVG path,
// with the quiet zone scanners need: SVG elements, no image, nothing for
// the partner's CSP to allow.
const svgNS = "http://www.w3.org/2000/svg";
const quiet = 4;

export function drawQR(qr, label) {
  const n = qr.size;
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${n + 2 * quiet} ${n + 2 * quiet}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("part", "qr");
  svg.setAttribute("class", "qr");
  svg.setAttribute("shape-rendering", "crispEdges");
  const bg = document.createElementNS(svgNS, "rect");
  bg.setAttribute("width", String(n + 2 * quiet));
  bg.setAttribute("height", String(n + 2 * quiet));
  bg.setAttribute("class", "qr-bg");
  const path = document.createElementNS(svgNS, "path");
  let d = "";
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.charCodeAt(y * n + x) === 49) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    }
  }
  path.setAttribute("d", d);
  path.setAttribute("class", "qr-fg");
  svg.append(bg, path);
  return svg;
}

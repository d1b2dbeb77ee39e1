// The widget's one style sheet, adopted by every shadow root as a
// constructable stylesheet: no <style> element and no style attribute, so
// the partner's CSP needs no 'unsafe-inline', and the host page's CSS
// cannot reach in. Partners theme it through the custom properties below
// (set on tandem-referral) and ::part(...).
let sheet = null;

export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

const css = `
:host {
  --_bg: var(--tandem-background, #ffffff);
  --_fg: var(--tandem-text, #1f2328);
  --_muted: var(--tandem-muted, #57606a);
  --_accent: var(--tandem-accent, var(--tandem-brand-accent, #0a58ca));
  --_on-accent: var(--tandem-on-accent, var(--tandem-brand-on-accent, #ffffff));
  --_border: var(--tandem-border, #d0d7de);
  --_soft: var(--tandem-soft, #f6f8fa);
  --_ok: var(--tandem-success, #1a7f37);
  --_warn: var(--tandem-warning, #9a6700);
  --_danger: var(--tandem-danger, #cf222e);
  --_radius: var(--tandem-radius, 8px);
  display: block;
  color: var(--_fg);
  font: var(--tandem-font, 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  contain: content;
}
@media (prefers-color-scheme: dark) {
  :host {
    --_bg: var(--tandem-background, #0d1117);
    --_fg: var(--tandem-text, #e6edf3);
    --_muted: var(--tandem-muted, #9da7b3);
    --_accent: var(--tandem-accent, var(--tandem-brand-accent, #4493f8));
    --_on-accent: var(--tandem-on-accent, var(--tandem-brand-on-accent, #0d1117));
    --_border: var(--tandem-border, #3d444d);
    --_soft: var(--tandem-soft, #161b22);
    --_ok: var(--tandem-success, #3fb950);
    --_warn: var(--tandem-warning, #d29922);
    --_danger: var(--tandem-danger, #f85149);
  }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.w { background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 16px; }
h2 { font-size: 1.2em; margin: 0 0 4px; }
h3 { font-size: 1em; margin: 16px 0 8px; }
p { margin: 0 0 8px; }
.sub, .muted { color: var(--_muted); }
.status:empty { display: none; }
.status { background: var(--_soft); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 8px 12px; margin: 8px 0; }
.status.error { border-color: var(--_danger); }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 4px 0 8px; }
label, .label { display: block; font-weight: 600; margin-top: 8px; }
input { flex: 1 1 14em; min-width: 0; font: inherit; color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 6px 10px; }
code { font: 600 1.1em ui-monospace, SFMono-Regular, Menlo, monospace; letter-spacing: 0.08em; }
button { font: inherit; font-weight: 600; cursor: pointer; border: 1px solid var(--_accent); border-radius: var(--_radius); padding: 6px 12px; background: var(--_accent); color: var(--_on-accent); }
button.secondary { background: var(--_bg); color: var(--_fg); border-color: var(--_border); }
:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
.qr { display: block; width: 132px; height: 132px; margin: 8px 0; }
.qr-bg { fill: #ffffff; }
.qr-fg { fill: #000000; }
ol, ul { list-style: none; margin: 0; padding: 0; }
li.guest, li.reward { border-top: 1px solid var(--_border); padding: 8px 0; }
.head { display: flex; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
.badge { font-size: 0.85em; font-weight: 600; border: 1px solid currentColor; border-radius: 999px; padding: 0 8px; }
.badge.completed, .badge.issued { color: var(--_ok); }
.badge.claimed, .badge.pending, .badge.held { color: var(--_accent); }
.badge.expired, .badge.voided { color: var(--_muted); }
.badge.redeemed { color: var(--_muted); }
.steps { display: flex; gap: 4px; margin: 6px 0 2px; }
.steps span { flex: 1; height: 6px; border-radius: 3px; background: var(--_border); }
.steps span.done { background: var(--_ok); }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 600; color: var(--_muted); }
.brand[hidden] { display: none; }
.brand .logo { max-height: 32px; max-width: 120px; }
.earnings .milestones li { padding: 2px 0; }
.earnings .next { font-weight: 600; margin-top: 6px; }
[hidden] { display: none !important; }
`;
